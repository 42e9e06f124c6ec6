from freezegun import freeze_time

from odoo.tests import tagged

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class TestAnalytics(RecruitSmsCase):
    """Texting figures on a small hand-built history, its expected figures worked out by
    hand below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recruit_sms_provider_answers_keywords = True  # no confirmation text to count
        cls.job_b = cls.env["hr.job"].create({"name": "Night baker"})
        cls.bob, cls.cid = cls.env["hr.applicant"].create([
            {"partner_name": "Bob", "partner_phone": "+1 415 555 0161", "job_id": cls.job.id,
             "recruit_sms_consent": True, "user_id": cls.recruiter.id},
            {"partner_name": "Cid", "partner_phone": "+1 415 555 0162", "job_id": cls.job_b.id,
             "recruit_sms_consent": True, "user_id": cls.recruiter.id},
        ])
        cls.applicant.user_id = cls.recruiter
        as_rita = cls.applicant.with_user(cls.recruiter)
        with freeze_time("2026-07-01 10:00:00"):
            as_rita.recruit_sms_compose("sms", "Hi", "Are you free on Monday?")            # Ann: sent 1
            cls.bob.with_user(cls.recruiter).recruit_sms_compose(  # Bob: sent 2, in 2 SMS (Unicode, 81 characters)
                "sms", "Hi", "Still looking? We\u2019d love to have you at the bakery for a trial shift on Saturday!")
        with freeze_time("2026-07-01 12:00:00"):
            as_rita.recruit_sms_simulate_reply("Yes, Monday works")                          # Ann answers in 2 h
        with freeze_time("2026-07-01 13:00:00"):
            as_rita.recruit_sms_compose("sms", "Great", "See you at 10:00")                  # Rita answers in 1 h: sent 3
        with freeze_time("2026-07-02 09:00:00"):
            cls.cid.with_user(cls.recruiter).recruit_sms_simulate_reply("Who is this?")      # Cid writes...
        with freeze_time("2026-07-02 15:00:00"):
            cls.cid.with_user(cls.recruiter).recruit_sms_compose("sms", "Hi", "Rita, from the bakery")  # 6 h: sent 4
        with freeze_time("2026-07-03 09:00:00"):
            cls.cid.with_user(cls.recruiter).recruit_sms_simulate_reply("STOP")              # ...and opts out (18 h)
        cls.env["recruit.sms.report"]._recruit_sms_refresh()

    def test_the_figures(self):
        Report = self.env["recruit.sms.report"].with_user(self.recruiter)
        figures = Report.recruit_sms_figures([("date", ">=", "2026-07-01"), ("date", "<", "2026-07-04")])
        self.assertEqual(figures["sent"], 4)
        # texted: Ann, Bob, Cid; answered within 7 days: Ann (2 h) and Cid (STOP, 18 h after)
        self.assertAlmostEqual(figures["response_rate"], 2 / 3)
        # recruiters answered Ann in 1 h and Cid in 6 h (Cid's STOP went unanswered)
        self.assertAlmostEqual(figures["recruiter_hours_p50"], 3.5)
        self.assertAlmostEqual(figures["recruiter_hours_p90"], 1 + 0.9 * 5)
        # candidates answered in 2 h (Ann) and 18 h (Cid)
        self.assertAlmostEqual(figures["candidate_hours_p50"], 10)
        self.assertAlmostEqual(figures["opt_outs_per_1000"], 1000 / 4)

    def test_grouped_by_job_and_day(self):
        Report = self.env["recruit.sms.report"].with_user(self.recruiter)
        by_job = {job.name: (sent, received, opted_out) for job, sent, received, opted_out in Report._read_group(
            [("date", ">=", "2026-07-01"), ("date", "<", "2026-07-04"), ("job_id", "in", (self.job | self.job_b).ids)],
            ["job_id"], ["sent:sum", "received:sum", "opted_out:sum"])}
        self.assertEqual(by_job, {"Forklift driver": (3, 1, 0), "Night baker": (1, 2, 1)})
        # one SMS each, but Bob's two
        segments = Report._read_group([("date", ">=", "2026-07-01"), ("date", "<", "2026-07-04"),
                                       ("direction", "=", "out"), ("job_id", "in", (self.job | self.job_b).ids)],
                                      [], ["segments:sum"])[0][0]
        self.assertEqual(segments, 5)
        by_day = dict(Report._read_group([("date", ">=", "2026-07-01"), ("date", "<", "2026-07-04"),
                                          ("job_id", "in", (self.job | self.job_b).ids)], ["date:day"], ["sent:sum"]))
        self.assertEqual([by_day[key] for key in sorted(by_day)], [3, 1, 0])

    def test_the_figures_wizard_and_company_rules(self):
        figures = self.env["recruit.sms.figures"].with_user(self.recruiter).create(
            {"date_from": "2026-07-01", "date_to": "2026-07-03", "job_id": self.job_b.id})
        self.assertEqual((figures.sent, figures.opt_outs_per_1000), (1, 1000))
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.recruiter.write({"company_ids": [(4, company_b.id)], "company_id": company_b.id})
        other = self.env["recruit.sms.report"].with_user(self.recruiter).with_context(allowed_company_ids=company_b.ids)
        self.assertEqual(other.recruit_sms_figures([])["sent"], 0, "another company's texts are not counted")

    def test_the_dashboard_and_a_campaigns_slice(self):
        self.env["ir.config_parameter"].sudo().set_param("recruit_sms.report_refreshed_at", False)
        with freeze_time("2026-07-04 08:00:00"):
            action = self.env["recruit.sms.report"].with_user(self.recruiter).action_recruit_sms_dashboard()
        self.assertTrue(action["name"].startswith("Texting (as of"), "never computed: computed, and says when")
        self.assertEqual(action["context"]["search_default_last_30_days"], 1)
        campaign = self.env["recruit.sms.campaign"].create({"name": "Weekend", "body": "Hi"})
        slice_ = campaign.with_user(self.recruiter).action_recruit_sms_analytics()
        self.assertEqual((slice_["res_model"], slice_["domain"]), ("recruit.sms.report", [("campaign_id", "=", campaign.id)]))

    def test_segments_are_counted_by_odoo_never_given(self):
        message = self.applicant.message_post(body="x", message_type="sms")
        sms = self.env["sms.sms"].sudo().create({"number": "+14155550142", "body": "x" * 200, "state": "outgoing",
                                                 "mail_message_id": message.id})
        notification = self.env["mail.notification"].create({
            "mail_message_id": message.id, "notification_type": "sms", "sms_id_int": sms.id, "recruit_sms_segments": 99})
        self.assertEqual(notification.recruit_sms_segments, 2, "200 GSM-7 characters: 2 SMS, whatever was given")
