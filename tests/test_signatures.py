import base64
import hashlib
import hmac

from recruit_sms_tools.signatures import is_valid_twilio_signature, webhook_url
from twilio.request_validator import RequestValidator

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}


def sign(token, url, params):
    """An independent implementation of Twilio's scheme, to check ours against."""
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def test_agrees_with_an_independent_hmac_and_with_twilio():
    signature = sign(TOKEN, URL, PARAMS)
    assert RequestValidator(TOKEN).validate(URL, PARAMS, signature)
    assert is_valid_twilio_signature(TOKEN, URL, PARAMS, signature)


def test_valid_signature_with_unicode_body():
    url = "https://odoo.example.com/recruit_sms/twilio/inbound"
    params = {"MessageSid": "SM1", "Body": "Oui 👍 مرحبا e\u0301", "From": "+14155550123"}
    assert is_valid_twilio_signature("tok", url, params, sign("tok", url, params))


def test_forged_or_foreign_signatures_are_refused():
    url = "https://odoo.example.com/recruit_sms/twilio/inbound"
    params = {"MessageSid": "SM1", "Body": "Hi"}
    good = sign("tok", url, params)
    assert not is_valid_twilio_signature("other-token", url, params, good)
    assert not is_valid_twilio_signature("tok", url + "x", params, good)  # signed for another URL
    assert not is_valid_twilio_signature("tok", url, {**params, "Body": "Hi!"}, good)  # tampered
    assert not is_valid_twilio_signature("tok", url, params, "")
    assert not is_valid_twilio_signature("tok", url, params, None)
    assert not is_valid_twilio_signature("", url, params, good)
    assert not is_valid_twilio_signature("tok", url, params, good[:-2])


def test_port_variants_as_twilio_accepts_them():
    signed_with_port = sign("tok", "https://h.example:443/x", {"a": "1"})
    assert is_valid_twilio_signature("tok", "https://h.example/x", {"a": "1"}, signed_with_port)
    signed_without_port = sign("tok", "https://h.example/x", {"a": "1"})
    assert is_valid_twilio_signature("tok", "https://h.example:443/x", {"a": "1"}, signed_without_port)
    # behind a proxy on another port, Twilio may have signed the URL without it
    assert is_valid_twilio_signature("tok", "https://h.example:8443/x", {"a": "1"}, signed_without_port)
    assert not is_valid_twilio_signature("tok", "https://other.example:8443/x", {"a": "1"}, signed_without_port)


class MultiDict(dict):
    """A form with repeated keys, answering as werkzeug's MultiDict does."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self.pairs = pairs

    def getall(self, key):
        return [value for name, value in self.pairs if name == key]

    def to_dict(self):
        return dict(self.pairs)


def test_repeated_keys_all_count():
    """Twilio signs every value of a repeated parameter, sorted."""
    url = "https://odoo.example.com/recruit_sms/twilio/inbound"
    data = url + "Body" + "Hi" + "MediaUrl0" + "https://a.example/1" + "MediaUrl0" + "https://a.example/2"
    signature = base64.b64encode(hmac.new(b"tok", data.encode(), hashlib.sha1).digest()).decode()
    form = MultiDict([("Body", "Hi"), ("MediaUrl0", "https://a.example/2"), ("MediaUrl0", "https://a.example/1")])
    assert is_valid_twilio_signature("tok", url, form, signature)
    assert not is_valid_twilio_signature("tok", url, form.to_dict(), signature), "one value alone is not what was signed"


def test_webhook_url_keeps_the_query_string_as_received():
    route = "/recruit_sms/twilio/inbound"
    assert webhook_url("https://jobs.example.com", route) == "https://jobs.example.com/recruit_sms/twilio/inbound"
    assert webhook_url("https://jobs.example.com/", route, "") == "https://jobs.example.com/recruit_sms/twilio/inbound"
    assert webhook_url("https://jobs.example.com/odoo/", route, "a=1&b=%C3%A9%20x") == (
        "https://jobs.example.com/odoo/recruit_sms/twilio/inbound?a=1&b=%C3%A9%20x")


def test_the_query_string_is_part_of_what_twilio_signs():
    params = {"MessageSid": "SM1", "Body": "Hi"}
    with_query = webhook_url("https://jobs.example.com", "/hook", "tenant=acme")
    without_query = webhook_url("https://jobs.example.com", "/hook")
    assert is_valid_twilio_signature("tok", with_query, params, sign("tok", with_query, params))
    assert not is_valid_twilio_signature("tok", without_query, params, sign("tok", with_query, params))
    assert not is_valid_twilio_signature("tok", with_query, params, sign("tok", without_query, params))
