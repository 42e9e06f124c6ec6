from odoo import models

from ..tools import twilio_api


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _action_update_from_twilio_error(self, sms_status, error_code, error_message):
        # Twilio's status callbacks carry the error code alone: give it a readable reason,
        # and stop texting numbers whose owner unsubscribed.
        if str(error_code) == str(twilio_api.UNSUBSCRIBED):
            numbers = self.mail_notification_id.mapped("sms_number")
            self.env["phone.blacklist"].sudo()._recruit_sms_block_unsubscribed(numbers)
        return super()._action_update_from_twilio_error(
            sms_status, error_code, twilio_api.error_reason(error_code, error_message),
        )
