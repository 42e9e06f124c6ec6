from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestDigest(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday to Friday, 8:00 to 12:00 and 13:00 to 17:00 in New York, the recruiter's zone
        cls.company.resource_calendar_id.tz = "America/New_York"
        cls.recruiter.tz = "America/New_York"
        cls.env["res.users"].search([("id", "!=", cls.recruiter.id)]).recruit_sms_digest = False
        cls.applicant.recruit_sms_assigned_user_id = cls.recruiter
        # the demo's conversations wait for the team, which the recruiter is in: none here
        cls.env["hr.applicant"].search([("recruit_sms_waiting_since", "!=", False)]).recruit_sms_waiting_since = False
        cls.other = cls.env["hr.applicant"].create({
            "partner_name": "Olga Other", "partner_phone": "+1 415 555 0155", "job_id": cls.job.id,
            "recruit_sms_consent": True, "recruit_sms_assigned_user_id": cls.recruiter.id})

    def digests(self):
        return self.env["mail.mail"].search([("email_to", "ilike", "rita@example.com"), ("subject", "ilike", "Texting:")])

    def run_digest(self, moment):
        with freeze_time(moment):
            self.env["res.users"]._cron_recruit_sms_digest()

    def test_one_digest_at_the_start_of_the_working_day(self):
        self.applicant._recruit_sms_mark_received(datetime(2026, 7, 5, 6, 0), "Still open?")  # 30 hours before
        self.other._recruit_sms_mark_received(datetime(2026, 7, 6, 10, 0), "Hi!")  # 2 hours before
        third = self.env["hr.applicant"].create({
            "partner_name": "Pat Third", "partner_phone": "+1 415 555 0156", "recruit_sms_consent": True,
            "recruit_sms_assigned_user_id": self.recruiter.id})
        third._recruit_sms_mark_received(datetime(2026, 7, 6, 9, 0), "Still hiring?")  # 3 hours before
        with freeze_time("2026-07-06 10:30:00"):
            # an opt-out ends the conversation: Olga no longer waits
            self.other.with_user(self.recruiter).recruit_sms_compose("sms", "x", "^opt-out asked on the phone")
        self.run_digest("2026-07-06 11:00:00")  # Monday 7:00 in New York
        self.assertFalse(self.digests(), "not before the working day")
        self.run_digest("2026-07-06 12:00:00")  # Monday 8:00
        digest = self.digests()
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.subject, "Texting: 2 conversations waiting for you")
        # each count says what it counts ("1 waiting over 24 hours", never "0 12 to 24 hours")
        self.assertIn("1 waiting over 24 hours", digest.body_html)
        self.assertIn("0 waiting 12 to 24 hours", digest.body_html)
        self.assertIn("1 waiting under 12 hours", digest.body_html)
        self.assertIn("1 of your candidates opted out", digest.body_html)
        self.run_digest("2026-07-06 15:00:00")
        self.assertEqual(len(self.digests()), 1, "once a day")

    def test_no_digest_on_a_day_off_nor_when_turned_off_nor_with_nothing_to_say(self):
        self.applicant._recruit_sms_mark_received(datetime(2026, 7, 3, 6, 0), "Still open?")
        self.run_digest("2026-07-04 15:00:00")  # Saturday
        self.assertFalse(self.digests())
        self.recruiter.with_user(self.recruiter).recruit_sms_digest = False  # their own preference
        self.run_digest("2026-07-06 15:00:00")
        self.assertFalse(self.digests())
        self.recruiter.recruit_sms_digest = True
        self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "x", "Sorry for the wait!")
        self.run_digest("2026-07-07 15:00:00")
        self.assertFalse(self.digests(), "nothing waiting, nothing new: no email")
