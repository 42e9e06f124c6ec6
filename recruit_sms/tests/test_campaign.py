from collections import Counter
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RecruitSmsCase
from .twilio_double import serve_for

ACCOUNT_SID = "AC" + "7" * 32


class FakeClock:
    """The pacer's clock: records when each message may go, and can 'crash' the worker."""

    def __init__(self, crash_at=None):
        self.now, self.calls, self.crash_at = 1000.0, 0, crash_at

    def __call__(self):
        self.calls += 1
        if self.crash_at is not None and self.calls == self.crash_at:
            raise RuntimeError("worker killed")
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class CampaignCase(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.twilio = serve_for(cls)
        cls.company.write({"sms_provider": "twilio", "sms_twilio_account_sid": ACCOUNT_SID, "sms_twilio_auth_token": "tok",
                           "recruit_sms_rate": 5})
        cls.env["sms.twilio.number"].create({"company_id": cls.company.id, "number": "+15005550006",
                                             "country_id": cls.env.ref("base.us").id})

    def setUp(self):
        super().setUp()
        self.twilio.requests.clear()
        self.twilio.responses.clear()

    def applicants(self, count, **values):
        return self.env["hr.applicant"].create([{
            "partner_name": f"Cand {i}", "partner_phone": f"+1 628 555 {i:04d}", "recruit_sms_consent": True, **values,
        } for i in range(count)])

    def campaign(self, recipients, body="Hi {{ object.partner_name }}, new shifts open!"):
        return self.env["recruit.sms.campaign"].with_user(self.recruiter).create({
            "name": "Night shift", "body": body, "recipient_ids": [(6, 0, recipients.ids)]})

    def run_engine(self, clock=None, limit=None):
        clock = clock or FakeClock()
        return self.env["recruit.sms.campaign"]._recruit_sms_send_due(limit=limit, clock=(clock, clock.sleep))

    def sent_to(self):
        return Counter(request["form"]["To"] for request in self.twilio.requests)


@tagged("post_install", "-at_install")
class TestBulkTextAndReview(CampaignCase):
    def test_bulk_text_is_capped_per_selection(self):
        many = self.applicants(51)
        with self.assertRaisesRegex(UserError, "at most 50 at once.*add more recipients inside it"):
            many.with_user(self.recruiter).action_recruit_sms_bulk_text()
        action = many[:50].with_user(self.recruiter).action_recruit_sms_bulk_text()
        campaign = self.env["recruit.sms.campaign"].browse(action["res_id"])
        self.assertEqual((campaign.state, len(campaign.recipient_ids)), ("draft", 50))
        campaign.recipient_ids |= many[50]  # more inside the campaign
        self.assertEqual(len(campaign.recipient_ids), 51)
        self.company.recruit_sms_bulk_cap = 60
        self.assertTrue(many.with_user(self.recruiter).action_recruit_sms_bulk_text())

    def test_review_counts_exclusions_segments_and_duration(self):
        ok = self.applicants(4)
        no_consent = self.applicants(1, recruit_sms_consent=False, partner_phone="+1 628 555 0100")
        invalid = self.applicants(1, partner_phone="555-12")
        duplicate = self.applicants(1, partner_phone="+1 628 555 0001")
        opted = self.applicants(1, partner_phone="+1 628 555 0200")
        self.env["phone.blacklist"].sudo()._add(["+16285550200"])
        campaign = self.campaign(ok | no_consent | invalid | duplicate | opted, body="x" * 200)
        self.assertEqual(campaign.review_recipients, 8)
        self.assertEqual(campaign.review_eligible, 4)
        self.assertEqual(campaign.review_exclusions, "duplicate number: 1\ninvalid number: 1\nno consent: 1\nopted out: 1")
        self.assertEqual((campaign.review_segments, campaign.review_total_segments), (2, 8))
        self.assertEqual(campaign.review_duration, "0:00:01")  # 4 messages at 5 per second
        self.assertFalse(campaign.review_warning)
        big = self.campaign(self.applicants(501))
        self.assertIn("More than 500 recipients", big.review_warning)

    def test_edit_and_delete_only_while_unsent(self):
        campaign = self.campaign(self.applicants(2))
        campaign.body = "Edited while draft"
        campaign.write({"schedule": "later", "scheduled_at": "2030-01-01 09:00:00"})
        campaign.action_send()
        self.assertEqual(campaign.state, "scheduled")
        campaign.body = "Edited while scheduled"
        with freeze_time("2030-01-01 09:00:01"):
            self.run_engine()
        self.assertEqual(campaign.state, "done")
        with self.assertRaisesRegex(UserError, "finished campaign cannot be changed"):
            campaign.body = "Too late"
        sending = self.campaign(self.applicants(1, partner_phone="+1 628 555 0998"))
        sending.action_send()
        self.assertEqual(sending.state, "sending")
        with self.assertRaisesRegex(UserError, "only be edited while it is unsent"):
            sending.body = "Changed mid-way"
        with self.assertRaisesRegex(UserError, "Only an unsent campaign"):
            campaign.unlink()
        with self.assertRaisesRegex(UserError, "finished campaign cannot be changed"):
            campaign.name = "Renamed"
        draft = self.campaign(self.applicants(1, partner_phone="+1 628 555 0999"))
        draft.unlink()
        self.assertFalse(draft.exists())


@tagged("post_install", "-at_install")
class TestCampaignEngine(CampaignCase):
    def test_two_hundred_recipients_through_faults(self):
        recipients = self.applicants(200)
        excluded = self.applicants(3, recruit_sms_consent=False, partner_phone="+1 628 555 0300")
        campaign = self.campaign(recipients | excluded)
        for status, payload in [(500, {"code": 20500, "message": "Internal error", "status": 500}),
                                (429, {"code": 20429, "message": "Too Many Requests", "status": 429}),
                                (503, {"code": 20503, "message": "Service unavailable", "status": 503})] * 4:
            self.twilio.answer(status, payload)
        # and one timeout: answered after the client gave up (Odoo's tests stretch timeouts to 10 s)
        self.twilio.answer(201, {"sid": "SMlate", "status": "queued"}, delay=11)
        campaign.action_send()
        clock = FakeClock()
        for _round in range(6):  # transient failures wait for their backoff
            with freeze_time(datetime.now() if _round == 0 else f"2099-01-0{_round} 00:00:00"):
                self.run_engine(clock)
            if campaign.state == "done":
                break
        self.assertEqual(campaign.state, "done")
        delivered = self.sent_to()
        self.assertEqual(len(self.twilio.requests), 200 + 13, "12 transient failures and a timeout retried")
        successes = Counter(r["form"]["To"] for r in self.twilio.requests[13:])
        self.assertEqual(set(successes), set(recipients.mapped("recruit_sms_number")))
        self.assertTrue(all(n == 1 for n in successes.values()), "exactly one accepted message each")
        self.assertFalse(set(delivered) & {"+16285550300"}, "excluded recipients get nothing")
        self.assertEqual(campaign.count_sent, 200)
        self.assertEqual(campaign.count_failed, 0)
        self.assertEqual(len(campaign.line_ids.filtered(lambda line: line.state == "excluded")), 3)
        bodies = {r["form"]["Body"] for r in self.twilio.requests}
        self.assertIn("Hi Cand 7, new shifts open!", bodies, "merge fields rendered per applicant")
        self.assertEqual(len(self.sms_messages(recipients[7])), 1, "an individual SMS on the applicant's conversation")

    def test_permanent_errors_fail_that_recipient_and_move_on_then_retry(self):
        recipients = self.applicants(3)
        campaign = self.campaign(recipients)
        self.twilio.answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
        campaign.action_send()
        self.run_engine()
        self.assertEqual(campaign.state, "done")
        self.assertEqual((campaign.count_sent, campaign.count_failed), (2, 1))
        failed = campaign.line_ids.filtered(lambda line: line.state == "failed")
        self.assertEqual(failed.failure_reason, "Invalid 'To' Phone Number")
        campaign.action_retry_failed()
        self.run_engine()
        self.assertEqual((campaign.count_sent, campaign.count_failed, campaign.state), (3, 0, "done"))
        self.assertEqual(len(self.twilio.requests), 4)

    def test_killed_worker_resumes_exactly_once(self):
        recipients = self.applicants(20)
        campaign = self.campaign(recipients)
        campaign.action_send()
        with self.assertRaisesRegex(RuntimeError, "worker killed"):
            self.run_engine(FakeClock(crash_at=9))  # dies while pacing the ninth message
        handed_before = len(self.twilio.requests)
        self.assertTrue(0 < handed_before < 20)
        self.assertEqual(campaign.count_sent, handed_before)
        self.run_engine()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(sorted(self.sent_to().values()), [1] * 20, "nobody twice, nobody skipped")

    def test_pacing_never_exceeds_the_rate(self):
        recipients = self.applicants(30)
        self.campaign(recipients).action_send()
        clock = FakeClock()
        moments = []

        def now():
            moments.append(clock.now)
            return clock.now

        handed = self.env["recruit.sms.campaign"]._recruit_sms_send_due(clock=(now, clock.sleep))
        self.assertEqual(handed, 30)
        send_moments = sorted(set(moments))
        self.assertGreaterEqual(len(send_moments), 30)
        rate = self.company.recruit_sms_rate
        for start in send_moments:
            self.assertLessEqual(sum(1 for m in send_moments if start <= m < start + 1 - 1e-9), rate)
        self.assertAlmostEqual(send_moments[-1] - send_moments[0], 29 * 1.02 / rate, delta=0.01,
                               msg="as close to the rate as possible, with the 2 % margin")
        self.assertEqual(len(self.twilio.requests), 30)

    def test_campaign_respects_the_gate_at_send_time(self):
        recipients = self.applicants(3)
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.env["phone.blacklist"].sudo()._add([recipients[1].recruit_sms_number])  # STOP after the review
        self.run_engine()
        self.assertEqual(campaign.count_failed, 1)
        self.assertNotIn(recipients[1].recruit_sms_number, self.sent_to())
        self.assertIn("opted out", campaign.line_ids.filtered(lambda line: line.state == "failed").failure_reason)
