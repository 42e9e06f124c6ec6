"""What core's own suites expect of hr.applicant and of the Twilio provider keeps holding
with recruit_sms installed (`make core-compare` runs those suites side by side)."""

import json
from urllib.parse import parse_qs

from requests import Response

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sms_twilio.tests.common import MockSmsTwilio
from odoo.tests import tagged, users

from ..providers import SmsApiTwilioRecruit
from .common import RecruitSmsCase

# hr.applicant fields of recruit_sms that only recruitment officers read
OFFICER_FIELDS = ("recruit_sms_inbound_ids", "recruit_sms_consent_event_ids", "recruit_sms_scheduled_ids")
SERVICE_SID = "MG" + "0123456789abcdef" * 2


@tagged("post_install", "-at_install")
class TestInterviewerReadsApplicant(RecruitSmsCase):
    """An interviewer may read the applicants they interview (core's
    test_interviewer_access_rights); every field recruit_sms adds to hr.applicant must
    let them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.interviewer = mail_new_test_user(
            cls.env, login="rsms_seam_interviewer", name="Ivan Interviewer",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer",
        )
        cls.applicant.interviewer_ids = cls.interviewer
        cls.env["recruit.sms.scheduled"].create({
            "applicant_id": cls.applicant.id, "channel": "sms", "subject": "Tomorrow", "body": "See you tomorrow",
            "send_at": "2030-01-01 09:00:00", "user_id": cls.recruiter.id,
        })

    def test_interviewer_reads_every_field_they_may_see(self):
        [values] = self.applicant.with_user(self.interviewer).read()
        self.assertEqual(values["partner_name"], "Ann Applicant")
        self.assertTrue(values["recruit_sms_can_text"])
        for name in OFFICER_FIELDS:
            self.assertNotIn(name, values, f"{name} is for recruitment officers")

    def test_officer_still_reads_the_officer_fields(self):
        [values] = self.applicant.with_user(self.recruiter).read(list(OFFICER_FIELDS))
        self.assertEqual(len(values["recruit_sms_scheduled_ids"]), 1)
        self.assertEqual(self.applicant.with_user(self.recruiter).recruit_sms_scheduled_ids.body, "See you tomorrow")

    def form_fields(self, user):
        views = self.env["hr.applicant"].with_user(user).get_views([(False, "form")])
        return views["models"]

    def test_interviewer_opens_the_applicant_form(self):
        models = self.form_fields(self.interviewer)
        fields = models["hr.applicant"]["fields"]
        for name in OFFICER_FIELDS:
            self.assertNotIn(name, fields, f"the form shows {name} to officers only")
        self.assertIn("recruit_sms_consent", fields)
        # read what the form reads, as the web client does
        specification = {}
        for name, description in fields.items():
            if description["type"] in ("one2many", "many2many"):
                sub_fields = (models.get(description["relation"]) or {}).get("fields") or {}
                specification[name] = {"fields": {
                    sub: {} for sub, sub_description in sub_fields.items() if sub_description["type"] not in (
                        "one2many", "many2many", "many2one")
                } or {"display_name": {}}}
            elif description["type"] == "many2one":
                specification[name] = {"fields": {"display_name": {}}}
            else:
                specification[name] = {}
        [values] = self.applicant.with_user(self.interviewer).web_read(specification)
        self.assertEqual(values["partner_name"], "Ann Applicant")
        self.assertEqual(values["recruit_sms_assigned_user_id"]["display_name"], "Rita Recruiter")

    def test_officer_form_shows_the_officer_fields(self):
        fields = self.form_fields(self.recruiter)["hr.applicant"]["fields"]
        for name in ("recruit_sms_consent_event_ids", "recruit_sms_scheduled_ids"):
            self.assertIn(name, fields)


@tagged("post_install", "-at_install")
class TestCoreTwilioSeam(MockSmsTwilio):
    """Core's Twilio seam, ``SmsApiTwilio._sms_twilio_send_request``, patched the way
    core's own tests (and integrators) patch it, still sees every message recruit_sms's
    Twilio provider sends, and core's expected states follow. Only the HTTP requests are
    answered here (core's helper answers those to api.twilio.com)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sms_twilio(cls.company_admin)

    def setUp(self):
        super().setUp()
        type(self).http_requests = []
        self.assertIs(self.company_admin._get_sms_api_class(), SmsApiTwilioRecruit,
                      "these tests are about recruit_sms's Twilio provider")

    @classmethod
    def _request_handler(cls, session, request, **kwargs):
        cls.http_requests.append(request)
        if request.url.startswith("https://twilio-compatible.example.com/"):
            response = Response()
            response.status_code = 201
            response._content = json.dumps({"sid": "SMcompatible", "status": "queued"}).encode()
            return response
        return super()._request_handler(session, request, **kwargs)

    def sent_form(self):
        [request] = self.http_requests
        return request.url, {key: values[0] for key, values in parse_qs(request.body).items()}

    def send_to_number(self, number, body):
        composer = self.env["sms.composer"].create({"body": body, "composition_mode": "numbers", "numbers": number})
        composer._action_send_sms()

    @users("employee")
    def test_numbers_composer_ends_in_core_states(self):
        number = self.twilio_valid_phone_number
        for twilio_error, expected_state, expected_failure_type in [
            (False, "pending", False),
            ("twilio_callback", "error", "twilio_callback"),
            ("wrong_number_format", "error", "sms_number_format"),
            ("sms_number_missing", "error", "sms_number_missing"),
        ]:
            with self.subTest(twilio_error=twilio_error), self.mock_sms_twilio_gateway(error_type=twilio_error):
                type(self).http_requests = []
                body = f"Seam check {twilio_error}"
                self.send_to_number(number, body)
                self.assertEqual(self._sms_twilio_send_mock.call_count, 1, "core's seam saw the message")
                self.assertSMS(self.env["res.partner"], number, expected_state, content=body,
                               failure_type=expected_failure_type)
                url, form = self.sent_form()
                self.assertEqual(url, "https://api.twilio.com/2010-04-01/Accounts/"
                                      "AC12345678987654321234567898765432/Messages.json")
                self.assertEqual(form["To"], number)
                self.assertEqual(form["From"], "+15056998877", "core picks the number of the recipient's country")

    @users("employee")
    def test_partner_composer_notifies_like_core(self):
        partner = self.valid_partner
        with self.mock_sms_twilio_gateway():
            composer = self.env["sms.composer"].with_context(
                active_model="res.partner", active_id=partner.id,
            ).create({"body": "Seam check partner"})
            message = composer._action_send_sms()
        self.assertEqual(self._sms_twilio_send_mock.call_count, 1)
        self.assertSMSNotification(
            [{"number": partner.phone, "partner": partner, "state": "pending",
              "sms_fields_values": {"to_delete": True}}],
            "Seam check partner", messages=message,
        )

    @users("employee")
    def test_seam_sees_sends_to_a_compatible_service_through_a_messaging_service(self):
        self.company_admin.sudo().write({
            "recruit_sms_twilio_api_url": "https://twilio-compatible.example.com/",
            "recruit_sms_twilio_messaging_service_sid": SERVICE_SID,
        })
        number = self.twilio_valid_phone_number
        with self.mock_sms_twilio_gateway():
            self.send_to_number(number, "Through the service")
        self.assertEqual(self._sms_twilio_send_mock.call_count, 1, "core's seam saw the message")
        # pending: core read the compatible service's answer as a success
        self.assertSMS(self.env["res.partner"], number, "pending", content="Through the service")
        url, form = self.sent_form()
        self.assertEqual(url, "https://twilio-compatible.example.com/2010-04-01/Accounts/"
                              "AC12345678987654321234567898765432/Messages.json")
        self.assertEqual(form["MessagingServiceSid"], SERVICE_SID)
        self.assertNotIn("From", form, "the service picks the sender")
        self.assertEqual(form["To"], number)
        self.assertEqual(form["Body"], "Through the service")
        self.assertTrue(form["StatusCallback"].endswith(f"/sms_twilio/status/{self._new_sms.uuid}"))
