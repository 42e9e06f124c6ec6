from odoo.tests import HttpCase, tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestCommunicationsTour(HttpCase, RecruitSmsCase):
    def test_send_sms_from_the_communications_tab(self):
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_communications_tour", login="rsms_recruiter")
        [message] = self.sms_messages()
        self.assertEqual((message.subject, message.author_id), ("Tour subject", self.recruiter.partner_id))
        self.assertEqual(message.notification_ids.notification_status, "sent")
