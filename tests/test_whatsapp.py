"""WhatsApp through Twilio: addresses, the 24-hour window, template variables, and what
the gate, the inbound parser and the send's form make of them."""

import json
from datetime import datetime, timedelta

import pytest
from recruit_sms_tools import gate, inbound, twilio_api, whatsapp

NOW = datetime(2026, 3, 2, 15, 0)


def test_addresses_round_trip():
    assert whatsapp.address("+14155550100") == "whatsapp:+14155550100"
    assert whatsapp.address("whatsapp:+14155550100") == "whatsapp:+14155550100"
    assert whatsapp.split_address("whatsapp:+14155550100") == ("+14155550100", True)
    assert whatsapp.split_address("WhatsApp: +14155550100 ") == ("+14155550100", True)
    assert whatsapp.split_address("+14155550100") == ("+14155550100", False)
    assert whatsapp.split_address(None) == ("", False)


@pytest.mark.parametrize(("wrote", "is_open"), [
    (None, False),
    (NOW - timedelta(hours=23, minutes=59), True),
    (NOW - timedelta(hours=24), False),
    (NOW - timedelta(days=3), False),
])
def test_window_is_24_hours_after_the_last_message(wrote, is_open):
    assert whatsapp.window_open(wrote, NOW) is is_open
    if wrote:
        assert whatsapp.window_closes(wrote) == wrote + timedelta(hours=24)


def test_variables_are_named_and_checked_against_the_text():
    assert whatsapp.parse_keys(" first_name , job ") == ["first_name", "job"]
    with pytest.raises(whatsapp.TemplateError, match=r"object\.name"):
        whatsapp.parse_keys("first_name, object.name")
    whatsapp.check_template("Hi {{1}}, about {{2}}", ["first_name", "job"])
    with pytest.raises(whatsapp.TemplateError, match="1 placeholder"):
        whatsapp.check_template("Hi {{1}}", ["first_name", "job"])
    with pytest.raises(whatsapp.TemplateError, match="without gaps"):
        whatsapp.check_template("Hi {{1}} {{3}}", ["first_name", "job"])


def test_fill_and_render_give_the_text_the_candidate_reads():
    variables = whatsapp.fill(["first_name", "job", "company"], {"first_name": "Zoë", "job": "Chef"})
    assert json.loads(variables) == {"1": "Zoë", "2": "Chef", "3": "-"}  # WhatsApp refuses empty variables
    assert whatsapp.render("Hi {{1}}, the {{ 2 }} role at {{3}}", variables) == "Hi Zoë, the Chef role at -"


def test_send_form_with_a_template_carries_no_body():
    form = twilio_api.message_payload("whatsapp:+14155550100", "ignored", from_number="whatsapp:+14155238886",
                                      content_sid="HX" + "0" * 32, content_variables='{"1":"Ann"}')
    assert form == {"To": "whatsapp:+14155550100", "From": "whatsapp:+14155238886",
                    "ContentSid": "HX" + "0" * 32, "ContentVariables": '{"1":"Ann"}'}
    free = twilio_api.message_payload("whatsapp:+14155550100", "Hello", from_number="whatsapp:+14155238886")
    assert free == {"To": "whatsapp:+14155550100", "Body": "Hello", "From": "whatsapp:+14155238886"}


def test_whatsapp_errors_read_as_what_to_do():
    reason = twilio_api.error_reason(63016, "Failed to send freeform message because you are outside the allowed window")
    assert "24-hour window" in reason and "template" in reason and "63016" in reason
    assert "no WhatsApp account" in twilio_api.error_reason("63024")
    assert twilio_api.error_reason(30003, "Twilio's words") == "Twilio's words"
    assert 63018 in twilio_api.TRANSIENT_CODES


def test_inbound_from_whatsapp_is_read_as_the_number_on_whatsapp():
    sms = inbound.parse_twilio_inbound({"MessageSid": "SM1", "From": "whatsapp:+14155550100",
                                        "To": "whatsapp:+14155238886", "Body": "Hi"})
    assert (sms.from_number, sms.to_number, sms.channel) == ("+14155550100", "+14155238886", "whatsapp")
    plain = inbound.parse_twilio_inbound({"MessageSid": "SM2", "From": "+14155550100", "Body": "Hi"})
    assert plain.channel == "sms"
    with pytest.raises(inbound.InboundError, match="From"):
        inbound.parse_twilio_inbound({"MessageSid": "SM3", "From": "whatsapp:", "Body": "Hi"})


def candidate(**values):
    return gate.Recipient(number="+14155550100", candidate=True, consent=True, **values)


def test_gate_free_whatsapp_text_only_inside_the_window():
    batch = gate.Batch(now=NOW)
    inside = candidate(last_whatsapp=NOW - timedelta(hours=2))
    outside = candidate(last_whatsapp=NOW - timedelta(hours=30))
    assert batch.decide(inside, gate.MANUAL, gate.WHATSAPP).allowed
    assert batch.decide(outside, gate.MANUAL, gate.WHATSAPP).code == gate.WHATSAPP_WINDOW
    assert batch.decide(candidate(), gate.CAMPAIGN, gate.WHATSAPP).code == gate.WHATSAPP_WINDOW
    # an approved template may open the conversation again
    assert batch.decide(outside, gate.MANUAL, gate.WHATSAPP_TEMPLATE).allowed
    # an SMS knows no window
    assert batch.decide(outside, gate.MANUAL, gate.SMS).allowed


def test_gate_whatsapp_keeps_every_sms_rule():
    batch = gate.Batch(now=NOW)
    wrote = NOW - timedelta(hours=1)
    assert batch.decide(candidate(last_whatsapp=wrote, opted_out=True), gate.MANUAL, gate.WHATSAPP_TEMPLATE).code == gate.OPTED_OUT
    no_consent = gate.Recipient(number="+14155550100", candidate=True, last_whatsapp=wrote)
    assert batch.decide(no_consent, gate.CAMPAIGN, gate.WHATSAPP_TEMPLATE).code == gate.NO_CONSENT
    window = gate.window_of(8, 21)
    night = gate.Batch(now=datetime(2026, 3, 2, 3, 0), window=window)
    held = night.decide(candidate(last_whatsapp=wrote), gate.CAMPAIGN, gate.WHATSAPP_TEMPLATE)
    assert held.code == gate.QUIET_HOURS and held.hold_until == datetime(2026, 3, 2, 8, 0)
    with pytest.raises(ValueError, match="channel"):
        batch.decide(candidate(), gate.MANUAL, "fax")


def content(sid, name, body, status="approved", kind="twilio/text"):
    return {"sid": sid, "friendly_name": name, "types": {kind: {"body": body}},
            "approval_requests": {"name": name, "category": "UTILITY", "status": status}}


def test_approved_templates_keep_what_can_be_sent():
    page = {"contents": [
        content("HX1", "follow_up", "Hi {{1}}, about {{2}}?"),
        content("HX2", "pending", "Hi {{1}}", status="received"),
        content("HX3", "rejected", "Hi", status="rejected"),
        {"sid": "HX4", "friendly_name": "card", "types": {"twilio/card": {"title": "x"}},
         "approval_requests": {"status": "approved"}},
        content("HX5", "gap", "Hi {{1}} and {{3}}"),
        content("HX6", "quick", "Still interested, {{1}}?", kind="twilio/quick-reply"),
    ], "meta": {"next_page_url": None}}
    templates, skipped = whatsapp.approved_templates(page)
    assert templates == [
        {"sid": "HX1", "name": "follow_up", "body": "Hi {{1}}, about {{2}}?", "keys": ["first_name", "job"]},
        {"sid": "HX6", "name": "quick", "body": "Still interested, {{1}}?", "keys": ["first_name"]},
    ]
    assert skipped == [("pending", "not_approved"), ("rejected", "not_approved"), ("card", "no_text"),
                       ("gap", "placeholders")]
    assert whatsapp.approved_templates({}) == ([], [])


def test_content_api_url_follows_the_api_base():
    assert twilio_api.content_url("https://api.twilio.com/") == "https://content.twilio.com/v1/ContentAndApprovals"
    assert twilio_api.content_url("http://127.0.0.1:8099") == "http://127.0.0.1:8099/v1/ContentAndApprovals"


@pytest.mark.parametrize(
    ("approval_requests", "status"),
    [
        ({"name": "x", "category": "UTILITY", "status": "approved"}, "approved"),
        ({"whatsapp": {"name": "x", "category": "UTILITY", "status": "APPROVED"}}, "approved"),
        ({"whatsapp": {"status": "rejected", "rejection_reason": "x"}}, "rejected"),
        ({}, ""),
        (None, ""),
        ({"whatsapp": None, "status": 3}, ""),
    ],
)
def test_approval_is_read_in_both_of_twilios_shapes(approval_requests, status):
    assert whatsapp.approval_status({"sid": "HX1", "approval_requests": approval_requests}) == status
    page = {"contents": [{"sid": "HX1", "friendly_name": "n", "types": {"twilio/text": {"body": "Hi"}},
                          "approval_requests": approval_requests}]}
    assert bool(whatsapp.approved_templates(page)[0]) == (status == "approved")
