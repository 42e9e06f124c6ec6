"""The law of the recipient's place, through the real paths: a recruiter's text held by
Florida's hours while New York's goes, and four campaigns in a row that the states with a
cap of three texts a day stop at the fourth."""

import csv
import io
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools import gate
from .inbound_common import TwilioInboundCase
from .test_campaign import CampaignCase, FakeClock

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
        # the evidence: each text with the law it went under
        self.recruiter.group_ids |= self.env.ref("hr_recruitment.group_hr_recruitment_user")
        action = self.people["Florida"].with_user(self.recruiter).action_recruit_sms_export_consent()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        texts = [row for row in csv.reader(io.StringIO(attachment.raw.decode())) if row[3] == "Text sent"]
        self.assertEqual([(row[1], row[4], row[5], row[6], row[7]) for row in texts],
                         [("'+13055550101", "Written by a recruiter", "Rita Recruiter", "Florida (FTSA)", "Hello Florida")])

    def test_the_fourth_campaign_in_a_day_reaches_only_the_state_without_a_cap(self):
        recipients = self.env["hr.applicant"].union(*self.people.values())
        for round_ in range(4):
            with freeze_time(f"2026-12-07 15:{round_ * 5:02d}:00"):
                campaign = self.campaign(recipients, body=f"Round {round_ + 1}: new shifts open!")
                if round_ == 3:  # the review says who would wait, and by which rule
                    self.assertEqual(campaign.review_held.splitlines(), [
                        "texts per 24 hours reached (Florida (FTSA)): 1",
                        "texts per 24 hours reached (Maryland (Stop the Spam Calls Act)): 1",
                        "texts per 24 hours reached (Oklahoma (OTSA)): 1"])
                    self.assertEqual(campaign.review_eligible, 4, "held, not excluded: they get it tomorrow")
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
        laws = {line.applicant_id: line.mail_message_id.notification_ids.recruit_sms_law
                for line in self.env["recruit.sms.campaign.line"].search([("state", "=", "sent")])}
        self.assertEqual((laws[self.people["Oklahoma"]], laws[self.people["New York"]]), ("Oklahoma (OTSA)", False))

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


@tagged("post_install", "-at_install")
class TestAnOptOutEndsTheConversation(TwilioInboundCase):
    """A STOP (or a request to stop, once decided) is not a message waiting for an answer,
    and each campaign counts the opt-outs it caused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recruit_sms_sla_hours = 1
        cls.applicant.recruit_sms_assigned_user_id = cls.recruiter

    def send_campaign(self, applicants):
        campaign = self.env["recruit.sms.campaign"].with_user(self.recruiter).create({
            "name": "Night shift", "body": "New night shifts are open!", "recipient_ids": [(6, 0, applicants.ids)]})
        campaign.action_send()
        clock = FakeClock()
        self.env["recruit.sms.campaign"]._recruit_sms_send_due(clock=(clock, clock.sleep))
        return campaign

    def test_stop_leaves_the_inbox_gets_no_escalation_and_is_no_reply(self):
        with freeze_time("2026-07-06 14:00:00"):
            campaign = self.send_campaign(self.applicant)
        inbox_before = self.applicant.with_user(self.recruiter).recruit_sms_inbox_count()
        with freeze_time("2026-07-06 15:00:00"):
            self.post(self.form("STOP"))
        self.applicant.invalidate_recordset()
        self.assertTrue(self.blacklisted())
        self.assertFalse(self.applicant.recruit_sms_waiting_since)
        self.assertEqual(self.applicant.with_user(self.recruiter).recruit_sms_inbox_count(), inbox_before)
        self.assertIn("STOP", [bubble["body"] for bubble in self.bubbles()], "the STOP stays in the conversation")
        with freeze_time("2026-07-07 15:00:00"):  # long past the response time
            self.env["hr.applicant"]._cron_recruit_sms_escalate()
        self.assertFalse(self.applicant.activity_ids.filtered(lambda a: (a.summary or "").startswith("Answer")))
        campaign.invalidate_recordset()
        self.assertEqual((campaign.count_replied, campaign.count_opted_out), (0, 1))
        report = self.env["recruit.sms.report"]
        report._recruit_sms_refresh()
        [(opted_out,)] = report._read_group([("campaign_id", "=", campaign.id)], [], ["opted_out:sum"])
        self.assertEqual(opted_out, 1, "the analytics of the campaign count its opt-out")

    def test_an_opt_out_before_the_campaign_is_excluded_not_counted(self):
        other = self.env["hr.applicant"].create({"partner_name": "Olga Other", "partner_phone": "+1 415 555 0177",
                                                 "recruit_sms_consent": True})
        self.post(self.form("STOP", sender="+14155550177"))
        with freeze_time(fields.Datetime.now() + timedelta(minutes=5)):
            campaign = self.send_campaign(self.applicant | other)
        sent = campaign.line_ids.filtered(lambda line: line.state == "sent")
        self.assertEqual((campaign.count_opted_out, sent.applicant_id), (0, self.applicant), "Olga is excluded")

    def test_a_request_to_stop_nobody_decides_is_honoured_by_the_tenth_business_day(self):
        with freeze_time("2026-07-06 15:00:00"):  # a Monday
            self.post(self.form("I found a job, please stop texting me"))
        self.applicant.invalidate_recordset()
        self.assertTrue(self.applicant.recruit_sms_optout_asked)
        [activity] = self.applicant.activity_ids.filtered(lambda a: "ask to stop" in (a.summary or ""))
        self.assertEqual(activity.user_id, self.recruiter)
        # the tenth business day after Monday 6 July (two weekends skipped): Monday 20 July
        self.assertEqual(str(activity.date_deadline), "2026-07-20")
        self.twilio.requests.clear()
        with freeze_time("2026-07-19 23:59:00"):
            self.env["hr.applicant"]._cron_recruit_sms_honour_revocations()
        self.assertFalse(self.blacklisted(), "before the deadline, still the recruiter's call")
        with freeze_time("2026-07-20 00:00:00"):
            self.env["hr.applicant"]._cron_recruit_sms_honour_revocations()
        self.assertTrue(self.blacklisted())
        self.applicant.invalidate_recordset()
        self.assertFalse(self.applicant.recruit_sms_optout_asked)
        self.assertFalse(self.applicant.recruit_sms_waiting_since)
        self.assertEqual(len(self.twilio.requests), 1, "the candidate is told they are unsubscribed")
        event = self.env["recruit.sms.consent.event"].search([("number", "=", "+14155550142"), ("event", "=", "opt_out")])
        self.assertEqual((event.source, str(event.date), str(event.inbound_id.received_date)),
                         ("deadline", "2026-07-20 00:00:00", "2026-07-06 15:00:00"))
        rows = list(csv.reader(io.StringIO(event._to_csv())))
        self.assertEqual((rows[1][0], rows[1][-1]), ("2026-07-20 00:00:00", "2026-07-06 15:00:00"),
                         "when it was honoured, and when it came")


@tagged("post_install", "-at_install")
class TestCanada(CampaignCase):
    """CASL: every text to a Canadian number names its sender; consent that is only
    implied (an import) lapses six months after the last contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"name": "Northwind Staffing", "phone": "+1 416 555 0100"})

    def test_every_text_to_a_canadian_number_names_the_sender(self):
        toronto = self.env["hr.applicant"].create({"partner_name": "Tom Toronto", "partner_phone": "+1 416 555 0199",
                                                   "recruit_sms_consent": True})
        composers = self.env["recruit.sms.composer"].with_user(self.recruiter).create([
            {"applicant_id": applicant.id, "channel": "sms", "subject": "Shift", "body": "Are you free Monday?"}
            for applicant in (toronto, self.applicant)])
        self.assertNotEqual(*composers.mapped("sms_count_info"), "the composer counts the identification")
        toronto.with_user(self.recruiter).recruit_sms_send("sms", "Shift", "Are you free Monday?")
        self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Shift", "Are you free Monday?")
        bodies = {request["form"]["To"]: request["form"]["Body"] for request in self.twilio.requests}
        self.assertEqual(bodies["+14165550199"],
                         "Are you free Monday?\nNorthwind Staffing, +1 416 555 0100. Reply STOP to opt out.")
        self.assertEqual(bodies["+14155550142"], "Are you free Monday?", "a US number: no identification")

    def test_imported_consent_lapses_after_six_months_and_express_consent_does_not(self):
        with freeze_time("2026-01-10 12:00:00"):
            result = self.env["hr.applicant"].load(["partner_name", "partner_phone", "recruit_sms_consent"],
                                                   [["Iris Import", "+1 416 555 0188", "1"],
                                                    ["Eve Express", "+1 416 555 0177", "1"]])
        imported, express = self.env["hr.applicant"].browse(result["ids"])
        express.recruit_sms_consent = False
        with freeze_time("2026-01-10 12:00:00"):
            express.recruit_sms_consent = True  # a recruiter heard them say yes: express
        self.assertEqual(imported.recruit_sms_consent_basis, "Implied (imported): lapses on Jul 10, 2026 under Canada (CASL)")
        self.assertEqual(express.recruit_sms_consent_basis, "Express: the candidate gave it")
        with freeze_time("2026-07-10 11:59:00"):
            self.assertFalse(imported._recruit_sms_verdict(gate.AUTOMATED).code)
        with freeze_time("2026-07-10 12:00:00"):
            verdict = imported._recruit_sms_verdict(gate.AUTOMATED)
            self.assertEqual((verdict.code, verdict.rule), (gate.CONSENT_LAPSED, "Canada (CASL)"))
            self.assertIn("lapsed under Canada (CASL)", imported._recruit_sms_blocked_reason(kind=gate.AUTOMATED))
            self.assertFalse(imported._recruit_sms_verdict(gate.MANUAL).code, "a recruiter may ask them again")
            self.assertFalse(express._recruit_sms_verdict(gate.AUTOMATED).code)
            campaign = self.campaign(imported | express)
            self.assertEqual(campaign.review_eligible, 1)
            self.assertIn("implied consent lapsed (Canada (CASL)): 1", campaign.review_exclusions)
        # their message is a new contact: six more months
        imported.sudo().recruit_sms_last_inbound_date = "2026-07-01 09:00:00"
        self.assertEqual(imported.recruit_sms_consent_basis, "Implied (imported): lapses on Jan 1, 2027 under Canada (CASL)")
