from odoo.tests import HttpCase, tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestTours(HttpCase, RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # demo conversations must not change the badge the tour expects
        cls.env["hr.applicant"].search([("id", "!=", cls.applicant.id)]).write({"recruit_sms_waiting_since": False})

    def test_send_sms_from_the_communications_tab(self):
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_communications_tour", login="rsms_recruiter")
        sent, received = self.sms_messages().sorted("id")
        self.assertEqual((sent.subject, sent.author_id), ("Tour subject", self.recruiter.partner_id))
        self.assertEqual(sent.notification_ids.notification_status, "sent")
        self.assertEqual(received.author_id, self.applicant.partner_id)
        self.assertEqual(self.applicant.recruit_sms_inbound_ids.body, "Sure, see you Monday")

    def test_systray_badge_panel_chat_and_reply(self):
        self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Are you still hiring?")
        self.start_tour("/odoo", "recruit_sms_systray_tour", login="rsms_recruiter")
        self.assertFalse(self.applicant.recruit_sms_waiting_since)
        self.assertFalse(self.applicant.with_user(self.recruiter).recruit_sms_unread, "opening the chat read it")
        self.assertEqual(self.env["hr.applicant"].with_user(self.recruiter).recruit_sms_inbox_count(), 0)
