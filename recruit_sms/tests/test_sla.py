from freezegun import freeze_time

from odoo.tests import tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestResponseTime(RecruitSmsCase):
    """Escalation when a candidate waits longer than the response time, in working hours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday to Friday, 8:00 to 12:00 and 13:00 to 17:00 in New York
        cls.company.resource_calendar_id.tz = "America/New_York"
        cls.company.recruit_sms_sla_hours = 8
        cls.applicant.recruit_sms_assigned_user_id = cls.recruiter

    def activities(self, applicant=None):
        return (applicant or self.applicant).activity_ids.filtered(lambda a: a.summary and a.summary.startswith("Answer"))

    def escalate_at(self, moment):
        with freeze_time(moment):
            self.env["hr.applicant"]._cron_recruit_sms_escalate()
        self.applicant.invalidate_recordset()

    def test_a_friday_evening_text_is_not_late_on_monday_morning(self):
        with freeze_time("2026-07-03 21:30:00"):  # Friday 17:30 in New York, after work
            self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Is the job still open?")
        self.escalate_at("2026-07-06 13:00:00")  # Monday 9:00: one working hour
        self.assertFalse(self.applicant.recruit_sms_escalated)
        self.assertFalse(self.activities())
        self.escalate_at("2026-07-06 20:59:00")  # Monday 16:59: not quite eight
        self.assertFalse(self.applicant.recruit_sms_escalated)
        self.escalate_at("2026-07-06 21:00:00")  # Monday 17:00: eight working hours
        self.assertTrue(self.applicant.recruit_sms_escalated)
        activity = self.activities()
        self.assertEqual((len(activity), activity.user_id), (1, self.recruiter))
        self.assertIn("Is the job still open?", activity.note)
        rows = self.applicant.with_user(self.recruiter).recruit_sms_inbox_data()["groups"][0]["conversations"]
        self.assertTrue(next(row for row in rows if row["id"] == self.applicant.id)["escalated"])
        self.assertIn(self.applicant, self.env["hr.applicant"].search([("recruit_sms_escalated", "=", True)]))
        self.escalate_at("2026-07-07 21:00:00")
        self.assertEqual(len(self.activities()), 1, "once per waiting")

    def test_an_answer_ends_the_escalation_and_a_new_wait_starts_afresh(self):
        with freeze_time("2026-07-06 12:00:00"):  # Monday 8:00 in New York
            self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Hello?")
        self.escalate_at("2026-07-06 21:00:00")
        self.assertTrue(self.applicant.recruit_sms_escalated)
        with freeze_time("2026-07-06 21:05:00"):
            self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "Hi", "Sorry, yes it is!")
            self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Great, when can I come?")
        self.assertFalse(self.applicant.recruit_sms_escalated)
        self.escalate_at("2026-07-07 12:30:00")  # Tuesday 8:30: a few working minutes
        self.assertFalse(self.applicant.recruit_sms_escalated)
        self.assertEqual(len(self.activities()), 1)

    def test_unassigned_goes_to_the_recruiter_and_zero_turns_it_off(self):
        self.applicant.write({"recruit_sms_assigned_user_id": False, "user_id": False})
        self.job.user_id = self.recruiter
        with freeze_time("2026-07-06 12:00:00"):
            self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Hello?")
        self.company.recruit_sms_sla_hours = 0
        self.escalate_at("2026-07-08 21:00:00")
        self.assertFalse(self.activities())
        self.company.recruit_sms_sla_hours = 8
        self.escalate_at("2026-07-08 21:00:00")
        self.assertEqual(self.activities().user_id, self.recruiter, "the job's recruiter answers for the team")
