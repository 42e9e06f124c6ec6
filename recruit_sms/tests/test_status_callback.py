from odoo.addons.sms_twilio.tools.sms_twilio import generate_twilio_sms_callback_signature
from odoo.tests import tagged

from .inbound_common import InboundCase
from .twilio_double import serve_for


@tagged("post_install", "-at_install")
class TestStatusCallback(InboundCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.twilio = serve_for(cls)

    def send(self, body="Hello"):
        message = self.applicant.recruit_sms_send("sms", "Subject", body)
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        return message, sms

    def callback(self, sms, status, **extra):
        params = {"SmsStatus": status, "MessageStatus": status, "MessageSid": sms.sms_tracker_id.sms_twilio_sid or "SMx",
                  "AccountSid": self.company.sms_twilio_account_sid, **extra}
        signature = generate_twilio_sms_callback_signature(self.company.sudo(), sms.uuid, params)
        return self.url_open(f"/sms_twilio/status/{sms.uuid}", data=params, headers={"X-Twilio-Signature": signature})

    def test_delivery_state_reaches_the_bubble(self):
        _message, sms = self.send()
        self.assertEqual(self.bubbles()[0]["state"], "sent")
        self.assertEqual(self.callback(sms, "delivered").status_code, 200)
        self.assertEqual(self.bubbles()[0]["state"], "delivered")

    def test_error_code_gets_a_readable_reason(self):
        _message, sms = self.send()
        self.callback(sms, "undelivered", ErrorCode="30003")
        [bubble] = self.bubbles()
        self.assertEqual(bubble["state"], "failed")
        self.assertEqual(bubble["failure_reason"], "Unreachable destination handset (switched off or out of coverage) (30003)")
        self.assertTrue(bubble["can_resend"])

    def test_unsubscribed_callback_blacklists_the_number(self):
        _message, sms = self.send()
        self.callback(sms, "failed", ErrorCode="21610")
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", "+14155550142"), ("active", "=", True)]))

    def test_unsubscribed_answer_on_send_blacklists_the_number(self):
        self.twilio.answer(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400})
        self.send()
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", "+14155550142"), ("active", "=", True)]))
        self.assertEqual(self.bubbles()[0]["failure_reason"], "Attempt to send to unsubscribed recipient")
