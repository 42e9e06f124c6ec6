import datetime

import pytest
from recruit_sms_tools.inbound import Candidate, InboundError, is_safe_media_url, parse_twilio_inbound, pick_applicant

BASE = {"MessageSid": "SM" + "1" * 32, "AccountSid": "AC" + "2" * 32, "From": "+14155550123", "To": "+15005550006"}


def test_parse_a_plain_message():
    sms = parse_twilio_inbound({**BASE, "Body": "Yes, Monday works", "NumSegments": "1", "FromCountry": "us"})
    assert sms.message_sid == BASE["MessageSid"]
    assert (sms.from_number, sms.to_number, sms.body) == ("+14155550123", "+15005550006", "Yes, Monday works")
    assert (sms.num_segments, sms.from_country, sms.media) == (1, "US", ())


@pytest.mark.parametrize("body", ["  spaced  ", "😀🎉", "مرحبا بك", "e\u0301\u0302", "x" * 1600, "x" * 4096, "line\nbreak\r\n"])
def test_bodies_are_kept_exactly(body):
    assert parse_twilio_inbound({**BASE, "Body": body}).body == body


def test_media_only_message():
    form = {**BASE, "Body": "", "NumMedia": "2", "MediaUrl0": "https://api.twilio.com/m/0", "MediaContentType0": "image/jpeg",
            "MediaUrl1": "https://api.twilio.com/m/1", "MediaContentType1": "application/pdf"}
    sms = parse_twilio_inbound(form)
    assert sms.body == ""
    assert sms.media == (("https://api.twilio.com/m/0", "image/jpeg"), ("https://api.twilio.com/m/1", "application/pdf"))


def test_opt_out_type_and_service():
    sms = parse_twilio_inbound({**BASE, "Body": "STOP", "OptOutType": "stop", "MessagingServiceSid": "MG" + "3" * 32})
    assert sms.opt_out_type == "STOP"
    assert sms.messaging_service_sid == "MG" + "3" * 32


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({**BASE, "MessageSid": "", "Body": "x"}, "MessageSid is missing"),
        ({**BASE, "From": "", "Body": "x"}, "From is missing"),
    ],
)
def test_unusable_requests_say_why(form, words):
    with pytest.raises(InboundError, match=words):
        parse_twilio_inbound(form)


def test_pick_applicant_prefers_open_then_recent():
    day = datetime.datetime(2026, 1, 1)
    closed_recent = Candidate(1, False, day + datetime.timedelta(days=9))
    open_old = Candidate(2, True, day)
    open_recent = Candidate(3, True, day + datetime.timedelta(days=1))
    assert pick_applicant([closed_recent, open_old, open_recent]) == (3, [2, 1])
    assert pick_applicant([closed_recent]) == (1, [])
    assert pick_applicant([]) == (None, [])
    same = [Candidate(4, True, day), Candidate(7, True, day)]
    assert pick_applicant(same) == (7, [4])


@pytest.mark.parametrize("url", [
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
    "HTTPS://api.twilio.com/media/ME1",
    "https://[2001:db8::1]/media?x=1",
])
def test_https_media_urls_are_links(url):
    assert is_safe_media_url(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(document.cookie)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "http://api.twilio.com/media/ME1",
    "//evil.example/x",
    "/web/session/logout",
    "https:evil.example",
    "https://",
    "https:///path-only",
    " https://api.twilio.com/media/ME1",
    "https://api.twilio.com/media/ME1\n",
    "ht\ttps://api.twilio.com/x",
    "https://evil.example/a b",
    "",
    None,
    42,
])
def test_anything_else_is_text(url):
    assert not is_safe_media_url(url)


def test_nul_bytes_are_dropped_from_what_is_stored():
    sms = parse_twilio_inbound({**BASE, "Body": "See\x00 you", "MediaUrl0": "https://x.example/a\x00", "NumMedia": "1"})
    assert sms.body == "See you"
    assert sms.media == (("https://x.example/a", ""),)


@pytest.mark.parametrize("sender", ["+1415555\x000123", "+1" + "4" * 100])
def test_a_sender_that_is_no_address_is_refused(sender):
    with pytest.raises(InboundError, match="From is not a phone number"):
        parse_twilio_inbound({**BASE, "From": sender, "Body": "hi"})


@pytest.mark.parametrize(("value", "expected"), [("3", 3), ("99999999999999999999", 0), ("-1", 0), ("x", 0)])
def test_counts_out_of_range_read_as_zero(value, expected):
    assert parse_twilio_inbound({**BASE, "Body": "hi", "NumSegments": value}).num_segments == expected


def test_every_signed_kind_of_message_is_kept():
    """Twilio never retries a refused webhook: what it sends is kept, whatever it holds."""
    long = parse_twilio_inbound({**BASE, "Body": "y" * 5000})
    assert long.body == "y" * 4096 + " [... 904 more characters not kept]"
    assert parse_twilio_inbound({**BASE, "Body": ""}).body == ""
    assert parse_twilio_inbound({**BASE, "Body": "", "NumMedia": "abc"}).body == ""
    media_only = parse_twilio_inbound({**BASE, "NumMedia": "1", "MediaUrl0": "https://m.example/1.jpg",
                                       "MediaContentType0": "image/jpeg"})
    assert (media_only.body, media_only.media) == ("", (("https://m.example/1.jpg", "image/jpeg"),))


def test_a_shared_location_is_a_map_link():
    sms = parse_twilio_inbound({**BASE, "Latitude": "41.8781", "Longitude": "-87.6298", "Label": "Home",
                                "Address": "Chicago, IL"})
    assert sms.body == "Location: Home, Chicago, IL https://www.openstreetmap.org/?mlat=41.878100&mlon=-87.629800"
    assert parse_twilio_inbound({**BASE, "Latitude": "91", "Longitude": "0"}).body == ""
    assert parse_twilio_inbound({**BASE, "Latitude": "x", "Longitude": "0"}).body == ""
