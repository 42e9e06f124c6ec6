from collections import Counter

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo tells the product's story right after install: conversations in every
    state, campaigns with results, a text to review."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("recruit_sms.demo_user_recruiter", raise_if_not_found=False):
            self.skipTest("database installed without demo data")
        self.Applicant = self.env["hr.applicant"]
        self.admin = self.env.ref("base.user_admin")

    def applicant(self, name):
        return self.Applicant.search([("partner_name", "=", name)])

    def test_conversations_in_every_state_for_two_recruiters_and_the_team(self):
        texted = self.Applicant.search([("recruit_sms_last_message_date", "!=", False)])
        self.assertGreaterEqual(len(texted), 30)
        open_waiting = texted.filtered(lambda a: a.recruit_sms_state == "open" and a.recruit_sms_waiting_since)
        self.assertEqual(set(open_waiting.mapped("recruit_sms_colour")), {"green", "orange", "red"})
        self.assertIn("blue", texted.mapped("recruit_sms_colour"))
        self.assertEqual({a.recruit_sms_assigned_user_id.login or "" for a in open_waiting}, {"admin", "rebecca", ""},
                         "waiting for the admin, for the second recruiter and for the team")
        self.assertTrue(texted.filtered(lambda a: a.recruit_sms_state == "closed"))
        self.assertGreater(self.Applicant.with_user(self.admin).recruit_sms_inbox_count(), 0, "the badge is lit")
        self.assertTrue(self.Applicant.with_user(self.admin).search([("recruit_sms_unread", "=", True)]))

    def test_mixed_email_and_sms_and_a_picture_link(self):
        channels = Counter(b["channel"] for b in self.applicant("Lucas Martin").recruit_sms_get_conversation()["messages"])
        self.assertEqual(channels, {"email": 2, "sms": 2})
        [mms] = [b for b in self.applicant("Hannah Becker").recruit_sms_get_conversation()["messages"] if b["media"]]
        self.assertTrue(mms["media"][0]["url"].startswith("https://"))

    def test_opt_out_opt_in_consent_and_invalid_number(self):
        stopped = self.applicant("Isabella Garcia")
        self.assertTrue(stopped.phone_sanitized_blacklisted)
        self.assertEqual(stopped.recruit_sms_consent_event_ids.filtered(lambda e: e.event == "opt_out").source, "keyword")
        self.assertIn("unsubscribed", stopped.recruit_sms_get_conversation()["messages"][-1]["body"],
                      "the STOP confirmation is in the conversation")
        back = self.applicant("James Taylor")
        self.assertFalse(back.phone_sanitized_blacklisted)
        self.assertEqual(back.recruit_sms_consent_event_ids.sorted("id").mapped("event")[-2:], ["opt_out", "opt_in"])
        self.assertFalse(self.applicant("Benjamin Moore").recruit_sms_can_text)
        self.assertIn("cannot be texted", self.applicant("Charlotte Davis").recruit_sms_blocked_reason)

    def test_scheduled_unmatched_and_campaigns(self):
        self.assertEqual(self.applicant("Mia Anderson").recruit_sms_scheduled_ids.state, "scheduled")
        self.assertTrue(self.env["recruit.sms.inbound"].search([("state", "=", "unmatched")]))
        done = self.env["recruit.sms.campaign"].search([("name", "=", "Weekend shifts")])
        self.assertEqual(done.state, "done")
        lines = done.line_ids
        self.assertEqual(Counter(lines.mapped("state"))["failed"], 2)
        self.assertTrue(all("test number" in reason for reason in lines.filtered(lambda line: line.state == "failed")
                            .mapped("failure_reason")))
        self.assertIn("delivered", lines.mapped("delivery_state"))
        self.assertEqual(len(lines.filtered("replied")), 2, "Leo's STOP is no reply")
        self.assertEqual(len(lines.filtered("opted_out")), 1)
        # WhatsApp, simulated by the sandbox: a conversation in its window, another where only a template could go
        lucia = self.applicant("Lucia Fernandez")
        self.assertEqual(lucia.recruit_sms_channel, "whatsapp")
        self.assertEqual([(b["channel"], b["direction"]) for b in lucia.recruit_sms_get_conversation()["messages"]],
                         [("whatsapp", "in"), ("whatsapp", "out"), ("whatsapp", "in")])
        marco = self.applicant("Marco Bianchi").recruit_sms_get_conversation()
        self.assertFalse(marco["applicant"]["whatsapp"]["window_open"])
        self.assertIn("thanks for your interest in the", marco["messages"][-1]["body"])
        self.assertEqual(marco["messages"][-1]["state"], "delivered")
        draft = self.env["recruit.sms.campaign"].search([("name", "=", "Open day invitation")])
        self.assertEqual(draft.state, "draft")
        self.assertIn("no consent", draft.review_exclusions)
        self.assertIn("opted out", draft.review_exclusions)


@tagged("post_install", "-at_install")
class TestDemoLeavesAConfiguredProviderAlone(TransactionCase):
    def test_nothing_is_texted_or_created_through_a_configured_provider(self):
        company = self.env.company
        company.write({"sms_provider": "twilio", "sms_twilio_account_sid": "AC" + "0" * 32,
                       "sms_twilio_auth_token": "token"})
        counts = {model: self.env[model].search_count([]) for model in
                  ("hr.applicant", "sms.sms", "mail.message", "recruit.sms.campaign", "recruit.sms.inbound")}
        self.env["res.company"].search([])._recruit_sms_select_sandbox()
        self.env["recruit.sms.demo"]._load_story()
        self.assertEqual(company.sms_provider, "twilio")
        self.assertEqual({model: self.env[model].search_count([]) for model in counts}, counts)
