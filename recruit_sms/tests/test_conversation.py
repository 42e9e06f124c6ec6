from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import RecruitSmsCase


@tagged("post_install", "-at_install")
class ConversationCase(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = mail_new_test_user(
            cls.env, login="rsms_colleague", name="Carl Colleague", email="carl@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
        )
        cls.interviewer = mail_new_test_user(
            cls.env, login="rsms_interviewer2", name="Ivy Interviewer",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer",
        )
        cls.team_applicant = cls.env["hr.applicant"].create({
            "partner_name": "Tim Team", "partner_phone": "+1 415 555 0177", "recruit_sms_consent": True, "job_id": cls.job.id,
        })
        cls.team_applicant.user_id = False  # no recruiter: the conversation is the team's
        assert not cls.team_applicant.recruit_sms_assigned_user_id
        # conversations already in the database (demo) must not disturb the counts
        cls.env["hr.applicant"].search([("id", "not in", (cls.applicant | cls.team_applicant).ids)]).write(
            {"recruit_sms_waiting_since": False})

    def receive(self, applicant, body="Hello?"):
        applicant.with_user(self.recruiter).recruit_sms_simulate_reply(body)

    def count(self, user):
        return self.env["hr.applicant"].with_user(user).recruit_sms_inbox_count()

    def groups(self, user):
        data = self.env["hr.applicant"].with_user(user).recruit_sms_inbox_data()
        return {group["key"]: [row["name"] for row in group["conversations"]] for group in data["groups"]}

    def compose(self, applicant, body, user=None, channel="sms", subject="Re"):
        return applicant.with_user(user or self.recruiter).recruit_sms_compose(channel, subject, body)


class TestInboxCounts(ConversationCase):
    def test_counts_and_groups_through_the_day(self):
        self.assertEqual((self.count(self.recruiter), self.count(self.colleague)), (0, 0))
        self.receive(self.applicant)  # assigned to Rita (the recruiter)
        self.receive(self.team_applicant)  # no recruiter: for the team
        self.assertEqual(self.count(self.recruiter), 2)
        self.assertEqual(self.groups(self.recruiter), {"mine": ["Ann Applicant"], "team": ["Tim Team"]})
        self.assertEqual(self.count(self.colleague), 1)
        self.assertEqual(self.groups(self.colleague), {"mine": [], "team": ["Tim Team"]})

        self.compose(self.team_applicant, "^claim", user=self.colleague)
        self.assertEqual((self.count(self.recruiter), self.count(self.colleague)), (1, 1))
        self.assertEqual(self.groups(self.colleague), {"mine": ["Tim Team"], "team": []})

        self.compose(self.applicant, "^assign rsms_colleague")
        self.assertEqual((self.count(self.recruiter), self.count(self.colleague)), (0, 2))

        self.compose(self.applicant, "Thanks, we'll call you", user=self.colleague)  # a reply answers it
        self.assertEqual(self.count(self.colleague), 1)
        self.assertEqual(self.applicant.recruit_sms_colour, "blue")

        self.compose(self.team_applicant, "^unassign", user=self.colleague)
        self.assertEqual((self.count(self.recruiter), self.count(self.colleague)), (1, 1))
        self.compose(self.team_applicant, "^close", user=self.colleague)
        self.assertEqual((self.count(self.recruiter), self.count(self.colleague)), (0, 0))
        self.compose(self.team_applicant, "^open", user=self.colleague)
        self.assertEqual(self.count(self.colleague), 1)

    def test_read_clears_my_unread_flag_only(self):
        self.receive(self.applicant)
        applicant = self.applicant
        self.assertTrue(applicant.with_user(self.recruiter).recruit_sms_unread)
        self.assertTrue(applicant.with_user(self.colleague).recruit_sms_unread)
        self.compose(applicant, "^read")
        applicant.invalidate_recordset()
        self.assertFalse(applicant.with_user(self.recruiter).recruit_sms_unread)
        self.assertTrue(applicant.with_user(self.colleague).recruit_sms_unread)
        unread = self.env["hr.applicant"].with_user(self.colleague).search([("recruit_sms_unread", "=", True)])
        self.assertIn(applicant, unread)
        self.assertNotIn(applicant, self.env["hr.applicant"].with_user(self.recruiter).search([("recruit_sms_unread", "=", True)]))
        with freeze_time(datetime.now() + timedelta(minutes=5)):
            self.receive(applicant, "One more thing")
        applicant.invalidate_recordset()
        self.assertTrue(applicant.with_user(self.recruiter).recruit_sms_unread, "a new message is unread again")

    def test_inbox_changes_are_sent_over_the_bus(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        self.receive(self.team_applicant)
        self.compose(self.team_applicant, "^claim", user=self.colleague)
        self.env.cr.precommit.run()
        types = {(row.channel, row.message) for row in self.env["bus.bus"].sudo().search([])}
        self.assertTrue(any("recruit_sms/inbox" in message and f'"res.partner",{self.colleague.partner_id.id}]' in channel
                            for channel, message in types))
        self.assertTrue(any("recruit_sms/inbox" in message and f'"res.partner",{self.recruiter.partner_id.id}]' in channel
                            for channel, message in types), "team members' badges refresh too")

    def test_record_rules_apply_to_counts_and_panels(self):
        self.receive(self.applicant)
        self.compose(self.applicant, "^assign rsms_colleague")
        # an interviewer sees only the applicants they interview (and is given only those)
        with self.assertRaisesRegex(ValidationError, "cannot see Ann Applicant"):
            self.applicant.sudo().recruit_sms_assigned_user_id = self.interviewer
        self.applicant.interviewer_ids = self.interviewer
        self.applicant.sudo().recruit_sms_assigned_user_id = self.interviewer
        self.assertEqual(self.count(self.interviewer), 1)
        self.assertEqual(self.groups(self.interviewer)["mine"], ["Ann Applicant"])
        with self.assertRaises(AccessError):
            self.team_applicant.with_user(self.interviewer).recruit_sms_get_conversation()
        found = self.env["hr.applicant"].with_user(self.interviewer).recruit_sms_search_chat("Tim")
        self.assertEqual(found, [])

    def test_start_chat_finds_by_name_email_or_phone(self):
        search = self.env["hr.applicant"].with_user(self.recruiter).recruit_sms_search_chat
        self.assertIn("Ann Applicant", [row["name"] for row in search("ann appl")])
        self.assertIn("Ann Applicant", [row["name"] for row in search("ann.applicant@example")])
        self.assertIn("Ann Applicant", [row["name"] for row in search("555-0142")])
        self.assertIn("Tim Team", [row["name"] for row in search("+14155550177")])
        self.assertEqual(search("a"), [])


class TestConversationPayload(ConversationCase):
    def test_carries_mails_data_of_its_messages_only(self):
        """The tab draws each message with mail's Message component from the data sent
        with the conversation: every bubble has its mail.message, and nothing else of
        the chatter (notes) travels with it."""
        self.compose(self.applicant, "Are you free on Monday?")
        self.receive(self.applicant, "Yes")
        self.applicant.message_post(body="Internal: strong profile", subtype_xmlid="mail.mt_note")
        conversation = self.applicant.with_user(self.recruiter).recruit_sms_get_conversation()
        stored = {message["id"]: message for message in conversation["store_data"]["mail.message"]}
        self.assertEqual(sorted(stored), sorted(bubble["id"] for bubble in conversation["messages"]))
        self.assertEqual(len(stored), 2)
        self.assertIn("Are you free on Monday?", str(stored[conversation["messages"][0]["id"]]["body"]))


    def test_a_reply_without_subject_takes_the_conversations_else_the_jobs(self):
        applicant = self.applicant.with_user(self.recruiter)
        self.assertEqual(applicant.recruit_sms_get_conversation()["applicant"]["subject"], "Forklift driver")
        applicant.recruit_sms_compose("sms", "Night shift on Friday", "Can you do Friday night?")
        self.receive(self.applicant, "Yes!")
        self.assertEqual(applicant.recruit_sms_get_conversation()["applicant"]["subject"], "Night shift on Friday")
        self.applicant.job_id = False
        other = self.env["hr.applicant"].create({"partner_name": "No Job", "partner_phone": "+1 415 555 0171"})
        self.assertEqual(other.recruit_sms_get_conversation()["applicant"]["subject"], self.env.company.name)


class TestPastedText(ConversationCase):
    TEXT = "Ann Applicant, Warehouse lead\nMobile: (415) 555-0142 | Home: +1 628 555 0199\nRef 2026-11-23, $55,000"

    def test_numbers_in_pasted_text_with_who_holds_them(self):
        found = self.env["hr.applicant"].with_user(self.recruiter).recruit_sms_scan_text(self.TEXT)
        self.assertEqual([(item["raw"], item["number"]) for item in found],
                         [("(415) 555-0142", "+14155550142"), ("+1 628 555 0199", "+16285550199")])
        self.assertEqual([row["name"] for row in found[0]["applicants"]], ["Ann Applicant"])
        self.assertEqual(found[1]["applicants"], [])

    def test_record_rules_apply_to_who_holds_a_number(self):
        found = self.env["hr.applicant"].with_user(self.interviewer).recruit_sms_scan_text(self.TEXT)
        self.assertEqual([item["applicants"] for item in found], [[], []], "not an applicant they interview")

    def test_a_new_applicant_from_a_number_without_consent(self):
        row = self.env["hr.applicant"].with_user(self.recruiter).recruit_sms_create_from_number("+1 628 555 0199")
        applicant = self.env["hr.applicant"].browse(row["id"])
        self.assertEqual((applicant.phone_sanitized, applicant.recruit_sms_consent), ("+16285550199", False))
        self.assertIn("+16285550199", row["name"])
        with self.assertRaises(AccessError):
            self.env["hr.applicant"].with_user(self.interviewer).recruit_sms_create_from_number("+1 628 555 0198")
        with self.assertRaisesRegex(UserError, "12345 is not a phone number that can be texted"):
            self.env["hr.applicant"].with_user(self.recruiter).recruit_sms_create_from_number("12345")


class TestColours(ConversationCase):
    def test_colour_boundaries_on_the_server(self):
        start = datetime(2026, 11, 20, 8, 0)
        with freeze_time(start):
            self.receive(self.applicant)
        cases = [(timedelta(hours=11, minutes=59), "green"), (timedelta(hours=12), "orange"),
                 (timedelta(hours=24), "orange"), (timedelta(hours=24, minutes=1), "red")]
        for waited, colour in cases:
            with freeze_time(start + waited):
                self.applicant.invalidate_recordset(["recruit_sms_colour"])
                self.assertEqual(self.applicant.recruit_sms_colour, colour, waited)
                found = self.env["hr.applicant"].search([("recruit_sms_colour", "=", colour), ("id", "=", self.applicant.id)])
                self.assertEqual(found, self.applicant, f"search by colour {colour} at {waited}")
        self.compose(self.applicant, "Answered")
        self.assertEqual(self.applicant.recruit_sms_colour, "blue")


class TestCommands(ConversationCase):
    def test_commands_are_never_sent(self):
        before = self.env["sms.sms"].sudo().search_count([])
        for text in ("^claim", "^note Called twice", "^read", "^close", "^open", "^unassign"):
            result = self.compose(self.applicant, text)
            self.assertIn("feedback", result, text)
        self.assertEqual(self.env["sms.sms"].sudo().search_count([]), before)
        self.assertFalse(self.sms_messages())

    def test_each_command_leaves_a_trace(self):
        self.compose(self.applicant, "^assign Carl Colleague")
        self.compose(self.applicant, "^note Prefers mornings")
        notes = self.applicant.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note")).mapped("body")
        self.assertTrue(any("Conversation assigned to Carl Colleague by Rita Recruiter" in str(body) for body in notes))
        self.assertTrue(any("Prefers mornings" in str(body) for body in notes))
        self.assertEqual(self.applicant.recruit_sms_assigned_user_id, self.colleague)

    def test_each_command_writes_one_line_in_the_chatter(self):
        for text in ("^assign Carl Colleague", "^claim", "^unassign", "^close", "^open", "^read", "^note Called"):
            before = self.applicant.message_ids
            self.compose(self.applicant, text)
            self.env.cr.precommit.run()  # tracking lines are written when the transaction ends
            self.applicant.invalidate_recordset(["message_ids"])
            self.assertEqual(len(self.applicant.message_ids - before), 1, f"{text}: one line, not the command's and a tracking one")

    def test_command_errors_are_clear_and_keep_the_draft(self):
        composer = self.env["recruit.sms.composer"].with_user(self.recruiter).create({
            "applicant_id": self.applicant.id, "channel": "sms", "subject": "x", "body": "^shout hi"})
        with self.assertRaisesRegex(UserError, r"Unknown command \^shout"):
            composer.action_send()
        self.assertEqual(composer.body, "^shout hi")
        cases = {
            "^assign nobody-here": "no member of the recruiting team matches",
            "^assign Ivy": "no member of the recruiting team matches",  # an interviewer is not in the team
            "^claim now": "takes no argument",
            "^at 25:00 hi": "not a time of day",
            "^opt-in by phone": "is not opted out",
            "^opt-out": "needs reason",
            "^note": "needs text",
        }
        for text, words in cases.items():
            with self.subTest(text), self.assertRaisesRegex(UserError, words):
                self.compose(self.applicant, text)
        self.assertEqual(self.applicant.recruit_sms_assigned_user_id, self.recruiter)

    def test_claim_needs_the_team(self):
        self.applicant.interviewer_ids = self.interviewer
        with self.assertRaisesRegex(UserError, "only members of the recruiting team"):
            self.compose(self.applicant, "^claim", user=self.interviewer)

    def test_at_sends_at_the_time_in_the_sender_zone_and_not_before(self):
        self.recruiter.tz = "America/New_York"
        with freeze_time("2026-11-22 14:00:00"):  # 09:00 in New York
            result = self.compose(self.applicant, "^at 10:30 Reminder: interview tomorrow")
            self.assertIn("Scheduled for Nov 22, 2026, 10:30 AM", result["feedback"])
        scheduled = self.applicant.recruit_sms_scheduled_ids
        self.assertEqual(scheduled.send_at, datetime(2026, 11, 22, 15, 30), "10:30 New York is 15:30 UTC")
        self.assertFalse(self.sms_messages())
        with freeze_time("2026-11-22 15:29:00"):
            self.assertEqual(self.env["recruit.sms.scheduled"]._send_due(), 0)
        self.assertFalse(self.sms_messages(), "not before its time")
        with freeze_time("2026-11-22 15:30:00"):
            self.assertEqual(self.env["recruit.sms.scheduled"]._send_due(), 1)
        [message] = self.sms_messages()
        self.assertEqual(html2plaintext(str(message.body)).strip(), "Reminder: interview tomorrow")
        self.assertEqual(message.author_id, self.recruiter.partner_id)
        self.assertEqual(scheduled.state, "sent")

    def test_at_can_be_cancelled_until_sent(self):
        with freeze_time("2026-11-22 08:00:00"):
            self.compose(self.applicant, "^at 2026-11-23 09:00 Are you still interested?")
        scheduled = self.applicant.recruit_sms_scheduled_ids
        # Cancel is offered to who may use it: its author, a recruitment manager; not a colleague
        colleague = self.colleague
        manager = mail_new_test_user(self.env, login="rsms_at_manager", groups="base.group_user,"
                                     "hr_recruitment.group_hr_recruitment_manager")
        self.assertEqual([scheduled.with_user(user).can_change for user in (self.recruiter, colleague, manager)],
                         [True, False, True])
        with self.assertRaises(AccessError):
            scheduled.with_user(colleague).action_cancel()
        scheduled.with_user(self.recruiter).action_cancel()
        with freeze_time("2026-11-24 00:00:00"):
            self.env["recruit.sms.scheduled"]._send_due()
        self.assertEqual(scheduled.state, "cancelled")
        self.assertFalse(self.sms_messages())
        with self.assertRaisesRegex(UserError, "still scheduled"):
            scheduled.action_cancel()

    def test_at_refuses_what_could_not_be_sent(self):
        self.applicant.recruit_sms_consent = False
        with freeze_time("2026-11-22 08:00:00"), self.assertRaisesRegex(UserError, "SMS consent"):
            self.compose(self.applicant, "^at 2026-11-23 09:00 Hi")
        self.assertFalse(self.applicant.recruit_sms_scheduled_ids)


def html_text(html):
    from odoo.tools import html2plaintext

    return html2plaintext(str(html)).strip()
