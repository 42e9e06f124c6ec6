"""Rules that several paths once applied each in their own way, now applied in one place:
whatever path sends, the same rule holds."""

from odoo.tests import tagged

from .test_campaign import CampaignCase, FakeClock

NOTICE = "Reply STOP to opt out."


class OneRuleCase(CampaignCase):
    def flagged(self):
        """The applicant's message may ask to stop: a recruiter is to decide."""
        self.company.sudo().write({"sms_provider": "sandbox", "recruit_sms_intent_opt_out": False})
        self.applicant.with_user(self.recruiter).recruit_sms_simulate_reply("Please stop texting me")
        self.assertTrue(self.applicant.recruit_sms_optout_asked, "flagged for a recruiter to decide")

    def bodies_to(self, number):
        return [r["form"]["Body"] for r in self.twilio.requests if r["form"] and r["form"]["To"] == number]


@tagged("post_install", "-at_install")
class TestFirstContactNotice(OneRuleCase):
    def test_every_first_text_carries_the_notice_whatever_posts_it(self):
        """Campaigns, like the composer and the text on apply, add the company's
        first-contact notice to the first text a number gets, and only to that one."""
        self.company.recruit_sms_first_contact_notice = NOTICE
        recipients = self.applicants(2)
        self.campaign(recipients, body="New shifts open!").action_send()
        self.run_engine(FakeClock())
        for applicant in recipients:
            self.assertEqual(self.bodies_to(applicant.phone_sanitized), [f"New shifts open!\n{NOTICE}"])
        self.campaign(recipients, body="More shifts!").action_send()
        self.run_engine(FakeClock())
        for applicant in recipients:
            self.assertEqual(self.bodies_to(applicant.phone_sanitized)[-1], "More shifts!", "only the first")

    def test_an_answer_to_stop_carries_no_notice(self):
        self.company.recruit_sms_first_contact_notice = NOTICE
        number = "+16285550199"
        applicant = self.env["hr.applicant"].create({"partner_name": "Sam", "partner_phone": number,
                                                     "recruit_sms_consent": True})
        applicant._recruit_sms_send_confirmation(number, "You are unsubscribed.")
        self.assertEqual(self.bodies_to(number), ["You are unsubscribed."])


@tagged("post_install", "-at_install")
class TestOneOptOut(OneRuleCase):
    def test_a_recruiters_opt_out_ends_the_question_of_the_message(self):
        """Only the candidate's keyword cleared the flag; ^opt-out left the conversation
        marked 'may ask to stop' for ever."""
        self.flagged()
        self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "Note", "^opt-out asked by phone")
        self.applicant.invalidate_recordset()
        self.assertFalse(self.applicant.recruit_sms_optout_asked)
        self.assertEqual(self.env["phone.blacklist"]._recruit_sms_opted_out([self.applicant.phone_sanitized]),
                         {self.applicant.phone_sanitized})

    def test_the_providers_unsubscribed_ends_it_too(self):
        self.flagged()
        self.env["phone.blacklist"].sudo()._recruit_sms_block_unsubscribed([self.applicant.phone_sanitized])
        self.applicant.invalidate_recordset()
        self.assertFalse(self.applicant.recruit_sms_optout_asked)
        ledger = self.env["recruit.sms.consent.event"].search([("number", "=", self.applicant.phone_sanitized)])
        self.assertEqual(ledger[:1].mapped("source"), ["twilio_21610"])


@tagged("post_install", "-at_install")
class TestOneHolderRule(OneRuleCase):
    def test_the_providers_opt_out_is_recorded_for_the_company_that_sent(self):
        """Twilio's 21610 on a company-B text put the first applicant found, of any company,
        in the ledger: now whoever holds the number in the company that sent, as the gate
        reads them."""
        number = "+16285550188"
        company_b = self.env["res.company"].create({"name": "Company B", "country_id": self.env.ref("base.us").id})
        ours = self.env["hr.applicant"].create({"partner_name": "A's", "partner_phone": number})
        theirs = self.env["hr.applicant"].with_company(company_b).create({
            "partner_name": "B's", "partner_phone": number, "company_id": company_b.id, "recruit_sms_consent": True})
        self.assertLess(ours.id, theirs.id)
        self.env["phone.blacklist"].sudo()._recruit_sms_block_unsubscribed([number], company_b)
        [row] = self.env["recruit.sms.consent.event"].search([("number", "=", number), ("event", "=", "opt_out")])
        self.assertEqual((row.company_id, row.applicant_id), (company_b, theirs))
        holders = self.env["hr.applicant"]._recruit_sms_holders([number], company_b)
        self.assertEqual(holders, theirs, "another company's applicant holds nothing here")
        self.assertEqual(self.env["hr.applicant"]._recruit_sms_holders([number], self.company), ours)

    def test_confirming_a_message_asked_to_stop_ends_it_when_the_number_is_opted_out_already(self):
        self.flagged()
        self.env["phone.blacklist"].sudo()._add([self.applicant.phone_sanitized])  # e.g. by hand, in Odoo's blacklist
        self.applicant.with_user(self.recruiter).action_recruit_sms_optout_asked()
        self.applicant.invalidate_recordset()
        self.assertFalse(self.applicant.recruit_sms_optout_asked)
