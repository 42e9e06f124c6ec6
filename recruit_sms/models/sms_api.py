"""The providers recruit_sms adds behind Odoo's own SMS seam (``_get_sms_api_class``)."""

import logging

import requests

from odoo.addons.sms.tools.sms_api import SmsApiBase
from odoo.addons.sms_twilio.tools.sms_api import SmsApiTwilio
from odoo.addons.sms_twilio.tools.sms_twilio import (
    get_twilio_from_number,
    get_twilio_status_callback_url,
)

from ..tools import twilio_api

_logger = logging.getLogger(__name__)


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
                result["failure_reason"] = self.env._(
                    "The SMS provider could not be reached (%(url)s); the message can be resent.",
                    url=(self.company or self.env.company).sudo().recruit_sms_twilio_api_url,
                )
        return results
