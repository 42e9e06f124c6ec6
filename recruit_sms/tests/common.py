from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sms.tests.common import SMSCase
from odoo.tests.common import TransactionCase


class CoreSmsAssertions:
    """Core's SMS assertions (``sms.tests.common.SMSCase``: ``assertSMSNotification``,
    ``assertSMS``...), read against this suite's real sends: the ``sms.sms`` created since
    the test began, and what the Twilio double received (a class's ``twilio``). Core's
    harness fills both by patching ``sms.sms``'s create and send; here nothing but the
    provider's HTTP is a double."""

    assertSMSNotification = SMSCase.assertSMSNotification
    assertNoSMSNotification = SMSCase.assertNoSMSNotification
    assertSMS = SMSCase.assertSMS
    assertSMSCanceled = SMSCase.assertSMSCanceled
    assertSMSFailed = SMSCase.assertSMSFailed
    assertSMSOutgoing = SMSCase.assertSMSOutgoing
    assertSMSIapSent = SMSCase.assertSMSIapSent
    _find_sms_sms = SMSCase._find_sms_sms

    def setUp(self):
        super().setUp()
        self.env["sms.sms"].flush_model()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM sms_sms")
        self._sms_before = self.env.cr.fetchone()[0]

    @property
    def _new_sms(self):
        return self.env["sms.sms"].sudo().search([("id", ">", self._sms_before)])

    @property
    def _sms(self):
        """The texts the Twilio double was asked to send, as core's harness lists them."""
        double = getattr(self, "twilio", None)
        return [{"number": request["form"].get("To"), "body": request["form"].get("Body", ""),
                 "uuid": request["form"].get("StatusCallback", "").rsplit("/", 1)[-1]}
                for request in (double.requests if double else []) if request.get("form")]


class RecruitSmsCase(CoreSmsAssertions, TransactionCase):
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
