"""The law of the recipient's place, through the real paths: a recruiter's text held by
Florida's hours while New York's goes, and four campaigns in a row that the states with a
cap of three texts a day stop at the fourth."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_campaign import CampaignCase

# 10:00 in Miami and Baltimore (EST), 9:00 in Oklahoma City (CST): within every state's hours
MORNING = "2026-12-07 15:00:00"
# 20:30 in Miami and New York
EVENING = "2026-12-08 01:30:00"
NUMBERS = {"Florida": "+1 305 555 0101", "Oklahoma": "+1 405 555 0102", "Maryland": "+1 410 555 0103",
           "New York": "+1 212 555 0104"}


@tagged("post_install", "-at_install")
class TestTextingLaw(CampaignCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = {state: cls.env["hr.applicant"].create({
            "partner_name": f"Cand {state}", "partner_phone": number, "recruit_sms_consent": True,
        }) for state, number in NUMBERS.items()}

    def test_a_florida_number_at_half_past_eight_in_the_evening_is_held_while_new_yorks_goes(self):
        with freeze_time(EVENING):
            for state in ("Florida", "New York"):
                self.people[state].with_user(self.recruiter).recruit_sms_send("sms", "Shift", f"Hello {state}")
        self.assertEqual(list(self.sent_to()), ["+12125550104"], "New York's text went, Florida's did not")
        held = self.env["sms.sms"].sudo().search([("number", "=", "+13055550101")])
        self.assertEqual(held.state, "outgoing")
        self.assertEqual(str(held.recruit_sms_hold_until), "2026-12-08 13:00:00", "8:00 in Miami")
        self.assertIn("Florida (FTSA)", held.recruit_sms_hold_reason)
        [bubble] = self.bubbles(self.people["Florida"])
        self.assertIn("Florida (FTSA)", bubble["held_reason"])
        sms_model = self.env["sms.sms"].sudo()
        with freeze_time("2026-12-08 12:59:00"):  # the queue's own choice of what may go now
            self.assertFalse(sms_model.search(sms_model._recruit_sms_queue_domain()))
        with freeze_time("2026-12-08 13:00:00"):
            sms_model.search(sms_model._recruit_sms_queue_domain())._send()
        self.assertEqual(self.sent_to()["+13055550101"], 1, "sent when Florida's hours open")

    def test_the_fourth_campaign_in_a_day_reaches_only_the_state_without_a_cap(self):
        recipients = self.env["hr.applicant"].union(*self.people.values())
        for round_ in range(4):
            with freeze_time(f"2026-12-07 15:{round_ * 5:02d}:00"):
                campaign = self.campaign(recipients, body=f"Round {round_ + 1}: new shifts open!")
                campaign.action_send()
                self.run_engine()
        sent = self.sent_to()
        self.assertEqual(sent, {"+13055550101": 3, "+14055550102": 3, "+14105550103": 3, "+12125550104": 4})
        lines = {line.applicant_id: line for line in campaign.line_ids}
        for state, rule in (("Florida", "Florida (FTSA)"), ("Oklahoma", "Oklahoma (OTSA)"),
                            ("Maryland", "Maryland (Stop the Spam Calls Act)")):
            line = lines[self.people[state]]
            self.assertEqual(line.state, "held", state)
            self.assertIn(rule, line.failure_reason)
            self.assertIn("no more texts to this person within 24 hours", line.failure_reason)
            # held until the first of the day's three is 24 hours old
            self.assertEqual(str(line.next_attempt_at), "2026-12-08 15:00:00", state)
        self.assertEqual(lines[self.people["New York"]].state, "sent")

    def test_a_recruiters_reply_to_a_candidate_who_just_wrote_is_not_capped(self):
        florida = self.people["Florida"]
        with freeze_time(MORNING):
            for round_ in range(3):
                florida._recruit_sms_send_now(florida.phone_sanitized, f"Automated {round_}", "automated")
            florida.sudo().recruit_sms_last_inbound_date = "2026-12-07 14:59:00"
            florida.with_user(self.recruiter).recruit_sms_send("sms", "Re", "Sure, see you at 3")
            florida._recruit_sms_send_now(florida.phone_sanitized, "Automated 4", "automated")
        bodies = [request["form"]["Body"] for request in self.twilio.requests]
        self.assertEqual(bodies, ["Automated 0", "Automated 1", "Automated 2", "Sure, see you at 3"],
                         "the reply goes; the fourth automated text waits")

    def test_the_address_decides_over_the_area_code(self):
        florida = self.people["Florida"]
        florida.partner_id = self.env["res.partner"].create({
            "name": "Cand Florida", "phone": NUMBERS["Florida"], "country_id": self.env.ref("base.us").id,
            "state_id": self.env.ref("base.state_us_27").id})
        self.assertEqual(florida.phone_sanitized, "+13055550101")
        with freeze_time(EVENING):  # 20:30 in Miami; the address says New York, so it goes
            florida.with_user(self.recruiter).recruit_sms_send("sms", "Shift", "Hello")
        self.assertEqual(self.sent_to()["+13055550101"], 1)

    def test_the_strictest_rule_everywhere_when_the_company_chooses_it(self):
        self.company.recruit_sms_law_everywhere = True
        with freeze_time(EVENING):  # 20:30 in New York: Florida's hours, applied everywhere, are closed
            self.people["New York"].with_user(self.recruiter).recruit_sms_send("sms", "Shift", "Hello")
        self.assertFalse(self.twilio.requests)

    def test_only_administrators_change_the_laws_rules_and_managers_their_companys(self):
        florida = self.env.ref("recruit_sms.law_rule_us_fl")
        self.recruiter.group_ids |= self.env.ref("hr_recruitment.group_hr_recruitment_manager")
        with self.assertRaises(AccessError):
            florida.with_user(self.recruiter).write({"end_hour": 23})
        own = self.env["recruit.sms.law.rule"].with_user(self.recruiter).create({
            "name": "Our own evenings", "company_id": self.company.id, "hours_apply": True,
            "start_hour": 9, "end_hour": 18})
        own.with_user(self.recruiter).end_hour = 19
        self.assertEqual(own.end_hour, 19)
