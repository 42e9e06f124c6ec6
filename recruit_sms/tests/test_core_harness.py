"""The applicant's texting paths, checked with core's own SMS harness: core's Twilio
mock answers at the HTTP seam, core's assertions read the notifications and SMS, and
each test runs as an ordinary recruitment user (``@users``)."""

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sms_twilio.tests.common import MockSmsTwilio
from odoo.tests import tagged, users


@tagged("post_install", "-at_install")
class TestApplicantTextsOnCoreHarness(MockSmsTwilio):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sms_twilio(cls.company_admin)
        cls.company_admin.write({"recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24,
                                 "recruit_sms_first_contact_notice": False, "country_id": cls.env.ref("base.us").id})
        cls.user_recruiter = mail_new_test_user(
            cls.env, login="rsms_harness_recruiter", name="Rhea Recruiter", email="rhea@example.com",
            company_id=cls.company_admin.id, groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
        )
        cls.candidate = cls.env["res.partner"].create({"name": "Carla Candidate", "phone": cls.twilio_valid_phone_number})
        cls.applicant = cls.env["hr.applicant"].create({
            "partner_id": cls.candidate.id, "partner_phone": cls.twilio_valid_phone_number,
            "company_id": cls.company_admin.id, "user_id": cls.user_recruiter.id, "recruit_sms_consent": True,
        })

    def compose_with_core(self, body):
        """Core's SMS composer on the applicant, as its chatter's SMS button opens it."""
        composer = self.env["sms.composer"].with_context(
            active_model="hr.applicant", active_id=self.applicant.id).create({"body": body})
        return composer._action_send_sms()

    @users("rsms_harness_recruiter")
    def test_reply_is_core_sms_notification_sent_through_core_seam(self):
        applicant = self.applicant.with_env(self.env)
        with self.mock_sms_twilio_gateway():
            message = applicant.recruit_sms_send("sms", "Shift", "Can you start at 8?")
        self.assertEqual(self._sms_twilio_send_mock.call_count, 1)
        self.assertSMSNotification(
            [{"partner": self.candidate, "number": self.twilio_valid_phone_number, "state": "pending",
              "sms_fields_values": {"recruit_sms_kind": "manual"}}],
            "Can you start at 8?", messages=message,
            mail_message_values={"subject": "Shift", "author_id": self.user_recruiter.partner_id},
        )

    def assert_canceled_before_the_provider(self, body):
        """Core's composer on the applicant posts ``body``; the gate cancels it as an opt-out."""
        with self.mock_sms_twilio_gateway():
            message = self.compose_with_core(body)
        self.assertEqual(self._sms_twilio_send_mock.call_count, 0, "nothing reached the provider")
        self.assertSMSNotification(
            [{"partner": self.candidate, "number": self.twilio_valid_phone_number, "state": "canceled",
              "failure_type": "sms_optout"}],
            body, messages=message,
        )
        return message

    @users("rsms_harness_recruiter")
    def test_core_composer_cannot_reach_an_opted_out_applicant(self):
        self.env["phone.blacklist"].sudo().add(self.twilio_valid_phone_number)
        message = self.assert_canceled_before_the_provider("Are you still interested?")
        self.assertIn("opted out", message.notification_ids.failure_reason)

    @users("rsms_harness_recruiter")
    def test_core_composer_cannot_reach_an_applicant_without_consent(self):
        self.applicant.sudo().recruit_sms_consent = False
        message = self.assert_canceled_before_the_provider("Are you still interested?")
        self.assertIn("has not agreed to receive text messages", message.notification_ids.failure_reason)
