import base64

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestTextOnApply(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["sms.template"].create({
            "name": "Thanks for applying", "model_id": cls.env["ir.model"]._get("hr.applicant").id,
            "body": "Hi {{ object.partner_name }}, thanks for applying to {{ object.job_id.name }}!",
        })
        cls.job.recruit_sms_apply_template_id = cls.template
        cls.company.recruit_sms_first_contact_notice = "Reply STOP to opt out."

    def texts(self, applicant):
        return [html2plaintext(message.body) for message in self.sms_messages(applicant)]

    def sms_of(self, applicant):
        return self.env["sms.sms"].sudo().search([("mail_message_id", "in", self.sms_messages(applicant).ids)])

    def run_sms_queue(self, applicant):
        """What Odoo's SMS queue does once the import is committed."""
        self.assertTrue(self.env["ir.cron.trigger"].sudo().search(
            [("cron_id", "=", self.env.ref("sms.ir_cron_sms_scheduler_action").id)]), "the queue is woken")
        self.sms_of(applicant).send(raise_exception=False)

    def import_file(self, content, **values):
        wizard = self.env["recruit.sms.import"].with_user(self.recruiter).create({
            "data_file": base64.b64encode(content.encode()), "filename": "fair.csv", "job_id": self.job.id, **values})
        wizard.action_import()
        return wizard

    def test_imported_applicants_who_agreed_get_the_jobs_text_once(self):
        content = "Name,Phone,Consent\nMia Moss,+1 415 555 0180,yes\nNed Noel,+1 415 555 0181,no\n"
        self.import_file(content, consent_evidence="Sign-up sheet")
        mia, ned = (self.env["hr.applicant"].search([("partner_name", "=", name)]) for name in ("Mia Moss", "Ned Noel"))
        self.assertEqual(self.texts(mia), ["Hi Mia Moss, thanks for applying to Forklift driver!\nReply STOP to opt out."])
        sms = self.sms_of(mia)
        self.assertEqual((sms.state, sms.recruit_sms_kind), ("outgoing", "automated"),
                         "queued: it goes once the import is committed")
        self.run_sms_queue(mia)
        self.assertSMSNotification([{"partner": mia.partner_id, "number": "+14155550180", "state": "sent"}],
                                   "Hi Mia Moss, thanks for applying to Forklift driver!\nReply STOP to opt out.",
                                   messages=self.sms_messages(mia))
        self.assertEqual(self.texts(ned), [], "no consent, no text")
        # the same person applying again to the same job gets no second text
        again = self.env["hr.applicant"].create({"partner_name": "Mia Moss", "partner_phone": "+1 415 555 0180",
                                                 "job_id": self.job.id, "recruit_sms_consent": True})
        again._recruit_sms_text_on_apply()
        self.assertEqual(self.texts(again), [])

    def test_without_the_consent_evidence_nobody_is_texted(self):
        with self.assertRaisesRegex(UserError, "How they agreed to texts is empty"):
            self.import_file("Name,Phone,Consent\nOla Ord,+1 415 555 0182,yes\n")
        self.import_file("Name,Phone\nOla Ord,+1 415 555 0182\n")  # without the column: without consent
        self.assertEqual(self.texts(self.env["hr.applicant"].search([("partner_name", "=", "Ola Ord")])), [])

    def test_an_application_by_email_is_texted_when_it_may_be(self):
        texted = self.env["hr.applicant"].message_new(
            {"from": "Pia <pia@example.com>", "email_from": "pia@example.com", "subject": "Application", "body": "CV"},
            custom_values={"job_id": self.job.id, "partner_name": "Pia Pine", "partner_phone": "+1 415 555 0183",
                           "recruit_sms_consent": True})
        self.assertEqual(self.texts(texted), ["Hi Pia Pine, thanks for applying to Forklift driver!\nReply STOP to opt out."])
        silent = self.env["hr.applicant"].message_new(
            {"from": "Quinn <quinn@example.com>", "email_from": "quinn@example.com", "subject": "Application"},
            custom_values={"job_id": self.job.id, "partner_name": "Quinn", "partner_phone": "+1 415 555 0184"})
        self.assertEqual(self.texts(silent), [], "an email gives no consent")

    def test_held_until_the_candidates_texting_hours(self):
        self.company.write({"recruit_sms_quiet_start": 9, "recruit_sms_quiet_end": 20})
        with freeze_time("2026-07-01 06:00:00"):  # 2 am in San Francisco
            self.import_file("Name,Phone,Consent\nRay Roe,+1 415 555 0185,yes\n", consent_evidence="Sign-up sheet")
            ray = self.env["hr.applicant"].search([("partner_name", "=", "Ray Roe")])
            self.run_sms_queue(ray)
        sms = self.sms_of(ray)
        self.assertEqual((sms.state, str(sms.recruit_sms_hold_until)), ("outgoing", "2026-07-01 16:00:00"))
