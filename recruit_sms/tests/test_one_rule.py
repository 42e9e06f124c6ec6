"""Rules that several paths once applied each in their own way, now applied in one place:
whatever path sends, the same rule holds."""

from odoo.tests import tagged

from .test_campaign import CampaignCase, FakeClock

NOTICE = "Reply STOP to opt out."


class OneRuleCase(CampaignCase):
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
