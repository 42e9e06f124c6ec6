from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from ..tools.inbound import InboundSms
from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestTours(HttpCase, RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # demo conversations must not change the badge the tour expects
        cls.env["hr.applicant"].search([("id", "!=", cls.applicant.id)]).write({"recruit_sms_waiting_since": False})

    def test_send_sms_from_the_communications_tab(self):
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_communications_tour", login="rsms_recruiter")
        sent, received = self.sms_messages().sorted("id")
        self.assertEqual((sent.subject, sent.author_id), ("Tour subject", self.recruiter.partner_id))
        self.assertEqual(sent.notification_ids.notification_status, "sent")
        self.assertEqual(received.author_id, self.applicant.partner_id)
        self.assertEqual(self.applicant.recruit_sms_inbound_ids.body, "Sure, see you Monday")

    def test_whatsapp_template_then_free_text_in_the_window(self):
        self.company.recruit_sms_whatsapp = True
        self.env["recruit.sms.whatsapp.template"].create({
            "name": "Tour follow-up", "content_sid": "HX" + "0" * 32, "variables": "first_name, job",
            "body": "Hi {{1}}, about the {{2}} role: can we talk here?"})
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_whatsapp_tour", login="rsms_recruiter")
        sent = self.env["mail.notification"].search(
            [("mail_message_id", "in", self.sms_messages().ids), ("recruit_sms_whatsapp", "=", True)])
        self.assertEqual(len(sent), 2)
        self.assertEqual(self.applicant.recruit_sms_channel, "whatsapp")
        self.assertEqual(self.applicant.recruit_sms_inbound_ids.channel, "whatsapp")

    def test_conversation_shows_failures_holds_and_media(self):
        applicant = self.applicant.with_user(self.recruiter)
        failed = applicant.recruit_sms_send("sms", "Reminder", "Your call is at 10:00")
        failed.notification_ids.sudo().write({
            "notification_status": "exception", "failure_type": "sms_server",
            "failure_reason": "Unreachable destination handset (30003)",
        })
        self.env["recruit.sms.inbound"]._recruit_sms_receive(InboundSms(
            message_sid="SMtourmedia", account_sid="", from_number=self.applicant.phone_sanitized, to_number="",
            body="Here is my licence", media=(("https://api.twilio.com/media/ME1", "image/jpeg"),),
        ), self.company, simulated=True)
        self.applicant.message_post(body="Strong profile, call back", subtype_xmlid="mail.mt_note")
        # texting hours that exclude now: an automated text is held
        start = (fields.Datetime.now().hour + 2) % 23
        self.company.write({"recruit_sms_quiet_start": start, "recruit_sms_quiet_end": start + 1})
        self.applicant.recruit_sms_tz = "UTC"
        self.applicant._message_sms("Automated reminder")
        self.company.write({"recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24})
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_conversation_states_tour", login="rsms_recruiter")
        self.assertEqual(failed.notification_ids.notification_status, "sent", "resent and delivered by the sandbox")

    def test_systray_badge_panel_chat_and_reply(self):
        self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Are you still hiring?")
        self.start_tour("/odoo", "recruit_sms_systray_tour", login="rsms_recruiter")
        [reply] = self.sms_messages().filtered(lambda message: message.author_id == self.recruiter.partner_id)
        self.assertEqual(reply.subject, "Forklift driver", "a one-field reply takes the job as its subject")
        self.assertFalse(self.applicant.recruit_sms_waiting_since)
        self.assertFalse(self.applicant.with_user(self.recruiter).recruit_sms_unread, "opening the chat read it")
        self.assertEqual(self.env["hr.applicant"].with_user(self.recruiter).recruit_sms_inbox_count(), 0)

    def test_the_ledger_and_scheduled_tables_are_titled_and_as_long_as_their_rows(self):
        with freeze_time("2026-07-01 10:00:00"):  # a time to come, whenever the suite runs
            self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "", "^at 23:59 Reminder: interview tomorrow")
        self.assertTrue(self.applicant.recruit_sms_consent_event_ids and self.applicant.recruit_sms_scheduled_ids)
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_applicant_tables_tour",
                        login="rsms_recruiter")

    def test_the_inbox_shows_the_team_group_open(self):
        self.applicant.recruit_sms_assigned_user_id = False
        self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Are you still hiring?")
        self.start_tour("/odoo/action-recruit_sms.recruit_sms_conversation_action", "recruit_sms_inbox_tour",
                        login="rsms_recruiter")

    def test_bulk_text_from_the_list_to_done(self):
        self.env["hr.applicant"].create([
            {"partner_name": name, "partner_phone": phone, "recruit_sms_consent": True, "job_id": self.job.id}
            for name, phone in (("Bulk Alice", "+1 628 555 0101"), ("Bulk Bob", "+1 628 555 0102"),
                                ("Bulk Carol", "+1 628 555 0103"))])
        self.env["ir.filters"].create({"name": "Weekend crew", "model_id": "hr.applicant",
                                       "domain": "[('partner_name', '=', 'Bulk Carol')]", "user_ids": [(6, 0, self.recruiter.ids)]})
        self.start_tour("/odoo/action-hr_recruitment.crm_case_categ0_act_job", "recruit_sms_bulk_text_tour",
                        login="rsms_recruiter")
        campaign = self.env["recruit.sms.campaign"].search([], order="id desc", limit=1)
        self.assertEqual((campaign.state, len(campaign.recipient_ids)), ("sending", 3))
        self.env["recruit.sms.campaign"]._recruit_sms_send_due()  # what the cron does
        self.assertEqual(campaign.state, "done")
        self.start_tour(f"/odoo/action-recruit_sms.recruit_sms_campaign_action/{campaign.id}",
                        "recruit_sms_campaign_done_tour", login="rsms_recruiter")
        bodies = [m.body for m in self.env["mail.message"].search([("subject", "=", campaign.name)])]
        self.assertTrue(any("Hello Bulk Alice, can you work Saturday?" in str(body) for body in bodies))


    def test_numbers_from_pasted_text_on_the_applicant_form(self):
        self.start_tour(f"/odoo/hr.applicant/{self.applicant.id}", "recruit_sms_paste_form_tour", login="rsms_recruiter")
        self.assertEqual(self.env["hr.applicant"].search_count([("phone_sanitized", "=", "+16285550198")]), 1)

    def test_numbers_from_pasted_text(self):
        self.start_tour("/odoo", "recruit_sms_paste_tour", login="rsms_recruiter")
        created = self.env["hr.applicant"].search([("phone_sanitized", "=", "+16285550199")])
        self.assertEqual(len(created), 1)
        self.assertFalse(created.recruit_sms_consent)


    def test_import_a_file_make_a_list_and_text_it(self):
        self.start_tour("/odoo/action-recruit_sms.recruit_sms_import_action", "recruit_sms_import_tour",
                        login="rsms_recruiter")
        campaign = self.env["recruit.sms.campaign"].search([("list_id.applicant_ids.partner_name", "=", "Tia Tour")])
        self.assertEqual(sorted(campaign.line_ids.applicant_id.mapped("partner_name")), ["Tia Tour", "Uma Tour"])
        self.assertEqual(campaign.sent_by_id, self.recruiter)


@tagged("post_install", "-at_install")
class TestDemoTour(HttpCase):
    def test_first_minutes_on_the_demo(self):
        if not self.env.ref("recruit_sms.demo_user_recruiter", raise_if_not_found=False):
            self.skipTest("database installed without demo data")
        admin = self.env.ref("base.user_admin")
        before = self.env["hr.applicant"].with_user(admin).recruit_sms_inbox_count()
        self.start_tour("/odoo", "recruit_sms_demo_tour", login="admin")
        self.assertEqual(self.env["hr.applicant"].with_user(admin).recruit_sms_inbox_count(), before - 1)
