import logging

from .base import RecruitSmsProvider

_logger = logging.getLogger(__name__)


class SmsApiSandbox(RecruitSmsProvider):
    """Sends nothing out of Odoo: every message is reported delivered at once.

    It lets a new user try the whole conversation loop without any SMS account.
    """

    def _recruit_sms_send(self, session, number, body, uuid):
        _logger.debug("Sandbox SMS to %s: %s", number, body)
        return {"uuid": uuid, "state": "delivered"}

    def _recruit_sms_check_connection(self):
        return "info", self.env._(
            "The sandbox sends nothing, so there is no connection to test: every text is marked delivered, and "
            "replies can be simulated from an applicant's Communications tab. Choose Twilio to send for real.")

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        results = super()._send_sms_batch(messages, delivery_reports_url=delivery_reports_url)
        _logger.info("Sandbox SMS provider: %d message(s) marked delivered, none sent", len(results))
        return results
