import itertools
from collections import Counter
from datetime import datetime

from freezegun import freeze_time

from odoo.addons.base.models import ir_cron as ir_cron_model
from odoo.addons.recruit_sms.models import recruit_sms_campaign as campaign_model
from odoo.addons.recruit_sms.providers import open_sms_stream
from odoo.addons.recruit_sms.tools.inbound import InboundSms
from odoo.addons.recruit_sms.tools.pacing import Pacer
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RecruitSmsCase
from .twilio_double import serve_for

ACCOUNT_SID = "AC" + "7" * 32


class FakeClock:
    """The pacer's clock: time moves only when the engine waits; a worker can 'die' once the
    clock reaches ``crash_after`` (seconds from the start), however often it is read."""

    START = 1000.0

    def __init__(self, crash_after=None):
        self.now, self.crash_after = self.START, crash_after

    def __call__(self):
        if self.crash_after is not None and self.now - self.START >= self.crash_after:
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
        cls.us_number = cls.env["sms.twilio.number"].create({
            "company_id": cls.company.id, "number": "+15005550006", "country_id": cls.env.ref("base.us").id,
            "recruit_sms_rate": 5})

    def setUp(self):
        super().setUp()
        self.twilio.requests.clear()
        self.twilio.responses.clear()
        self.twilio.stamp = None
        self.twilio.created.clear()
        self.twilio.list_answer = None
        self.twilio.latency = 0
        self.twilio.max_in_flight = 0

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
        return Counter(request["form"]["To"] for request in self.twilio.requests if request["form"] is not None)


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
        action = many.with_user(self.recruiter).action_recruit_sms_bulk_text()
        self.assertEqual(len(self.env["recruit.sms.campaign"].browse(action["res_id"]).recipient_ids), 51)

    def test_add_recipients_from_a_saved_filter(self):
        day = self.applicants(2)
        night = self.env["hr.applicant"].create([{"partner_name": f"Night {i}", "partner_phone": f"+1 628 555 07{i:02d}",
                                                  "recruit_sms_consent": True} for i in range(3)])
        elsewhere = self.env["hr.applicant"].create({
            "partner_name": "Night elsewhere", "partner_phone": "+1 628 555 0799",
            "company_id": self.env["res.company"].create({"name": "Other company"}).id})
        favorite = self.env["ir.filters"].with_user(self.recruiter).create({
            "name": "Night crew", "model_id": "hr.applicant", "domain": "[('partner_name', 'ilike', 'Night')]",
            "user_ids": [(6, 0, self.recruiter.ids)]})
        campaign = self.campaign(day[:1])
        with Form(campaign) as form:
            form.recipient_filter_id = favorite
            self.assertEqual(form.recipient_domain, favorite.domain)
        campaign.action_add_recipients()
        self.assertEqual(campaign.recipient_ids, day[:1] | night,
                         "the favorite's matches the recruiter may see (not another company's) join the recipients")
        self.assertNotIn(elsewhere, campaign.recipient_ids)
        with self.assertRaisesRegex(UserError, "no applicant you can see matches that is not already a recipient"):
            campaign.action_add_recipients()
        campaign.recipient_domain = "[('no_such_field', '=', 1)]"
        with self.assertRaisesRegex(UserError, "Applicants matching: .* is not a usable condition"):
            campaign.action_add_recipients()
        campaign.recipient_domain = "[]"
        with self.assertRaisesRegex(UserError, "set at least one condition"):
            campaign.action_add_recipients()
        campaign.recipient_domain = "[('partner_name', '=', 'Cand 1')]"
        campaign.action_send()
        with self.assertRaisesRegex(UserError, "only be edited while it is unsent"):
            campaign.action_add_recipients()
        self.assertEqual(len(campaign.line_ids), 4, "the sent campaign kept its recipients")

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
        # once sent, the review is what it was then, whatever happens to the recipients after
        campaign.action_send()
        self.env["phone.blacklist"].sudo()._add([ok[0].phone_sanitized])
        no_consent.recruit_sms_consent = True
        campaign.invalidate_recordset()
        self.assertEqual((campaign.review_recipients, campaign.review_eligible), (8, 4))
        self.assertEqual(campaign.review_exclusions, "duplicate number: 1\ninvalid number: 1\nno consent: 1\nopted out: 1")

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
        sends = [r for r in self.twilio.requests if r["form"] is not None]
        self.assertEqual(len(sends), 200 + 12,
                         "12 transient failures retried; the timeout was not sent again, Twilio had it")
        self.assertEqual(len(self.twilio.requests) - len(sends), 1, "the unanswered send was looked up once")
        successes = Counter(message["to"] for message in self.twilio.created)
        self.assertEqual(set(successes), set(recipients.mapped("phone_sanitized")))
        self.assertTrue(all(n == 1 for n in successes.values()), "exactly one accepted message each")
        late = campaign.line_ids.filtered(lambda line: line.provider_sid == "SMlate")
        self.assertEqual(late.state, "sent", "the look-up confirmed it, with its SID")
        self.assertFalse(set(delivered) & {"+16285550300"}, "excluded recipients get nothing")
        self.assertEqual(campaign.count_sent, 200)
        self.assertEqual(campaign.count_failed, 0)
        self.assertEqual(len(campaign.line_ids.filtered(lambda line: line.state == "excluded")), 3)
        bodies = {r["form"]["Body"] for r in self.twilio.requests if r["form"] is not None}
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

    def test_a_campaign_that_cannot_be_prepared_fails_its_messages_and_blocks_no_other(self):
        broken = self.campaign(self.applicants(2), body="Hi {{ object.partner_name }}")
        broken.action_send()
        healthy = self.campaign(self.applicants(3)[2:], body="Still here")
        healthy.action_send()
        # a body that no longer renders (checked on every save; here broken behind the ORM's back)
        self.env.cr.execute("UPDATE recruit_sms_campaign SET body = '{{ object.no_such_field }}' WHERE id = %s",
                            [broken.id])
        broken.invalidate_recordset(["body"])
        self.run_engine()
        self.assertEqual([r["form"]["Body"] for r in self.twilio.requests], ["Still here"])
        self.assertEqual(healthy.state, "done")
        self.assertEqual((broken.state, broken.count_failed), ("done", 2))
        self.assertTrue(all(line.failure_reason.startswith("Not sent:") for line in broken.line_ids))

    def test_a_cancelled_campaign_cannot_be_revived_by_retrying(self):
        self.twilio.answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
        campaign = self.campaign(self.applicants(2))
        campaign.action_send()
        self.run_engine(limit=1)
        campaign.action_cancel()
        self.assertTrue(campaign.line_ids.filtered(lambda line: line.state == "failed"))
        with self.assertRaisesRegex(UserError, "campaign that was sent"):
            campaign.with_user(self.recruiter).action_retry_failed()
        self.assertEqual(campaign.state, "cancelled")

    def test_killed_worker_resumes_exactly_once(self):
        """As the cron runs the engine: each outcome is committed before the next message
        goes, and a worker's death rolls back whatever it had not committed."""
        recipients = self.applicants(20)
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.env.flush_all()
        self.registry_enter_test_mode()  # the registry's cursors commit to savepoints of this test

        def cron_run(clock):
            with self.registry.cursor() as cr:  # rolled back if the run raises, as the cron does
                self.env(cr=cr)["recruit.sms.campaign"]._recruit_sms_send_due(clock=(clock, clock.sleep), commit=True)

        with self.assertRaisesRegex(RuntimeError, "worker killed"):
            cron_run(FakeClock(crash_after=1.6))  # dies when the ninth message is due (5 a second)
        self.env.invalidate_all()
        handed_before = len(self.twilio.requests)
        self.assertTrue(0 < handed_before < 20)
        self.assertEqual(campaign.count_sent, handed_before, "every message handed over is recorded, crash or not")
        cron_run(FakeClock())
        self.env.invalidate_all()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(sorted(self.sent_to().values()), [1] * 20, "nobody twice, nobody skipped")
        self.assertEqual(len(self.sms_messages(recipients[0])), 1, "one message on the conversation")

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
        rate = self.us_number.recruit_sms_rate
        for start in send_moments:
            self.assertLessEqual(sum(1 for m in send_moments if start <= m < start + 1 - 1e-9), rate)
        self.assertAlmostEqual(send_moments[-1] - send_moments[0], 29 * 1.02 / rate, delta=0.01,
                               msg="as close to the rate as possible, with the 2 % margin")
        self.assertEqual(len(self.twilio.requests), 30)

    def test_pace_holds_from_one_run_to_the_next(self):
        campaign = self.campaign(self.applicants(6))
        campaign.action_send()
        clock = FakeClock()
        self.assertEqual(self.run_engine(clock, limit=3), 3)  # a run stopped part-way, as the cron's time budget does
        self.assertEqual(self.run_engine(clock, limit=3), 3)  # the next run starts with new pacers
        moments = sorted(campaign.line_ids.mapped("handed_at"))
        self.assertEqual(len(moments), 6)
        self.assertEqual(set(campaign.line_ids.mapped("sender")), {"+15005550006"})
        interval = 1 / self.us_number.recruit_sms_rate
        gaps = [later - earlier for earlier, later in itertools.pairwise(moments)]
        self.assertTrue(all(gap >= interval - 1e-9 for gap in gaps), f"never faster than the rate, across runs too: {gaps}")

    def test_the_cron_sends_a_campaign_larger_than_its_time_budget_without_waiting_its_interval(self):
        """Through Odoo's own cron runner: each call stops when the job's time is up and
        says what is left, so Odoo calls again at once instead of in five minutes."""
        self.us_number.recruit_sms_rate = 500
        self.patch(campaign_model, "BATCH_MAX", 5)  # batches of 5: 20 recipients take 4 calls
        self.patch(ir_cron_model, "MIN_TIME_PER_JOB", 0)  # every call finds its time up after one batch
        campaign = self.campaign(self.applicants(20))
        campaign.action_send()
        cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_campaign")
        job = {**cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0}
        self.env.flush_all()
        self.registry_enter_test_mode()
        with self.registry.cursor() as cr:
            self.registry["ir.cron"]._process_job(cr, job)
        self.env.invalidate_all()
        self.assertEqual(len(self.twilio.requests), 20)
        self.assertEqual(campaign.state, "done", "one cron job, several calls: the whole campaign")
        progress = self.env["ir.cron.progress"].search([("cron_id", "=", cron.id)], order="id")
        self.assertEqual(progress.mapped("done"), [5, 5, 5, 5])
        self.assertEqual(progress.mapped("remaining"), [15, 10, 5, 0])

    def test_campaign_respects_the_gate_at_send_time(self):
        recipients = self.applicants(3)
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.env["phone.blacklist"].sudo()._add([recipients[1].phone_sanitized])  # STOP after the review
        self.run_engine()
        self.assertEqual(campaign.count_failed, 1)
        self.assertNotIn(recipients[1].phone_sanitized, self.sent_to())
        self.assertIn("opted out", campaign.line_ids.filtered(lambda line: line.state == "failed").failure_reason)


class HookedClock(FakeClock):
    """A pacer clock that runs ``hook`` once (in the engine's own transaction) when the
    engine's time reaches ``after`` seconds from the start."""

    def __init__(self, after, hook):
        super().__init__()
        self.after, self.hook = after, hook

    def __call__(self):
        now = super().__call__()
        if self.hook and now - self.START >= self.after:
            hook, self.hook = self.hook, None
            hook()
        return now


@tagged("post_install", "-at_install")
class TestCampaignSendersAndGate(CampaignCase):
    def test_each_twilio_number_keeps_its_own_pace(self):
        self.env["sms.twilio.number"].create({"company_id": self.company.id, "number": "+3225550006",
                                              "country_id": self.env.ref("base.be").id, "recruit_sms_rate": 2})
        us = self.applicants(10)
        be = self.env["hr.applicant"].create([{
            "partner_name": f"Kand {i}", "partner_phone": f"+32 470 12 34 {i:02d}", "recruit_sms_consent": True,
        } for i in range(6)])
        campaign = self.campaign(us | be)
        self.assertEqual(campaign.review_senders, "+15005550006 at 5/s, +3225550006 at 2/s")
        self.assertEqual(campaign.review_duration, "0:00:03", "the slower sender sets it: 6 at 2/s")
        campaign.action_send()
        clock = FakeClock()
        self.twilio.stamp = lambda: clock.now
        self.run_engine(clock)
        by_sender = {}
        for request in self.twilio.requests:
            by_sender.setdefault(request["form"]["From"], []).append((request["form"]["To"], request["at"]))
        self.assertEqual({sender: len(sent) for sender, sent in by_sender.items()}, {"+15005550006": 10, "+3225550006": 6})
        self.assertTrue(all(to.startswith("+32") for to, _at in by_sender["+3225550006"]), "Belgians from the Belgian number")
        for sender, rate in (("+15005550006", 5), ("+3225550006", 2)):
            # when each was handed to the provider (with requests in flight at once, the
            # moment one arrives at the double is a matter of threads, not of pace)
            moments = campaign.line_ids.filtered(lambda line, sender=sender: line.sender == sender).mapped("handed_at")
            self.assertEqual(len(moments), len(by_sender[sender]))
            for start in moments:
                self.assertLessEqual(sum(1 for m in moments if start <= m < start + 1 - 1e-9), rate, sender)
        # side by side, not one after the other: the whole run lasts about the slow sender's 6 messages
        self.assertLess(clock.now - 1000.0, 5 * 1.02 / 2 + 0.1)
        self.assertEqual(campaign.state, "done")

    def test_messaging_service_sends_at_its_rate(self):
        self.company.recruit_sms_twilio_messaging_service_sid = "MG" + "5" * 32
        self.company.recruit_sms_rate = 3
        campaign = self.campaign(self.applicants(4))
        self.assertEqual(campaign.review_senders, f"MG{'5' * 32} at 3/s")
        campaign.action_send()
        clock = FakeClock()
        self.twilio.stamp = lambda: clock.now
        self.run_engine(clock)
        self.assertEqual({r["form"].get("MessagingServiceSid") for r in self.twilio.requests}, {"MG" + "5" * 32})
        moments = sorted(campaign.line_ids.mapped("handed_at"))
        self.assertAlmostEqual(moments[-1] - moments[0], 3 * 1.02 / 3, delta=0.01)

    def test_opt_out_while_the_campaign_runs_stops_later_messages(self):
        recipients = self.applicants(12)
        campaign = self.campaign(recipients)
        campaign.action_send()
        late = recipients[10]
        clock = HookedClock(0.4, lambda: self.env["phone.blacklist"].sudo()._add([late.phone_sanitized]))
        self.run_engine(clock)
        self.assertNotIn(late.phone_sanitized, self.sent_to(), "STOP recorded mid-run: no text after the next check")
        self.assertEqual(len(self.twilio.requests), 11)
        line = campaign.line_ids.filtered(lambda line: line.applicant_id == late)
        self.assertEqual(line.state, "failed")
        self.assertIn("opted out", line.failure_reason)
        self.assertEqual((campaign.count_sent, campaign.state), (11, "done"))

    def test_quiet_hours_hold_recipients_and_release_them(self):
        self.company.write({"recruit_sms_quiet_start": 8, "recruit_sms_quiet_end": 21})
        recipients = self.applicants(3)  # +1 628: Los Angeles
        campaign = self.campaign(recipients)
        with freeze_time("2026-07-01 06:00:00"):  # 23:00 in Los Angeles
            campaign.action_send()
            self.run_engine()
            self.assertEqual(self.twilio.requests, [])
            self.assertEqual((campaign.count_held, campaign.state), (3, "sending"))
            # the campaign's recruiter, without a time zone, reads UTC and is told so
            self.assertIn("Held until Jul 1, 2026, 3:00 PM UTC", campaign.line_ids[0].failure_reason)
            self.assertIn("3 held until Jul 1, 2026, 3:00 PM UTC at the earliest", campaign.with_user(self.recruiter).held_note)
            self.recruiter.tz = "Europe/Paris"
            campaign.invalidate_recordset(["held_note"])
            self.assertIn("3 held until Jul 1, 2026, 5:00 PM at the earliest", campaign.with_user(self.recruiter).held_note)
        with freeze_time("2026-07-01 14:59:00"):
            self.run_engine()
            self.assertEqual(self.twilio.requests, [], "still night in Los Angeles")
        with freeze_time("2026-07-01 15:00:00"):  # 08:00 there
            self.run_engine()
        self.assertEqual(sorted(self.sent_to().values()), [1, 1, 1])
        self.assertEqual((campaign.count_held, campaign.count_sent, campaign.state), (0, 3, "done"))
        self.assertFalse(campaign.held_note)
        self.assertEqual(set(campaign.line_ids.mapped("delivery_state")), {"pending"})
        self.assertEqual(campaign.line_ids[:1]._fields["delivery_state"].convert_to_export("pending", campaign.line_ids[:1]),
                         "Sent", "shown in words, not as Odoo's raw status")

    def test_a_batch_prepared_before_the_hours_close_is_not_sent_after(self):
        self.company.write({"recruit_sms_quiet_start": 8, "recruit_sms_quiet_end": 21})
        recipients = self.applicants(2)
        campaign = self.campaign(recipients)
        campaign.action_send()
        lines = self.env["recruit.sms.campaign.line"]
        stream = open_sms_stream(self.env, self.company)
        with freeze_time("2026-07-01 03:59:59"):  # 20:59:59 in Los Angeles: open for one more second
            batch = lines._recruit_sms_claim(campaign, 10)
            handoffs = batch._recruit_sms_prepare(stream)
        self.assertEqual(len(handoffs), 2)
        self.assertEqual(handoffs[0].closes_at, datetime(2026, 7, 1, 4, 0))
        with freeze_time("2026-07-01 04:00:01"):
            clock = FakeClock()
            handed = lines._recruit_sms_hand_off(
                handoffs, stream, {}, lambda _sender: Pacer(5, clock=clock, sleep=clock.sleep), clock=clock)
        self.assertEqual((handed, self.twilio.requests), (0, []))
        self.assertEqual(set(batch.mapped("state")), {"held"})
        self.assertEqual(set(batch.mapped("next_attempt_at")), {datetime(2026, 7, 1, 15, 0)})

    def test_the_sms_queue_leaves_campaign_messages_to_the_campaign(self):
        recipients = self.applicants(3)
        campaign = self.campaign(recipients)
        campaign.action_send()
        lines = self.env["recruit.sms.campaign.line"]
        lines._recruit_sms_claim(campaign, 10)._recruit_sms_prepare(open_sms_stream(self.env, self.company))
        posted = self.env["sms.sms"].sudo().search([("recruit_sms_campaign_line_id", "in", campaign.line_ids.ids)])
        self.assertEqual(set(posted.mapped("state")), {"outgoing"})
        self.env["sms.sms"]._process_queue()
        self.assertEqual(self.twilio.requests, [], "core's queue does not send them unpaced")
        self.run_engine()
        self.assertEqual(sorted(self.sent_to().values()), [1, 1, 1])

    def test_merge_fields_recruiters_may_use(self):
        recipients = self.applicants(1)
        recipients.job_id = self.env["hr.job"].create({"name": "Night nurse"})
        ok = self.campaign(recipients, body="Hi {{ object.partner_name }}, about {{ object.job_id.name }}")
        ok.action_send()
        self.run_engine()
        self.assertEqual(self.twilio.requests[-1]["form"]["Body"], "Hi Cand 0, about Night nurse")
        with self.assertRaisesRegex(ValidationError, r"Body: only these merge fields.*object\.partner_name"):
            self.campaign(self.applicants(1, partner_phone="+1 628 555 0990"), body="{{ object.env.user.login }}")


@tagged("post_install", "-at_install")
class TestCampaignReplies(CampaignCase):
    def test_a_reply_lands_in_the_inbox_with_the_campaign(self):
        recipients = self.applicants(2, user_id=self.recruiter.id)
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.run_engine()
        replier = recipients[1]
        record, _created = self.env["recruit.sms.inbound"]._recruit_sms_receive(InboundSms(
            message_sid="SMreply1", account_sid=ACCOUNT_SID, from_number=replier.phone_sanitized,
            to_number="+15005550006", body="Yes please"), self.company)
        self.assertEqual(record.applicant_id, replier)
        self.assertEqual(record.campaign_id, campaign)
        self.assertEqual(replier.recruit_sms_campaign_id, campaign)
        self.assertEqual((campaign.count_replied, campaign.line_ids.filtered("replied").applicant_id), (1, replier))
        rows = [row for group in replier.with_user(self.recruiter).recruit_sms_inbox_data()["groups"]
                for row in group["conversations"] if row["id"] == replier.id]
        self.assertEqual(rows[0]["campaign"], "Night shift")
        self.assertEqual(self.bubbles(replier)[-1]["campaign"], "Night shift")


@tagged("post_install", "-at_install")
class TestCampaignOnTheSandbox(CampaignCase):
    def test_sandbox_campaign_is_delivered_without_any_provider(self):
        self.company.sms_provider = "sandbox"
        recipients = self.applicants(3)
        campaign = self.campaign(recipients)
        self.assertEqual(campaign.review_senders, "the SMS provider at 5/s")
        campaign.action_send()
        self.run_engine()
        self.assertEqual(self.twilio.requests, [], "the sandbox sends nothing out")
        self.assertEqual((campaign.state, campaign.count_sent, campaign.count_delivered), ("done", 3, 3))
        self.assertEqual(self.bubbles(recipients[0])[-1]["state"], "delivered")


@tagged("post_install", "-at_install")
class TestOneWayToPostAnSms(CampaignCase):
    def posted(self, applicant):
        message = self.sms_messages(applicant)
        self.assertEqual(len(message), 1)
        notification = message.notification_ids
        self.assertEqual((notification.notification_type, len(notification.sms_tracker_ids)), ("sms", 1))
        sms = self.env["sms.sms"].sudo().search([("uuid", "=", notification.sms_tracker_ids.sms_uuid)])
        return message, notification, sms

    def test_replies_confirmations_and_campaigns_post_the_same_way(self):
        """Each kind of text is posted on the conversation alike (an SMS log with its
        notification, tracker and SMS), and its SMS says what it was sent as."""
        replied, confirmed, reached = self.applicants(3)
        replied.with_user(self.recruiter).recruit_sms_send("sms", "Shift", "Can you start at 8?")
        confirmed._recruit_sms_send_confirmation(confirmed.phone_sanitized, "You are unsubscribed.")
        campaign = self.campaign(reached)
        campaign.action_send()
        self.run_engine()
        expected = {
            replied: ("Shift", self.recruiter.partner_id, "manual", "Can you start at 8?"),
            confirmed: (False, self.env.user.partner_id, "confirmation", "You are unsubscribed."),
            reached: ("Night shift", self.recruiter.partner_id, "campaign", "Hi Cand 2, new shifts open!"),
        }
        for applicant, (subject, author, kind, body) in expected.items():
            with self.subTest(kind=kind):
                message, notification, sms = self.posted(applicant)
                self.assertEqual((message.subject, message.author_id), (subject, author))
                self.assertEqual((sms.recruit_sms_kind, sms.body, sms.number), (kind, body, applicant.phone_sanitized))
                self.assertEqual(notification.sms_number, applicant.phone_sanitized)
                self.assertIn(notification.notification_status, ("sent", "pending"))
        self.assertEqual(self.sent_to(), {a.phone_sanitized: 1 for a in expected})
