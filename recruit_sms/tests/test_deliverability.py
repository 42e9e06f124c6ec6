"""Keeping the numbers alive: the brake on carrier filtering, senders' health, daily caps,
numbers that cannot receive texts and the pre-flight of the words, with the carrier's
answers coming as Twilio sends them (signed status callbacks, through the controller)."""

from collections import Counter

from freezegun import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sms_twilio.tools.sms_twilio import generate_twilio_sms_callback_signature
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..tools.inbound import InboundSms
from .test_campaign import ACCOUNT_SID, CampaignCase, HookedClock

SENDER = "+15005550006"


class DeliverabilityCase(HttpCase, CampaignCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sms_twilio_auth_token = "tok"
        cls.manager = mail_new_test_user(
            cls.env, login="rsms_deliv_manager", name="Mia Manager", company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)], groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")

    def carrier(self, lines, status="delivered", code=None):
        """The carrier's final answer for ``lines``, posted as Twilio posts it."""
        for line in lines:
            form = {"MessageSid": line.provider_sid or "SMx", "SmsSid": line.provider_sid or "SMx", "SmsStatus": status,
                    "MessageStatus": status, "AccountSid": ACCOUNT_SID}
            if code:
                form["ErrorCode"] = str(code)
            signature = generate_twilio_sms_callback_signature(self.company.sudo(), line.sms_uuid, form)
            response = self.url_open(f"/sms_twilio/status/{line.sms_uuid}", data=form,
                                     headers={"X-Twilio-Signature": signature})
            self.assertEqual(response.status_code, 200)
        lines.invalidate_recordset()

    def sent_lines(self, campaign):
        # the engine writes its outcomes in SQL, also while a hook of its clock runs
        self.env["recruit.sms.campaign.line"].invalidate_model()
        campaign.invalidate_recordset()
        return campaign.line_ids.filtered(lambda line: line.state == "sent").sorted("id")


@tagged("post_install", "-at_install")
class TestTheBrake(DeliverabilityCase):
    def test_filtering_pauses_at_the_threshold_not_before_and_resume_sends_nobody_twice(self):
        recipients = self.applicants(40)
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.run_engine(limit=20)
        first = self.sent_lines(campaign)
        self.assertEqual(len(first), 20)
        self.carrier(first[:16])
        self.carrier(first[16:], "undelivered", 30007)  # 4 filtered: under the 5 of 100
        self.run_engine(limit=5)
        self.assertEqual(campaign.state, "sending", "4 filtered of 100 is not the threshold")
        second = self.sent_lines(campaign) - first
        self.assertEqual(len(second), 5)
        self.carrier(second[:1], "undelivered", 30007)  # the fifth
        before = len(self.twilio.requests)
        self.run_engine()
        self.assertEqual(len(self.twilio.requests), before, "paused before another text went")
        self.assertEqual(campaign.state, "paused")
        self.assertIn("5 of the last 21 texts of sender +15005550006 were filtered by the carriers as spam (30007",
                      campaign.pause_reason)
        self.assertIn("Paused by the brake", campaign.message_ids[0].body)
        activity = campaign.activity_ids
        self.assertEqual(activity.user_id, self.manager | self.env.ref("base.user_admin"))
        sender = self.env["recruit.sms.sender"].search([("name", "=", SENDER)])
        self.assertTrue(sender.braked)
        self.assertEqual((sender.health, sender.filtered_count, sender.delivered_count), ("braked", 5, 16))
        # nothing lost: the rest are still to send
        self.assertEqual(campaign.count_pending, 15)
        with self.assertRaises(AccessError):
            campaign.with_user(self.recruiter).action_resume()  # a manager's decision
        campaign.with_user(self.manager).action_resume()
        self.assertEqual(campaign.state, "sending")
        self.assertFalse(sender.braked, "the sender resumes with it, its figures counted anew")
        self.assertIn("Resumed by Mia Manager", campaign.message_ids[0].body)
        self.assertFalse(campaign.activity_ids, "the managers' activity is done")
        self.run_engine()
        self.assertEqual(campaign.state, "done")
        sent = Counter(request["form"]["To"] for request in self.twilio.requests if request["form"])
        self.assertEqual(len(sent), 40)
        self.assertEqual(set(sent.values()), {1}, "nobody texted twice")

    def test_the_brake_stops_a_batch_as_the_answers_come(self):
        """The carriers' answers come while the engine sends: it pauses within a second of
        the fifth filtered text, not at the end of the batch."""
        recipients = self.applicants(60)
        campaign = self.campaign(recipients)
        campaign.action_send()

        def filtered_meanwhile():
            self.carrier(self.sent_lines(campaign)[:5], "undelivered", 30007)

        clock = HookedClock(after=2.0, hook=filtered_meanwhile)  # 5 texts a second: about 10 went
        self.run_engine(clock)
        self.assertEqual(campaign.state, "paused")
        handed = len(self.sent_lines(campaign))
        self.assertLessEqual(handed, 10 + 5 + 1, "at most a second of texts after the answers came")
        self.assertEqual(campaign.count_pending, 60 - handed)

    def test_unregistered_pauses_the_sender_for_every_campaign(self):
        campaign = self.campaign(self.applicants(10))
        campaign.action_send()
        self.run_engine(limit=4)
        lines = self.sent_lines(campaign)
        self.carrier(lines[:2], "failed", 30034)
        self.run_engine(limit=1)
        self.assertEqual(campaign.state, "sending", "two refusals: a carrier's passing error, perhaps")
        self.carrier(lines[2:3], "failed", 30034)
        self.run_engine()
        self.assertEqual(campaign.state, "paused")
        self.assertIn("not registered for A2P 10DLC", campaign.pause_reason)
        other = self.campaign(self.applicants(3, partner_name="Other"))
        other.action_send()
        before = len(self.twilio.requests)
        self.run_engine()
        self.assertEqual(len(self.twilio.requests), before)
        self.assertEqual(other.state, "paused")
        self.assertIn("Its sender +15005550006 is paused", other.pause_reason)

    def test_opt_outs_after_a_campaign_pause_it(self):
        recipients = self.applicants(10)
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.run_engine(limit=5)
        lines = self.sent_lines(campaign)
        self.carrier(lines)
        for line in lines[:3]:
            self.env["recruit.sms.inbound"]._recruit_sms_receive(InboundSms(
                message_sid=f"SMstop{line.id}", account_sid=ACCOUNT_SID, from_number=line.number, to_number=SENDER,
                body="STOP"), self.company)
        self.run_engine()
        self.assertEqual(campaign.state, "paused")
        self.assertIn("3 recipients of the last 5 texts of this campaign opted out", campaign.pause_reason)
        sender = self.env["recruit.sms.sender"].search([("name", "=", SENDER)])
        self.assertFalse(sender.braked, "opt-outs are the campaign's, not the sender's")

    def test_the_analytics_count_what_the_carriers_answered_per_sender(self):
        campaign = self.campaign(self.applicants(4))
        campaign.action_send()
        self.run_engine()
        lines = self.sent_lines(campaign)
        self.carrier(lines[:1], "undelivered", 30007)
        self.carrier(lines[1:2], "undelivered", 30006)
        self.carrier(lines[2:])
        Report = self.env["recruit.sms.report"]
        Report._recruit_sms_refresh()
        rows = Report._read_group([("campaign_id", "=", campaign.id), ("direction", "=", "out")], ["sender"],
                                  ["sent:sum", "filtered:sum", "unregistered:sum", "cannot_receive:sum"])
        self.assertEqual(rows, [(SENDER, 4, 1, 0, 1)])
        self.assertEqual((campaign.count_filtered, campaign.count_cannot_receive), (1, 1))

    def test_thresholds_are_the_companys(self):
        self.company.recruit_sms_brake_filtered_pct = 10.0  # 10 of 100
        campaign = self.campaign(self.applicants(12))
        campaign.action_send()
        self.run_engine(limit=6)
        self.carrier(self.sent_lines(campaign), "undelivered", 30007)
        self.run_engine()
        self.assertEqual(campaign.state, "done", "6 filtered is under this company's 10")


@tagged("post_install", "-at_install")
class TestDailyCaps(DeliverabilityCase):
    def test_a_daily_cap_stops_for_the_day_and_resumes_the_next(self):
        self.company.recruit_sms_daily_cap = 10
        campaign = self.campaign(self.applicants(15))
        with freeze_time("2026-07-01 18:00:00"):  # 11:00 in Los Angeles
            campaign.action_send()
            self.run_engine()
            self.assertEqual(len(self.twilio.requests), 10)
            held = campaign.line_ids.filtered(lambda line: line.state == "held")
            self.assertEqual(len(held), 5)
            self.assertIn("Daily cap of 10 texts reached", held[0].failure_reason)
            self.assertEqual(campaign.state, "sending")
        with freeze_time("2026-07-02 00:30:00"):  # the next day, but 17:30 the day before in Los Angeles: still open
            self.run_engine()
        with freeze_time("2026-07-02 18:00:00"):
            self.run_engine()
            self.assertEqual(campaign.state, "done")
        sent = Counter(request["form"]["To"] for request in self.twilio.requests if request["form"])
        self.assertEqual((len(sent), set(sent.values())), (15, {1}))

    def test_a_senders_own_cap(self):
        sender = self.env["recruit.sms.sender"]._recruit_sms_get(self.company, [SENDER])
        sender.with_user(self.manager).daily_cap = 3
        campaign = self.campaign(self.applicants(5))
        with freeze_time("2026-07-01 18:00:00"):
            campaign.action_send()
            self.run_engine()
            self.assertEqual(len(self.twilio.requests), 3)
            self.assertEqual(sender.sent_today, 3)

    def test_the_carriers_daily_limit_pauses_the_sender_until_the_next_day(self):
        campaign = self.campaign(self.applicants(6))
        with freeze_time("2026-07-01 18:00:00"):
            campaign.action_send()
            self.run_engine(limit=2)
            self.carrier(self.sent_lines(campaign)[:1], "failed", 30027)
            sender = self.env["recruit.sms.sender"].search([("name", "=", SENDER)])
            self.assertEqual(str(sender.paused_until), "2026-07-02 00:00:00")
            self.assertIn("daily limit was reached (error 30027)", sender.paused_reason)
            self.assertFalse(sender.braked, "a day's limit is no brake: it lifts itself")
            self.run_engine()
            self.assertEqual(len(self.twilio.requests), 2, "nothing more today")
        with freeze_time("2026-07-02 18:00:00"):
            self.run_engine()
        self.assertEqual(len(self.twilio.requests), 6)


@tagged("post_install", "-at_install")
class TestNumbersThatCannotReceive(DeliverabilityCase):
    def test_a_landline_is_excluded_from_the_next_campaign_until_its_number_is_edited(self):
        recipients = self.applicants(3)
        first = self.campaign(recipients)
        first.action_send()
        self.run_engine()
        landline = first.line_ids.filtered(lambda line: line.applicant_id == recipients[0])
        self.carrier(landline, "undelivered", 30006)
        self.assertTrue(recipients[0].recruit_sms_cannot_receive)
        second = self.campaign(recipients)
        self.assertEqual(second.review_eligible, 2)
        self.assertIn("cannot receive texts (landline or no such number): 1", second.review_exclusions)
        second.action_send()
        self.twilio.requests.clear()
        self.run_engine()
        self.assertNotIn(recipients[0].phone_sanitized, self.sent_to())
        self.assertIn("cannot receive texts (error 30006", second.line_ids.filtered(
            lambda line: line.applicant_id == recipients[0]).failure_reason)
        recipients[0].partner_phone = "+1 628 555 7777"  # the recruiter corrects it
        self.assertFalse(recipients[0].recruit_sms_cannot_receive)
        third = self.campaign(recipients)
        self.assertNotIn("cannot receive", third.review_exclusions)
        self.assertIn("no consent: 1", third.review_exclusions, "consent is given for a number: asked again")
        recipients[0].recruit_sms_consent = True
        third.invalidate_recordset()
        self.assertEqual(third.review_eligible, 3)

    def test_twilio_refusing_a_landline_on_the_send_marks_it(self):
        recipients = self.applicants(2)
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.twilio.answer(400, {"code": 21614, "message": "'To' number +16285550000 is not a valid mobile number",
                                 "status": 400})
        self.run_engine()
        line = campaign.line_ids.filtered(lambda line: line.applicant_id == recipients[0])
        self.assertEqual((line.state, line.error_code, line.carrier_outcome), ("failed", 21614, "failed"))
        self.assertTrue(recipients[0].recruit_sms_cannot_receive)
        self.assertFalse(recipients[1].recruit_sms_cannot_receive)

    def test_a_one_to_one_text_to_an_unknown_number_marks_it_too(self):
        message = self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Hi", "Hello")
        self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])._send()
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        form = {"MessageSid": "SMu", "SmsSid": "SMu", "SmsStatus": "undelivered", "ErrorCode": "30005",
                "AccountSid": ACCOUNT_SID}
        signature = generate_twilio_sms_callback_signature(self.company.sudo(), sms.uuid, form)
        self.url_open(f"/sms_twilio/status/{sms.uuid}", data=form, headers={"X-Twilio-Signature": signature})
        self.assertTrue(self.applicant.recruit_sms_cannot_receive)
        self.assertFalse(self.applicant.recruit_sms_can_text)


@tagged("post_install", "-at_install")
class TestPreflight(DeliverabilityCase):
    def test_the_review_warns_on_what_carriers_filter(self):
        campaign = self.campaign(self.applicants(1), body="NEW SHIFTS OPEN!!! EARN $500, APPLY AT https://bit.ly/x")
        words = campaign.review_words
        for expected in ("Link shortener (bit.ly)", "No company name", "Mostly capital letters",
                         "Several exclamation marks", "Money or 'free' wording (EARN $500)"):
            self.assertIn(expected, words)
        good = self.campaign(self.applicants(1, partner_name="Good"),
                             body=f"{self.company.name}: the forklift role is open, {{{{ object.partner_name }}}}. Reply YES.")
        self.assertFalse(good.review_words)
        # a warning, never a block
        campaign.action_send()
        self.assertEqual(campaign.state, "sending")


@tagged("post_install", "-at_install")
class TestSenderRecords(DeliverabilityCase):
    def test_only_the_daily_cap_is_a_managers_to_write(self):
        sender = self.env["recruit.sms.sender"]._recruit_sms_get(self.company, [SENDER])
        sender.with_user(self.manager).daily_cap = 500
        self.assertEqual(sender.daily_cap, 500)
        with self.assertRaises(AccessError):
            sender.with_user(self.manager).write({"braked": False, "reset_at": "2026-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            sender.with_user(self.recruiter).daily_cap = 1  # a recruiter reads senders, a manager caps them
