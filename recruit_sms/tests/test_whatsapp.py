import json
from datetime import timedelta

from odoo import fields
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.recruit_sms.providers import open_sms_stream
from odoo.addons.sms_twilio.tools.sms_twilio import generate_twilio_sms_callback_signature
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import RecruitSmsCase
from .inbound_common import TwilioInboundCase
from .test_campaign import FakeClock

WHATSAPP_SENDER = "+14155238886"
CANDIDATE = "+14155550142"
CONTENT_SID = "HX" + "0123456789abcdef" * 2


class WhatsappSetup:
    """A company on WhatsApp with one approved template."""

    @classmethod
    def setup_whatsapp(cls, sender=WHATSAPP_SENDER):
        cls.company.write({"recruit_sms_whatsapp": True, "recruit_sms_whatsapp_sender": sender})
        cls.template = cls.env["recruit.sms.whatsapp.template"].create({
            "name": "Follow-up", "content_sid": CONTENT_SID, "company_id": cls.company.id,
            "body": "Hi {{1}}, about the {{2}} role: can we talk here?", "variables": "first_name, job",
        })

    def whatsapp_notifications(self):
        return self.env["mail.notification"].sudo().search(
            [("mail_message_id", "in", self.sms_messages().ids), ("recruit_sms_whatsapp", "=", True)])


@tagged("post_install", "-at_install")
class TestWhatsappThroughTwilio(WhatsappSetup, TwilioInboundCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()
        # a Messaging Service sends the SMS; WhatsApp goes from its own sender all the same
        cls.company.sudo().recruit_sms_twilio_messaging_service_sid = "MG" + "a" * 32

    def setUp(self):
        super().setUp()
        self.twilio.responses.clear()

    def wa_form(self, body="Hi, is the job still open?", **extra):
        return self.form(body, sender=f"whatsapp:{CANDIDATE}", To=f"whatsapp:{WHATSAPP_SENDER}", **extra)

    def receive(self, body="Hi, is the job still open?"):
        form = self.wa_form(body)
        self.assertEqual(self.post(form).status_code, 200)
        return self.inbound(form)

    def test_inbound_whatsapp_lands_in_the_conversation_and_opens_the_window(self):
        self.assertEqual(self.applicant.recruit_sms_channel, "sms")
        self.assertFalse(self.applicant.recruit_sms_whatsapp_window_end)
        inbound = self.receive()
        self.assertEqual((inbound.channel, inbound.from_number, inbound.state), ("whatsapp", CANDIDATE, "matched"))
        self.assertEqual(inbound.applicant_id, self.applicant)
        self.applicant.invalidate_recordset()
        self.assertEqual(self.applicant.recruit_sms_channel, "whatsapp", "answered where they last wrote")
        self.assertEqual(self.applicant.recruit_sms_whatsapp_window_end, inbound.received_date + timedelta(hours=24))
        [bubble] = self.bubbles()
        self.assertEqual((bubble["channel"], bubble["direction"], bubble["body"]),
                         ("whatsapp", "in", "Hi, is the job still open?"))
        # an SMS afterwards brings them back to SMS
        self.post(self.form("Actually, text me"))
        self.applicant.invalidate_recordset()
        self.assertEqual(self.applicant.recruit_sms_channel, "sms")

    def test_unsigned_whatsapp_inbound_is_refused(self):
        form = self.wa_form()
        self.assertEqual(self.post(form, signature="forged").status_code, 403)
        self.assertFalse(self.inbound(form))

    @users("rsms_recruiter")
    def test_free_text_inside_the_window_goes_to_the_whatsapp_address(self):
        self.receive()
        self.applicant.with_user(self.env.user).recruit_sms_send("whatsapp", "Re", "Yes it is! Free tomorrow?")
        [request] = self.twilio.requests
        self.assertEqual(request["form"]["To"], f"whatsapp:{CANDIDATE}")
        self.assertEqual(request["form"]["From"], f"whatsapp:{WHATSAPP_SENDER}")
        self.assertEqual(request["form"]["Body"], "Yes it is! Free tomorrow?")
        self.assertNotIn("MessagingServiceSid", request["form"])
        self.assertNotIn("ContentSid", request["form"])
        self.assertIn("/sms_twilio/status/", request["form"]["StatusCallback"])
        out = [bubble for bubble in self.bubbles() if bubble["direction"] == "out"]
        self.assertEqual([(b["channel"], b["state"]) for b in out], [("whatsapp", "sent")])
        self.assertEqual(len(self.whatsapp_notifications()), 1)

    @users("rsms_recruiter")
    def test_outside_the_window_only_an_approved_template_goes(self):
        applicant = self.applicant.with_user(self.env.user)
        with self.assertRaisesRegex(UserError, "not written on WhatsApp in the last 24 hours.*approved template"):
            applicant.recruit_sms_send("whatsapp", "Re", "Are you still interested?")
        self.assertFalse(self.twilio.requests)
        self.assertFalse(self.sms_messages(), "a refused message is not posted")
        applicant.recruit_sms_send("whatsapp", "Follow-up", "", template_id=self.template.id)
        [request] = self.twilio.requests
        self.assertEqual(request["form"]["ContentSid"], CONTENT_SID)
        self.assertEqual(json.loads(request["form"]["ContentVariables"]), {"1": "Ann", "2": "Forklift driver"})
        self.assertNotIn("Body", request["form"])
        self.assertEqual(request["form"]["To"], f"whatsapp:{CANDIDATE}")
        [bubble] = self.bubbles()
        self.assertEqual(bubble["body"], "Hi Ann, about the Forklift driver role: can we talk here?")
        self.assertEqual(bubble["channel"], "whatsapp")

    def test_queue_and_campaigns_post_one_request_on_each_channel(self):
        """Odoo's SMS queue and a campaign run post the same form, written out here, on
        SMS (through the Messaging Service) and on WhatsApp (from its own sender, never
        the service)."""
        template = {"content_sid": CONTENT_SID, "content_variables": '{"1": "Ann"}'}
        api = self.company._get_sms_api_class()(self.env)
        api._set_company(self.company)
        for whatsapp in (None, template):
            session = api._recruit_sms_open_session()
            api._recruit_sms_send(session, CANDIDATE, "Same request", "u0", whatsapp=whatsapp)
            session.close()
            stream = open_sms_stream(self.env, self.company)
            stream.send(CANDIDATE, "Same request", "u0", whatsapp=whatsapp)
            stream.close()
        queue_sms, stream_sms, queue_wa, stream_wa = (request["form"] for request in self.twilio.requests)
        callback = self.company.get_base_url() + "/sms_twilio/status/u0"
        self.assertEqual(queue_sms, {"To": CANDIDATE, "Body": "Same request", "MessagingServiceSid": "MG" + "a" * 32,
                                     "StatusCallback": callback})
        self.assertEqual(stream_sms, queue_sms)
        self.assertEqual(queue_wa, {"To": f"whatsapp:{CANDIDATE}", "From": f"whatsapp:{WHATSAPP_SENDER}",
                                    "ContentSid": CONTENT_SID, "ContentVariables": '{"1": "Ann"}',
                                    "StatusCallback": callback})
        self.assertEqual(stream_wa, queue_wa)
        self.assertEqual({request["path"] for request in self.twilio.requests},
                         {f"/2010-04-01/Accounts/{self.company.sms_twilio_account_sid}/Messages.json"})

    def test_the_window_closes_24_hours_after_their_last_message(self):
        inbound = self.receive()
        inbound.sudo().received_date = fields.Datetime.now() - timedelta(hours=24, minutes=1)
        self.applicant.invalidate_recordset()
        state = self.applicant._recruit_sms_whatsapp_state()
        self.assertFalse(state["window_open"])
        self.assertIn("only an approved template", state["note"])
        with self.assertRaisesRegex(UserError, "24 hours"):
            self.applicant.with_user(self.recruiter).recruit_sms_send("whatsapp", "Re", "Hello?")
        inbound.sudo().received_date = fields.Datetime.now() - timedelta(hours=23)
        self.applicant.invalidate_recordset()
        self.assertTrue(self.applicant._recruit_sms_whatsapp_state()["window_open"])

    @users("rsms_recruiter")
    def test_the_gate_applies_on_whatsapp_as_on_sms(self):
        applicant = self.applicant.with_user(self.env.user)
        applicant.recruit_sms_consent = False
        with self.assertRaisesRegex(UserError, "has not agreed to receive text messages"):
            applicant.recruit_sms_send("whatsapp", "Follow-up", "", template_id=self.template.id)
        applicant.recruit_sms_consent = True
        self.env["phone.blacklist"].sudo()._add([CANDIDATE])
        with self.assertRaisesRegex(UserError, "opted out"):
            applicant.recruit_sms_send("whatsapp", "Follow-up", "", template_id=self.template.id)
        self.assertFalse(self.twilio.requests)

    def test_queued_whatsapp_text_is_still_gated_when_it_goes(self):
        """A WhatsApp text posted while allowed but sent later (the queue) passes the gate
        again: the window closed meanwhile, so it is not handed to Twilio."""
        inbound = self.receive()
        sms = self.applicant._recruit_sms_post_sms_batch(
            {self.applicant.id: "Late reply"}, subject="Re", kind="manual",
            sms_values={self.applicant.id: {"recruit_sms_channel": "whatsapp"}})
        inbound.sudo().received_date = fields.Datetime.now() - timedelta(days=2)
        sms.send(raise_exception=False)
        self.assertFalse(self.twilio.requests)
        bubble = next(b for b in self.bubbles() if b["direction"] == "out")
        self.assertEqual(bubble["state"], "cancelled")
        self.assertIn("24 hours", bubble["failure_reason"])

    def test_whatsapp_errors_read_as_what_to_do(self):
        self.receive()
        self.twilio.answer(400, {"code": 63016, "status": 400,
                                 "message": "Failed to send freeform message because you are outside the allowed window."})
        self.applicant.recruit_sms_send("whatsapp", "Re", "Hello")
        self.twilio.answer(400, {"code": 63024, "status": 400, "message": "Invalid message recipient"})
        self.applicant.recruit_sms_send("whatsapp", "Re", "Hello again")
        reasons = [b["failure_reason"] for b in self.bubbles() if b["direction"] == "out"]
        self.assertEqual(reasons, [
            "Outside WhatsApp's 24-hour window: only an approved template can be sent until the candidate writes (63016)",
            "Invalid WhatsApp recipient: this number has no WhatsApp account (63024)",
        ])

    def callback(self, uuid, status, signature=None, **extra):
        params = {"SmsStatus": status, "MessageStatus": status, "MessageSid": "SMx", "AccountSid": self.company.sms_twilio_account_sid,
                  "ChannelPrefix": "whatsapp", **extra}
        signature = signature or generate_twilio_sms_callback_signature(self.company.sudo(), uuid, params)
        return self.url_open(f"/sms_twilio/status/{uuid}", data=params, headers={"X-Twilio-Signature": signature})

    def test_read_status_shows_on_the_bubble(self):
        self.receive()
        message = self.applicant.recruit_sms_send("whatsapp", "Re", "See you Monday")
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        uuid = sms.uuid
        self.assertEqual(self.callback(uuid, "delivered").status_code, 200)
        # Odoo deletes a delivered SMS: the read receipt that follows is checked all the same
        self.env["sms.sms"].sudo().search([("uuid", "=", uuid)]).unlink()
        self.assertEqual(self.callback(uuid, "read", signature="forged").status_code, 404)
        notification = self.whatsapp_notifications()
        self.assertFalse(notification.recruit_sms_read_date)
        self.assertEqual(self.callback(uuid, "read").status_code, 200)
        self.assertTrue(notification.recruit_sms_read_date)
        out = [b for b in self.bubbles() if b["direction"] == "out"]
        self.assertEqual(out[0]["state"], "read")

    def test_managers_load_the_approved_templates_from_twilio(self):
        manager = mail_new_test_user(
            self.env, login="rsms_wa_manager", groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")

        def content(sid, name, body, status="approved"):
            return {"sid": sid, "friendly_name": name, "types": {"twilio/text": {"body": body}},
                    "approval_requests": {"status": status}}

        next_page = f"{self.twilio.base_url}/v1/ContentAndApprovals?PageSize=500&Page=1&PageToken=PT1"
        self.twilio.answer(200, {"contents": [
            content(CONTENT_SID, "follow_up_v2", "Hello {{1}}, still keen on the {{2}} role?"),
            content("HX" + "1" * 32, "pending_one", "Hi {{1}}", status="received"),
        ], "meta": {"next_page_url": next_page}})
        self.twilio.answer(200, {"contents": [content("HX" + "2" * 32, "interview_day", "See you at {{1}}, {{2}}")],
                                 "meta": {"next_page_url": "https://elsewhere.example.com/v1/ContentAndApprovals?Page=2"}})
        with self.assertRaises(AccessError):
            self.env["recruit.sms.whatsapp.template"].with_user(self.recruiter).action_recruit_sms_load_from_twilio()
        action = self.env["recruit.sms.whatsapp.template"].with_user(manager).action_recruit_sms_load_from_twilio()
        self.assertIn("1 template(s) added and 1 updated", action["params"]["message"])
        self.assertIn("pending_one (not approved by WhatsApp)", action["params"]["message"])
        gets = [r for r in self.twilio.requests if r.get("method") == "GET"]
        self.assertEqual([r["path"] for r in gets], ["/v1/ContentAndApprovals?PageSize=500",
                                                    "/v1/ContentAndApprovals?PageSize=500&Page=1&PageToken=PT1"],
                         "the next page is followed on the same service only")
        self.assertEqual({r["auth"] for r in gets}, {(self.company.sms_twilio_account_sid, self.company.sms_twilio_auth_token)})
        self.assertEqual((self.template.name, self.template.body, self.template.variables),
                         ("follow_up_v2", "Hello {{1}}, still keen on the {{2}} role?", "first_name, job"))
        added = self.env["recruit.sms.whatsapp.template"].search([("content_sid", "=", "HX" + "2" * 32)])
        self.assertEqual((added.name, added.variables, added.company_id), ("interview_day", "first_name, job", self.company))

    def test_a_failed_template_is_resent_as_the_same_template_on_whatsapp(self):
        self.twilio.answer(400, {"code": 63024, "status": 400, "message": "Invalid message recipient"})
        message = self.applicant.with_user(self.recruiter).recruit_sms_send("whatsapp", "Follow-up", "",
                                                                             template_id=self.template.id)
        [bubble] = self.bubbles()
        self.assertTrue(bubble["can_resend"])
        # once Odoo has deleted the failed SMS, the resend is rebuilt from the conversation
        self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)]).unlink()
        self.applicant.with_user(self.recruiter).recruit_sms_resend(message.id)
        first, again = (r["form"] for r in self.twilio.requests)
        self.assertEqual((again["To"], again["From"], again["ContentSid"]),
                         (f"whatsapp:{CANDIDATE}", f"whatsapp:{WHATSAPP_SENDER}", CONTENT_SID))
        self.assertEqual(again["ContentVariables"], first["ContentVariables"])
        self.assertNotIn("Body", again)
        self.assertEqual(self.bubbles()[0]["state"], "sent")

    def test_whatsapp_keywords_are_answered_even_when_twilio_answers_sms_ones(self):
        self.company.recruit_sms_provider_answers_keywords = True  # Twilio's Advanced Opt-Out: SMS only
        self.receive("STOP")
        self.assertTrue(self.blacklisted(CANDIDATE))
        [request] = self.twilio.requests
        self.assertEqual(request["form"]["To"], f"whatsapp:{CANDIDATE}")

    def test_the_sender_is_kept_as_twilio_addresses_it(self):
        self.company.recruit_sms_whatsapp_sender = "+1 (415) 523-8886"
        self.assertEqual(self.company.recruit_sms_whatsapp_sender, WHATSAPP_SENDER)
        self.assertEqual(self.post(self.wa_form()).status_code, 200, "inbound still finds the company by its sender")

    def test_analytics_count_whatsapp_messages_and_opt_outs_on_whatsapp(self):
        self.receive("Hi there")  # Twilio says NumSegments=1 for WhatsApp too
        self.receive("STOP")
        Report = self.env["recruit.sms.report"]
        Report._recruit_sms_refresh()
        rows = {channel: (received, opted_out, segments) for channel, received, opted_out, segments in Report._read_group(
            [("applicant_id", "=", self.applicant.id), ("direction", "=", "in")], ["channel"],
            ["received:sum", "opted_out:sum", "segments:sum"])}
        self.assertEqual(rows, {"whatsapp": (2, 1, 0)})

    def test_stop_on_whatsapp_opts_out_and_is_confirmed_there(self):
        self.receive("STOP")
        self.assertTrue(self.blacklisted(CANDIDATE))
        [request] = self.twilio.requests
        self.assertEqual((request["form"]["To"], request["form"]["From"]),
                         (f"whatsapp:{CANDIDATE}", f"whatsapp:{WHATSAPP_SENDER}"))
        self.assertIn("unsubscribed", request["form"]["Body"])


@tagged("post_install", "-at_install")
class TestWhatsappCampaign(WhatsappSetup, TwilioInboundCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp()

    def test_a_whatsapp_campaign_requires_and_sends_a_template(self):
        other = self.env["hr.applicant"].create({"partner_name": "Bob Builder", "partner_phone": "+1 628 555 0101",
                                                 "recruit_sms_consent": True, "job_id": self.job.id})
        campaign = self.env["recruit.sms.campaign"].with_user(self.recruiter).create({
            "name": "Reach out", "channel": "whatsapp", "recipient_ids": [(6, 0, (self.applicant | other).ids)]})
        with self.assertRaisesRegex(UserError, "WhatsApp template is required"):
            campaign.action_send()
        campaign.whatsapp_template_id = self.template
        self.assertEqual(campaign.review_eligible, 2)
        campaign.action_send()
        clock = FakeClock()
        self.env["recruit.sms.campaign"]._recruit_sms_send_due(clock=(clock, clock.sleep))
        forms = sorted((r["form"] for r in self.twilio.requests), key=lambda form: form["To"])
        self.assertEqual([(f["To"], f["From"], f["ContentSid"]) for f in forms], [
            (f"whatsapp:{CANDIDATE}", f"whatsapp:{WHATSAPP_SENDER}", CONTENT_SID),
            ("whatsapp:+16285550101", f"whatsapp:{WHATSAPP_SENDER}", CONTENT_SID),
        ])
        self.assertEqual(json.loads(forms[1]["ContentVariables"]), {"1": "Bob", "2": "Forklift driver"})
        self.assertTrue(all("Body" not in form for form in forms))
        self.assertEqual(set(campaign.line_ids.mapped("state")), {"sent"})


@tagged("post_install", "-at_install")
class TestWhatsappSandboxAndSettings(WhatsappSetup, RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_whatsapp(sender=False)  # the sandbox needs no sender

    @users("rsms_recruiter")
    def test_the_sandbox_simulates_whatsapp_and_its_window(self):
        applicant = self.applicant.with_user(self.env.user)
        with self.assertRaisesRegex(UserError, "24 hours"):
            applicant.recruit_sms_send("whatsapp", "Re", "Hello")
        applicant.recruit_sms_simulate_reply("Hello from WhatsApp", "whatsapp")
        applicant.recruit_sms_send("whatsapp", "Re", "Hi Ann!")
        out = [b for b in self.bubbles() if b["direction"] == "out"]
        self.assertEqual([(b["channel"], b["state"]) for b in out], [("whatsapp", "delivered")])
        conversation = applicant.recruit_sms_get_conversation()["applicant"]
        self.assertEqual(conversation["channel"], "whatsapp")
        self.assertTrue(conversation["whatsapp"]["window_open"])
        [offered] = [t for t in conversation["whatsapp"]["templates"] if t["id"] == self.template.id]
        self.assertEqual(offered["text"], "Hi Ann, about the Forklift driver role: can we talk here?")

    def test_analytics_tell_whatsapp_from_sms(self):
        self.applicant.recruit_sms_simulate_reply("Hi, WhatsApp is easier for me", "whatsapp")
        self.applicant.recruit_sms_send("whatsapp", "Re", "Sure, let's talk here")
        self.applicant.recruit_sms_send("sms", "Re", "And a text, for the record")
        Report = self.env["recruit.sms.report"]
        Report._recruit_sms_refresh()
        rows = {channel: (sent, received, segments) for channel, sent, received, segments in Report._read_group(
            [("applicant_id", "=", self.applicant.id)], ["channel"], ["sent:sum", "received:sum", "segments:sum"])}
        self.assertEqual(rows, {"whatsapp": (1, 1, 0), "sms": (1, 0, 1)})

    def test_the_sandbox_refuses_free_text_outside_the_window_like_whatsapp(self):
        sms = self.env["sms.sms"].sudo().create({"number": CANDIDATE, "body": "Hello", "recruit_sms_channel": "whatsapp"})
        api = self.company._get_sms_api_class()(self.env)
        api._set_company(self.company)
        [result] = api._send_sms_batch([{"content": "Hello", "numbers": [{"number": CANDIDATE, "uuid": sms.uuid}]}])
        self.assertEqual(result["state"], "unknown")
        self.assertIn("24-hour window", result["failure_reason"])
        sms.recruit_sms_content_sid = CONTENT_SID
        [result] = api._send_sms_batch([{"content": "Hello", "numbers": [{"number": CANDIDATE, "uuid": sms.uuid}]}])
        self.assertEqual(result["state"], "delivered")

    def test_another_companys_applicant_is_texted_through_their_company(self):
        self.company.recruit_sms_whatsapp = False  # the user's current company has no WhatsApp
        other = self.env["res.company"].create({"name": "Elsewhere", "sms_provider": "sandbox", "recruit_sms_whatsapp": True,
                                                "recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24})
        theirs = self.env["hr.applicant"].create({"partner_name": "Zed", "partner_phone": "+1 628 555 0177",
                                                  "company_id": other.id, "recruit_sms_consent": True})
        theirs.recruit_sms_simulate_reply("Hi, WhatsApp please", "whatsapp")
        theirs.recruit_sms_send("whatsapp", "Re", "Sure!")
        out = [b for b in self.bubbles(theirs) if b["direction"] == "out"]
        self.assertEqual([(b["channel"], b["state"]) for b in out], [("whatsapp", "delivered")])

    def test_the_queue_sends_each_companys_texts_through_its_own_provider(self):
        other = self.env["res.company"].create({"name": "Elsewhere", "sms_provider": "sandbox",
                                                "recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24})
        theirs = self.env["hr.applicant"].create({"partner_name": "Zed", "partner_phone": "+1 628 555 0177",
                                                  "company_id": other.id, "recruit_sms_consent": True})
        queued = self.env["sms.sms"]
        for applicant in (self.applicant, theirs):
            queued |= applicant._recruit_sms_post_sms_batch({applicant.id: "Queued"}, subject="Re", kind="manual")
        self.assertEqual(queued.record_company_id, self.company | other)
        self.patch(type(self.env["ir.cron"]), "_commit_progress", lambda *_args, **_kwargs: 1)  # no commit in a test
        self.env["sms.sms"]._process_queue()  # one batch, two companies
        for applicant in (self.applicant, theirs):
            self.assertEqual([b["state"] for b in self.bubbles(applicant)], ["delivered"])

    def test_a_queued_whatsapp_text_never_goes_as_an_sms(self):
        self.applicant.recruit_sms_simulate_reply("Hi", "whatsapp")
        sms = self.applicant._recruit_sms_post_sms_batch(
            {self.applicant.id: "Later"}, subject="Re", kind="manual",
            sms_values={self.applicant.id: {"recruit_sms_channel": "whatsapp"}})
        self.company.recruit_sms_whatsapp = False
        sms.send(raise_exception=False)
        bubble = [b for b in self.bubbles() if b["direction"] == "out"][-1]
        self.assertEqual(bubble["state"], "cancelled")
        self.assertIn("WhatsApp is not set up", bubble["failure_reason"])

    def test_an_archived_template_is_not_sent(self):
        self.applicant.recruit_sms_simulate_reply("Hi", "whatsapp")
        self.template.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            self.applicant.with_user(self.recruiter).recruit_sms_send("whatsapp", "Re", "", template_id=self.template.id)

    def test_composer_switches_to_template_mode_when_the_window_is_closed(self):
        composer = self.env["recruit.sms.composer"].with_user(self.recruiter).with_context(
            active_id=self.applicant.id).create({"applicant_id": self.applicant.id, "channel": "whatsapp", "subject": "Hi"})
        self.assertTrue(composer.whatsapp_needs_template)
        self.assertFalse(composer.whatsapp_preview, "no template chosen: nothing to preview")
        self.assertIn("only an approved template", composer.whatsapp_note)
        composer.whatsapp_template_id = self.template
        self.assertEqual(composer.whatsapp_preview, "Hi Ann, about the Forklift driver role: can we talk here?")
        composer.action_send()
        [bubble] = self.bubbles()
        self.assertEqual((bubble["channel"], bubble["body"]),
                         ("whatsapp", "Hi Ann, about the Forklift driver role: can we talk here?"))

    def test_whatsapp_is_offered_only_where_it_is_set_up(self):
        channels = dict(self.env["recruit.sms.composer"]._fields["channel"]._description_selection(self.env))
        self.assertIn("whatsapp", channels)
        self.company.recruit_sms_whatsapp = False
        channels = dict(self.env["recruit.sms.composer"]._fields["channel"]._description_selection(self.env))
        self.assertNotIn("whatsapp", channels)
        self.assertFalse(self.applicant.recruit_sms_get_conversation()["applicant"]["whatsapp"])
        with self.assertRaisesRegex(UserError, "WhatsApp is not set up for"):
            self.applicant.recruit_sms_send("whatsapp", "Re", "Hello")

    def test_settings_say_what_whatsapp_needs(self):
        with self.assertRaisesRegex(ValidationError, "WhatsApp sender: .*international form"), self.cr.savepoint():
            self.company.recruit_sms_whatsapp_sender = "not a number"
        self.env.invalidate_all()
        self.assertTrue(self.company._recruit_sms_whatsapp_ready())
        # Twilio without a WhatsApp sender, or a provider without WhatsApp: not offered, and sending says why
        for provider, missing in (("twilio", "Twilio needs the WhatsApp-enabled number"),
                                  ("iap", "goes through Twilio or the sandbox")):
            self.company.sms_provider = provider
            self.assertFalse(self.company._recruit_sms_whatsapp_ready())
            self.assertFalse(self.applicant.recruit_sms_get_conversation()["applicant"]["whatsapp"])
            with self.assertRaisesRegex(UserError, missing):
                self.applicant.recruit_sms_send("whatsapp", "Re", "Hello")
        self.company.write({"sms_provider": "twilio", "recruit_sms_whatsapp_sender": WHATSAPP_SENDER})
        self.assertTrue(self.company._recruit_sms_whatsapp_ready())

    def test_the_sandbox_has_no_templates_to_load(self):
        with self.assertRaisesRegex(UserError, "add them by hand"):
            self.env["recruit.sms.whatsapp.template"].action_recruit_sms_load_from_twilio()

    def test_templates_are_checked_and_kept_to_their_company(self):
        Template = self.env["recruit.sms.whatsapp.template"]
        with self.assertRaisesRegex(ValidationError, "Content SID"):
            Template.create({"name": "Bad", "content_sid": "HX123", "body": "Hi"})
        with self.assertRaisesRegex(ValidationError, "1 placeholder.*2 variable"):
            Template.create({"name": "Bad", "content_sid": CONTENT_SID, "body": "Hi {{1}}", "variables": "first_name, job"})
        with self.assertRaisesRegex(ValidationError, "cannot be filled"):
            Template.create({"name": "Bad", "content_sid": CONTENT_SID, "body": "Hi {{1}}", "variables": "object.name"})
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        theirs = Template.create({"name": "Theirs", "content_sid": CONTENT_SID, "body": "Hi", "company_id": other_company.id})
        with self.assertRaises(AccessError):
            self.applicant.with_user(self.recruiter).recruit_sms_send("whatsapp", "Re", "", template_id=theirs.id)
        with self.assertRaises(AccessError):
            Template.with_user(self.recruiter).create({"name": "Mine", "content_sid": CONTENT_SID, "body": "Hi"})
