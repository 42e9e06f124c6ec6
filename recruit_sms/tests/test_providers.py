from lxml import etree

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.recruit_sms.providers import open_sms_stream, twilio_sender
from odoo.addons.recruit_sms.providers.base import GATED, UNCONFIRMED_STATE
from odoo.addons.sms_twilio.tools.sms_twilio import get_twilio_from_number
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import RecruitSmsCase
from .twilio_double import serve_for

ACCOUNT_SID = "AC" + "1234567890abcdef" * 2
AUTH_TOKEN = "secret-auth-token"
SERVICE_SID = "MG" + "fedcba0987654321" * 2


@tagged("post_install", "-at_install")
class TestSandboxProvider(RecruitSmsCase):
    def test_sms_through_sandbox_is_delivered_and_shown_as_a_bubble(self):
        message = self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Interview", "Are you free on Monday?")
        self.assertEqual(message.message_type, "sms")
        self.assertEqual(message.subject, "Interview")
        # the sandbox marks messages delivered; the subject is not sent, only the body
        self.assertSMSNotification(
            [{"partner": self.applicant.partner_id, "number": "+14155550142", "state": "sent",
              "sms_fields_values": {"body": "Are you free on Monday?"}}],
            "Are you free on Monday?", messages=message,
            mail_message_values={"subject": "Interview", "author_id": self.recruiter.partner_id})
        [bubble] = self.bubbles()
        self.assertEqual(
            {k: bubble[k] for k in ("channel", "direction", "subject", "body", "state", "author", "can_resend")},
            {"channel": "sms", "direction": "out", "subject": "Interview", "body": "Are you free on Monday?",
             "state": "delivered", "author": "Rita Recruiter", "can_resend": False},
        )

    def test_queue_and_campaigns_send_alike(self):
        api = self.company._get_sms_api_class()(self.env)
        api._set_company(self.company)
        [batch] = api._send_sms_batch([{"content": "Hi", "numbers": [{"number": "+14155550142", "uuid": "u1"}]}])
        stream = open_sms_stream(self.env, self.company)
        self.assertEqual(stream.send("+14155550142", "Hi", "u1"), batch)
        self.assertEqual(batch, {"uuid": "u1", "state": "delivered"})
        stream.close()

    def test_sandbox_is_selected_only_where_no_provider_is_configured(self):
        fresh = self.env["res.company"].create({"name": "Fresh Co"})
        texting = self.env["res.company"].create({"name": "Twilio Co", "sms_provider": "twilio"})
        (fresh | texting)._recruit_sms_select_sandbox()
        self.assertEqual(fresh.sms_provider, "sandbox")
        self.assertEqual(texting.sms_provider, "twilio")


    def test_sandbox_refuses_twilios_test_numbers_like_twilio(self):
        # (number, reason, failure type): core's mapping of Twilio's 21211, 21612 and 21614
        for number, reason, failure_type in (("+15005550001", "Invalid 'To' phone number", "sms_number_format"),
                                             ("+15005550002", "cannot be reached", "unknown"),
                                             ("+15005550009", "not a mobile number", "sms_number_format")):
            with self.subTest(number=number):
                self.applicant.write({"partner_phone": number, "recruit_sms_consent": True})  # consent for this number
                message = self.applicant.with_user(self.recruiter).recruit_sms_send("sms", "Hi", "Are you there?")
                self.assertSMSNotification([{"partner": self.applicant.partner_id, "number": number,
                                             "state": "exception", "failure_type": failure_type}],
                                           "Are you there?", messages=message)
                self.assertIn(reason, message.notification_ids.failure_reason)
                self.assertIn("test number", message.notification_ids.failure_reason)


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    def test_demo_data_selects_the_sandbox_and_textable_applicants(self):
        demo = self.env.ref("hr_recruitment.hr_case_salesman0", raise_if_not_found=False)
        if not demo:
            self.skipTest("database installed without demo data")
        self.assertEqual(self.env.ref("base.main_company").sms_provider, "sandbox")
        self.assertTrue(demo.recruit_sms_can_text)
        self.assertEqual(demo.recruit_sms_consent_source, "form")


@tagged("post_install", "-at_install")
class TestTwilioProvider(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.twilio = serve_for(cls)
        cls.company.write({
            "sms_provider": "twilio",
            "sms_twilio_account_sid": ACCOUNT_SID,
            "sms_twilio_auth_token": AUTH_TOKEN,
        })
        cls.env["sms.twilio.number"].create({
            "company_id": cls.company.id, "number": "+15005550006", "country_id": cls.env.ref("base.us").id,
        })

    def setUp(self):
        super().setUp()
        self.twilio.requests.clear()
        self.twilio.responses.clear()

    def api(self):
        api = self.company._get_sms_api_class()(self.env)
        api._set_company(self.company)
        return api

    def batch(self, *numbers, body="Hello"):
        """Odoo's SMS queue's way to the provider, with what the gate let through."""
        with GATED.set(True):
            return self.api()._send_sms_batch(
                [{"content": body, "numbers": [{"number": number, "uuid": f"u{i}"} for i, number in enumerate(numbers)]}])

    def test_send_uses_base_url_credentials_and_from_number(self):
        message = self.applicant.recruit_sms_send("sms", "Hello", "Your interview is confirmed")
        [request] = self.twilio.requests
        self.assertEqual(request["path"], f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
        self.assertEqual(request["auth"], (ACCOUNT_SID, AUTH_TOKEN))
        self.assertEqual(request["form"]["To"], "+14155550142")
        self.assertEqual(request["form"]["From"], "+15005550006")
        self.assertEqual(request["form"]["Body"], "Your interview is confirmed")
        self.assertNotIn("MessagingServiceSid", request["form"])
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertIn("/sms_twilio/status/" + sms.uuid, request["form"]["StatusCallback"])
        self.assertSMSNotification([{"partner": self.applicant.partner_id, "number": "+14155550142"}],
                                   "Your interview is confirmed", messages=message)
        self.assertEqual(self.bubbles()[0]["state"], "sent")
        self.assertTrue(sms.sms_tracker_id.sms_twilio_sid.startswith("SM"))

    def test_messaging_service_sid_replaces_from(self):
        self.company.recruit_sms_twilio_messaging_service_sid = SERVICE_SID
        self.applicant.recruit_sms_send("sms", "Hello", "Through the service")
        [request] = self.twilio.requests
        self.assertEqual(request["form"]["MessagingServiceSid"], SERVICE_SID)
        self.assertNotIn("From", request["form"])

    def test_twilio_error_ends_as_failed_sms_with_reason_then_resend(self):
        reason = "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"
        self.twilio.answer(400, {"code": 21408, "message": reason, "status": 400})
        message = self.applicant.recruit_sms_send("sms", "Hello", "Still interested?")
        failed = {"partner": self.applicant.partner_id, "number": "+14155550142", "state": "exception",
                  "failure_type": "unknown", "failure_reason": reason}  # core knows no type for 21408
        self.assertSMSNotification([failed], "Still interested?", messages=message)
        [bubble] = self.bubbles()
        self.assertEqual(bubble["state"], "failed")
        self.assertEqual(bubble["failure_reason"], reason)
        self.assertTrue(bubble["can_resend"])

        self.applicant.recruit_sms_resend(message.id)
        self.assertEqual(len(self.twilio.requests), 2)
        self.assertEqual(self.twilio.requests[1]["form"]["Body"], "Still interested?")
        self.assertSMSNotification([{"partner": self.applicant.partner_id, "number": "+14155550142"}],
                                   "Still interested?", messages=message)
        self.assertEqual(self.bubbles()[0]["state"], "sent")
        self.assertFalse(self.bubbles()[0]["can_resend"])

    def test_unreachable_provider_fails_with_a_reason(self):
        self.company.recruit_sms_twilio_api_url = "http://127.0.0.1:9"  # discard port: nothing listens
        message = self.applicant.recruit_sms_send("sms", "Hello", "Anyone there?")
        self.assertSMSNotification([{"partner": self.applicant.partner_id, "number": "+14155550142",
                                     "state": "exception", "failure_type": "sms_server"}],
                                   "Anyone there?", messages=message)
        self.assertIn("could not be reached", message.notification_ids.failure_reason)
        self.assertTrue(self.bubbles()[0]["can_resend"])

    def test_settings_are_validated(self):
        with self.assertRaisesRegex(ValidationError, "must use https"), self.cr.savepoint():
            self.company.recruit_sms_twilio_api_url = "http://api.example.com"
        self.env.invalidate_all()
        with self.assertRaisesRegex(ValidationError, "Messaging Service SID"), self.cr.savepoint():
            self.company.recruit_sms_twilio_messaging_service_sid = "MG123"
        self.env.invalidate_all()
        self.assertEqual(self.company.recruit_sms_twilio_api_url, self.twilio.base_url)

    def test_credentials_are_for_administrators_only(self):
        names = ["recruit_sms_twilio_api_url", "recruit_sms_twilio_messaging_service_sid",
                 "sms_twilio_auth_token", "sms_twilio_account_sid"]
        manager = mail_new_test_user(
            self.env, login="rsms_cred_manager", name="Hiring Manager",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_manager",
        )
        for user in (self.recruiter, manager):
            company = self.company.with_user(user)
            self.assertTrue(company.read(["name"]), "the company itself stays readable")
            for name in names:
                with self.subTest(user=user.login, field=name), self.assertRaises(AccessError):
                    company.read([name])
            self.assertFalse(set(names) & set(company.fields_get()), "not even listed to them")
        admin = mail_new_test_user(self.env, login="rsms_cred_admin", name="Admin", groups="base.group_user,base.group_system")
        values = self.company.with_user(admin).read(names)[0]
        self.assertEqual((values["sms_twilio_auth_token"], values["recruit_sms_twilio_api_url"]),
                         (AUTH_TOKEN, self.twilio.base_url))

    def test_connection_test_says_what_stops_sending(self):
        admin = mail_new_test_user(self.env, login="rsms_conn_admin", name="Ada Admin",
                                   groups="base.group_user,base.group_system")
        self.addCleanup(setattr, self.twilio, "account", dict(self.twilio.account))
        self.addCleanup(setattr, self.twilio, "owned_numbers", [])

        def test_connection():
            self.twilio.requests.clear()
            settings = self.env["res.config.settings"].with_user(admin).create({})
            params = settings.action_recruit_sms_test_connection()["params"]
            return params["type"], params["message"]

        self.twilio.owned_numbers = ["+15005550006"]
        level, message = test_connection()
        self.assertEqual(level, "success", message)
        self.assertIn(ACCOUNT_SID, message)
        self.assertIn("+15005550006", message)
        self.assertEqual([(r["path"], r["auth"]) for r in self.twilio.requests], [
            (f"/2010-04-01/Accounts/{ACCOUNT_SID}.json", (ACCOUNT_SID, AUTH_TOKEN)),
            (f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json?PageSize=1000", (ACCOUNT_SID, AUTH_TOKEN)),
        ])

        # an account of many numbers answers page after page: the one configured is on the last
        self.twilio.owned_numbers = [f"+1628555{i:04d}" for i in range(120)] + ["+15005550006"]
        self.twilio.numbers_page_size = 50
        self.addCleanup(setattr, self.twilio, "numbers_page_size", None)
        level, message = test_connection()
        self.assertEqual(level, "success", message)
        self.assertEqual(len(self.twilio.requests), 1 + 3, "the account, then three pages of numbers")
        self.twilio.numbers_page_size = None

        self.twilio.owned_numbers = ["+15005550007"]
        level, message = test_connection()
        self.assertEqual(level, "warning")
        self.assertIn("+15005550006 is not a number of this Twilio account", message)

        self.twilio.owned_numbers = ["+15005550006"]
        self.twilio.account = {"status": "active", "type": "Trial"}
        level, message = test_connection()
        self.assertEqual(level, "warning")
        self.assertIn("trial account", message)

        self.twilio.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        level, message = test_connection()
        self.assertEqual(level, "danger")
        self.assertIn("Account SID or the Auth Token is wrong", message)
        self.assertEqual(len(self.twilio.requests), 1, "no numbers asked with credentials that failed")

        self.company.recruit_sms_twilio_api_url = "http://127.0.0.1:9"  # nothing listens there
        level, message = test_connection()
        self.assertEqual(level, "danger")
        self.assertIn("could not be reached", message)

    def test_settings_show_the_webhook_urls_to_administrators_only(self):
        admin = mail_new_test_user(self.env, login="rsms_url_admin", name="Ada Admin",
                                   groups="base.group_user,base.group_system")
        settings = self.env["res.config.settings"].with_user(admin).create({})
        base = self.company.get_base_url()
        self.assertEqual(settings.recruit_sms_inbound_url, f"{base}/recruit_sms/twilio/inbound")
        self.assertTrue(settings.recruit_sms_status_url.startswith(f"{base}/sms_twilio/status/"))
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.recruiter).create({})

    def test_recruiters_settings_are_in_recruitments_own(self):
        """What recruiters decide is in Recruitment's settings, in Odoo's setting blocks;
        the provider, its credentials and the webhook stay in the SMS section."""
        arch = etree.fromstring(self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"])
        [recruitment] = arch.xpath("//app[@name='hr_recruitment']")
        texting = recruitment.xpath(".//block[@name='recruit_sms_texting_settings']//field/@name")
        for name in ("recruit_sms_quiet_start", "recruit_sms_quiet_end", "recruit_sms_law_everywhere",
                     "recruit_sms_first_contact_notice", "recruit_sms_optout_reply", "recruit_sms_rate",
                     "recruit_sms_bulk_cap", "recruit_sms_apply_template_id", "recruit_sms_sla_hours"):
            self.assertIn(name, texting)
            self.assertEqual(len(arch.xpath(f"//field[@name='{name}']")), 1, f"{name} is in one place only")
        self.assertFalse(recruitment.xpath(".//field[@name='recruit_sms_twilio_messaging_service_sid']"))

    def test_campaign_stream_and_queue_batch_each_keep_one_connection(self):
        connections = self.twilio.connections
        stream = open_sms_stream(self.env, self.company)
        results = [stream.send(f"+1415555{i:04d}", "Hello", f"s{i}") for i in range(5)]
        stream.close()
        self.assertEqual({result["state"] for result in results}, {"sent"})
        self.assertEqual(self.twilio.connections - connections, 1, "one keep-alive connection for the whole run")
        self.assertEqual(len({request["connection"] for request in self.twilio.requests}), 1)

        results = self.batch(*[f"+1415555{i:04d}" for i in range(5)])
        self.assertEqual([result["state"] for result in results], ["sent"] * 5)
        self.assertEqual(self.twilio.connections - connections, 2, "one connection for the queue's batch")

    def test_both_paths_send_the_same_request(self):
        self.env["sms.twilio.number"].create({
            "company_id": self.company.id, "number": "+3225550006", "country_id": self.env.ref("base.be").id,
        })
        for number in ("+14155550142", "+32470123456"):
            self.batch(number, body="Same request")
            stream = open_sms_stream(self.env, self.company)
            stream.send(number, "Same request", "u0")
            stream.close()
        queue_us, stream_us, queue_be, stream_be = (request["form"] for request in self.twilio.requests)
        self.assertEqual(queue_us, stream_us)
        self.assertEqual(queue_be, stream_be)
        self.assertEqual((queue_us["From"], queue_be["From"]), ("+15005550006", "+3225550006"),
                         "core's choice: the number of the recipient's country")
        self.assertTrue(queue_us["StatusCallback"].endswith("/sms_twilio/status/u0"))

    def test_sender_is_cores_choice_or_the_messaging_service(self):
        self.env["sms.twilio.number"].create({
            "company_id": self.company.id, "number": "+3225550006", "country_id": self.env.ref("base.be").id,
        })
        company_sudo = self.company.sudo()
        for number in ("+14155550142", "+32470123456", "+33612345678", "not a number"):
            self.assertEqual(twilio_sender(company_sudo, number), get_twilio_from_number(company_sudo, number).number, number)
        self.company.recruit_sms_twilio_messaging_service_sid = SERVICE_SID
        self.assertEqual(twilio_sender(company_sudo, "+32470123456"), SERVICE_SID)
        stream = open_sms_stream(self.env, self.company)
        self.assertEqual(stream.sender("+32470123456"), SERVICE_SID)

    def test_errors_map_alike_through_the_queue_and_campaigns(self):
        """Each answer (or none) ends in the same state, failure type and reason whether
        Odoo's SMS queue or a campaign sent the message."""
        unreachable = "could not be reached"
        unconfirmed = "Not confirmed by the provider: it may have been sent"
        cases = [
            # (answer, state, failure type, reason or a part of it)
            ((400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}),
             "wrong_number_format", "sms_number_format", "Invalid 'To' Phone Number"),
            ((400, {"code": 21211, "status": 400}),
             "wrong_number_format", "sms_number_format", "The number you're trying to reach is not correctly formatted"),
            ((400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}),
             "unknown", "unknown", "Attempt to send to unsubscribed recipient"),
            ((429, {"code": 20429, "message": "Too Many Requests", "status": 429}), "server_error", "sms_server", "Too Many Requests"),
            ((500, {"code": 20500, "message": "Internal error", "status": 500}), "server_error", "sms_server", "Internal error"),
            ((401, {"code": 20003, "message": "Authenticate", "status": 401}),
             "twilio_authentication", "sms_credit", "Authenticate"),
            # may have reached Twilio: never retried blind, confirmed first
            ((503, b"<html>Service Unavailable</html>"), UNCONFIRMED_STATE, "unknown", unconfirmed),  # a gateway's page
            ((200, b"<html>Welcome to the hotel Wi-Fi</html>"), UNCONFIRMED_STATE, "unknown", unconfirmed),
            ((201, {"status": "queued"}), UNCONFIRMED_STATE, "unknown", unconfirmed),  # no SID
            # answered after the client gave up (Odoo's tests stretch timeouts to 10 s)
            ((201, {"sid": "SMlate", "status": "queued"}, 11), UNCONFIRMED_STATE, "unknown", unconfirmed),
        ]
        for answer, state, failure_type, reason in cases:
            with self.subTest(answer=answer[:2]):
                self.twilio.answer(*answer)
                [queue] = self.batch("+14155550142")
                self.twilio.answer(*answer)
                stream = open_sms_stream(self.env, self.company)
                streamed = stream.send("+14155550142", "Hello", "u0")
                unsubscribed = list(stream.unsubscribed)
                stream.close()
                for result in (queue, streamed):
                    self.assertEqual(result["state"], state)
                    self.assertEqual(stream.failure_type(result["state"]), failure_type)
                    self.assertIn(reason, result["failure_reason"])
                self.assertEqual(queue, streamed)
                unsubscribes = isinstance(answer[1], dict) and answer[1].get("code") == 21610
                self.assertEqual(unsubscribed, ["+14155550142"] if unsubscribes else [])
        self.company.recruit_sms_twilio_api_url = "http://127.0.0.1:9"  # discard port: nothing listens
        [queue] = self.batch("+14155550142")
        stream = open_sms_stream(self.env, self.company)
        self.assertEqual(stream.send("+14155550142", "Hello", "u0"), queue)
        self.assertEqual((queue["state"], stream.failure_type(queue["state"])), ("server_error", "sms_server"))
        self.assertIn(unreachable, queue["failure_reason"])

    def test_unsubscribed_answer_to_the_queue_blacklists_the_number(self):
        self.twilio.answer(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400})
        self.batch("+14155550142")
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", "+14155550142"), ("active", "=", True)]))
