from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestAccess(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = mail_new_test_user(cls.env, login="rsms_portal", groups="base.group_portal")
        cls.public = cls.env.ref("base.public_user")
        cls.interviewer = mail_new_test_user(
            cls.env, login="rsms_interviewer", groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer",
        )

    def test_recruitment_user_can_message_an_applicant(self):
        applicant = self.applicant.with_user(self.recruiter)
        applicant.recruit_sms_send("sms", "Hi", "Hello")
        applicant.recruit_sms_send("email", "Hi", "Hello by email")
        self.assertEqual([b["channel"] for b in applicant.recruit_sms_get_conversation()["messages"]], ["sms", "email"])

    def test_portal_and_public_users_cannot(self):
        for user in (self.portal, self.public):
            applicant = self.applicant.with_user(user)
            with self.assertRaises(AccessError):
                applicant.recruit_sms_send("sms", "Hi", "Hello")
            with self.assertRaises(AccessError):
                applicant.recruit_sms_get_conversation()
            with self.assertRaises(AccessError):
                self.env["recruit.sms.composer"].with_user(user).create({"applicant_id": self.applicant.id})
        self.assertFalse(self.sms_messages())

    def test_interviewer_sees_only_applicants_they_interview(self):
        applicant = self.applicant.with_user(self.interviewer)
        with self.assertRaises(AccessError):
            applicant.recruit_sms_get_conversation()
        self.applicant.interviewer_ids = self.interviewer
        self.assertEqual(applicant.recruit_sms_get_conversation()["messages"], [])
