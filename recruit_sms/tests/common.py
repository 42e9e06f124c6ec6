from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests.common import TransactionCase


class RecruitSmsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # texting at any hour here; the quiet hours tests set the window they check
        cls.company.write({"sms_provider": "sandbox", "country_id": cls.env.ref("base.us").id,
                           "recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24,
                           "recruit_sms_first_contact_notice": False, "recruit_sms_whatsapp": False})
        # the demo's messages scheduled for later must not reach the tests' providers
        cls.env["recruit.sms.scheduled"].search([("state", "=", "scheduled")]).action_cancel()
        # and the demo's automatic replies (but HELP's) must not answer the tests' messages
        cls.env["recruit.sms.auto.reply"].search([("trigger", "!=", "help")]).active = False
        cls.recruiter = mail_new_test_user(
            cls.env, login="rsms_recruiter", name="Rita Recruiter", email="rita@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
        )
        cls.job = cls.env["hr.job"].create({"name": "Forklift driver"})
        cls.applicant = cls.env["hr.applicant"].create({
            "partner_name": "Ann Applicant",
            "email_from": "ann.applicant@example.com",
            "partner_phone": "(415) 555-0142",
            "job_id": cls.job.id,
            "user_id": cls.recruiter.id,
            "recruit_sms_consent": True,
        })

    def help_reply(self, company=None):
        """What the company's HELP rule answers."""
        return self.env["recruit.sms.auto.reply"].search(
            [("company_id", "=", (company or self.company).id), ("trigger", "=", "help")]).reply

    def sms_messages(self, applicant=None):
        applicant = applicant or self.applicant
        return self.env["mail.message"].search([
            ("model", "=", "hr.applicant"), ("res_id", "=", applicant.id), ("message_type", "=", "sms"),
        ])

    def bubbles(self, applicant=None):
        return (applicant or self.applicant).recruit_sms_get_conversation()["messages"]
