from odoo.tests import tagged

from .common import RecruitSmsCase

CURLY = "We\u2019d love to meet you \u2014 are you free on Monday at 10:00? Reply YES and we\u2019ll send the address."


@tagged("post_install", "-at_install")
class TestRepairAndCost(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["recruit.sms.price"].search([]).unlink()  # the demo's prices
        cls.belgian = cls.env["hr.applicant"].create({
            "partner_name": "Bea Belgian", "partner_phone": "+32 470 12 34 56", "job_id": cls.job.id,
            "recruit_sms_consent": True})

    def test_the_composer_shows_the_costly_characters_and_repairs_them(self):
        composer = self.env["recruit.sms.composer"].with_user(self.recruiter).create(
            {"applicant_id": self.applicant.id, "channel": "sms", "subject": "Interview", "body": CURLY * 2})
        self.assertIn("\u201c\u2019\u201d \u201c\u2014\u201d", composer.sms_repair_info)
        self.assertIn("3 SMS become 2", composer.sms_repair_info)
        counted = composer.recruit_sms_count(CURLY * 2, self.applicant.id)
        self.assertEqual((counted["segments"], counted["repair"]["segments"]), (3, 2))
        composer.action_repair()
        self.assertIn("We'd love to meet you - are you free", composer.body)
        self.assertFalse(composer.sms_repair_info)
        self.assertFalse(composer.recruit_sms_count("See you \U0001F44B \u2014 Rita", self.applicant.id)["repair"],
                         "an emoji keeps it Unicode: nothing to gain")

    def test_the_campaign_review_estimates_the_cost_per_country_and_repairs(self):
        Price = self.env["recruit.sms.price"]
        campaign = self.env["recruit.sms.campaign"].with_user(self.recruiter).create({
            "name": "Open day", "body": CURLY, "recipient_ids": [(6, 0, (self.applicant | self.belgian).ids)]})
        self.assertIn("set the prices in Settings", campaign.review_cost_missing, "no price at all: says where")
        Price.create({"country_id": self.env.ref("base.us").id, "price": 0.0079})
        campaign.invalidate_recordset()
        self.assertEqual(campaign.review_segments, 2)
        self.assertAlmostEqual(campaign.review_cost, 2 * 0.0079)
        self.assertEqual(campaign.review_cost_missing, "BE")
        Price.create({"price": 0.05})  # every other country
        campaign.invalidate_recordset()
        self.assertAlmostEqual(campaign.review_cost, 2 * 0.0079 + 2 * 0.05)
        self.assertFalse(campaign.review_cost_missing)
        self.assertIn("2 SMS become 1", campaign.review_repair)
        campaign.action_repair_body()
        self.assertEqual(campaign.review_segments, 1)
        self.assertAlmostEqual(campaign.review_cost, 0.0079 + 0.05)
        self.assertFalse(campaign.review_repair)

    def test_prices_are_per_company(self):
        self.env["recruit.sms.price"].create({"price": 0.05})
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.assertEqual(self.env["recruit.sms.price"]._recruit_sms_prices(company_b), {})
        self.assertEqual(self.env["recruit.sms.price"]._recruit_sms_prices(self.company), {None: 0.05})
