from odoo.addons.recruit_sms.models.hr_applicant import consent_source
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestComposer(RecruitSmsCase):
    def composer(self, applicant=None, **values):
        applicant = applicant or self.applicant
        return self.env["recruit.sms.composer"].with_user(self.recruiter).with_context(
            default_applicant_id=applicant.id).create(values)

    def test_subject_and_body_are_required_and_the_draft_is_kept(self):
        composer = self.composer(channel="sms", subject="", body="Hello there")
        with self.assertRaisesRegex(UserError, "Subject is required"):
            composer.action_send()
        self.assertEqual(composer.body, "Hello there", "the draft survives the error")
        composer.write({"subject": "Hi", "body": "   "})
        with self.assertRaisesRegex(UserError, "Body is required"):
            composer.action_send()
        self.assertEqual(composer.subject, "Hi")
        self.assertFalse(self.sms_messages())

    def test_channel_defaults_to_sms_when_the_applicant_can_be_texted(self):
        self.assertEqual(self.composer().channel, "sms")
        self.applicant.recruit_sms_consent = False
        composer = self.composer()
        self.assertEqual(composer.channel, "email")
        self.assertFalse(composer.sms_available)
        self.assertIn("has not agreed to receive text messages", composer.sms_blocked_reason)

    def test_no_consent_refuses_sms(self):
        self.applicant.recruit_sms_consent = False
        composer = self.composer(channel="sms", subject="Hi", body="Hello")
        with self.assertRaisesRegex(UserError, "SMS consent"):
            composer.action_send()
        self.assertFalse(self.sms_messages())
        self.assertFalse(self.env["sms.sms"].search([("number", "=", "+14155550142")]))

    def test_invalid_or_missing_number_refuses_sms(self):
        self.applicant.partner_phone = "555-12"
        self.assertFalse(self.applicant.phone_sanitized)
        self.assertFalse(self.applicant.recruit_sms_can_text)
        with self.assertRaisesRegex(UserError, r"555-12 cannot be texted \(not a valid number for its country\)"):
            self.applicant.recruit_sms_send("sms", "Hi", "Hello")
        self.applicant.partner_phone = False
        with self.assertRaisesRegex(UserError, "has no phone number"):
            self.applicant.recruit_sms_send("sms", "Hi", "Hello")
        self.assertFalse(self.sms_messages())

    def test_national_number_is_read_in_the_company_country(self):
        self.assertEqual(self.applicant.phone_sanitized, "+14155550142")
        self.applicant.partner_phone = "0470 12 34 56"
        self.assertFalse(self.applicant.phone_sanitized, "not a US number")
        self.applicant.partner_id.country_id = self.env.ref("base.be")
        self.assertEqual(self.applicant.phone_sanitized, "+32470123456")

    def test_consent_is_stamped_and_withdrawn(self):
        self.assertTrue(self.applicant.recruit_sms_consent_date)
        self.assertEqual(self.applicant.recruit_sms_consent_source, "form")
        self.applicant.recruit_sms_consent = False
        self.assertFalse(self.applicant.recruit_sms_consent_date)
        self.assertFalse(self.applicant.recruit_sms_consent_source)
        self.applicant.with_context(recruit_sms_consent_source="import").recruit_sms_consent = True
        self.assertEqual(self.applicant.recruit_sms_consent_source, "form", "the caller's context says nothing of it")
        with consent_source("import"):  # what an import does
            self.applicant.recruit_sms_consent = False
            self.applicant.recruit_sms_consent = True
        self.assertEqual(self.applicant.recruit_sms_consent_source, "import")

    def test_live_counter_uses_the_segment_rule(self):
        form = Form(self.env["recruit.sms.composer"].with_context(default_applicant_id=self.applicant.id))
        form.body = "a" * 161
        self.assertEqual(form.sms_count_info, "161 characters, 2 SMS (GSM-7, 153 per SMS)")
        form.body = "€" * 80  # extension characters count double
        self.assertEqual(form.sms_count_info, "160 characters, 1 SMS (GSM-7, 160 per SMS)")
        form.body = "Hi 😀"
        self.assertEqual(form.sms_count_info, "5 characters, 1 SMS (Unicode, 70 per SMS)")

    def test_sms_from_the_composer_lands_in_the_conversation(self):
        self.composer(channel="sms", subject="Shift", body="Can you start at 8?").action_send()
        [message] = self.sms_messages()
        self.assertEqual(message.author_id, self.recruiter.partner_id)
        [bubble] = self.bubbles()
        self.assertEqual((bubble["subject"], bubble["body"], bubble["state"]), ("Shift", "Can you start at 8?", "delivered"))

    def test_email_is_sent_and_the_reply_is_threaded_back(self):
        self.composer(channel="email", subject="Your application", body="Can we talk tomorrow?\nBest").action_send()
        mail = self.env["mail.mail"].sudo().search([
            ("model", "=", "hr.applicant"), ("res_id", "=", self.applicant.id),
            ("recipient_ids", "in", self.applicant.partner_id.ids),
        ])
        self.assertEqual(mail.subject, "Your application")
        self.assertIn("Can we talk tomorrow?", mail.body_html)
        sent = mail.mail_message_id

        reply = (
            f"From: Ann Applicant <{self.applicant.email_from}>\r\n"
            f"To: jobs@example.com\r\n"
            f"Subject: Re: Your application\r\n"
            f"In-Reply-To: {sent.message_id}\r\n"
            f"References: {sent.message_id}\r\n"
            f"Message-ID: <reply-1@example.com>\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Yes, 10am works for me.\r\n"
        )
        thread_id = self.env["mail.thread"].message_process(None, reply)
        self.assertEqual(thread_id, self.applicant.id)
        bubbles = self.bubbles()
        self.assertEqual([b["direction"] for b in bubbles], ["out", "in"])
        self.assertEqual([b["channel"] for b in bubbles], ["email", "email"])
        self.assertIn("10am works", bubbles[1]["body"])
        self.assertEqual(bubbles[0]["subject"], "Your application")

    def test_email_needs_an_address(self):
        applicant = self.env["hr.applicant"].create({"partner_name": "No Mail", "partner_phone": "+14155550199"})
        with self.assertRaisesRegex(UserError, "has no email address"):
            applicant.recruit_sms_send("email", "Hi", "Hello")

    def test_internal_notes_stay_out_of_the_conversation(self):
        self.applicant.message_post(body="Strong profile", message_type="comment", subtype_xmlid="mail.mt_note")
        self.applicant.recruit_sms_send("sms", "Hi", "Hello")
        self.assertEqual([b["channel"] for b in self.bubbles()], ["sms"])
