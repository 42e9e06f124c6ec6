import logging

from odoo import fields
from odoo.exceptions import UserError

from ..tools import twilio_api
from ..tools import whatsapp as whatsapp_rules
from .base import RecruitSmsProvider
from .twilio import SmsApiTwilioRecruit

_logger = logging.getLogger(__name__)


class SmsApiSandbox(RecruitSmsProvider):
    """Sends nothing out of Odoo: every message is reported delivered at once.

    It lets a new user try the whole conversation loop without any SMS account. Like
    Twilio with its test credentials, it refuses Twilio's test numbers (an invalid
    number, one that cannot be routed, a landline), so failures can be tried too.
    """

    def _recruit_sms_send(self, session, number, body, uuid, whatsapp=None):
        _logger.debug("Sandbox %s to %s: %s", "WhatsApp" if whatsapp is not None else "SMS", number, body)
        if whatsapp is not None and not whatsapp["content_sid"]:
            # as WhatsApp does: free text only within 24 hours of the candidate's last message
            company = self.company or self.env.company
            last = self.env["recruit.sms.inbound"]._recruit_sms_whatsapp_last([(number, company.id)]).get((number, company.id))
            if not whatsapp_rules.window_open(last, fields.Datetime.now()):
                return {"uuid": uuid, "state": "unknown", "failure_type": "unknown",
                        "failure_reason": self.env._("%(reason)s (the sandbox applies WhatsApp's rule)",
                                                     reason=twilio_api.error_reason(twilio_api.OUTSIDE_WINDOW))}
        code = twilio_api.TEST_NUMBER_ERRORS.get(number)
        if code:
            # the state Twilio's answer would end in (a landline's 21614 is a wrong number for core)
            state = SmsApiTwilioRecruit(self.env)._twilio_error_code_to_odoo_state({"code": code, "status": 400})
            return {"uuid": uuid, "state": state, "failure_type": state, "error_code": code,
                    "failure_reason": self.env._("%(reason)s (the sandbox refuses Twilio's test number %(number)s)",
                                                 reason=twilio_api.error_reason(code), number=number)}
        return {"uuid": uuid, "state": "delivered"}

    def _recruit_sms_content_pages(self):
        raise UserError(self.env._(
            "The sandbox has no Twilio account to load templates from: add them by hand (any HX... Content SID "
            "will do), the sandbox sends them like approved ones."))

    def _recruit_sms_check_connection(self):
        return "info", self.env._(
            "The sandbox sends nothing, so there is no connection to test: every text is marked delivered, and "
            "replies can be simulated from an applicant's Communications tab. Choose Twilio to send for real.")

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        results = super()._send_sms_batch(messages, delivery_reports_url=delivery_reports_url)
        _logger.info("Sandbox SMS provider: %d message(s) marked delivered, none sent", len(results))
        return results
