from odoo.tests import HttpCase, tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestCommunicationsTour(HttpCase, RecruitSmsCase):
    def test_send_sms_from_the_communications_tab(self):
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_communications_tour", login="rsms_recruiter")
        sent, received = self.sms_messages().sorted("id")
        self.assertEqual((sent.subject, sent.author_id), ("Tour subject", self.recruiter.partner_id))
        self.assertEqual(sent.notification_ids.notification_status, "sent")
        self.assertEqual(received.author_id, self.applicant.partner_id)
        self.assertEqual(self.applicant.recruit_sms_inbound_ids.body, "Sure, see you Monday")
