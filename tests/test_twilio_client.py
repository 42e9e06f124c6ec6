"""The HTTP session of the Messages API against the project's loopback Twilio double."""

import importlib.util

import pytest
from conftest import TOOLS
from recruit_sms_tools.twilio_client import open_session

SID = "AC" + "1" * 32


def _load_double():
    spec = importlib.util.spec_from_file_location("twilio_double", TOOLS.parent / "tests" / "twilio_double.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TwilioDouble


TwilioDouble = _load_double()


@pytest.fixture
def double():
    double = TwilioDouble().start()
    yield double
    double.stop()


def post(session, double, form):
    # as core's Twilio request posts: the form, the credentials and a timeout on each call
    return session.post(f"{double.base_url}/2010-04-01/Accounts/{SID}/Messages.json", data=form,
                        auth=(SID, "s3cret"), timeout=5)


def test_one_connection_for_every_send_of_a_session(double):
    session = open_session(double.base_url)
    answers = [post(session, double, {"To": f"+1555000000{i}", "Body": "Hé €"}) for i in range(5)]
    assert [answer.status_code for answer in answers] == [201] * 5
    assert [answer.json()["sid"] for answer in answers] == [f"SM{i:032d}" for i in range(1, 6)]
    assert double.requests[4]["form"] == {"To": "+15550000004", "Body": "Hé €"}
    assert double.requests[0]["auth"] == (SID, "s3cret")
    assert double.connections == 1, "keep-alive: one connection for all"
    session.close()
    post(open_session(double.base_url), double, {"To": "+15550000009"})
    assert double.connections == 2, "a session of its own, a connection of its own"


def test_environment_is_read_once_when_the_session_opens(double, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy",
                 "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/company-ca.pem")
    session = open_session("https://sms.example.com")
    assert session.proxies["https"] == "http://proxy.example.com:3128"
    assert session.verify == "/etc/ssl/company-ca.pem"
    monkeypatch.setenv("NO_PROXY", "sms.example.com")
    assert not open_session("https://sms.example.com").proxies, "NO_PROXY holds for the session's host"

    monkeypatch.delenv("HTTPS_PROXY")
    session = open_session(double.base_url)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens: used, it would fail
    assert post(session, double, {"To": "+15550000000"}).status_code == 201


def test_error_answers_and_pages_that_are_no_json(double):
    double.answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
    double.answer(502, b"<html>bad gateway</html>")
    session = open_session(double.base_url)
    first, second = post(session, double, {"To": "x"}), post(session, double, {"To": "y"})
    assert (first.status_code, first.json()["code"]) == (400, 21211)
    assert (second.status_code, second.content) == (502, b"<html>bad gateway</html>")
    assert double.connections == 1, "an error answer keeps the connection"
