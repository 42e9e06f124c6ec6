"""What a received text may do, and who may see it."""

import logging
from unittest.mock import patch

import lxml.html

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import config, mute_logger

from ..tools.inbound import InboundSms
from .common import RecruitSmsCase
from .inbound_common import ROUTE, InboundCase, TwilioInboundCase

NUMBER = "+14155550142"  # the applicant's
CONTROLLER_LOGGER = "odoo.addons.recruit_sms.controllers.inbound"
INBOUND_LOGGER = "odoo.addons.recruit_sms.models.recruit_sms_inbound"


class QueueCase(TwilioInboundCase):
    def run_inbound_cron(self):
        """One run of the cron *Recruitment SMS: attach received messages*, through Odoo's
        cron runner: its own transaction, rolled back if the job raises."""
        cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_inbound")
        job = {**cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0}
        self.env.flush_all()
        with self.registry.cursor() as cr:
            self.registry["ir.cron"]._process_job(cr, job)
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestOneMessageNeverBlocksTheQueue(QueueCase):
    def test_a_failing_message_ends_failed_and_the_others_are_processed_once(self):
        help_form = self.form("HELP", sender="+12025550123")
        poison = self.form("STOP", sender="12345")  # not a phone number: the blacklist refuses it
        stop = self.form("STOP")
        later = self.form("See you Monday", sender="+12025550124")
        for form in (help_form, poison, stop, later):
            self.assertEqual(self.post(form, process=False).status_code, 200)

        with mute_logger(INBOUND_LOGGER):
            self.run_inbound_cron()
            self.run_inbound_cron()

        self.assertTrue(self.blacklisted(), "the STOP behind the failing message is honoured")
        self.assertEqual(self.inbound(stop).state, "matched")
        self.assertEqual(self.inbound(later).state, "unmatched")
        failed = self.inbound(poison)
        self.assertEqual(failed.state, "error")
        self.assertTrue(failed.error_reason, "the failed message says why")
        self.assertFalse(self.blacklisted("12345"))
        help_reply = self.help_reply()
        self.assertEqual(self.sent().count(("+12025550123", help_reply)), 1, "the HELP answer goes once, across runs")
        self.assertEqual(self.sent().count((NUMBER, self.company.recruit_sms_optout_reply)), 1)
        self.assertFalse([to for to, _body in self.sent() if to == "12345"])
        self.assertEqual(self.env["recruit.sms.inbound"].search_count([("state", "=", "received")]), 0)

    def test_a_failed_message_can_be_retried_by_an_officer(self):
        poison = self.form("STOP", sender="12345")
        with mute_logger(INBOUND_LOGGER):
            self.post(poison)
        failed = self.inbound(poison)
        self.assertEqual(failed.state, "error")
        with self.assertRaisesRegex(UserError, "press Retry first"):
            failed.with_user(self.recruiter)._recruit_sms_link_applicant(self.applicant)
        interviewer = mail_new_test_user(
            self.env, login="rsms_inbound_interviewer",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer")
        with self.assertRaises(AccessError):
            failed.with_user(interviewer).action_retry()
        with mute_logger(INBOUND_LOGGER):
            failed.with_user(self.recruiter).action_retry()
        self.assertEqual(failed.state, "error", "processed again: the number is still no phone number")
        self.assertTrue(failed.error_reason)
        hello = self.form("Hello")
        self.post(hello)
        ok = self.inbound(hello)
        with self.assertRaisesRegex(UserError, "Only a message that could not be processed"):
            ok.with_user(self.recruiter).action_retry()

    def test_failed_messages_are_shown_to_recruitment_managers(self):
        manager = mail_new_test_user(
            self.env, login="rsms_manager", name="Mia Manager", email="mia@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_manager",
        )
        poison = self.form("STOP", sender="12345")
        with mute_logger(INBOUND_LOGGER):
            self.post(poison)
        inbound_model = self.env["recruit.sms.inbound"].with_user(manager)
        [failed] = inbound_model.search([("state", "=", "error")])
        self.assertEqual(failed.message_sid, poison["MessageSid"])
        self.assertEqual(failed.read(["error_reason"])[0]["error_reason"], self.inbound(poison).error_reason)
        views = inbound_model.get_views([(False, "list"), (False, "form"), (False, "search")])["views"]
        self.assertIn('name="error_reason"', views["form"]["arch"])
        self.assertIn('name="error"', views["search"]["arch"], "the Failed filter")
        recruiter_views = self.env["recruit.sms.inbound"].with_user(self.recruiter).get_views([(False, "search")])["views"]
        self.assertNotIn('name="error"', recruiter_views["search"]["arch"])


@tagged("post_install", "-at_install")
class TestOnlyReadersAreNotified(InboundCase):
    def test_a_follower_who_cannot_read_the_applicant_hears_nothing(self):
        self.applicant.user_id = False  # the job's followers are told
        employee = mail_new_test_user(
            self.env, login="rsms_employee", name="Eve Employee", email="eve@example.com", groups="base.group_user",
        )
        self.job.message_subscribe(partner_ids=(employee.partner_id | self.recruiter.partner_id).ids)
        elsewhere = self.env["res.company"].create({"name": "Elsewhere Inc"})
        other_officer = mail_new_test_user(
            self.env, login="rsms_other_officer", name="Otto Officer", email="otto@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
            company_id=elsewhere.id, company_ids=[(6, 0, elsewhere.ids)],
        )
        self.assertFalse(self.applicant.with_user(employee).has_access("read"))

        self.post(self.form("My current salary is 52k"))

        self.assertFalse(self.bus_notifications(employee, "recruit_sms/inbound"))
        self.assertFalse(self.bus_notifications(employee, "recruit_sms/inbox"))
        self.assertFalse(self.env["mail.mail"].sudo().search([("email_to", "like", "eve@example.com")]))
        [payload] = self.bus_notifications(self.recruiter, "recruit_sms/inbound")
        self.assertEqual(payload["preview"], "My current salary is 52k")
        self.assertTrue(self.bus_notifications(self.recruiter, "recruit_sms/inbox"))
        mail = self.env["mail.mail"].sudo().search([("email_to", "like", "rita@example.com")])
        self.assertEqual(len(mail), 1)
        self.assertIn("My current salary is 52k", mail.body_html)
        self.assertFalse(self.bus_notifications(other_officer, "recruit_sms/inbox"), "an officer of another company")
        self.assertFalse(self.bus_notifications(other_officer, "recruit_sms/inbound"))

    def test_a_recruiter_who_lost_access_is_not_told_the_team_is(self):
        outsider = mail_new_test_user(
            self.env, login="rsms_outsider", name="Olga Outsider", email="olga@example.com", groups="base.group_user",
        )
        self.applicant.user_id = outsider
        self.job.message_subscribe(partner_ids=self.recruiter.partner_id.ids)
        self.post(self.form("Hello?"))
        self.assertFalse(self.bus_notifications(outsider, "recruit_sms/inbound"))
        self.assertFalse(self.env["mail.mail"].sudo().search([("email_to", "like", "olga@example.com")]))
        self.assertEqual(len(self.bus_notifications(self.recruiter, "recruit_sms/inbound")), 1)


@tagged("post_install", "-at_install")
class TestInboundIsReadOnly(InboundCase):
    def test_no_group_may_write_create_or_delete_a_received_message(self):
        rows = self.env["ir.model.access"].search([("model_id.model", "=", "recruit.sms.inbound")])
        self.assertTrue(rows)
        self.assertEqual({(r.perm_read, r.perm_write, r.perm_create, r.perm_unlink) for r in rows}, {(True, False, False, False)})

        form = self.form("Keep me as I am")
        self.post(form)
        inbound = self.inbound(form)
        manager = mail_new_test_user(self.env, login="rsms_ro_manager", email="m@example.com",
                                     groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")
        admin = mail_new_test_user(self.env, login="rsms_ro_admin", email="a@example.com",
                                   groups="base.group_system,hr_recruitment.group_hr_recruitment_manager")
        for user in (self.recruiter, manager, admin):
            with self.subTest(user=user.login):
                mine = inbound.with_user(user)
                self.assertEqual(mine.body, "Keep me as I am")
                with self.assertRaises(AccessError):
                    mine.write({"body": "changed"})
                with self.assertRaises(AccessError):
                    mine.unlink()
                with self.assertRaises(AccessError):
                    self.env["recruit.sms.inbound"].with_user(user).create({
                        "message_sid": f"SMby{user.id}", "from_number": NUMBER, "company_id": self.company.id,
                    })
        self.assertEqual(inbound.body, "Keep me as I am")

    def test_recruiters_still_link_and_create_from_unmatched_messages(self):
        first = self.form("Hi there", sender="+12025550177")
        second = self.form("Do you hire drivers?", sender="+12025550199")
        self.post(first)
        self.post(second)
        self.env["recruit.sms.inbound.link"].with_user(self.recruiter).create({
            "inbound_ids": [(6, 0, self.inbound(first).ids)], "applicant_id": self.applicant.id,
        }).action_link()
        self.assertEqual(self.inbound(first).applicant_id, self.applicant)
        action = self.inbound(second).with_user(self.recruiter).action_create_applicant()
        self.assertEqual(self.inbound(second).applicant_id.id, action["res_id"])


@tagged("post_install", "-at_install")
class TestSimulatedReplies(RecruitSmsCase):
    def blacklisted(self, number=NUMBER):
        return bool(self.env["phone.blacklist"].sudo().search([("number", "=", number)]))

    def test_a_simulated_start_never_clears_a_real_opt_out(self):
        real = self.env["res.company"].create({
            "name": "Real Co", "sms_provider": "twilio", "country_id": self.env.ref("base.us").id,
        })
        real_applicant = self.env["hr.applicant"].create({
            "partner_name": "Ann at Real Co", "partner_phone": "(415) 555-0142", "company_id": real.id,
        })
        self.assertEqual(real_applicant.phone_sanitized, NUMBER)
        self.env["phone.blacklist"].sudo()._add([NUMBER])
        self.env["recruit.sms.consent.event"]._log(NUMBER, "opt_out", "keyword", applicant=real_applicant, reason="STOP")
        ledger_before = self.env["recruit.sms.consent.event"].search_count([("number", "=", NUMBER)])

        for provider in ("twilio", "iap"):
            with self.subTest(provider=provider):
                real.sms_provider = provider
                self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("START")
                self.assertTrue(self.blacklisted(), "the real candidate's opt-out stands")
                inbound = self.applicant.recruit_sms_inbound_ids.sorted("id")[-1]
                self.assertTrue(inbound.simulated)
                self.assertEqual(inbound.state, "matched")
                self.assertEqual(self.env["recruit.sms.consent.event"].search_count([("number", "=", NUMBER)]), ledger_before)
                note = self.env["mail.message"].search([
                    ("model", "=", "hr.applicant"), ("res_id", "=", self.applicant.id), ("message_type", "=", "comment"),
                ], order="id desc", limit=1)
                self.assertIn("left unchanged", note.body)
        self.assertFalse(real_applicant.recruit_sms_inbound_ids, "the other company's applicant is untouched")

    def test_a_simulated_stop_still_opts_out_a_sandbox_only_number(self):
        self.env["res.company"].create({"name": "Real Co", "sms_provider": "twilio"})
        sandbox_only = self.env["hr.applicant"].create({
            "partner_name": "Sam Sandbox", "partner_phone": "+1 202 555 0161", "user_id": self.recruiter.id,
            "recruit_sms_consent": True,
        })
        sandbox_only.with_user(self.recruiter).recruit_sms_simulate_reply("STOP")
        self.assertTrue(self.blacklisted("+12025550161"))

    def test_only_the_simulation_marks_a_message_simulated(self):
        record, _created = self.env["recruit.sms.inbound"]._recruit_sms_receive(InboundSms(
            message_sid="SMprovider1", account_sid="", from_number=NUMBER, to_number="", body="START",
        ), self.company)
        self.assertFalse(record.simulated, "what a provider delivers is never simulated")
        manager = mail_new_test_user(self.env, login="rsms_sim_manager", email="s@example.com",
                                     groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")
        for user in (self.recruiter, manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                record.with_user(user).write({"simulated": True})
        self.assertFalse(record.simulated)


@tagged("post_install", "-at_install")
class TestMediaLinks(InboundCase):
    def test_only_https_media_are_links_in_the_chatter(self):
        form = self.form(
            "See attached, and my CV at https://cv.example.com/ann?lang=en", NumMedia="3",
            MediaUrl0="https://api.twilio.com/media/ME1", MediaContentType0="image/jpeg",
            MediaUrl1="javascript:alert(document.cookie)", MediaContentType1="text/html",
            MediaUrl2="http://example.com/cv.pdf", MediaContentType2="",
        )
        self.post(form)
        inbound = self.inbound(form)
        body = str(inbound.mail_message_id.body)
        self.assertNotIn("&lt;", body, "the chatter shows HTML, not its escaped source")
        root = lxml.html.fromstring(f"<div>{body}</div>")
        self.assertEqual([(a.get("href"), a.text_content()) for a in root.iter("a")], [
            ("https://cv.example.com/ann?lang=en", "https://cv.example.com/ann?lang=en"),  # as Odoo shows any SMS
            ("https://api.twilio.com/media/ME1", "Image"),  # named as a recruiter names it
        ])
        text = root.text_content()
        self.assertIn("javascript:alert(document.cookie)", text, "shown as text")
        self.assertIn("http://example.com/cv.pdf", text)
        self.assertEqual(inbound._recruit_sms_media_items(), [
            {"url": "https://api.twilio.com/media/ME1", "content_type": "image/jpeg"},
            {"url": False, "content_type": "text/html"},
            {"url": False, "content_type": "http://example.com/cv.pdf"},
        ])
        bubble = next(b for b in self.bubbles() if b["id"] == inbound.mail_message_id.id)
        self.assertEqual([m["url"] for m in bubble["media"]], ["https://api.twilio.com/media/ME1", False, False],
                         "the conversation links only the https address")


@tagged("post_install", "-at_install")
class TestInboundLogs(InboundCase):
    def test_numbers_and_bodies_are_logged_at_debug_level_only(self):
        body = "My new address is 4 Privet Drive"
        forms = [self.form(body), self.form("STOP", sender="12345")]
        with self.assertLogs("odoo.addons.recruit_sms", level="DEBUG") as logs:
            for form in forms:
                self.post(form)
        above_debug = [record.getMessage() for record in logs.records if record.levelno > logging.DEBUG]
        debug = [record.getMessage() for record in logs.records if record.levelno == logging.DEBUG]
        self.assertTrue(any(forms[0]["MessageSid"] in line for line in above_debug), "storing is logged")
        for line in above_debug:
            for secret in ("4155550142", "12345", body, "STOP"):
                self.assertNotIn(secret, line)
        self.assertTrue(any(NUMBER in line and body in line for line in debug))


@tagged("post_install", "-at_install")
class TestWebhookSignedUrl(InboundCase):
    def post_to(self, path, form, signed_url, headers=None):
        headers = {"X-Twilio-Signature": self.sign(form, url=signed_url), **(headers or {})}
        return self.url_open(path, data=form, headers=headers, allow_redirects=False)

    def test_the_query_string_is_part_of_the_signed_url(self):
        query = "tenant=acme&note=a%20b"
        form = self.form("With a query string")
        response = self.post_to(f"{ROUTE}?{query}", form, f"{self.webhook_url()}?{query}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.inbound(form))

        unsigned_query = self.form("Signed without its query string")
        with mute_logger(CONTROLLER_LOGGER):
            response = self.post_to(f"{ROUTE}?{query}", unsigned_query, self.webhook_url())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.inbound(unsigned_query))

    def test_behind_an_https_proxy_with_proxy_mode(self):
        public_url = "https://jobs.example.com" + ROUTE
        forwarded = {"X-Forwarded-Host": "jobs.example.com", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        parameters = self.env["ir.config_parameter"].sudo()
        with patch.dict(config.options, {"proxy_mode": True}):
            for base_url in ("http://jobs.example.com", "https://jobs.example.com"):
                with self.subTest(base_url=base_url):
                    parameters.set_param("web.base.url", base_url)
                    form = self.form(f"Through the proxy, base URL {base_url}")
                    self.assertEqual(self.post_to(ROUTE, form, public_url, forwarded).status_code, 200)
                    self.assertTrue(self.inbound(form))
                    with mute_logger(CONTROLLER_LOGGER):
                        plain = self.form("Signed for plain http")
                        self.assertEqual(self.post_to(ROUTE, plain, "http://jobs.example.com" + ROUTE, forwarded).status_code, 403)
                        self.assertFalse(self.inbound(plain))
        # without proxy_mode the forwarded headers are not trusted: web.base.url is the public address
        parameters.set_param("web.base.url", "http://jobs.example.com")
        with mute_logger(CONTROLLER_LOGGER):
            form = self.form("Forwarded headers without proxy_mode")
            self.assertEqual(self.post_to(ROUTE, form, public_url, forwarded).status_code, 403)
            self.assertFalse(self.inbound(form))
