"""The keep-alive Messages API client against a loopback HTTP server."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

import pytest
from recruit_sms_tools.twilio_client import TwilioClient, form_encode

SID = "AC" + "1" * 32


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        server = self.server
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
        server.seen.append({"path": self.path, "auth": self.headers["Authorization"], "form": form,
                            "connection": self.client_address})
        status, payload = server.answers.pop(0) if server.answers else (201, {"sid": f"SM{len(server.seen)}"})
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen, httpd.answers = [], []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def client_for(server, **kwargs):
    return TwilioClient(f"http://127.0.0.1:{server.server_address[1]}", SID, "s3cret", **kwargs)


def test_posts_the_form_with_basic_auth_on_one_connection(server):
    client = client_for(server)
    for i in range(3):
        assert client.post_message({"To": f"+1555000000{i}", "Body": "Hé €"}) == (201, {"sid": f"SM{i + 1}"})
    assert [seen["path"] for seen in server.seen] == [f"/2010-04-01/Accounts/{SID}/Messages.json"] * 3
    assert server.seen[0]["auth"] == "Basic " + base64.b64encode(f"{SID}:s3cret".encode()).decode()
    assert server.seen[2]["form"] == {"To": "+15550000002", "Body": "Hé €"}
    assert len({seen["connection"] for seen in server.seen}) == 1, "keep-alive: one connection for all"
    assert "s3cret" not in repr(client)
    client.close()


def test_error_answers_and_non_json_bodies(server):
    server.answers = [(400, {"code": 21211, "message": "Invalid 'To' Phone Number"}), (502, b"<html>bad gateway</html>")]
    client = client_for(server)
    assert client.post_message({"To": "x"}) == (400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
    assert client.post_message({"To": "y"}) == (502, {})


def test_unreachable_service_raises_for_the_caller_to_retry():
    client = TwilioClient("http://127.0.0.1:9", SID, "tok", timeout=1)
    with pytest.raises(OSError):
        client.post_message({"To": "+15550000000"})


def test_a_connection_idle_too_long_is_replaced(server):
    now = [0.0]
    client = client_for(server, clock=lambda: now[0])
    client.post_message({"To": "a"})
    now[0] += 60
    client.post_message({"To": "b"})
    assert len({seen["connection"] for seen in server.seen}) == 2


@pytest.mark.parametrize("value", [
    "Hi Ann, new shifts are open this week. Reply YES if interested.",
    "ünïcödé & symbols: 100% +1 (415) 555-0142 = ok? #tag/path;a=b",
    "emoji 👋🏽 and € and 中文 and \n new line \t tab",
    "+15005550006", "http://localhost:8069/sms_twilio/status/" + "a" * 32, "", "~._-",
    "".join(chr(code) for code in range(256)),
])
def test_form_encoding_is_urlencode(value):
    form = {"To": "+16282000012", "Body": value, "From": "+15005550006", "StatusCallback": value}
    assert form_encode(form) == urlencode(form)
