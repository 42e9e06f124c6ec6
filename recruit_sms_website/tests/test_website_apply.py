import json
import re

from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

WORDING = "Yes, text me about my application. Reply STOP to opt out."


@tagged("post_install", "-at_install")
class TestWebsiteApply(HttpCase):
    """The real application form, posted over HTTP as a visitor's browser does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["website"].get_current_website().company_id
        cls.company.write({"sms_provider": "sandbox", "country_id": cls.env.ref("base.us").id,
                           "recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24,
                           "recruit_sms_first_contact_notice": "Reply STOP to opt out.",
                           "recruit_sms_website_consent_text": WORDING})
        cls.env["recruit.sms.scheduled"].search([("state", "=", "scheduled")]).action_cancel()
        template = cls.env["sms.template"].create({
            "name": "Thanks for applying", "model_id": cls.env["ir.model"]._get("hr.applicant").id,
            "body": "Hi {{ object.partner_name }}, thanks for applying to {{ object.job_id.name }}!",
        })
        cls.job = cls.env["hr.job"].create({"name": "Night baker", "is_published": True, "company_id": cls.company.id,
                                            "recruit_sms_apply_template_id": template.id})

    def apply(self, name, phone, **extra):
        """Post the form as the page's own script does (multipart, with the job's hidden
        field and a resume) and return the applicant it created."""
        page = self.url_open(f"/jobs/apply/{self.env['ir.http']._slug(self.job)}")
        self.assertEqual(page.status_code, 200)
        response = self.url_open("/website/form/hr.applicant", data={
            "partner_name": name, "email_from": f"{name.split()[0].lower()}@example.com", "partner_phone": phone,
            "job_id": self.job.id, **extra,
        }, files={"Resume": ("cv.txt", b"Ten years of sourdough.", "text/plain")})
        self.assertEqual(response.status_code, 200)
        result = json.loads(response.text)
        self.assertIn("id", result, f"the form was refused: {result}")
        return self.env["hr.applicant"].browse(result["id"])

    def texts(self, applicant):
        messages = self.env["mail.message"].search([("model", "=", "hr.applicant"), ("res_id", "=", applicant.id),
                                                    ("message_type", "=", "sms")])
        return [html2plaintext(message.body) for message in messages]

    def test_the_form_shows_the_consent_box_unticked_with_its_wording(self):
        page = self.url_open(f"/jobs/apply/{self.env['ir.http']._slug(self.job)}").text
        box = re.search(r'<input[^>]*name="recruit_sms_consent"[^>]*>', page)
        self.assertTrue(box, "the consent checkbox is on the form")
        self.assertNotIn("checked", box.group(0))
        self.assertIn(WORDING, page)

    def test_a_ticked_box_records_consent_and_the_job_texts_once(self):
        applicant = self.apply("Bea Baker", "+1 415 555 0191", recruit_sms_consent="Yes")
        self.assertTrue(applicant.recruit_sms_consent)
        self.assertEqual(applicant.recruit_sms_consent_source, "application")
        ledger = applicant.recruit_sms_consent_event_ids
        self.assertEqual(ledger.mapped("event"), ["consent"])
        self.assertIn(f'"{WORDING}"', ledger.reason, "the ledger keeps the words the candidate agreed to")
        self.assertIn("127.0.0.1", ledger.reason, "and where the form was sent from")
        self.assertEqual(self.texts(applicant), ["Hi Bea Baker, thanks for applying to Night baker!\nReply STOP to opt out."])
        sms = self.env["sms.sms"].sudo().search([("number", "=", "+14155550191")])
        self.assertEqual((sms.state, sms.recruit_sms_kind), ("outgoing", "automated"), "queued for Odoo's SMS queue")
        # the same person applying again to the same job is not texted twice
        again = self.apply("Bea Baker", "(415) 555-0191", recruit_sms_consent="Yes")
        self.assertNotEqual(again, applicant)
        self.assertEqual(self.texts(again), [])

    def test_an_unticked_box_gives_no_consent_and_no_text(self):
        applicant = self.apply("Cal Crust", "+1 415 555 0192")
        self.assertFalse(applicant.recruit_sms_consent)
        self.assertFalse(applicant.recruit_sms_consent_event_ids)
        self.assertEqual(self.texts(applicant), [])

    def test_evidence_posted_with_the_form_is_not_taken(self):
        applicant = self.apply("Dee Dough", "+1 415 555 0193", recruit_sms_consent="Yes",
                               recruit_sms_consent_date="2001-01-01 00:00:00", recruit_sms_consent_source="import")
        self.assertEqual(applicant.recruit_sms_consent_source, "application")
        self.assertNotEqual(str(applicant.recruit_sms_consent_date)[:4], "2001")

    def test_an_opted_out_number_is_not_texted_even_when_ticked(self):
        self.env["phone.blacklist"].sudo().add("+14155550194")
        applicant = self.apply("Eve Eclair", "+1 415 555 0194", recruit_sms_consent="Yes")
        self.assertEqual(self.texts(applicant), [], "ticking the box does not undo an opt-out")

    def test_without_wording_there_is_no_box_and_no_consent(self):
        self.company.recruit_sms_website_consent_text = False
        page = self.url_open(f"/jobs/apply/{self.env['ir.http']._slug(self.job)}").text
        self.assertNotIn('name="recruit_sms_consent"', page)
        applicant = self.apply("Fay Flour", "+1 415 555 0195", recruit_sms_consent="Yes")
        self.assertFalse(applicant.recruit_sms_consent)
        self.assertEqual(self.texts(applicant), [])

    def test_one_address_triggers_few_texts_an_hour(self):
        jobs = self.job | self.job.copy({"name": "Pastry cook"}) | self.job.copy({"name": "Dishwasher"})
        jobs.write({"is_published": True, "recruit_sms_apply_template_id": self.job.recruit_sms_apply_template_id.id})
        texted = []
        for index in range(4):
            self.job = jobs[index % 3]
            applicant = self.apply(f"Gil{index} Grain", f"+1 415 555 02{index:02d}", recruit_sms_consent="Yes")
            texted.append(bool(self.texts(applicant)))
        self.assertEqual(texted, [True, True, True, False], "a fourth application from one address gets no text")
        self.assertTrue(applicant.recruit_sms_consent, "the consent is still recorded")
