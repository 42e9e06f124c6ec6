from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import RecruitSmsCase
from .twilio_double import serve_for

ACCOUNT_SID = "AC" + "1234567890abcdef" * 2
AUTH_TOKEN = "secret-auth-token"
SERVICE_SID = "MG" + "fedcba0987654321" * 2


@tagged("post_install", "-at_install")
class TestSandboxProvider(RecruitSmsCase):
    def test_sms_through_sandbox_is_delivered_and_shown_as_a_bubble(self):
        message = self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Interview", "Are you free on Monday?")
        self.assertEqual(message.message_type, "sms")
        self.assertEqual(message.subject, "Interview")
        notification = message.notification_ids
        self.assertEqual(notification.notification_type, "sms")
        self.assertEqual(notification.sms_number, "+14155550142")
        self.assertEqual(notification.notification_status, "sent", "the sandbox marks messages delivered")
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertEqual(sms.state, "sent")
        self.assertEqual(sms.body, "Are you free on Monday?", "the subject is not sent, only the body")
        [bubble] = self.bubbles()
        self.assertEqual(
            {k: bubble[k] for k in ("channel", "direction", "subject", "body", "state", "author", "can_resend")},
            {"channel": "sms", "direction": "out", "subject": "Interview", "body": "Are you free on Monday?",
             "state": "delivered", "author": "Rita Recruiter", "can_resend": False},
        )

    def test_sandbox_is_selected_only_where_no_provider_is_configured(self):
        fresh = self.env["res.company"].create({"name": "Fresh Co"})
        texting = self.env["res.company"].create({"name": "Twilio Co", "sms_provider": "twilio"})
        (fresh | texting)._recruit_sms_select_sandbox()
        self.assertEqual(fresh.sms_provider, "sandbox")
        self.assertEqual(texting.sms_provider, "twilio")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    def test_demo_data_selects_the_sandbox_and_textable_applicants(self):
        demo = self.env.ref("hr_recruitment.hr_case_salesman0", raise_if_not_found=False)
        if not demo:
            self.skipTest("database installed without demo data")
        self.assertEqual(self.env.ref("base.main_company").sms_provider, "sandbox")
        self.assertTrue(demo.recruit_sms_can_text)
        self.assertEqual(demo.recruit_sms_consent_source, "form")


@tagged("post_install", "-at_install")
class TestTwilioProvider(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.twilio = serve_for(cls)
        cls.company.write({
            "sms_provider": "twilio",
            "sms_twilio_account_sid": ACCOUNT_SID,
            "sms_twilio_auth_token": AUTH_TOKEN,
        })
        cls.env["sms.twilio.number"].create({
            "company_id": cls.company.id, "number": "+15005550006", "country_id": cls.env.ref("base.us").id,
        })

    def setUp(self):
        super().setUp()
        self.twilio.requests.clear()
        self.twilio.responses.clear()

    def test_send_uses_base_url_credentials_and_from_number(self):
        message = self.applicant.recruit_sms_send("sms", "Hello", "Your interview is confirmed")
        [request] = self.twilio.requests
        self.assertEqual(request["path"], f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
        self.assertEqual(request["auth"], (ACCOUNT_SID, AUTH_TOKEN))
        self.assertEqual(request["form"]["To"], "+14155550142")
        self.assertEqual(request["form"]["From"], "+15005550006")
        self.assertEqual(request["form"]["Body"], "Your interview is confirmed")
        self.assertNotIn("MessagingServiceSid", request["form"])
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertIn("/sms_twilio/status/" + sms.uuid, request["form"]["StatusCallback"])
        self.assertEqual(message.notification_ids.notification_status, "pending")
        self.assertEqual(self.bubbles()[0]["state"], "sent")
        self.assertTrue(sms.sms_tracker_id.sms_twilio_sid.startswith("SM"))

    def test_messaging_service_sid_replaces_from(self):
        self.company.recruit_sms_twilio_messaging_service_sid = SERVICE_SID
        self.applicant.recruit_sms_send("sms", "Hello", "Through the service")
        [request] = self.twilio.requests
        self.assertEqual(request["form"]["MessagingServiceSid"], SERVICE_SID)
        self.assertNotIn("From", request["form"])

    def test_twilio_error_ends_as_failed_sms_with_reason_then_resend(self):
        reason = "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"
        self.twilio.answer(400, {"code": 21408, "message": reason, "status": 400})
        message = self.applicant.recruit_sms_send("sms", "Hello", "Still interested?")
        notification = message.notification_ids
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_reason, reason)
        [bubble] = self.bubbles()
        self.assertEqual(bubble["state"], "failed")
        self.assertEqual(bubble["failure_reason"], reason)
        self.assertTrue(bubble["can_resend"])

        self.applicant.recruit_sms_resend(message.id)
        self.assertEqual(len(self.twilio.requests), 2)
        self.assertEqual(self.twilio.requests[1]["form"]["Body"], "Still interested?")
        self.assertEqual(notification.notification_status, "pending")
        self.assertEqual(self.bubbles()[0]["state"], "sent")
        self.assertFalse(self.bubbles()[0]["can_resend"])

    def test_unreachable_provider_fails_with_a_reason(self):
        self.company.recruit_sms_twilio_api_url = "http://127.0.0.1:9"  # discard port: nothing listens
        message = self.applicant.recruit_sms_send("sms", "Hello", "Anyone there?")
        notification = message.notification_ids
        self.assertEqual(notification.notification_status, "exception")
        self.assertIn("could not be reached", notification.failure_reason)
        self.assertTrue(self.bubbles()[0]["can_resend"])

    def test_settings_are_validated(self):
        with self.assertRaisesRegex(ValidationError, "must use https"), self.cr.savepoint():
            self.company.recruit_sms_twilio_api_url = "http://api.example.com"
        self.env.invalidate_all()
        with self.assertRaisesRegex(ValidationError, "Messaging Service SID"), self.cr.savepoint():
            self.company.recruit_sms_twilio_messaging_service_sid = "MG123"
        self.env.invalidate_all()
        self.assertEqual(self.company.recruit_sms_twilio_api_url, self.twilio.base_url)

    def test_credentials_are_for_administrators_only(self):
        for name in ("recruit_sms_twilio_api_url", "recruit_sms_twilio_messaging_service_sid",
                     "sms_twilio_auth_token", "sms_twilio_account_sid"):
            self.assertEqual(self.env["res.company"]._fields[name].groups, "base.group_system", name)
