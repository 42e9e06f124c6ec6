import json

from twilio.request_validator import RequestValidator

from odoo.tests import HttpCase

from .common import RecruitSmsCase
from .twilio_double import serve_for

ACCOUNT_SID = "AC" + "1234567890abcdef" * 2
AUTH_TOKEN = "inbound-test-token"
TWILIO_NUMBER = "+15005550006"
ROUTE = "/recruit_sms/twilio/inbound"


class InboundCase(HttpCase, RecruitSmsCase):
    """Posts signed webhooks to the real route, as Twilio does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "sms_provider": "twilio",
            "sms_twilio_account_sid": ACCOUNT_SID,
            "sms_twilio_auth_token": AUTH_TOKEN,
        })
        cls.env["sms.twilio.number"].create({
            "company_id": cls.company.id, "number": TWILIO_NUMBER, "country_id": cls.env.ref("base.us").id,
        })
        cls._sid = 0

    def form(self, body="Yes, Monday works", sender="+14155550142", **extra):
        type(self)._sid += 1
        return {
            "MessageSid": f"SM{self._sid:032d}",
            "SmsMessageSid": f"SM{self._sid:032d}",
            "AccountSid": ACCOUNT_SID,
            "From": sender,
            "To": TWILIO_NUMBER,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "FromCountry": "US",
            "ApiVersion": "2010-04-01",
            **extra,
        }

    def webhook_url(self):
        return self.env.company.get_base_url() + ROUTE

    def sign(self, form, url=None, token=AUTH_TOKEN):
        return RequestValidator(token).compute_signature(url or self.webhook_url(), form)

    def post(self, form, signature=None, headers=None, process=True):
        """POST ``form`` to the webhook, then run what the cron does with it."""
        headers = {"X-Twilio-Signature": self.sign(form) if signature is None else signature, **(headers or {})}
        if signature is False:
            headers.pop("X-Twilio-Signature")
        response = self.url_open(ROUTE, data=form, headers=headers, allow_redirects=False)
        if process:
            self.process_received()
        return response

    def process_received(self):
        return self.env["recruit.sms.inbound"]._recruit_sms_process_batch()

    def inbound(self, form):
        return self.env["recruit.sms.inbound"].sudo().search([("message_sid", "=", form["MessageSid"])])

    def bus_notifications(self, user, notification_type):
        self.env.cr.precommit.run()
        notifications = []
        for row in self.env["bus.bus"].sudo().search([]):
            channel, message = json.loads(row.channel), json.loads(row.message)
            if channel[1:] == ["res.partner", user.partner_id.id] and message["type"] == notification_type:
                notifications.append(message["payload"])
        return notifications


class TwilioInboundCase(InboundCase):
    """Signed webhooks in, confirmations out to the Twilio double."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.twilio = serve_for(cls)

    def setUp(self):
        super().setUp()
        self.twilio.requests.clear()

    def sent(self):
        return [(r["form"]["To"], r["form"]["Body"]) for r in self.twilio.requests]

    def blacklisted(self, number="+14155550142"):
        return bool(self.env["phone.blacklist"].sudo().search([("number", "=", number)]))
