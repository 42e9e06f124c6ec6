import hmac
import logging

from werkzeug.exceptions import BadRequest, Forbidden, RequestEntityTooLarge

from odoo.http import Controller, request, route
from odoo.tools import config

from ..tools import inbound as inbound_rules
from ..tools import phone, whatsapp
from ..tools.signatures import is_valid_twilio_signature, webhook_url

_logger = logging.getLogger(__name__)

INBOUND_ROUTE = "/recruit_sms/twilio/inbound"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Twilio's inbound form (a WhatsApp message of 4,096 characters, ten media URLs and the
# rest) is a few kilobytes: a larger request is refused before its form is read
MAX_REQUEST_BYTES = 64 * 1024
# the fields read before the signature is checked, to find whose auth token checks it:
# Twilio's SIDs are 34 characters, an address "whatsapp:" and a number
MAX_LOOKUP_FIELD = 64


class RecruitSmsInboundController(Controller):
    """Twilio's "A message comes in" webhook. Public, so it does one thing: check the
    signature, then hand the message to the model."""

    @route(INBOUND_ROUTE, type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
           max_content_length=MAX_REQUEST_BYTES)  # refused before Odoo reads the form, chunked or not
    def twilio_inbound(self, **_kwargs):
        length = request.httprequest.content_length
        if length and length > MAX_REQUEST_BYTES:
            _logger.warning("Twilio inbound refused: the request has %s bytes, more than %s", length, MAX_REQUEST_BYTES)
            raise RequestEntityTooLarge()
        form = request.httprequest.form  # a MultiDict: every value of a repeated key is signed
        company = self._company_for(form)
        if not company:
            _logger.warning("Twilio inbound refused: no company uses its To number, Messaging Service or account")
            _logger.debug("Twilio inbound refused: To %r, Messaging Service %r, account %r",
                          *(str(form.get(key))[:MAX_LOOKUP_FIELD] for key in ("To", "MessagingServiceSid", "AccountSid")))
            raise Forbidden()
        url = self._signed_url(company)
        signature = request.httprequest.headers.get("X-Twilio-Signature", "")
        if not signature:
            _logger.warning("Twilio inbound refused: no X-Twilio-Signature header (company %s)", company.id)
            raise Forbidden()
        try:
            valid = is_valid_twilio_signature(company.sms_twilio_auth_token, url, form, signature)
        except ValueError:  # a forwarded host whose port is no port
            valid = False
        if not valid:
            _logger.warning("Twilio inbound refused: signature does not match %s with company %s's auth token",
                            url, company.id)
            raise Forbidden()
        if not hmac.compare_digest(_lookup_field(form, "AccountSid").encode(), (company.sms_twilio_account_sid or "").encode()):
            _logger.warning("Twilio inbound refused: AccountSid %r is not company %s's account",
                            _lookup_field(form, "AccountSid"), company.id)
            raise Forbidden()
        try:
            sms = inbound_rules.parse_twilio_inbound(form)
        except inbound_rules.InboundError as error:
            _logger.warning("Twilio inbound refused: %s", error)
            raise BadRequest(str(error)) from error
        inbound_model = request.env["recruit.sms.inbound"].sudo()
        if inbound_model._recruit_sms_store(sms, company):
            inbound_model._recruit_sms_trigger_processing()
        return request.make_response(EMPTY_TWIML, headers=[("Content-Type", "text/xml")])

    def _signed_url(self, company):
        """The URL Twilio called, which it signed: the public address of this request,
        query string included. Behind a proxy with Odoo's ``proxy_mode``, Odoo already
        rewrote the request's scheme and host from X-Forwarded-Proto and -Host; otherwise
        the public address is the database's ``web.base.url``."""
        httprequest = request.httprequest
        query = httprequest.query_string.decode("utf-8", "replace")  # as received, never re-encoded
        if config["proxy_mode"] and httprequest.environ.get("werkzeug.proxy_fix.orig"):
            base = f"{httprequest.scheme}://{httprequest.host}{httprequest.root_path}"
        else:
            base = company.get_base_url()
        return webhook_url(base, INBOUND_ROUTE, query)

    def _company_for(self, form):
        """The company whose Twilio number, WhatsApp sender or Messaging Service received
        the message, else the only one using that Twilio account.

        The request is not signed yet: its fields are bounded (an oversized one or one with
        a NUL byte is as good as absent) and nothing read from them is remembered."""
        env = request.env
        to_address = _lookup_field(form, "To")
        to_number = whatsapp.split_address(to_address)[0]  # a WhatsApp sender is addressed whatsapp:+1...
        to_number = _e164_unremembered(to_number) or to_number
        if to_number:
            number = env["sms.twilio.number"].sudo().search([("number", "in", [to_number, to_address])], limit=1)
            if number:
                return number.company_id.sudo()
        companies = env["res.company"].sudo().search([("sms_provider", "=", "twilio")])
        if to_number:
            by_whatsapp = companies.filtered(lambda c: c.recruit_sms_whatsapp and c.recruit_sms_whatsapp_sender == to_number)
            if by_whatsapp:
                return by_whatsapp[0]
        service_sid = _lookup_field(form, "MessagingServiceSid")
        if service_sid:
            by_service = companies.filtered(lambda c: c.recruit_sms_twilio_messaging_service_sid == service_sid)
            if by_service:
                return by_service[0]
        account_sid = _lookup_field(form, "AccountSid")
        by_account = companies.filtered(lambda c: c.sms_twilio_account_sid and c.sms_twilio_account_sid == account_sid)
        return by_account[0] if len(by_account) == 1 else env["res.company"]


def _e164_unremembered(raw):
    """E.164 form of ``raw``, or None; not ``phone.try_e164``, which remembers what it read."""
    try:
        return phone.to_e164(raw)
    except phone.PhoneError:
        return None


def _lookup_field(form, key):
    """``form[key]`` when it may be what Twilio sends (at most MAX_LOOKUP_FIELD characters,
    no NUL byte), else the empty string."""
    value = form.get(key) or ""
    return value if len(value) <= MAX_LOOKUP_FIELD and "\x00" not in value else ""
