"""Sending on the real network: Twilio answers in hundreds of milliseconds, sometimes too
late or not in JSON, and has no idempotency key. Requests go several at once at the
sender's pace, and a message that may have reached Twilio is confirmed (status
callback, else a look-up of the account's messages) before it is ever sent again."""

import time
from collections import Counter
from unittest.mock import patch

from freezegun import freeze_time
from twilio.request_validator import RequestValidator

from odoo.addons.recruit_sms.providers.twilio import TwilioStream
from odoo.addons.sms_twilio.tools.sms_twilio import generate_twilio_sms_callback_signature
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .inbound_common import ROUTE, InboundCase
from .test_campaign import CampaignCase, FakeClock

LATER = "2099-01-01 00:00:00"  # past every confirmation delay


class NetworkCase(CampaignCase):
    def posts(self):
        return [r for r in self.twilio.requests if r["form"] is not None]

    def lookups(self):
        return [r for r in self.twilio.requests if r["form"] is None and "/Messages.json" in r["path"]]


@tagged("post_install", "-at_install")
class TestConcurrentPacedEngine(NetworkCase):
    def test_requests_overlap_at_the_senders_pace(self):
        """With Twilio answering after 200 ms, one request at a time could never pass
        five a second; the engine keeps several in flight, each handed at the pace."""
        self.us_number.recruit_sms_rate = 20
        self.twilio.latency = 0.2
        campaign = self.campaign(self.applicants(12))
        campaign.action_send()
        self.env["recruit.sms.campaign"]._recruit_sms_send_due(clock=(time.time, time.sleep))
        self.assertEqual(campaign.state, "done")
        self.assertEqual(Counter(r["form"]["To"] for r in self.posts()),
                         Counter(campaign.line_ids.mapped("number")), "each recipient once")
        self.assertGreater(self.twilio.max_in_flight, 1, "requests in flight at once")
        self.assertLessEqual(self.twilio.max_in_flight, TwilioStream.MAX_IN_FLIGHT)
        moments = sorted(campaign.line_ids.mapped("handed_at"))
        for start in moments:
            self.assertLessEqual(sum(1 for m in moments if start <= m < start + 1 - 1e-9), 20, "never above the rate")

    def test_the_in_flight_limit_follows_the_latency_within_its_cap(self):
        self.env["ir.config_parameter"].sudo().set_param("recruit_sms.max_in_flight", 8)
        self.us_number.recruit_sms_rate = 50
        self.twilio.latency = 0.3
        campaign = self.campaign(self.applicants(30))
        campaign.action_send()
        self.run_engine(FakeClock())  # the pace costs no time: the places in flight are the limit
        self.assertEqual(campaign.count_sent, 30)
        self.assertGreater(self.twilio.max_in_flight, 1)
        self.assertLessEqual(self.twilio.max_in_flight, 8, "the configured most")

    def test_an_opt_out_during_the_run_stops_the_messages_not_yet_handed(self):
        self.us_number.recruit_sms_rate = 20
        self.twilio.latency = 0.1
        recipients = self.applicants(40)
        campaign = self.campaign(recipients)
        campaign.action_send()
        late = recipients[-1]
        calls = []
        original = type(self.env["recruit.sms.campaign.line"])._recruit_sms_recheck

        def recheck(lines, handoffs):
            calls.append(len(handoffs))
            if len(calls) == 2:  # a second into the run, the last recipient texts STOP
                self.env["phone.blacklist"].sudo()._add([late.phone_sanitized])
            return original(lines, handoffs)

        with patch.object(type(self.env["recruit.sms.campaign.line"]), "_recruit_sms_recheck", recheck):
            self.env["recruit.sms.campaign"]._recruit_sms_send_due(clock=(time.time, time.sleep))
        self.assertNotIn(late.phone_sanitized, [r["form"]["To"] for r in self.posts()])
        self.assertEqual(campaign.line_ids.filtered(lambda line: line.applicant_id == late).state, "failed")


@tagged("post_install", "-at_install")
class TestLateAnswersAreNeverResentBlind(NetworkCase):
    def late(self, count):
        """Twilio creates each of the next ``count`` messages but answers after the client
        gave up (Odoo's tests stretch timeouts to 10 s)."""
        for _index in range(count):
            self.twilio.answer(201, {"sid": f"SMlate{_index}", "status": "queued"}, delay=11)

    def test_each_recipient_gets_one_text_when_twilio_answers_late(self):
        """A 3-person campaign whose every answer came after the timeout sent 15 texts."""
        recipients = self.applicants(3)
        campaign = self.campaign(recipients)
        self.late(3)
        campaign.action_send()
        self.run_engine()
        self.assertEqual(set(campaign.line_ids.mapped("state")), {"unconfirmed"})
        self.assertEqual(campaign.state, "sending", "not done while Twilio has not confirmed")
        self.run_engine()  # before the confirmation delay: nothing goes again
        self.assertEqual(len(self.posts()), 3)
        with freeze_time(LATER):
            self.run_engine()
        self.assertEqual(Counter(r["form"]["To"] for r in self.posts()),
                         Counter(recipients.mapped("phone_sanitized")), "one text per recipient")
        self.assertEqual(len(self.lookups()), 3, "each confirmed by a look-up of the account's messages")
        self.assertEqual(set(campaign.line_ids.mapped("state")), {"sent"})
        self.assertEqual(sorted(campaign.line_ids.mapped("provider_sid")), ["SMlate0", "SMlate1", "SMlate2"])
        self.assertEqual(campaign.state, "done")

    def test_a_message_twilio_never_created_goes_again_once(self):
        recipients = self.applicants(1)
        campaign = self.campaign(recipients)
        self.twilio.answer(502, b"<html>Bad gateway</html>")  # a proxy's page: it may or may not have gone on
        campaign.action_send()
        self.run_engine()
        self.assertEqual(campaign.line_ids.state, "unconfirmed")
        with freeze_time(LATER):
            self.run_engine()
        self.assertEqual(len(self.lookups()), 1)
        self.assertEqual(len(self.posts()), 2, "not in Twilio's list: sent again")
        self.assertEqual(len(self.twilio.created), 1)
        self.assertEqual(campaign.line_ids.state, "sent")

    def test_when_twilio_cannot_say_the_message_fails_for_a_person_to_check(self):
        campaign = self.campaign(self.applicants(1))
        self.late(1)
        campaign.action_send()
        self.run_engine()
        self.twilio.list_answer = (500, {"code": 20500, "message": "Internal error"})
        with freeze_time(LATER):
            self.run_engine()
        self.assertEqual(len(self.posts()), 1, "never sent again without knowing")
        line = campaign.line_ids
        self.assertEqual(line.state, "failed")
        self.assertIn("check in the provider's console before resending", line.failure_reason)
        self.assertEqual(campaign.state, "done")


@tagged("post_install", "-at_install")
class TestStatusCallbackConfirms(HttpCase, NetworkCase):
    def test_a_signed_status_callback_confirms_an_unanswered_send(self):
        self.company.sms_twilio_auth_token = "tok"
        campaign = self.campaign(self.applicants(1))
        self.twilio.answer(201, {"sid": "SMcb", "status": "queued"}, delay=11)  # after the client gave up
        campaign.action_send()
        self.run_engine()
        line = campaign.line_ids
        self.assertEqual(line.state, "unconfirmed")
        form = {"MessageSid": "SMcb", "SmsSid": "SMcb", "SmsStatus": "sent", "AccountSid": "AC" + "7" * 32}
        signature = generate_twilio_sms_callback_signature(self.company, line.sms_uuid, form)
        forged = self.url_open(f"/sms_twilio/status/{line.sms_uuid}", data=form, headers={"X-Twilio-Signature": "x"})
        self.assertEqual(forged.status_code, 404)
        line.invalidate_recordset()
        self.assertEqual(line.state, "unconfirmed", "an unsigned callback confirms nothing")
        response = self.url_open(f"/sms_twilio/status/{line.sms_uuid}", data=form,
                                 headers={"X-Twilio-Signature": signature})
        self.assertEqual(response.status_code, 200)
        line.invalidate_recordset()
        self.assertEqual((line.state, line.provider_sid), ("sent", "SMcb"))
        with freeze_time(LATER):
            self.run_engine()
        self.assertEqual((len(self.posts()), len(self.lookups())), (1, 0), "no look-up, nothing sent again")


@tagged("post_install", "-at_install")
class TestEverySignedInboundIsKept(InboundCase):
    def test_long_empty_media_only_and_location_messages_are_stored(self):
        forms = {
            "long": self.form("w" * 3000),
            "empty": self.form(""),
            "media": self.form("", NumMedia="1", MediaUrl0="https://media.example/cv.pdf",
                               MediaContentType0="application/pdf"),
            "location": self.form("", Latitude="41.8781", Longitude="-87.6298", Address="Chicago"),
        }
        for kind, form in forms.items():
            with self.subTest(kind=kind):
                self.assertEqual(self.post(form).status_code, 200)
                self.assertTrue(self.inbound(form), "kept: Twilio never sends a refused message again")
        self.assertEqual(self.inbound(forms["long"]).body, "w" * 3000)
        self.assertIn("https://www.openstreetmap.org/?mlat=41.878100&mlon=-87.629800",
                      self.inbound(forms["location"]).body)
        self.assertEqual(self.inbound(forms["empty"]).state, "matched")

    def test_repeated_form_keys_are_signed_as_twilio_signs_them(self):
        form = self.form("Two pictures", NumMedia="2")
        pairs = [*form.items(), ("MediaUrl0", "https://media.example/1.jpg"), ("MediaUrl0", "https://media.example/2.jpg")]

        class Pairs(dict):
            def getall(self, key):
                return [value for name, value in pairs if name == key]

        signature = RequestValidator("inbound-test-token").compute_signature(self.webhook_url(), Pairs(pairs))
        response = self.url_open(ROUTE, data=pairs, headers={"X-Twilio-Signature": signature})
        self.assertEqual(response.status_code, 200)
        forged = RequestValidator("inbound-test-token").compute_signature(self.webhook_url(), dict(pairs))
        with self.assertLogs("odoo.addons.recruit_sms.controllers.inbound", "WARNING"):
            refused = self.url_open(ROUTE, data=[*pairs[:-1], ("Body", "x")], headers={"X-Twilio-Signature": forged})
        self.assertEqual(refused.status_code, 403)

    def test_each_stored_message_schedules_its_own_wake_up(self):
        """A due wake-up may be the one a running cron is consuming, whose search no longer
        sees a message stored now: every message adds its own."""
        cron = self.env.ref("recruit_sms.ir_cron_recruit_sms_inbound")
        cron._trigger()  # due now: the one a running cron is consuming
        self.env.cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])
        before = self.env.cr.fetchone()[0]
        self.assertEqual(self.post(self.form("STOP"), process=False).status_code, 200)
        self.env.cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])
        self.assertEqual(self.env.cr.fetchone()[0], before + 1)



@tagged("post_install", "-at_install")
class TestQueueNeverResendsBlind(HttpCase, NetworkCase):
    def test_a_late_answer_on_odoos_queue_is_not_confirmed_then_the_callback_delivers_it(self):
        """A 1:1 text through Odoo's SMS queue whose answer came after the timeout: it ends
        in error saying it may have gone (nothing sends it again by itself), and Twilio's
        signed status callback, when it comes, moves it on to delivered."""
        self.company.sms_twilio_auth_token = "tok"
        self.twilio.answer(201, {"sid": "SMq", "status": "queued"}, delay=11)  # after the client gave up
        message = self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Hello", "Your interview is on")
        self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])._send()
        notification = message.notification_ids
        self.assert_text(notification, "exception", "Your interview is on")
        self.assertIn("Not confirmed by the provider: it may have been sent", notification.failure_reason)
        self.assertEqual(len(self.posts()), 1)
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        form = {"MessageSid": "SMq", "SmsSid": "SMq", "SmsStatus": "delivered", "AccountSid": "AC" + "7" * 32}
        signature = generate_twilio_sms_callback_signature(self.company, sms.uuid, form)
        response = self.url_open(f"/sms_twilio/status/{sms.uuid}", data=form, headers={"X-Twilio-Signature": signature})
        self.assertEqual(response.status_code, 200)
        notification.invalidate_recordset()
        self.assert_text(notification, "sent", "Your interview is on")  # delivered, as Twilio said
        self.assertEqual((sms.state, sms.to_delete), ("pending", True), "no longer a failed SMS: Twilio had it")
        self.assertEqual(len(self.posts()), 1, "sent once")
        with freeze_time(LATER):
            self.env["sms.sms"]._process_queue()
        self.assertEqual((len(self.posts()), len(self.lookups())), (1, 0), "confirmed: neither looked up nor sent again")

    def assert_text(self, notification, state, body):
        """Core's assertion of the text's notification and SMS (an error for a text not
        confirmed: failure type unknown)."""
        notification.invalidate_recordset()
        self.assertSMSNotification(
            [{"partner": self.applicant.partner_id, "number": "+14155550142", "state": state,
              **({"failure_type": "unknown"} if state == "exception" else {})}],
            body, messages=notification.mail_message_id, sent_unlink=state == "sent")

    def queue_text(self, body):
        message = self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Hello", body)
        self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])._send()
        return message.notification_ids

    def test_a_late_answer_without_callback_is_looked_up_then_confirmed(self):
        self.twilio.answer(201, {"sid": "SMq2", "status": "queued"}, delay=11)  # after the client gave up
        notification = self.queue_text("See you on Monday")
        self.assert_text(notification, "exception", "See you on Monday")
        self.env["sms.sms"]._process_queue()  # within the confirmation delay: nothing yet
        self.assertEqual((len(self.posts()), len(self.lookups())), (1, 0))
        with freeze_time(LATER):
            self.env["sms.sms"]._process_queue()
        self.assert_text(notification, "pending", "See you on Monday")  # Twilio has it: sent
        self.assertEqual((len(self.posts()), len(self.lookups())), (1, 1))

    def test_a_text_twilio_never_got_is_queued_again_once(self):
        self.twilio.answer(502, b"<html>Bad gateway</html>")  # a proxy's page: it may or may not have gone on
        notification = self.queue_text("See you on Tuesday")
        self.assert_text(notification, "exception", "See you on Tuesday")
        with freeze_time(LATER):
            self.env["sms.sms"]._recruit_sms_confirm_unconfirmed()  # the queue's first step
        self.assertEqual(len(self.lookups()), 1)
        self.assert_text(notification, "ready", "See you on Tuesday")  # not in Twilio's list: queued again
        self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])._send()  # the queue's sending
        self.assertEqual(len(self.posts()), 2)
        self.assertEqual(len(self.twilio.created), 1)
        self.assert_text(notification, "pending", "See you on Tuesday")
        with freeze_time(LATER):
            self.env["sms.sms"]._recruit_sms_confirm_unconfirmed()
        self.assertEqual((len(self.posts()), len(self.lookups())), (2, 1), "once")


@tagged("post_install", "-at_install")
class TestRetryFailedLeavesTheUnconfirmed(NetworkCase):
    def test_retry_failed_does_not_resend_what_may_have_gone(self):
        """A message the look-up could not confirm may have reached the candidate: Retry
        failed leaves it for a person to check, and resends the others."""
        recipients = self.applicants(2)
        campaign = self.campaign(recipients)
        self.twilio.answer(201, {"sid": "SMq", "status": "queued"}, delay=11)  # after the client gave up
        self.twilio.answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
        campaign.action_send()
        self.run_engine()
        self.twilio.list_answer = (500, {"code": 20500, "message": "Internal error"})
        with freeze_time(LATER):
            self.run_engine()
        self.assertEqual(sorted(campaign.line_ids.mapped("state")), ["failed", "failed"])
        posts = len(self.posts())
        self.twilio.list_answer = None
        campaign.action_retry_failed()
        self.run_engine()
        self.assertEqual(len(self.posts()), posts + 1, "only the refused one goes again")
        unconfirmed = campaign.line_ids.filtered(lambda line: "check in the provider's console" in (line.failure_reason or ""))
        self.assertEqual(unconfirmed.state, "failed")
        with self.assertRaisesRegex(UserError, "No failed message to retry"):
            campaign.action_retry_failed()
