import csv
import io
import random
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools import quiet_hours
from .inbound_common import TwilioInboundCase

OPT_OUT_REPLY = ("You have successfully been unsubscribed, you will not receive any more messages from this number. "
                 "Reply START to re-subscribe.")
OPT_IN_REPLY = "You have successfully been re-subscribed to this number. Reply STOP to unsubscribe. Msg&Data Rates May Apply."
NUMBER = "+14155550142"


class ComplianceCase(TwilioInboundCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the number was texted before: no first-contact notice in these bodies
        cls.env["sms.sms"].sudo().create({"number": NUMBER, "body": "earlier", "state": "sent", "to_delete": True})

    def ledger(self, number=NUMBER):
        return [(e.event, e.source) for e in self.env["recruit.sms.consent.event"].search(
            [("number", "=", number)], order="id")]


@tagged("post_install", "-at_install")
class TestKeywords(ComplianceCase):
    def test_stop_blocks_every_path_and_start_unblocks(self):
        scheduled_before = self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "Later", "^at 23:59 Later")
        self.assertIn("feedback", scheduled_before)
        self.post(self.form(" Stop. "))
        self.assertTrue(self.blacklisted())
        self.assertEqual(self.sent(), [(NUMBER, OPT_OUT_REPLY)], "one confirmation, whatever the gate")
        self.assertEqual(self.ledger()[-1], ("opt_out", "keyword"))
        self.assertEqual([b["body"] for b in self.bubbles()][-2:], [" Stop. ", OPT_OUT_REPLY], "STOP stays in the conversation")
        self.twilio.requests.clear()

        applicant = self.applicant.with_user(self.recruiter)
        with self.assertRaisesRegex(UserError, "opted out"):
            applicant.recruit_sms_compose("sms", "Hi", "Still there?")  # composer and chat window
        composer = self.env["recruit.sms.composer"].with_user(self.recruiter).create(
            {"applicant_id": self.applicant.id, "channel": "sms", "subject": "Hi", "body": "Hello"})
        self.assertFalse(composer.sms_available)
        self.assertIn("texts can resume only when they text START", composer.sms_blocked_reason)
        with self.assertRaisesRegex(UserError, "opted out"):
            composer.action_send()
        with self.assertRaisesRegex(UserError, "opted out"):
            applicant.recruit_sms_compose("sms", "Hi", "^at 23:58 Later")  # ^at
        message = self.applicant._message_sms("Automated message from another module")  # templates, other modules
        self.assertSMSNotification([{"partner": self.applicant.partner_id, "number": "+14155550142",
                                     "state": "canceled", "failure_type": "sms_optout"}],
                                   "Automated message from another module", messages=message)
        self.assertIn("opted out", message.notification_ids.failure_reason)
        self.applicant._message_sms_schedule_mass(body="Mass SMS from core's composer")
        self.env["sms.sms"].sudo().search([("state", "=", "outgoing")]).send()
        with freeze_time(datetime.now() + timedelta(days=1)):
            self.env["recruit.sms.scheduled"]._send_due()
        self.assertEqual(self.applicant.recruit_sms_scheduled_ids.state, "failed")
        self.assertEqual(self.sent(), [], "nothing reached the provider")

        self.post(self.form("start"))
        self.assertFalse(self.blacklisted())
        self.assertEqual(self.sent(), [(NUMBER, OPT_IN_REPLY)])
        self.assertEqual(self.ledger()[-1], ("opt_in", "keyword"))
        applicant.recruit_sms_compose("sms", "Welcome back", "Glad to have you back")
        self.assertEqual(self.sent()[-1], (NUMBER, "Glad to have you back"))

    def test_longer_messages_are_ordinary(self):
        for body in ("please stop all messages", "stop 🛑", "Yes", "help me with the address"):
            self.post(self.form(body))
        self.assertFalse(self.blacklisted())
        self.assertEqual(self.sent(), [], "'Yes' to a question and 'help me ...' are plain answers")

    def test_confirmation_goes_once_and_help_answers(self):
        self.post(self.form("HELP"))
        self.assertEqual(self.sent()[-1][1], self.help_reply())
        self.post(self.form("STOP"))
        self.post(self.form("stop all"))
        self.assertEqual([body for _to, body in self.sent()].count(OPT_OUT_REPLY), 1)

    def test_twilio_opt_out_type_and_provider_answers(self):
        self.company.recruit_sms_provider_answers_keywords = True
        self.post(self.form("Arrêtez", OptOutType="STOP"))
        self.assertTrue(self.blacklisted())
        self.assertEqual(self.sent(), [], "the provider confirmed itself")

    def test_unknown_number_can_opt_out_too(self):
        self.post(self.form("STOP", sender="+12025550188"))
        self.assertTrue(self.blacklisted("+12025550188"))
        self.assertEqual(self.sent(), [("+12025550188", OPT_OUT_REPLY)])


@tagged("post_install", "-at_install")
class TestCommandsAndLedger(ComplianceCase):
    def compose(self, body):
        return self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "x", body)

    def test_manual_opt_in_only_after_a_manual_opt_out(self):
        self.compose("^opt-out asked by phone to stop texts")
        self.assertTrue(self.blacklisted())
        self.assertEqual(self.sent(), [], "a manual opt-out sends nothing")
        with self.assertRaisesRegex(UserError, "opted out"):
            self.compose("Hello")
        self.compose("^opt-in she asked again, by email")
        self.assertFalse(self.blacklisted())
        self.assertEqual(self.ledger()[-2:], [("opt_out", "command"), ("opt_in", "command")])
        events = self.env["recruit.sms.consent.event"].search([("number", "=", NUMBER), ("source", "=", "command")], order="id")
        self.assertEqual(events.mapped("reason"), ["asked by phone to stop texts", "she asked again, by email"])
        self.assertEqual(events.user_id, self.recruiter)
        notes = " ".join(str(m.body) for m in self.applicant.message_ids)
        self.assertIn("opted +14155550142 out of SMS: asked by phone to stop texts", notes)

    def test_manual_opt_in_refused_after_a_candidate_stop(self):
        self.post(self.form("STOP"))
        with self.assertRaisesRegex(UserError, "only they can opt back in, by texting START"):
            self.compose("^opt-in the recruiter thinks it was a mistake")
        self.assertTrue(self.blacklisted())
        with self.assertRaisesRegex(UserError, "needs reason"):
            self.compose("^opt-out")

    def test_ledger_rows_and_csv(self):
        result = self.env["hr.applicant"].load(["partner_name", "partner_phone", "recruit_sms_consent"],
                                               [["Lea Ledger", "+1 415 555 0199", "1"]])
        applicant = self.env["hr.applicant"].browse(result["ids"])
        applicant.recruit_sms_consent = False
        applicant.recruit_sms_consent = True
        self.assertEqual(self.ledger("+14155550199"), [("consent", "import"), ("consent_withdrawn", "form"), ("consent", "form")])
        action = applicant.action_recruit_sms_export_consent()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        rows = list(csv.reader(io.StringIO(attachment.raw.decode())))
        self.assertEqual(rows[0], ["date (UTC)", "number", "applicant", "event", "how", "by", "reason or texting law",
                                   "message", "message received (UTC)"])
        self.assertEqual([r[3] for r in rows[1:]], ["Consent given", "Consent withdrawn", "Consent given"])
        self.assertEqual({r[1] for r in rows[1:]}, {"'+14155550199"}, "as text: no spreadsheet reads it as a formula")
        self.assertEqual(rows[1][4], "Import")
        # the form says what the ledger's latest row says, its words and its date
        self.assertEqual(rows[-1][4], "Entered by a recruiter")
        self.assertTrue(applicant.recruit_sms_consent_evidence.startswith("Entered by a recruiter, "))
        latest = self.env["recruit.sms.consent.event"].search(
            [("applicant_id", "=", applicant.id), ("event", "=", "consent")], order="id desc", limit=1)
        latest.sudo().date = "2027-01-24 12:00:00"
        applicant.invalidate_recordset()
        self.assertIn("Jan 24, 2027", applicant.recruit_sms_consent_evidence)

    def test_ledger_is_read_only_for_recruiters(self):
        self.applicant.recruit_sms_consent = False
        event = self.env["recruit.sms.consent.event"].with_user(self.recruiter).search([("number", "=", NUMBER)], limit=1)
        self.assertTrue(event)
        with self.assertRaises(AccessError):
            event.write({"reason": "rewritten"})
        admin = mail_new_test_user(self.env, login="rsms_ledger_admin", groups="base.group_user,base.group_system")
        with self.assertRaises(AccessError):  # evidence is never rewritten, not even by an administrator
            event.with_user(admin).write({"reason": "rewritten"})
        self.assertFalse(event.reason)

    def test_unsubscribed_error_is_in_the_ledger(self):
        self.twilio.answer(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient"})
        self.compose("Hello")
        self.assertEqual(self.ledger()[-1], ("opt_out", "twilio_21610"))


@tagged("post_install", "-at_install")
class TestQuietHoursAndFirstContact(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"recruit_sms_quiet_start": 8, "recruit_sms_quiet_end": 21})
        cls.applicant.recruit_sms_tz = "America/New_York"

    def test_automated_text_at_night_is_held_then_released(self):
        with freeze_time("2026-07-01 07:00:00"):  # 03:00 in New York
            message = self.applicant._message_sms("Automated reminder")
            sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
            self.assertEqual(sms.state, "outgoing")
            self.assertEqual(sms.recruit_sms_hold_until, datetime(2026, 7, 1, 12, 0), "08:00 New York")
            self.assertEqual(self.sent(), [])
            self.assertEqual(self.bubbles()[-1]["held_until"], "2026-07-01 12:00:00")
        with freeze_time("2026-07-01 11:59:00"):
            self.assertNotIn(sms, self.env["sms.sms"].sudo().search(self.env["sms.sms"]._recruit_sms_queue_domain()))
        with freeze_time("2026-07-01 12:00:00"):
            self.assertIn(sms, self.env["sms.sms"].sudo().search(self.env["sms.sms"]._recruit_sms_queue_domain()))
            sms.send()
        self.assertEqual(self.sent(), [(NUMBER, "Automated reminder")])

    def test_manual_reply_to_a_fresh_message_goes_unless_held_by_setting(self):
        with freeze_time("2026-07-01 06:00:00"):  # 02:00 in New York
            self.post(self.form("Are you open tomorrow?"))
        with freeze_time("2026-07-01 07:00:00"):
            self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "Re", "Yes, from 9")
            self.assertEqual(self.sent(), [(NUMBER, "Yes, from 9")])
            self.company.recruit_sms_quiet_hold_replies = True
            self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "Re", "See you")
            self.assertEqual(len(self.sent()), 1, "held by the setting")

    def test_confirmations_go_at_any_hour(self):
        with freeze_time("2026-07-01 07:00:00"):
            self.post(self.form("STOP"))
        self.assertEqual(self.sent(), [(NUMBER, OPT_OUT_REPLY)])

    def test_the_composer_warns_before_sending(self):
        self.recruiter.tz = "Europe/Brussels"
        with freeze_time("2026-07-01 07:00:00"):
            note = self.applicant.with_user(self.recruiter).recruit_sms_get_conversation()["applicant"]["quiet_note"]
        # 12:00 UTC: 14:00 for the recruiter in Brussels, 08:00 for the candidate in New York
        self.assertIn("held until Jul 1, 2026, 2:00 PM (Jul 1, 2026, 8:00 AM in New York, the candidate's time)", note)
        with freeze_time("2026-07-01 15:00:00"):
            self.assertFalse(self.applicant.recruit_sms_get_conversation()["applicant"]["quiet_note"])

    def test_first_contact_carries_the_opt_out_instructions(self):
        self.company.recruit_sms_first_contact_notice = "Reply STOP to opt out."
        with freeze_time("2026-07-01 15:00:00"):
            first = self.env["hr.applicant"].create({"partner_name": "New", "partner_phone": "+1 415 555 0166",
                                                     "recruit_sms_consent": True})
            counter = self.env["recruit.sms.composer"].recruit_sms_count("a" * 140, first.id)
            self.assertEqual((counter["units"], counter["segments"]), (140 + 1 + 22, 2), "the counter includes the notice")
            first.recruit_sms_compose("sms", "Hi", "Hello")
            first.recruit_sms_compose("sms", "Hi", "Again")
        self.assertEqual(self.sent(), [("+14155550166", "Hello\nReply STOP to opt out."), ("+14155550166", "Again")])
        self.assertEqual(self.env["recruit.sms.composer"].recruit_sms_count("a" * 140, first.id)["segments"], 1)


@tagged("post_install", "-at_install")
class TestNoSlipProperty(ComplianceCase):
    """Random days of texting: whatever happens, no SMS reaches the provider for an
    opted-out number, or outside the recipient's window (confirmations excepted)."""

    ZONES = ["America/New_York", "America/Phoenix", "Asia/Kolkata", "Pacific/Chatham", "Europe/Brussels"]

    def test_random_sequences(self):
        self.company.write({"recruit_sms_quiet_start": 8, "recruit_sms_quiet_end": 21, "recruit_sms_quiet_hold_replies": True})
        confirmations = {self.company.recruit_sms_optout_reply, self.company.recruit_sms_optin_reply, self.help_reply()}
        rng = random.Random(20261122)
        applicants = self.applicant | self.env["hr.applicant"].create([
            {"partner_name": f"P{i}", "partner_phone": f"+1 415 555 02{i:02d}", "recruit_sms_consent": True} for i in range(3)])
        clock = datetime(2026, 3, 7, 0, 0)  # a DST weekend in the US
        log, refused = [], 0
        for step in range(60):
            clock += timedelta(minutes=rng.choice([7, 45, 90, 200, 400]))
            applicant = rng.choice(applicants)
            if step % 9 == 0:
                applicant.recruit_sms_tz = rng.choice(self.ZONES)
            action = rng.choice(["send", "send", "auto", "stop", "start", "optout", "optin", "at", "release"])
            with freeze_time(clock):
                before = len(self.twilio.requests)
                try:
                    if action == "send":
                        applicant.with_user(self.recruiter).recruit_sms_compose("sms", "s", f"Hello {step}")
                    elif action == "auto":
                        applicant._message_sms(f"Automated {step}")
                    elif action in ("stop", "start"):
                        self.post(self.form(action.upper(), sender=applicant.phone_sanitized))
                    elif action == "optout":
                        applicant.with_user(self.recruiter).recruit_sms_compose("sms", "s", "^opt-out random")
                    elif action == "optin":
                        applicant.with_user(self.recruiter).recruit_sms_compose("sms", "s", "^opt-in random")
                    elif action == "at":
                        applicant.with_user(self.recruiter).recruit_sms_compose("sms", "s", f"^at tomorrow 03:00 Scheduled {step}")
                    else:
                        self.env["recruit.sms.scheduled"]._send_due()
                        self.env["sms.sms"].sudo().search(self.env["sms.sms"]._recruit_sms_queue_domain()).send()
                except UserError:
                    refused += 1  # the gate said no before sending: what we want
                for request in self.twilio.requests[before:]:
                    to, body = request["form"]["To"], request["form"]["Body"]
                    target = applicants.filtered(lambda a, to=to: a.phone_sanitized == to)
                    log.append((clock, action, to, body))
                    if body in confirmations:
                        continue
                    self.assertFalse(self.blacklisted(to), f"step {step}: texted opted-out {to}: {body!r}")
                    zones = target._recruit_sms_zones()
                    self.assertTrue(quiet_hours.is_open(clock, zones), f"step {step}: texted {to} at {clock} UTC in {zones}: {body!r}")
        self.assertGreater(len(log), 5, "the scenario must actually send texts")
        self.assertGreater(refused, 0, "and must meet refusals")
        self.assertTrue(any(action == "release" for _c, action, _t, _b in log), "held texts were released")
