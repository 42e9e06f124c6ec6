"""What an ordinary account can do through the RPC entry points a browser uses
(``call_kw``), tried as an attacker would: no compliance exemption, no privilege, no
forged evidence and no other company's data."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo import fields
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import tagged

from ..models.recruit_sms_gate import GateRequest
from ..tools.inbound import InboundSms
from .test_campaign import CampaignCase, HookedClock

NUMBER = "+14155550142"


def rpc(env, user, model, method, *args, context=None, **kwargs):
    """``method`` called as ``user`` the way the web client calls it."""
    return call_kw(env[model].with_user(user), method, list(args), {**kwargs, "context": context or {}})


class TrustCase(CampaignCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = mail_new_test_user(cls.env, login="rsms_employee", groups="base.group_user")
        cls.interviewer = mail_new_test_user(
            cls.env, login="rsms_trust_interviewer", groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer")
        cls.manager = mail_new_test_user(
            cls.env, login="rsms_trust_manager", groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")
        cls.company_b = cls.env["res.company"].create({"name": "Company B", "country_id": cls.env.ref("base.us").id})
        cls.recruiter_b = mail_new_test_user(
            cls.env, login="rsms_recruiter_b", groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
            company_id=cls.company_b.id, company_ids=[(6, 0, cls.company_b.ids)])
        cls.manager_b = mail_new_test_user(
            cls.env, login="rsms_manager_b", groups="base.group_user,hr_recruitment.group_hr_recruitment_manager",
            company_id=cls.company_b.id, company_ids=[(6, 0, cls.company_b.ids)])

    def sms_to(self, number):
        return self.env["sms.sms"].sudo().search([("number", "=", number)])


@tagged("post_install", "-at_install")
class TestNoExemptionFromTheCaller(TrustCase):
    def test_context_cannot_switch_off_the_gate_in_cores_composer(self):
        """Core's composer in numbers mode, with the old exemption keys in the context."""
        self.env["phone.blacklist"].sudo()._add([NUMBER])
        no_consent = self.applicants(1, partner_phone="+1 628 555 0400", recruit_sms_consent=False)
        for number in (NUMBER, no_consent.phone_sanitized):
            composer_id = rpc(self.env, self.employee, "sms.composer", "create", {
                "composition_mode": "numbers", "numbers": number, "body": "You cannot stop me"},
                context={"recruit_sms_exempt": True, "recruit_sms_manual": True})
            rpc(self.env, self.employee, "sms.composer", "action_send_sms", [composer_id],
                context={"recruit_sms_exempt": True, "recruit_sms_manual": True})
        self.assertEqual(self.twilio.requests, [], "nothing reached the provider")
        for number, reason in ((NUMBER, "opted out"), (no_consent.phone_sanitized, "not agreed")):
            sms = self.sms_to(number)
            self.assertEqual((sms.state, sms.failure_type), ("canceled", "sms_optout"), number)
            self.assertIn(reason, sms.recruit_sms_block_reason)

    def test_create_values_cannot_mark_a_text_as_a_confirmation(self):
        self.env["phone.blacklist"].sudo()._add([NUMBER])
        sms = self.env["sms.sms"].sudo().create({"number": NUMBER, "body": "hi", "recruit_sms_kind": "confirmation"})
        self.assertFalse(sms.recruit_sms_kind)
        sms.write({"recruit_sms_kind": "confirmation"})
        self.assertFalse(sms.recruit_sms_kind)
        sms.send(raise_exception=False)
        self.assertEqual(self.twilio.requests, [])
        self.assertEqual(sms.state, "canceled")

    def test_the_kind_holds_for_the_sms_its_sender_creates_only(self):
        """The sending code names the kind of the SMS it creates; an SMS created next, by
        anything else, is of no kind, and an unknown kind is refused."""
        sms_model = self.env["sms.sms"].sudo()
        stated = sms_model._recruit_sms_create([{"number": NUMBER, "body": "You are unsubscribed."}], "confirmation")
        after = sms_model.create({"number": NUMBER, "body": "Another module's text"})
        self.assertEqual((stated.recruit_sms_kind, after.recruit_sms_kind), ("confirmation", False))
        with self.assertRaises(ValueError):
            sms_model._recruit_sms_create([{"number": NUMBER, "body": "hi"}], "exempt")

    def test_a_number_written_another_way_is_still_the_opted_out_number(self):
        self.env["phone.blacklist"].sudo()._add([NUMBER])
        sms = self.env["sms.sms"].sudo().create({"number": "(415) 555-0142", "body": "Formatted otherwise"})
        sms.send(raise_exception=False)
        self.assertEqual(self.twilio.requests, [])
        self.assertEqual((sms.state, sms.failure_type), ("canceled", "sms_optout"))

    def test_the_consent_gate_covers_texts_posted_on_the_contact(self):
        """The number belongs to an applicant without consent: posting on their contact
        (or to the bare number) is no way around it; another company's applicant with
        the same number does not decide for this one."""
        applicant = self.applicants(1, partner_phone="+1 628 555 0401", recruit_sms_consent=False)
        applicant.partner_id = self.env["res.partner"].create({"name": "Cand 0", "phone": "+1 628 555 0401"})
        composer_id = rpc(self.env, self.recruiter, "sms.composer", "create", {
            "composition_mode": "comment", "res_model": "res.partner", "res_id": applicant.partner_id.id,
            "body": "Through the contact"})
        rpc(self.env, self.recruiter, "sms.composer", "action_send_sms", [composer_id])
        self.assertEqual(self.twilio.requests, [])
        self.assertEqual(self.sms_to(applicant.phone_sanitized).state, "canceled")
        # a number another company's applicant holds without consent is not this company's candidate
        self.env["hr.applicant"].create({"partner_name": "Elsewhere", "partner_phone": "+1 628 555 0402",
                                         "company_id": self.company_b.id})
        composer_id = rpc(self.env, self.recruiter, "sms.composer", "create", {
            "composition_mode": "numbers", "numbers": "+16285550402", "body": "Not a candidate of ours"})
        rpc(self.env, self.recruiter, "sms.composer", "action_send_sms", [composer_id])
        self.assertEqual([r["form"]["To"] for r in self.twilio.requests], ["+16285550402"])


@tagged("post_install", "-at_install")
class TestCampaignTemplates(TrustCase):
    def test_a_finished_campaign_cannot_be_reopened_or_rewritten(self):
        campaign = self.env["recruit.sms.campaign"].create({
            "name": "Admin's", "body": "Hi {{ object.partner_name }}", "recipient_ids": [(6, 0, self.applicants(1).ids)]})
        campaign.action_send()
        self.run_engine()
        self.assertEqual(campaign.state, "done")
        for context in ({}, {"recruit_sms_campaign_state_only": True}):
            with self.assertRaises(UserError):
                rpc(self.env, self.recruiter, "recruit.sms.campaign", "write", [campaign.id], {"state": "draft"},
                    context=context)
            with self.assertRaises(UserError):
                rpc(self.env, self.recruiter, "recruit.sms.campaign", "write", [campaign.id],
                    {"body": "{{ object.env.user.login }}"}, context=context)
        self.assertEqual((campaign.state, campaign.body), ("done", "Hi {{ object.partner_name }}"))

    def test_code_in_a_body_is_refused_for_everyone_and_never_run(self):
        editor = mail_new_test_user(self.env, login="rsms_editor", groups=(
            "base.group_user,hr_recruitment.group_hr_recruitment_user,mail.group_mail_template_editor"))
        recipients = self.applicants(1)
        for user in (self.recruiter, editor):
            campaign_id = rpc(self.env, user, "recruit.sms.campaign", "create", {
                "name": "Mine", "body": "Hi", "recipient_ids": [(6, 0, recipients.ids)]})
            for body in ("{{ object.env.user.login }}", "{{ object.company_id.sms_twilio_auth_token }}",
                         "{{ object.env['res.users'].browse(2).write({'active': False}) }}"):
                with self.assertRaisesRegex(ValidationError, r"Body: only these merge fields.*object\.partner_name"):
                    rpc(self.env, user, "recruit.sms.campaign", "write", [campaign_id], {"body": body})
            with self.assertRaises(ValidationError):
                rpc(self.env, user, "recruit.sms.campaign", "create", {"name": "x", "body": "{{ object.env.uid }}"})
        self.assertFalse(self.env.ref("base.user_admin").active is False)

    def test_the_engine_renders_as_nobody_but_the_listed_fields_and_signs_as_the_sender(self):
        other = mail_new_test_user(self.env, login="rsms_other", groups="base.group_user,hr_recruitment.group_hr_recruitment_user")
        recipients = self.applicants(1)
        campaign = self.env["recruit.sms.campaign"].with_user(other).create({
            "name": "Created by another", "body": "Hi {{ object.partner_name }}", "recipient_ids": [(6, 0, recipients.ids)]})
        campaign.with_user(self.recruiter).action_send()
        with self.assertRaises(UserError):
            rpc(self.env, self.recruiter, "recruit.sms.campaign", "write", [campaign.id], {"sent_by_id": other.id})
        self.run_engine()
        self.assertEqual(self.twilio.requests[-1]["form"]["Body"], "Hi Cand 0")
        message = campaign.line_ids.mail_message_id
        self.assertEqual(message.author_id, self.recruiter.partner_id, "the one who pressed Send signs the messages")
        created = self.env["recruit.sms.campaign"].browse(rpc(self.env, self.recruiter, "recruit.sms.campaign", "create", {
            "name": "x", "body": "Hi", "sent_by_id": other.id, "state": "done"}))
        self.assertEqual((created.state, created.sent_by_id), ("draft", self.env["res.users"]))


@tagged("post_install", "-at_install")
class TestCancelStopsTheEngine(TrustCase):
    def test_cancel_mid_batch_hands_off_nothing_more(self):
        recipients = self.applicants(8)
        campaign = self.campaign(recipients)
        campaign.action_send()
        clock = HookedClock(0.4, lambda: campaign.with_user(self.recruiter).action_cancel())  # the third message's turn
        self.env["recruit.sms.campaign"]._recruit_sms_send_due(clock=(clock, clock.sleep))
        handed = len(self.twilio.requests)
        self.assertLess(handed, 8)
        campaign.invalidate_recordset()
        self.assertEqual(campaign.state, "cancelled")
        states = campaign.line_ids.mapped("state")
        self.assertEqual(states.count("sent"), handed)
        self.assertEqual(states.count("cancelled"), 8 - handed)
        self.env["recruit.sms.campaign"]._recruit_sms_send_due(clock=(clock, clock.sleep))
        self.assertEqual(len(self.twilio.requests), handed, "a later run sends nothing of a cancelled campaign")
        self.assertEqual(campaign.state, "cancelled")

    def test_resending_a_campaign_sms_goes_back_through_the_campaign(self):
        recipients = self.applicants(2)
        self.twilio.answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
        campaign = self.campaign(recipients)
        campaign.action_send()
        self.run_engine()
        failed = campaign.line_ids.filtered(lambda line: line.state == "failed")
        self.assertEqual(len(failed), 1)
        sms = self.env["sms.sms"].sudo().search([("recruit_sms_campaign_line_id", "=", failed.id)])
        self.twilio.requests.clear()
        sms.resend_failed()  # Odoo's own resend
        self.assertEqual(self.twilio.requests, [], "not sent outside the campaign")
        self.assertEqual(failed.state, "pending")
        self.run_engine()
        self.assertEqual([r["form"]["To"] for r in self.twilio.requests], [failed.number])
        self.assertEqual(campaign.state, "done")
        with self.assertRaisesRegex(UserError, "No failed message"):
            campaign.action_retry_failed()


@tagged("post_install", "-at_install")
class TestScheduledMessages(TrustCase):
    def schedule(self, user=None, applicant=None):
        applicant = applicant or self.applicant
        (user or self.recruiter).ensure_one()
        applicant.with_user(user or self.recruiter).recruit_sms_compose("sms", "Later", "^at 2030-01-01 10:00 See you")
        return self.env["recruit.sms.scheduled"].search([("applicant_id", "=", applicant.id)], order="id desc", limit=1)

    def test_only_the_author_or_a_manager_changes_it_and_only_its_text_and_time(self):
        scheduled = self.schedule()
        rpc(self.env, self.recruiter, "recruit.sms.scheduled", "write", [scheduled.id], {"body": "See you at 11"})
        rpc(self.env, self.manager, "recruit.sms.scheduled", "write", [scheduled.id], {"send_at": "2030-01-01 11:00:00"})
        for values in ({"body": "Words the author never wrote"}, {"channel": "email"}):
            with self.assertRaisesRegex(AccessError, "only they can change its text"):  # it goes in the author's name
                rpc(self.env, self.manager, "recruit.sms.scheduled", "write", [scheduled.id], values)
        colleague = mail_new_test_user(self.env, login="rsms_colleague",
                                       groups="base.group_user,hr_recruitment.group_hr_recruitment_user")
        with self.assertRaises(AccessError):
            rpc(self.env, colleague, "recruit.sms.scheduled", "write", [scheduled.id], {"body": "Hijacked"})
        with self.assertRaises(AccessError):
            rpc(self.env, colleague, "recruit.sms.scheduled", "action_cancel", [scheduled.id])
        for values in ({"user_id": self.manager.id}, {"applicant_id": self.applicants(1).id}, {"state": "sent"}):
            with self.assertRaises(UserError):
                rpc(self.env, self.recruiter, "recruit.sms.scheduled", "write", [scheduled.id], values)
        self.assertEqual((scheduled.body, scheduled.user_id, scheduled.state), ("See you at 11", self.recruiter, "scheduled"))
        with freeze_time("2030-01-01 20:00:00"):  # 12:00 in California
            self.env["recruit.sms.scheduled"]._send_due()
        self.assertEqual(scheduled.state, "sent")
        self.assertEqual(scheduled.mail_message_id.author_id, self.recruiter.partner_id, "sent as its author")
        with self.assertRaises(UserError):
            rpc(self.env, self.recruiter, "recruit.sms.scheduled", "write", [scheduled.id], {"send_at": "2030-02-01 10:00:00"})
        with self.assertRaises(UserError):
            rpc(self.env, self.recruiter, "recruit.sms.scheduled", "action_cancel", [scheduled.id])

    def test_each_due_message_ends_sent_or_failed_with_why_whatever_the_others_do(self):
        refused, broken, fine = (self.schedule(applicant=applicant) for applicant in self.applicants(3))
        # a channel gone wrong behind the ORM's back: that message fails, alone
        self.env.cr.execute("UPDATE recruit_sms_scheduled SET channel = 'pigeon' WHERE id = %s", [broken.id])
        broken.invalidate_recordset(["channel"])
        self.twilio.answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
        with freeze_time("2030-01-01 20:00:00"):
            self.env["recruit.sms.scheduled"]._send_due()
        self.assertEqual((refused.state, refused.failure_reason), ("failed", "Invalid 'To' Phone Number"))
        self.assertEqual(broken.state, "failed")
        self.assertIn("pigeon", broken.failure_reason)
        self.assertEqual(fine.state, "sent")
        # Retry: now, as its author, by a manager too
        rpc(self.env, self.manager, "recruit.sms.scheduled", "action_retry", [refused.id])
        self.assertEqual(refused.state, "scheduled")
        with freeze_time("2030-01-02 20:00:00"):
            self.env["recruit.sms.scheduled"]._send_due()
        self.assertEqual(refused.state, "sent")
        self.assertEqual(refused.mail_message_id.author_id, self.recruiter.partner_id)
        with self.assertRaisesRegex(UserError, "Only a message that failed"):
            rpc(self.env, self.recruiter, "recruit.sms.scheduled", "action_retry", [fine.id])

    def test_another_company_sees_and_changes_none(self):
        scheduled = self.schedule()
        for user in (self.recruiter_b, self.manager_b):
            self.assertEqual(rpc(self.env, user, "recruit.sms.scheduled", "search_read", [], ["body"]), [])
            with self.assertRaises(AccessError):
                rpc(self.env, user, "recruit.sms.scheduled", "write", [scheduled.id], {"body": "Cross-company"})
            with self.assertRaises(AccessError):
                rpc(self.env, user, "recruit.sms.scheduled", "action_cancel", [scheduled.id])
        self.assertEqual(scheduled.state, "scheduled")


@tagged("post_install", "-at_install")
class TestCompanyIsolation(TrustCase):
    def test_another_company_reads_none_of_the_texting_records(self):
        campaign = self.campaign(self.applicants(2))
        campaign.action_send()
        self.run_engine()
        self.applicant.with_user(self.recruiter).recruit_sms_compose("sms", "Later", "^at 2030-01-01 10:00 Hi")
        self.applicant.with_user(self.recruiter).write({"recruit_sms_consent": False})
        for model in ("recruit.sms.campaign", "recruit.sms.campaign.line", "recruit.sms.scheduled",
                      "recruit.sms.consent.event"):
            self.assertTrue(self.env[model].search_count([]), model)
            self.assertEqual(rpc(self.env, self.recruiter_b, model, "search_read", [], ["id"]), [], model)
            self.assertEqual(rpc(self.env, self.manager_b, model, "search_count", []), 0, model)

    def test_a_text_to_another_company_never_lands_on_this_companys_applicant(self):
        inbound = self.env["recruit.sms.inbound"]
        number = "+16285550430"
        first, _created = inbound._recruit_sms_receive(
            InboundSms(message_sid="SMiso1", account_sid="", from_number=number, to_number="", body="Hello A"), self.company)
        self.assertEqual(first.state, "unmatched")
        first._recruit_sms_link_applicant(self.applicant)  # a recruiter of company A links it
        second, _created = inbound._recruit_sms_receive(
            InboundSms(message_sid="SMiso2", account_sid="", from_number=number, to_number="", body="Hello B"),
            self.company_b)
        self.assertEqual((second.state, second.applicant_id), ("unmatched", self.env["hr.applicant"]))
        third, _created = inbound._recruit_sms_receive(
            InboundSms(message_sid="SMiso3", account_sid="", from_number=number, to_number="", body="Hello again"),
            self.company)
        self.assertEqual(third.applicant_id, self.applicant, "within company A the link still holds")

    def test_the_consent_export_holds_only_this_company(self):
        ours = self.applicants(1, partner_phone="+1 628 555 0410")
        self.env["hr.applicant"].create({"partner_name": "Theirs", "partner_phone": "+1 628 555 0410",
                                         "company_id": self.company_b.id, "recruit_sms_consent": True})
        action = ours.with_user(self.recruiter).action_recruit_sms_export_consent()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        text = attachment.raw.decode()
        self.assertIn("Cand 0", text)
        self.assertNotIn("Theirs", text)


@tagged("post_install", "-at_install")
class TestConsentEvidence(TrustCase):
    def test_an_interviewer_cannot_record_consent(self):
        applicant = self.applicants(1, recruit_sms_consent=False)
        applicant.interviewer_ids = self.interviewer
        with self.assertRaises(AccessError):
            rpc(self.env, self.interviewer, "hr.applicant", "write", [applicant.id], {"recruit_sms_consent": True})
        self.assertFalse(applicant.recruit_sms_consent)

    def test_date_and_source_are_set_by_odoo(self):
        applicant = self.applicants(1, recruit_sms_consent=False)
        before = fields.Datetime.now()
        rpc(self.env, self.recruiter, "hr.applicant", "write", [applicant.id], {
            "recruit_sms_consent": True, "recruit_sms_consent_date": "2020-01-01 00:00:00",
            "recruit_sms_consent_source": "application"}, context={"recruit_sms_consent_source": "application"})
        self.assertEqual(applicant.recruit_sms_consent_source, "form")
        self.assertGreaterEqual(applicant.recruit_sms_consent_date, before - timedelta(seconds=1))
        event = self.env["recruit.sms.consent.event"].search([("applicant_id", "=", applicant.id)], limit=1)
        self.assertEqual((event.event, event.source, event.user_id), ("consent", "form", self.recruiter))
        rpc(self.env, self.recruiter, "hr.applicant", "write", [applicant.id], {"recruit_sms_consent_date": "2020-01-01"})
        self.assertGreaterEqual(applicant.recruit_sms_consent_date, before - timedelta(seconds=1))

    def test_an_import_records_consent_as_imported(self):
        result = self.env["hr.applicant"].with_user(self.recruiter).load(
            ["partner_name", "partner_phone", "recruit_sms_consent"], [["Imported", "+1 628 555 0420", "1"]])
        self.assertFalse(result["messages"], result["messages"])
        applicant = self.env["hr.applicant"].browse(result["ids"])
        self.assertEqual(applicant.recruit_sms_consent_source, "import")


@tagged("post_install", "-at_install")
class TestGateProperty(TrustCase):
    """The gate over random numbers, applicants, companies, consents, opt-outs, time zones
    and clocks, against the rules as a recruiter states them."""

    def test_random_worlds(self):
        rng = random.Random(11)
        numbers = [f"+1628555{i:04d}" for i in range(500, 512)]
        zones = ["America/Los_Angeles", "America/New_York", "Asia/Kolkata", "Europe/Brussels"]
        companies = self.company | self.company_b
        companies.write({"recruit_sms_quiet_start": 8, "recruit_sms_quiet_end": 21})
        outcomes = set()
        for _round in range(4):
            world = []
            for number in numbers:
                holders = []
                for company in companies:
                    if rng.random() < 0.5:
                        holders.append(self.env["hr.applicant"].create({
                            "partner_name": f"P {number}", "partner_phone": number, "company_id": company.id,
                            "recruit_sms_consent": rng.random() < 0.6, "recruit_sms_tz": rng.choice(zones)}))
                opted_out = rng.random() < 0.25
                if opted_out:
                    self.env["phone.blacklist"].sudo()._add([number])
                world.append((number, holders, opted_out))
            now = datetime_at(rng)
            requests, expected = [], []
            for number, holders, opted_out in world:
                company = rng.choice(companies)
                kind = rng.choice(["manual", "automated", "campaign", "confirmation"])
                mine = [h for h in holders if h.company_id == company]
                requests.append(GateRequest(number, self.env["hr.applicant"], company, kind))
                # the rules: a confirmation always goes; then opt-out; then the consent of the
                # company's candidate holding the number (any of them); then their hours
                if kind == "confirmation":
                    expected.append(None)
                elif opted_out:
                    expected.append("opted_out")
                elif mine and not any(h.recruit_sms_consent for h in mine):
                    expected.append("no_consent")
                elif mine:
                    consenting = sorted((h for h in mine if h.recruit_sms_consent), key=lambda h: -h.id)[0]
                    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(consenting.recruit_sms_tz)).time()
                    is_open = local.hour >= 8 and local.hour < 21
                    expected.append(None if is_open else "quiet_hours")
                else:
                    expected.append(None)
            verdicts = self.env["recruit.sms.gate"]._decide(requests, now=now)
            self.assertEqual([v.code for v in verdicts], expected, now)
            outcomes.update(expected)
            # the next round is another world
            self.env["phone.blacklist"].sudo().search([("number", "in", numbers)]).unlink()
            self.env["hr.applicant"].search([("partner_phone", "in", numbers)]).unlink()
        self.assertEqual(outcomes, {None, "opted_out", "no_consent", "quiet_hours"})


def datetime_at(rng):
    return datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.choice([0, 30]))


@tagged("post_install", "-at_install")
class TestForgedFacts(TrustCase):
    """What a caller may send in values: nothing the gate, the resend or the ledger relies on."""

    def test_a_number_posted_on_another_applicant_is_decided_by_whoever_holds_it(self):
        holder = self.applicants(1, partner_phone="+1 628 555 0420", recruit_sms_consent=False)
        composer_id = rpc(self.env, self.recruiter, "sms.composer", "create", {
            "composition_mode": "comment", "res_model": "hr.applicant", "res_id": self.applicant.id,
            "numbers": "+1 628 555 0420", "body": "Posted on Ann, to someone else"})
        rpc(self.env, self.recruiter, "sms.composer", "action_send_sms", [composer_id])
        self.assertNotIn(holder.phone_sanitized, [r["form"]["To"] for r in self.twilio.requests],
                         "Ann's consent is not the holder's")
        sms = self.sms_to(holder.phone_sanitized)
        self.assertEqual(sms.state, "canceled")
        self.assertIn("not agreed", sms.recruit_sms_block_reason)

    def test_a_batch_handed_straight_to_the_provider_meets_the_gate(self):
        """mass_mailing_sms's test SMS calls the provider without Odoo's queue."""
        self.env["phone.blacklist"].sudo()._add([NUMBER])
        api = self.company._get_sms_api_class()(self.env)
        api._set_company(self.company)
        stopped, sent = api._send_sms_batch([{"content": "Test", "numbers": [
            {"number": NUMBER, "uuid": "u1"}, {"number": "+14155550199", "uuid": "u2"}]}])
        self.assertEqual(stopped["state"], "recruit_sms_blocked")
        self.assertEqual(stopped["failure_reason"], "Not sent: opted out")
        self.assertEqual(sent["state"], "sent")
        self.assertEqual([r["form"]["To"] for r in self.twilio.requests], ["+14155550199"])

    def test_a_forged_notification_resends_no_other_sms_and_keeps_what_was_sent(self):
        theirs = self.env["sms.sms"].sudo().create({"number": "+16285550499", "body": "Company B's secret",
                                                    "state": "error", "record_company_id": self.company_b.id})
        self.twilio.answer(400, {"code": 21408, "message": "Region not enabled", "status": 400})
        message = self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Hello", "Still interested?")
        forged_id = rpc(self.env, self.recruiter, "mail.notification", "create", {
            "mail_message_id": message.id, "notification_type": "sms", "res_partner_id": self.recruiter.partner_id.id,
            "sms_id_int": theirs.id, "notification_status": "exception", "recruit_sms_kind": "confirmation"})
        rpc(self.env, self.recruiter, "mail.notification", "write", [forged_id], {"recruit_sms_kind": "confirmation"})
        forged = self.env["mail.notification"].browse(forged_id)
        self.assertFalse(forged.recruit_sms_kind, "neither created nor written from the caller's values")
        rpc(self.env, self.recruiter, "hr.applicant", "recruit_sms_resend", [self.applicant.id], message.id)
        self.assertEqual((theirs.state, theirs.number), ("error", "+16285550499"), "another message's SMS is left alone")
        bodies = [r["form"]["Body"] for r in self.twilio.requests]
        self.assertNotIn("Company B's secret", bodies)
        self.assertIn("Still interested?", bodies[1:])

    def test_when_the_candidate_last_wrote_is_the_servers_to_say(self):
        self.company.write({"recruit_sms_quiet_start": 9, "recruit_sms_quiet_end": 18})
        with freeze_time("2030-01-15 11:00:00"):  # 03:00 in California
            rpc(self.env, self.recruiter, "hr.applicant", "write", [self.applicant.id], {
                "recruit_sms_last_inbound_date": "2030-01-15 10:59:00", "recruit_sms_waiting_since": "2030-01-15 10:59:00",
                "recruit_sms_apply_texted": True})
            self.assertEqual((self.applicant.recruit_sms_last_inbound_date, self.applicant.recruit_sms_waiting_since,
                              self.applicant.recruit_sms_apply_texted), (False, False, False))
            self.assertEqual(self.applicant._recruit_sms_verdict().code, "quiet_hours", "no reply grace was opened")

    def test_linking_a_text_moves_none_of_another_companys(self):
        inbound = self.env["recruit.sms.inbound"]
        number = "+16285550431"
        theirs, _created = inbound._recruit_sms_receive(
            InboundSms(message_sid="SMlinkB", account_sid="", from_number=number, to_number="", body="To B"), self.company_b)
        ours, _created = inbound._recruit_sms_receive(
            InboundSms(message_sid="SMlinkA", account_sid="", from_number=number, to_number="", body="To A"), self.company)
        self.assertEqual((theirs.state, ours.state), ("unmatched", "unmatched"))
        ours.with_user(self.recruiter)._recruit_sms_link_applicant(self.applicant)
        self.assertEqual(ours.applicant_id, self.applicant)
        self.assertEqual((theirs.state, theirs.applicant_id), ("unmatched", self.env["hr.applicant"]))

    def test_the_consent_export_is_for_officers_and_only_for_who_exported_it(self):
        self.applicant.interviewer_ids = self.interviewer
        with self.assertRaises(AccessError):
            rpc(self.env, self.interviewer, "hr.applicant", "action_recruit_sms_export_consent", [self.applicant.id])
        action = rpc(self.env, self.recruiter, "hr.applicant", "action_recruit_sms_export_consent", [self.applicant.id])
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        self.assertIn(NUMBER, self.env["ir.attachment"].with_user(self.recruiter).browse(attachment_id).raw.decode())
        colleague = mail_new_test_user(self.env, login="rsms_export_colleague",
                                       groups="base.group_user,hr_recruitment.group_hr_recruitment_user")
        with self.assertRaises(AccessError):
            rpc(self.env, colleague, "ir.attachment", "read", [attachment_id], ["raw"])
        with self.assertRaises(AccessError):  # nor anyone who reads the applicant
            rpc(self.env, self.interviewer, "ir.attachment", "read", [attachment_id], ["raw"])
        # a day later the file is gone; today's export stays
        fresh_id = int(rpc(self.env, self.recruiter, "hr.applicant", "action_recruit_sms_export_consent",
                           [self.applicant.id])["url"].split("/")[3].split("?")[0])
        self.env.cr.execute("UPDATE ir_attachment SET create_date = now() - interval '25 hours' WHERE id = %s",
                            [attachment_id])
        self.env["ir.attachment"].invalidate_model(["create_date"])
        self.env["recruit.sms.consent.event"]._gc_exports()
        self.assertEqual(self.env["ir.attachment"].browse([attachment_id, fresh_id]).exists().ids, [fresh_id])

    def test_consent_stays_with_the_number_it_was_given_for(self):
        rpc(self.env, self.recruiter, "hr.applicant", "write", [self.applicant.id], {"partner_phone": "+1 628 555 0432"})
        self.assertFalse(self.applicant.recruit_sms_consent)
        self.assertEqual(self.applicant.phone_sanitized, "+16285550432")
        events = self.env["recruit.sms.consent.event"].search([("applicant_id", "=", self.applicant.id)], order="id")
        self.assertEqual((events[-1].event, events[-1].number), ("consent_withdrawn", NUMBER))
        self.assertIn("+16285550432", events[-1].reason)
        self.assertEqual(self.applicant._recruit_sms_verdict().code, "no_consent")
        # the same number written another way changes nothing; a new number with consent keeps it
        rpc(self.env, self.recruiter, "hr.applicant", "write", [self.applicant.id],
            {"partner_phone": "+16285550433", "recruit_sms_consent": True})
        rpc(self.env, self.recruiter, "hr.applicant", "write", [self.applicant.id], {"partner_phone": "(628) 555-0433"})
        self.assertTrue(self.applicant.recruit_sms_consent)
        # consent given again in the same save as another number: the ledger has both sides
        rpc(self.env, self.recruiter, "hr.applicant", "write", [self.applicant.id],
            {"partner_phone": "+16285550434", "recruit_sms_consent": True})
        self.assertTrue(self.applicant.recruit_sms_consent)
        events = self.env["recruit.sms.consent.event"].search([("applicant_id", "=", self.applicant.id)], order="id")
        self.assertEqual([(e.event, e.number) for e in events[-2:]],
                         [("consent_withdrawn", "+16285550433"), ("consent", "+16285550434")])
