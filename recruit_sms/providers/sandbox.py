import logging

from ..tools import twilio_api
from .base import RecruitSmsProvider

_logger = logging.getLogger(__name__)


class SmsApiSandbox(RecruitSmsProvider):
    """Sends nothing out of Odoo: every message is reported delivered at once.

    It lets a new user try the whole conversation loop without any SMS account. Like
    Twilio with its test credentials, it refuses Twilio's test numbers (an invalid
    number, one that cannot be routed, a landline), so failures can be tried too.
    """

    def _recruit_sms_send(self, session, number, body, uuid):
        _logger.debug("Sandbox SMS to %s: %s", number, body)
        code = twilio_api.TEST_NUMBER_ERRORS.get(number)
        if code:
            state = "wrong_number_format" if code == 21211 else "unknown"
            return {"uuid": uuid, "state": state, "failure_type": state,
                    "failure_reason": self.env._("%(reason)s (the sandbox refuses Twilio's test number %(number)s)",
                                                 reason=twilio_api.error_reason(code), number=number)}
        return {"uuid": uuid, "state": "delivered"}

    def _recruit_sms_check_connection(self):
        return "info", self.env._(
            "The sandbox sends nothing, so there is no connection to test: every text is marked delivered, and "
            "replies can be simulated from an applicant's Communications tab. Choose Twilio to send for real.")

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        results = super()._send_sms_batch(messages, delivery_reports_url=delivery_reports_url)
        _logger.info("Sandbox SMS provider: %d message(s) marked delivered, none sent", len(results))
        return results
