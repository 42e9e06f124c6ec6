from odoo import fields, models

from ..tools import deliverability, twilio_api


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _action_update_from_twilio_error(self, sms_status, error_code, error_message):
        # Twilio's status callbacks carry the error code alone: give it a readable reason,
        # and stop texting numbers whose owner unsubscribed.
        if str(error_code) == str(twilio_api.UNSUBSCRIBED):
            for tracker in self:  # through the company its message was sent for
                message = tracker.mail_notification_id.mail_message_id
                self.env["phone.blacklist"].sudo()._recruit_sms_block_unsubscribed(
                    tracker.mail_notification_id.mapped("sms_number"), message.record_company_id or self.env.company)
        code = twilio_api.code_of(error_code)
        if code in deliverability.CANNOT_RECEIVE:
            # a landline or a number that does not exist: excluded from later texts with the
            # reason, until a recruiter corrects the number
            for tracker in self:
                message = tracker.mail_notification_id.mail_message_id
                if message.model == "hr.applicant" and tracker.mail_notification_id.sms_number:
                    self.env["hr.applicant"].sudo().browse(message.res_id).exists()._recruit_sms_mark_cannot_receive(
                        tracker.mail_notification_id.sms_number, code)
        return super()._action_update_from_twilio_error(
            sms_status, error_code, twilio_api.error_reason(error_code, error_message),
        )

    def _recruit_sms_read(self):
        """WhatsApp says the candidate read the message: it was delivered, and read now."""
        notifications = self.mail_notification_id.filtered(lambda n: not n.recruit_sms_read_date)
        if not notifications:
            return
        self.filtered(lambda t: t.mail_notification_id.notification_status != "sent")._action_update_from_sms_state("sent")
        notifications.sudo().write({"recruit_sms_read_date": fields.Datetime.now()})
        notifications.mail_message_id._notify_message_notification_update()
