import importlib.util
from pathlib import Path

from freezegun import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_compliance import NUMBER, ComplianceCase

ADDRESS = "Our office is at 12 Main Street, parking at the back."


@tagged("post_install", "-at_install")
class TestAutoReply(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = mail_new_test_user(
            cls.env, login="rsms_ar_manager", groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")
        cls.tag = cls.env["hr.applicant.category"].create({"name": "Asked the address"})
        cls.rule = cls.env["recruit.sms.auto.reply"].with_user(cls.manager).create({
            "name": "Address", "trigger": "keywords", "keywords": "address, where is", "reply": ADDRESS,
            "tag_ids": [(6, 0, cls.tag.ids)], "assign_user_id": cls.recruiter.id,
        })

    def automatic_bubbles(self):
        return [(b["body"], b["author"]) for b in self.bubbles() if b["automatic"]]

    def test_a_matching_message_gets_the_reply_marked_automatic(self):
        self.post(self.form("Hi, where is the office?"))
        self.assertEqual(self.sent(), [(NUMBER, ADDRESS)])
        self.assertEqual(self.automatic_bubbles(), [(ADDRESS, "OdooBot")], "shown as automatic in the conversation")
        self.assertIn(self.tag, self.applicant.categ_ids)
        self.assertEqual(self.applicant.recruit_sms_assigned_user_id, self.recruiter)
        self.assertTrue(self.applicant.recruit_sms_waiting_since, "a person still has to answer")
        self.post(self.form("And the address of the parking?"))
        self.assertEqual(len(self.sent()), 1, "once per conversation per day")
        self.post(self.form("ok thanks"))
        self.assertEqual(len(self.sent()), 1, "no match, no reply")

    def test_the_rule_answers_again_after_its_cooldown(self):
        with freeze_time("2026-07-01 10:00:00"):
            self.post(self.form("address?"))
        with freeze_time("2026-07-02 10:01:00"):
            self.post(self.form("address again?"))
        self.assertEqual(self.sent(), [(NUMBER, ADDRESS), (NUMBER, ADDRESS)])

    def test_three_automatic_replies_in_a_row_at_most(self):
        self.rule.cooldown_hours = 0
        for _ in range(4):
            self.post(self.form("Where is it? (automatic message)"))
        self.assertEqual(len(self.sent()), 3, "another automaton gets three answers, not a loop")
        self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "Hi", "Hello, a person here")
        self.post(self.form("Where is it?"))
        self.assertEqual(self.sent()[-1], (NUMBER, ADDRESS), "a person wrote: the rule may answer again")

    def test_never_to_an_opted_out_number_nor_to_a_request_to_stop(self):
        self.post(self.form("Where is the office? Actually, please stop texting me"))
        self.assertEqual(self.sent(), [], "it may ask to stop: a person answers")
        self.post(self.form("STOP"))
        self.twilio.requests.clear()
        self.post(self.form("where is the office"))
        self.assertEqual(self.sent(), [])

    def test_the_gate_applies_consent(self):
        self.applicant.recruit_sms_consent = False
        self.post(self.form("address?"))
        self.assertEqual(self.sent(), [])
        self.assertEqual(self.automatic_bubbles(), [], "no reply posted that could not go")
        self.assertNotIn(self.tag, self.applicant.categ_ids, "nor the rule's other actions")

    def test_only_for_its_job_positions(self):
        self.rule.job_ids = self.env["hr.job"].create({"name": "Chef"})
        self.post(self.form("address?"))
        self.assertEqual(self.sent(), [])

    def test_outside_working_hours(self):
        self.rule.active = False
        self.company.resource_calendar_id.tz = "UTC"  # Monday to Friday, 8:00 to 17:00
        self.env["recruit.sms.auto.reply"].create({
            "name": "Night", "trigger": "outside_hours", "reply": "We answer Monday to Friday, 8 to 5."})
        with freeze_time("2026-07-01 10:00:00"):  # a Wednesday morning
            self.post(self.form("Hello?"))
        self.assertEqual(self.sent(), [])
        with freeze_time("2026-07-04 10:00:00"):  # a Saturday
            self.post(self.form("Hello??"))
        self.assertEqual(self.sent(), [(NUMBER, "We answer Monday to Friday, 8 to 5.")])

    def test_first_message_from_an_unknown_number(self):
        self.env["recruit.sms.auto.reply"].create({
            "name": "Unknown", "trigger": "first_unknown", "reply": "Thanks! Who is this? Reply with your name."})
        self.post(self.form("hi", sender="+12025550166"))
        self.post(self.form("hi again", sender="+12025550166"))
        self.post(self.form("hi from a candidate"))
        self.assertEqual(self.sent(), [("+12025550166", "Thanks! Who is this? Reply with your name.")])

    def test_help_is_a_rule_of_each_company(self):
        self.post(self.form("HELP"))
        self.assertEqual(self.sent(), [(NUMBER, self.help_reply())])
        self.assertEqual(self.automatic_bubbles()[-1][0], self.help_reply())
        other = self.env["res.company"].create({"name": "Other company"})
        self.assertEqual(self.help_reply(other), self.help_reply(), "a new company answers HELP too")
        self.env["recruit.sms.auto.reply"].search([("trigger", "=", "help"), ("company_id", "=", self.company.id)]).active = False
        self.twilio.requests.clear()
        self.post(self.form("HELP"))
        self.assertEqual(self.sent(), [], "archived: HELP is not answered")

    def test_help_is_answered_without_cool_down_three_times_an_hour(self):
        for _ in range(4):
            self.post(self.form("HELP"))
        self.assertEqual(self.sent(), [(NUMBER, self.help_reply())] * 3,
                         "no cool-down nor three-in-a-row limit for HELP, but three answers an hour to one number")
        # an hour later, HELP is answered again
        self.env.cr.execute("UPDATE recruit_sms_auto_reply_log SET date = date - interval '61 minutes' WHERE number = %s",
                            [NUMBER])
        self.env.invalidate_all()
        self.post(self.form("HELP"))
        self.assertEqual(self.sent(), [(NUMBER, self.help_reply())] * 4)

    def test_the_upgrade_keeps_each_companys_help_wording(self):
        """Before 19.0.1.1.0 the HELP answer was a company setting (a translated column)."""
        self.env.cr.execute("ALTER TABLE res_company ADD COLUMN recruit_sms_help_reply jsonb")
        self.env.cr.execute("UPDATE res_company SET recruit_sms_help_reply = %s WHERE id = %s",
                            ['{"en_US": "Acme jobs: reply STOP to stop."}', self.company.id])
        self.env["recruit.sms.auto.reply"].with_context(active_test=False).search([("trigger", "=", "help")]).unlink()
        path = Path(__file__).parent.parent / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("recruit_sms_post_migrate", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.help_reply(), "Acme jobs: reply STOP to stop.")

    def test_managers_write_rules_recruiters_read_them_within_their_companies(self):
        with self.assertRaises(AccessError):
            self.env["recruit.sms.auto.reply"].with_user(self.recruiter).create(
                {"name": "Mine", "trigger": "keywords", "keywords": "x", "reply": "y"})
        self.assertIn(self.rule, self.env["recruit.sms.auto.reply"].with_user(self.recruiter).search([]))
        company_b = self.env["res.company"].create({"name": "Company B"})
        manager_b = mail_new_test_user(
            self.env, login="rsms_ar_manager_b", groups="base.group_user,hr_recruitment.group_hr_recruitment_manager",
            company_id=company_b.id, company_ids=[(6, 0, company_b.ids)])
        self.assertNotIn(self.rule, self.env["recruit.sms.auto.reply"].with_user(manager_b).search([]))
