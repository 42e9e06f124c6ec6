from concurrent.futures import ThreadPoolExecutor

import psycopg2.errors
import requests

from odoo.tests import tagged
from odoo.tools import html2plaintext, mute_logger

from .inbound_common import ROUTE, InboundCase


@tagged("post_install", "-at_install")
class TestInboundWebhook(InboundCase):
    def test_signed_reply_lands_on_the_applicant(self):
        form = self.form("Yes, Monday works")
        response = self.post(form)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "text/xml")
        self.assertIn("<Response/>", response.text)
        inbound = self.inbound(form)
        self.assertEqual(inbound.applicant_id, self.applicant)
        self.assertEqual((inbound.from_number, inbound.body, inbound.state), ("+14155550142", "Yes, Monday works", "matched"))
        message = inbound.mail_message_id
        self.assertEqual(message.message_type, "sms")
        self.assertEqual(message.author_id, self.applicant.partner_id)
        [bubble] = self.bubbles()
        self.assertEqual((bubble["direction"], bubble["channel"], bubble["body"]), ("in", "sms", "Yes, Monday works"))
        self.assertTrue(self.applicant.recruit_sms_waiting_since, "the conversation waits for a response")

    @mute_logger("odoo.addons.recruit_sms.controllers.inbound")
    def test_bad_signatures_are_refused_and_nothing_is_stored(self):
        cases = {
            "forged": lambda form: self.post(form, signature="bm90IGEgc2lnbmF0dXJl"),
            "other token": lambda form: self.post(form, signature=self.sign(form, token="someone-else")),
            "another URL": lambda form: self.post(form, signature=self.sign(form, url=self.webhook_url() + "/other")),
            "missing header": lambda form: self.post(form, signature=False),
            "tampered body": lambda form: self.post({**form, "Body": "changed"}, signature=self.sign(form)),
        }
        for name, send in cases.items():
            with self.subTest(name):
                form = self.form("forged")
                self.assertEqual(send(form).status_code, 403)
                self.assertFalse(self.inbound(form))
        wrong_account = self.form("foreign account", AccountSid="AC" + "9" * 32)
        self.assertEqual(self.post(wrong_account).status_code, 403)
        self.assertFalse(self.inbound(wrong_account))
        self.assertFalse(self.env["recruit.sms.inbound"].search([]).filtered(lambda i: i.body in ("forged", "changed")))
        self.assertFalse(self.bubbles())

    @mute_logger("odoo.addons.recruit_sms.controllers.inbound")
    def test_unusable_signed_requests_get_400(self):
        form = self.form("Hello", MessageSid="", SmsMessageSid="")  # nothing to know it again by
        with self.assertLogs("odoo.addons.recruit_sms.controllers.inbound", "WARNING"):
            self.assertEqual(self.post(form, process=False).status_code, 400)
        self.assertEqual(self.env["recruit.sms.inbound"].search_count([("body", "=", "Hello")]), 0)

    def test_a_message_longer_than_an_sms_is_kept(self):
        """A WhatsApp message may be 4,096 characters: Twilio never sends a refused one again."""
        form = self.form("x" * 1601)
        self.assertEqual(self.post(form).status_code, 200)
        self.assertEqual(self.inbound(form).body, "x" * 1601)

    def test_retries_store_one_message(self):
        form = self.form("Only once")
        self.assertEqual(self.post(form).status_code, 200)
        self.assertEqual(self.post(form).status_code, 200)
        self.assertEqual(len(self.inbound(form)), 1)
        self.assertEqual([b["body"] for b in self.bubbles()], ["Only once"])

    def test_concurrent_deliveries_store_one_message(self):
        form = self.form("Twice at once")
        signature = self.sign(form)

        url = self.base_url() + ROUTE

        def post(_):
            response = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=30)
            return response.status_code, response.text[:300]

        with self.allow_requests(all_requests=True), ThreadPoolExecutor(max_workers=4) as pool:
            codes = list(pool.map(post, range(4)))
        self.assertEqual([code for code, _text in codes], [200] * 4, codes)
        self.assertEqual(self.process_received(), 1)
        self.assertEqual(len(self.inbound(form)), 1)
        self.assertEqual(len(self.bubbles()), 1)

    def test_message_sid_is_unique_in_the_database(self):
        values = {"message_sid": "SMdup", "from_number": "+14155550142", "company_id": self.company.id}
        self.env["recruit.sms.inbound"].create(values)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["recruit.sms.inbound"].create(values)

    def test_webhook_stores_then_the_queue_attaches(self):
        form = self.form("Queued reply")
        self.assertEqual(self.post(form, process=False).status_code, 200)
        inbound = self.inbound(form)
        self.assertEqual((inbound.state, inbound.applicant_id), ("received", self.env["hr.applicant"]))
        cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_inbound")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), "the queue is woken up at once")
        self.assertEqual(self.process_received(), 1)
        self.assertEqual((inbound.state, inbound.applicant_id), ("matched", self.applicant))
        self.assertEqual(self.process_received(), 0, "nothing is attached twice")

    def test_bodies_are_stored_exactly(self):
        bodies = ["Oui 😀👍🏽", "مرحبا، هل الوظيفة متاحة؟", "Zoë e\u0301\u0302 ñ", "x" * 1600, "  spaced\nlines  "]
        for body in bodies:
            form = self.form(body)
            self.assertEqual(self.post(form).status_code, 200)
            self.assertEqual(self.inbound(form).body, body)
        self.assertEqual([b["body"] for b in self.bubbles()], bodies)

    def test_media_only_message(self):
        form = self.form("", NumMedia="2", MediaUrl0="https://api.twilio.com/media/ME1", MediaContentType0="image/jpeg",
                         MediaUrl1="https://api.twilio.com/media/ME2", MediaContentType1="application/pdf")
        self.assertEqual(self.post(form).status_code, 200)
        inbound = self.inbound(form)
        self.assertEqual(inbound.body, "")
        self.assertEqual(inbound.media, [["https://api.twilio.com/media/ME1", "image/jpeg"],
                                         ["https://api.twilio.com/media/ME2", "application/pdf"]])
        [bubble] = self.bubbles()
        self.assertEqual(bubble["media"], [{"url": "https://api.twilio.com/media/ME1", "content_type": "image/jpeg"},
                                           {"url": "https://api.twilio.com/media/ME2", "content_type": "application/pdf"}])
        self.assertIn('href="https://api.twilio.com/media/ME1"', str(inbound.mail_message_id.body))
        # named as a recruiter names them, the content type in the link's title
        links = html2plaintext(str(inbound.mail_message_id.body))
        self.assertIn("Image", links)
        self.assertIn("PDF document", links)
        self.assertNotIn("application/pdf", links)
        self.assertIn('title="application/pdf"', str(inbound.mail_message_id.body))

    def test_the_to_number_selects_the_company(self):
        other = self.env["res.company"].create({
            "name": "Other Co", "sms_provider": "twilio", "sms_twilio_account_sid": "AC" + "5" * 32,
            "sms_twilio_auth_token": "other-token", "country_id": self.env.ref("base.us").id,
        })
        self.env["sms.twilio.number"].create({"company_id": other.id, "number": "+15005550009",
                                               "country_id": self.env.ref("base.us").id})
        form = self.form("To the other company", To="+15005550009", AccountSid="AC" + "5" * 32)
        self.assertEqual(self.post(form, signature=self.sign(form, token="other-token")).status_code, 200)
        self.assertEqual(self.inbound(form).company_id, other)
        with mute_logger("odoo.addons.recruit_sms.controllers.inbound"):
            form = self.form("Signed with the wrong company's token", To="+15005550009", AccountSid="AC" + "5" * 32)
            self.assertEqual(self.post(form).status_code, 403)


@tagged("post_install", "-at_install")
class TestInboundMatching(InboundCase):
    def test_unknown_number_is_unmatched_then_linked_with_later_messages(self):
        first = self.form("Hi, I saw your job ad", sender="+12025550177")
        self.post(first)
        inbound = self.inbound(first)
        self.assertEqual(inbound.state, "unmatched")
        self.assertFalse(inbound.mail_message_id)
        second = self.form("Are you there?", sender="+12025550177")
        self.post(second)
        self.assertEqual(self.inbound(second).state, "unmatched")

        other = self.env["hr.applicant"].create({"partner_name": "Walk-in", "email_from": "walk@example.com"})
        wizard = self.env["recruit.sms.inbound.link"].with_user(self.recruiter).create({
            "inbound_ids": [(6, 0, inbound.ids)], "applicant_id": other.id,
        })
        wizard.action_link()
        self.assertEqual((self.inbound(first) | self.inbound(second)).applicant_id, other)
        self.assertEqual([b["body"] for b in self.bubbles(other)], ["Hi, I saw your job ad", "Are you there?"])

        later = self.form("Thanks!", sender="+12025550177")
        self.post(later)
        self.assertEqual(self.inbound(later).applicant_id, other, "later messages from a linked number follow")

    def test_create_an_applicant_from_an_unmatched_message(self):
        form = self.form("Do you hire drivers?", sender="+12025550199")
        self.post(form)
        action = self.inbound(form).with_user(self.recruiter).action_create_applicant()
        applicant = self.env["hr.applicant"].browse(action["res_id"])
        self.assertEqual(applicant.partner_phone, "+12025550199")
        self.assertEqual(applicant.partner_name, "+1 202-555-0199", "named by the number, as people write it")
        self.assertEqual(self.inbound(form).applicant_id, applicant)
        self.assertEqual([b["body"] for b in self.bubbles(applicant)], ["Do you hire drivers?"])

    def test_shared_number_goes_to_the_most_recent_open_application(self):
        older = self.env["hr.applicant"].create({"partner_name": "Ann again", "partner_phone": "+1 415 555 0142",
                                                 "recruit_sms_last_message_date": "2020-01-01 00:00:00"})
        refused = self.env["hr.applicant"].create({"partner_name": "Ann refused", "partner_phone": "+14155550142",
                                                   "recruit_sms_last_message_date": "2030-01-01 00:00:00"})
        refused.action_archive()
        refused.invalidate_recordset()
        self.applicant.recruit_sms_last_message_date = "2025-06-01 00:00:00"
        form = self.form("Which job is this about?")
        self.post(form)
        inbound = self.inbound(form)
        self.assertEqual(inbound.applicant_id, self.applicant)
        self.assertEqual(inbound.with_context(active_test=False).related_applicant_ids, older | refused)
        self.assertFalse(self.bubbles(older))

    def test_recruiter_is_notified_live_and_by_email(self):
        form = self.form("I accept the offer")
        self.post(form)
        [payload] = self.bus_notifications(self.recruiter, "recruit_sms/inbound")
        self.assertEqual(payload["applicant_id"], self.applicant.id)
        self.assertEqual(payload["preview"], "I accept the offer")
        mail = self.env["mail.mail"].sudo().search([("email_to", "like", self.recruiter.email)])
        self.assertEqual(len(mail), 1)
        self.assertIn("I accept the offer", mail.body_html)
        self.assertIn(f"/odoo/hr.applicant/{self.applicant.id}", mail.body_html)
        self.assertNotIn(mail.mail_message_id, self.applicant.message_ids, "the alert is no message of the chatter")

    def test_recruiter_can_turn_the_email_off(self):
        self.recruiter.with_user(self.recruiter).recruit_sms_inbound_email = False
        self.post(self.form("No email please"))
        self.assertEqual(len(self.bus_notifications(self.recruiter, "recruit_sms/inbound")), 1)
        self.assertFalse(self.env["mail.mail"].sudo().search([("email_to", "like", self.recruiter.email)]))

    def test_without_recruiter_the_team_is_notified(self):
        self.applicant.user_id = False
        teammate = self.env["res.users"].create({
            "name": "Tom Team", "login": "rsms_team", "email": "tom@example.com",
            "group_ids": [(6, 0, [self.env.ref("hr_recruitment.group_hr_recruitment_user").id])],
        })
        self.job.message_subscribe(partner_ids=teammate.partner_id.ids)
        self.post(self.form("Anyone?"))
        self.assertEqual(len(self.bus_notifications(teammate, "recruit_sms/inbound")), 1)
        self.assertTrue(self.env["mail.mail"].sudo().search([("email_to", "like", "tom@example.com")]))
        self.assertFalse(self.bus_notifications(self.recruiter, "recruit_sms/inbound"))

    def test_reply_clears_waiting(self):
        self.post(self.form("Hello?"))
        self.assertTrue(self.applicant.recruit_sms_waiting_since)
        self.company.sms_provider = "sandbox"
        self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Re", "Hello Ann!")
        self.assertFalse(self.applicant.recruit_sms_waiting_since)
        self.assertEqual([b["direction"] for b in self.bubbles()], ["in", "out"])
