from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_campaign import CampaignCase


@tagged("post_install", "-at_install")
class TestTextLists(CampaignCase):
    def make(self, **values):
        return self.env["recruit.sms.list"].with_user(self.recruiter).create({"name": "Weekend crew", **values})

    def test_a_static_list_from_the_applicant_list_and_its_reach(self):
        crew = self.applicants(3)
        crew[1].recruit_sms_consent = False
        action = crew.with_user(self.recruiter).action_recruit_sms_make_list()
        text_list = self.env["recruit.sms.list"].browse(action["res_id"])
        self.assertEqual(text_list.applicant_ids, crew)
        self.assertEqual((text_list.member_count, text_list.textable_count, text_list.blocked_summary), (3, 2, "no consent: 1"))
        text_list.with_user(self.recruiter).applicant_ids = [(3, crew[2].id)]
        self.assertEqual(text_list.member_count, 2)

    def test_a_dynamic_list_is_evaluated_when_the_campaign_is_sent(self):
        self.applicants(2, job_id=self.job.id)
        text_list = self.make(kind="dynamic", domain=f"[('job_id', '=', {self.job.id}), ('partner_name', 'like', 'Cand')]")
        campaign = self.env["recruit.sms.campaign"].browse(text_list.with_user(self.recruiter).action_new_campaign()["res_id"])
        campaign.with_user(self.recruiter).body = "Hi {{ object.partner_name }}"
        self.assertEqual(campaign.review_eligible, 2, "the review shows who matches now")
        late = self.env["hr.applicant"].create({"partner_name": "Cand late", "partner_phone": "+1 628 555 0177",
                                                "recruit_sms_consent": True, "job_id": self.job.id})
        campaign.invalidate_recordset()
        self.assertEqual(campaign.review_eligible, 3)
        campaign.with_user(self.recruiter).action_send()
        self.assertIn(late, campaign.line_ids.applicant_id)
        self.run_engine()
        self.assertEqual(self.sent_to()["+16285550177"], 1)

    def test_a_campaign_to_a_static_list_and_to_chosen_recipients_texts_each_once(self):
        crew = self.applicants(2)
        campaign = self.env["recruit.sms.campaign"].with_user(self.recruiter).create({
            "name": "Both", "body": "Hi", "list_id": self.make(applicant_ids=[(6, 0, crew.ids)]).id,
            "recipient_ids": [(6, 0, crew[:1].ids)]})
        self.assertEqual(campaign.review_eligible, 2)
        campaign.action_send()
        self.run_engine()
        self.assertEqual(sorted(self.sent_to().values()), [1, 1])

    def test_conditions_that_match_everyone_are_refused(self):
        text_list = self.make(kind="dynamic", domain="[]")
        self.assertIn("set at least one condition", text_list.blocked_summary)
        with self.assertRaisesRegex(UserError, "set at least one condition"):
            text_list._recruit_sms_members()

    def test_lists_stay_in_their_company(self):
        text_list = self.make(applicant_ids=[(6, 0, self.applicant.ids)])
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.recruiter.write({"company_ids": [(4, company_b.id)], "company_id": company_b.id})
        with self.assertRaises(AccessError):
            text_list.with_user(self.recruiter).with_context(allowed_company_ids=company_b.ids).read(["name"])

    def test_a_campaign_stays_readable_when_its_list_breaks(self):
        self.applicants(1, job_id=self.job.id)
        text_list = self.make(kind="dynamic", domain=f"[('job_id', '=', {self.job.id})]")
        campaign = self.env["recruit.sms.campaign"].with_user(self.recruiter).create({
            "name": "To the list", "body": "Hi", "list_id": text_list.id})
        self.assertEqual(campaign.review_eligible, 2, "the new applicant and Ann, both for this job")
        text_list.domain = "[]"
        campaign.invalidate_recordset()
        self.assertIn("set at least one condition", campaign.review_warning)
        with self.assertRaisesRegex(UserError, "set at least one condition"):
            campaign.action_send()
        campaign.action_cancel()
        self.assertEqual(campaign.state, "cancelled")
