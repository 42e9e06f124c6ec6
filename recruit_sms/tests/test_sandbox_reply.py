from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestSandboxReply(RecruitSmsCase):
    def test_simulated_reply_goes_through_the_inbound_path(self):
        self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Hi", "Are you available?")
        self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Yes! 😀")
        inbound = self.applicant.recruit_sms_inbound_ids
        self.assertEqual(inbound.body, "Yes! 😀")
        self.assertEqual(inbound.from_number, "+14155550142")
        self.assertTrue(inbound.message_sid.startswith("SMsandbox"))
        self.assertEqual([(b["direction"], b["body"]) for b in self.bubbles()],
                         [("out", "Are you available?"), ("in", "Yes! 😀")])
        self.assertTrue(self.applicant.recruit_sms_waiting_since)

    def test_simulation_is_for_the_sandbox_only(self):
        self.company.sms_provider = "twilio"
        with self.assertRaisesRegex(UserError, "only possible with the sandbox"):
            self.applicant.recruit_sms_simulate_reply("Hi")
        self.assertFalse(self.applicant.recruit_sms_inbound_ids)

    def test_simulation_is_for_an_applicant_of_a_company(self):
        """An applicant of no company is every company's: a simulated reply would open the
        grace to answer at any hour for companies that text for real."""
        self.applicant.company_id = False
        with self.assertRaisesRegex(UserError, "belong to a company"):
            self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Hi")
        self.assertFalse(self.applicant.recruit_sms_inbound_ids)
        self.assertFalse(self.applicant.recruit_sms_last_inbound_date)
