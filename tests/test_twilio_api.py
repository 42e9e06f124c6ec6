from datetime import UTC, datetime

import pytest
from recruit_sms_tools import twilio_api
from recruit_sms_tools import twilio_api as tw

SID = "AC" + "a" * 32
MG = "MG" + "0123456789abcdef" * 2


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "https://api.twilio.com"),
        (None, "https://api.twilio.com"),
        ("https://api.twilio.com/", "https://api.twilio.com"),
        ("https://sms.example.com/twilio/", "https://sms.example.com/twilio"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:9000/", "http://localhost:9000"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ],
)
def test_api_url_is_normalized(url, expected):
    assert tw.normalize_api_url(url) == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://api.twilio.com", "not an http(s) URL"),
        ("api.twilio.com", "not an http(s) URL"),
        ("http://api.twilio.com", "must use https"),
        ("http://10.0.0.5:8080", "must use https"),
        ("https://user:pw@api.twilio.com", "must not carry credentials"),
        ("https://api.twilio.com/?x=1", "must not carry credentials"),
    ],
)
def test_bad_api_urls_are_refused_with_the_fix(url, words):
    with pytest.raises(tw.TwilioSettingError, match="Twilio API base URL") as caught:
        tw.normalize_api_url(url)
    assert words in str(caught.value)


def test_messages_url_uses_base_url_and_account():
    assert tw.messages_url("http://127.0.0.1:1234/", SID) == (
        f"http://127.0.0.1:1234/2010-04-01/Accounts/{SID}/Messages.json"
    )


def test_messaging_service_sid_rules():
    assert tw.check_messaging_service_sid("  ") is None
    assert tw.check_messaging_service_sid(f" {MG} ") == MG
    for bad in ("MG123", "PN" + "0" * 32, MG + "x"):
        with pytest.raises(tw.TwilioSettingError, match="Messaging Service SID"):
            tw.check_messaging_service_sid(bad)


def test_account_sid_shape():
    assert tw.is_account_sid(SID)
    assert not tw.is_account_sid("AC123")
    assert not tw.is_account_sid(None)


def test_payload_uses_from_without_messaging_service():
    data = tw.message_payload("+14155552671", "Hi", from_number="+15005550006", status_callback="https://x/cb")
    assert data == {"To": "+14155552671", "Body": "Hi", "From": "+15005550006", "StatusCallback": "https://x/cb"}


def test_payload_sends_messaging_service_instead_of_from():
    data = tw.message_payload("+14155552671", "Hi", from_number="+15005550006", messaging_service_sid=MG)
    assert data["MessagingServiceSid"] == MG
    assert "From" not in data
    assert "StatusCallback" not in data


def test_payload_keeps_an_explicit_empty_from():
    assert tw.message_payload("+1", "b")["From"] == ""


def test_error_reading():
    assert tw.error_of(201, {"sid": "SM1"}) == (None, None)
    assert tw.error_of(400, {"code": 21211, "message": "Invalid 'To'"}) == (21211, "Invalid 'To'")
    assert tw.error_of(500, None) == (None, "HTTP 500 from the SMS provider")
    assert tw.error_of(200, {"error_code": 30007, "error_message": "Carrier violation"}) == (30007, "Carrier violation")


def test_error_reasons():
    assert tw.error_reason(30003) == "Unreachable destination handset (switched off or out of coverage) (30003)"
    assert tw.error_reason("21610").startswith("The recipient replied STOP")
    assert tw.error_reason(99999) == "Twilio error (99999)"
    assert tw.error_reason(30003, "Twilio said this") == "Twilio said this"
    assert tw.error_reason(None) == "Unknown error"
    assert tw.error_reason("abc") == "Twilio error abc"


def test_account_check_reads_what_is_wrong():
    ok = {"sid": "AC1", "status": "active", "type": "Full"}
    owned = {"incoming_phone_numbers": [{"phone_number": "+15005550006"}]}
    assert tw.check_account(200, ok, 200, owned, ["+15005550006"]) == []
    assert tw.check_account(401, {"code": 20003}, 0, None, ["+15005550006"]) == [("bad_credentials", 401)]
    assert tw.check_account(404, {}, 0, None, []) == [("bad_credentials", 404)]
    assert tw.check_account(500, b"oops", 0, None, []) == [("unexpected", 500)]
    assert tw.check_account(200, {**ok, "status": "suspended", "type": "Trial"}, 200, owned, []) == [
        ("not_active", "suspended"), ("trial", None)]
    assert tw.check_account(200, ok, 200, owned, ["+15005550006", "+32455998877"]) == [
        ("number_not_owned", "+32455998877")]
    assert tw.check_account(200, ok, 500, None, ["+15005550006"]) == [("unexpected", 500)]
    assert tw.check_account(200, ok, 500, None, []) == [], "a Messaging Service needs no number"


def test_account_and_numbers_urls_follow_the_base_url():
    assert tw.account_url("https://api.example.com/", "AC1") == "https://api.example.com/2010-04-01/Accounts/AC1.json"
    assert tw.numbers_url("", "AC1") == "https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json"


@pytest.mark.parametrize(
    ("status", "payload", "failure", "verdict"),
    [
        (201, {"sid": "SM1", "status": "queued"}, None, twilio_api.SENT),
        (201, {}, None, twilio_api.UNCONFIRMED),  # a 2xx without a SID: a proxy's answer, or Twilio's?
        (200, None, None, twilio_api.UNCONFIRMED),  # a captive portal's page
        (400, {"code": 21211, "message": "Invalid 'To'"}, None, twilio_api.REFUSED),
        (401, {"code": 20003, "message": "Authenticate"}, None, twilio_api.REFUSED),
        (429, {"code": 20429}, None, twilio_api.RETRY),
        (429, None, None, twilio_api.RETRY),
        (503, {"code": 20503, "message": "Service unavailable"}, None, twilio_api.RETRY),
        (502, None, None, twilio_api.UNCONFIRMED),  # a gateway's page: the request may have gone on
        (0, None, twilio_api.NOT_SENT, twilio_api.RETRY),
        (0, None, twilio_api.AMBIGUOUS, twilio_api.UNCONFIRMED),
    ],
)
def test_what_an_answer_proves(status, payload, failure, verdict):
    assert twilio_api.send_verdict(status, payload, failure) == verdict


def test_a_sent_message_is_found_in_the_list_by_number_body_and_time():
    since = datetime(2026, 12, 4, 16, 0, 0, 250000, tzinfo=UTC)
    page = {"messages": [
        {"sid": "SMnew", "to": "+14155550142", "body": "Hi", "date_created": "Fri, 04 Dec 2026 16:00:00 +0000"},
        {"sid": "SMold", "to": "+14155550142", "body": "Hi", "date_created": "Fri, 04 Dec 2026 15:59:00 +0000"},
    ]}
    assert twilio_api.find_sent(page, "+14155550142", "Hi", since) == (twilio_api.FOUND, "SMnew")
    assert twilio_api.find_sent(page, "+14155550143", "Hi", since) == (twilio_api.ABSENT, None)
    assert twilio_api.find_sent(None, "+1", "Hi", since) == (twilio_api.ABSENT, None)
    only_older = {"messages": page["messages"][1:]}
    assert twilio_api.find_sent(only_older, "+14155550142", "Hi", since) == (twilio_api.ABSENT, None), \
        "an earlier message with the same text is another one"


def test_another_text_to_the_number_since_then_is_for_a_person_to_judge():
    """Twilio's link shortening rewrites a body: a message to the number since the send,
    with another text, may be this one; sending again could text the candidate twice."""
    since = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    page = {"messages": [{"sid": "SM1", "to": "+1415", "body": "Hi https://tw.link/x", "date_created":
                          "Fri, 04 Dec 2026 16:00:03 +0000"}]}
    assert twilio_api.find_sent(page, "+1415", "Hi https://example.com/job", since) == (twilio_api.UNKNOWN, None)
    junk = {"messages": [{"sid": "x", "to": "+1", "body": "Hi", "date_created": "junk"}]}
    assert twilio_api.find_sent(junk, "+1", "Hi", since) == (twilio_api.UNKNOWN, None)


@pytest.mark.parametrize(("payload", "code"), [
    ({"code": 21211}, 21211), ({"error_code": "30007"}, 30007), ({"code": [1]}, None), ({"code": {"x": 1}}, None),
    ({"code": True}, None), ({"code": "abc"}, None), (None, None), ([1, 2], None),
    # a status callback posts digits; a number past six digits is no code of Twilio's
    ({"code": " 30034 "}, 30034), ({"code": "12345678901"}, None), ({"error_code": 10**7}, None), ({"code": -5}, None)])
def test_error_codes_are_read_as_numbers_or_not_at_all(payload, code):
    assert twilio_api.error_code(payload) == code
    assert twilio_api.send_verdict(500, payload) == (twilio_api.RETRY if code else twilio_api.UNCONFIRMED)


def test_dates_without_a_zone_are_utc():
    assert twilio_api.date_of("Fri, 04 Dec 2026 16:00:00 -0000") == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert twilio_api.date_of("Fri, 04 Dec 2026 17:00:00 +0100") == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert twilio_api.date_of("soon") is None
    assert twilio_api.date_of(None) is None


def test_a_full_page_of_newer_messages_cannot_say_a_message_is_absent():
    since = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    newer = {"messages": [{"sid": "SM1", "to": "+1", "body": "Hi", "date_created": "Fri, 04 Dec 2026 16:00:05 +0000"}]}
    older = {"messages": [{"sid": "SM0", "to": "+1", "body": "Hi", "date_created": "Fri, 04 Dec 2026 15:00:00 +0000"}]}
    assert twilio_api.find_sent(newer, "+2", "Hi", since, more=True) == (twilio_api.UNKNOWN, None)
    assert twilio_api.find_sent(older, "+1", "Hi", since, more=True) == (twilio_api.ABSENT, None), \
        "an older message on the page: the next page is older still"
