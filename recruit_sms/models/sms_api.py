"""The providers recruit_sms adds behind Odoo's own SMS seam (``_get_sms_api_class``)."""

import logging

import requests
from werkzeug.urls import url_join

from odoo.addons.phone_validation.tools import phone_validation
from odoo.addons.sms.tools.sms_api import SmsApiBase
from odoo.addons.sms_twilio.tools.sms_api import SmsApiTwilio
from odoo.addons.sms_twilio.tools.sms_twilio import (
    get_twilio_from_number,
    get_twilio_status_callback_url,
)
from odoo.exceptions import UserError

from ..tools import twilio_api
from ..tools.twilio_client import TwilioClient

_logger = logging.getLogger(__name__)


class SmsStream:
    """Hands a campaign's messages to the provider one at a time, as the campaign engine
    paces them. ``send`` answers like one item of ``_send_sms_batch``: uuid, state (the
    provider states of Odoo's SMS API) and failure_reason.

    This default goes through the provider's own batch call, one message a call; the
    providers of recruit_sms have leaner ones."""

    def __init__(self, api, company):
        self.api = api
        self.company = company
        self.unsubscribed = []  # numbers the provider reports opted out (21610)

    def sender(self, number):
        """Who sends to ``number``: the key the pace is kept per ("": the provider)."""
        return ""

    def rate(self, sender):
        """Messages per second that ``sender`` may send."""
        return self.company.recruit_sms_rate or 1.0

    def max_rate(self):
        return self.rate("")

    def send(self, number, body, uuid):
        try:
            return self.api._send_sms_batch([{"content": body, "numbers": [{"number": number, "uuid": uuid}]}])[0]
        except Exception as error:
            _logger.info("SMS provider error for %s: %s", uuid, type(error).__name__)
            return {"uuid": uuid, "state": "server_error", "failure_reason": str(error)}

    def failure_type(self, state):
        return self.api.PROVIDER_TO_SMS_FAILURE_TYPE.get(state, "unknown")

    def failure_message(self, failure_type):
        return self.api._get_sms_api_error_messages().get(failure_type) or failure_type

    def close(self):
        pass


def open_sms_stream(env, company):
    """The campaign engine's way to the provider of ``company``."""
    api = company._get_sms_api_class()(env)
    api._set_company(company)
    stream = getattr(api, "_recruit_sms_stream", None)
    return stream() if stream else SmsStream(api, company)


class SandboxStream(SmsStream):
    def send(self, number, body, uuid):
        _logger.debug("Sandbox SMS to %s: %s", number, body)
        return {"uuid": uuid, "state": "delivered"}


class TwilioStream(SmsStream):
    """One keep-alive connection to the Twilio(-compatible) API for the whole run; the
    sender is the Messaging Service when set, else the Twilio number of the recipient's
    country, each with its own rate. Settings are read once, as plain values: the engine
    commits after each message, which empties the ORM cache."""

    def __init__(self, api, company):
        super().__init__(api, company)
        company_sudo = company.sudo()
        self.service_sid = company_sudo.recruit_sms_twilio_messaging_service_sid or None
        self.service_rate = company_sudo.recruit_sms_rate or 1.0
        # (number, country code, rate), in Odoo's order of preference
        self.numbers = [(n.number, n.country_code, n.recruit_sms_rate or self.service_rate)
                        for n in company_sudo.sms_twilio_number_ids]
        self.callback_base = url_join(company_sudo.get_base_url(), "/sms_twilio/status/")
        self._company_sudo = company_sudo
        self._client = None
        self._from_by_country = {}

    def _from_number(self, number):
        if len(self.numbers) <= 1:
            return self.numbers[0][0] if self.numbers else ""  # no choice to make: spare parsing the number
        country = phone_validation.phone_get_country_code_for_number(number)
        if country not in self._from_by_country:
            preferred = [n for n in self.numbers if n[1] == country] or self.numbers
            self._from_by_country[country] = preferred[0][0]
        return self._from_by_country[country]

    def sender(self, number):
        return self.service_sid or self._from_number(number)

    def rate(self, sender):
        if not self.service_sid:
            for twilio_number, _country, rate in self.numbers:
                if twilio_number == sender:
                    return rate
        return self.service_rate

    def max_rate(self):
        return max([rate for _n, _c, rate in self.numbers] if self.numbers and not self.service_sid else [self.service_rate])

    def send(self, number, body, uuid):
        if self._client is None:
            try:
                self._company_sudo._assert_twilio_sid()
            except UserError as error:
                return {"uuid": uuid, "state": "twilio_authentication", "failure_reason": str(error)}
            self._client = TwilioClient(self._company_sudo.recruit_sms_twilio_api_url,
                                        self._company_sudo.sms_twilio_account_sid, self._company_sudo.sms_twilio_auth_token)
        form = twilio_api.message_payload(
            number, body,
            from_number=None if self.service_sid else self._from_number(number),
            messaging_service_sid=self.service_sid,
            status_callback=self.callback_base + uuid,
        )
        try:
            status, payload = self._client.post_message(form)
        except OSError as error:
            _logger.warning("Twilio SMS API error on %r: %s", self._client, type(error).__name__)
            return {"uuid": uuid, "state": "server_error", "failure_reason": self.api._recruit_sms_unreachable()}
        code, message = twilio_api.error_of(status, payload)
        if code is None and not message:
            return {"uuid": uuid, "state": "sent", "sms_twilio_sid": payload.get("sid"), "failure_reason": False}
        if code == twilio_api.UNSUBSCRIBED:
            self.unsubscribed.append(number)
        state = self.api._twilio_error_code_to_odoo_state({**payload, "status": payload.get("status") or status})
        return {"uuid": uuid, "state": state, "failure_reason": message}

    def close(self):
        if self._client is not None:
            self._client.close()


class SmsApiSandbox(SmsApiBase):
    """Sends nothing out of Odoo: every message is reported delivered at once.

    It lets a new user try the whole conversation loop without any SMS account.
    """

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        results = []
        for message in messages:
            for number_info in message.get("numbers") or []:
                _logger.debug("Sandbox SMS to %s: %s", number_info["number"], message.get("content"))
                results.append({"uuid": number_info["uuid"], "state": "delivered"})
        _logger.info("Sandbox SMS provider: %d message(s) marked delivered, none sent", len(results))
        return results

    def _recruit_sms_stream(self):
        return SandboxStream(self, self.company)


class SmsApiTwilioRecruit(SmsApiTwilio):
    """Core's Twilio provider, pointed at the company's API base URL (Twilio or a
    Twilio-compatible service) and sending through its Messaging Service when set."""

    def _sms_twilio_send_request(self, session, to_number, body, uuid):
        company_sudo = (self.company or self.env.company).sudo()
        company_sudo._assert_twilio_sid()
        service_sid = company_sudo.recruit_sms_twilio_messaging_service_sid
        from_number = False
        if not service_sid:
            from_number = get_twilio_from_number(company_sudo, to_number).number
        data = twilio_api.message_payload(
            to_number,
            body,
            from_number=from_number,
            messaging_service_sid=service_sid,
            status_callback=get_twilio_status_callback_url(company_sudo, uuid),
        )
        account_sid = company_sudo.sms_twilio_account_sid
        url = twilio_api.messages_url(company_sudo.recruit_sms_twilio_api_url, account_sid)
        try:
            response = session.post(
                url, data=data, auth=(account_sid, company_sudo.sms_twilio_auth_token), timeout=5,
            )
        except requests.exceptions.RequestException as error:
            # the exception names the URL (account SID, never the token)
            _logger.warning("Twilio SMS API error on %s: %s", url, type(error).__name__)
            return None
        if not response.ok and self._error_code(response) == twilio_api.UNSUBSCRIBED:
            self._unsubscribed.append(to_number)
        return response

    def _twilio_error_code_to_odoo_state(self, response_json):
        # Twilio's own overload answers (429, 5xx) are transient: core's server error,
        # which campaigns retry, not an unknown failure
        code = response_json.get("code") or response_json.get("error_code")
        status = response_json.get("status")
        if code in twilio_api.TRANSIENT_CODES or (isinstance(status, int) and (status == 429 or status >= 500)):
            return "server_error"
        return super()._twilio_error_code_to_odoo_state(response_json)

    @staticmethod
    def _error_code(response):
        try:
            return twilio_api.error_of(response.status_code, response.json())[0]
        except ValueError:
            return None

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        self._unsubscribed = []
        results = super()._send_sms_batch(messages, delivery_reports_url=delivery_reports_url)
        if self._unsubscribed:
            self.env["phone.blacklist"].sudo()._recruit_sms_block_unsubscribed(self._unsubscribed)
        for result in results:
            if result.get("state") == "server_error":
                # core says "contact Odoo support"; the provider did not answer at all
                result["failure_reason"] = self._recruit_sms_unreachable()
        return results

    def _recruit_sms_unreachable(self):
        return self.env._(
            "The SMS provider could not be reached (%(url)s); the message can be resent.",
            url=(self.company or self.env.company).sudo().recruit_sms_twilio_api_url,
        )

    def _recruit_sms_stream(self):
        return TwilioStream(self, self.company)
