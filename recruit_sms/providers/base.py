"""What recruit_sms's providers share: one send per message, and the stream a campaign
sends through."""

import logging

from odoo.addons.sms.tools.sms_api import SmsApiBase
from odoo.exceptions import UserError

from ..tools import twilio_api
from ..tools.server_flag import ServerFlag

_logger = logging.getLogger(__name__)

# Set while ``sms.sms._send`` hands a provider the texts the gate let through. A batch
# handed over any other way (mass_mailing_sms's test SMS calls the provider directly) is
# put to the gate by the provider itself.
GATED = ServerFlag("recruit_sms_gated", default=False)
# the state of a send that may have reached the provider without an answer saying so: it
# is confirmed (status callback, look-up) before anything is sent again
UNCONFIRMED_STATE = "recruit_sms_unconfirmed"


class SmsStream:
    """Hands a campaign's messages to the provider one at a time, as the campaign engine
    paces them. ``send`` answers like one item of ``_send_sms_batch``: uuid, state (the
    provider states of Odoo's SMS API) and failure_reason.

    This one serves any of Odoo's SMS providers (its IAP service, say), through the
    provider's own batch call, one message a call."""

    # whether ``start``/``submit``/``finish`` send several messages at once (worker
    # threads doing HTTP only); otherwise the engine calls ``send``, one at a time
    concurrent = False

    def __init__(self, api, company):
        self.api = api
        self.company = company
        self.unsubscribed = []  # numbers the provider reports opted out (Twilio's 21610)

    def lookup(self, number, body, since, whatsapp=None):
        """Whether the provider has the message to ``number`` with ``body`` sent at
        ``since`` or later: (twilio_api.FOUND, its ID), (ABSENT, None) or (UNKNOWN, None).
        Only a provider whose answers may leave a send unconfirmed needs to tell."""
        return twilio_api.UNKNOWN, None

    def sender(self, number, whatsapp=False):
        """Who sends to ``number`` (on WhatsApp with ``whatsapp``): the key the pace is kept
        per ("": the provider)."""
        return ""

    def rate(self, sender):
        """Messages per second that ``sender`` may send."""
        return self.company.recruit_sms_rate or 1.0

    def max_rate(self):
        return self.rate("")

    def send(self, number, body, uuid, whatsapp=None):
        if whatsapp is not None:
            return {"uuid": uuid, "state": "unknown", "failure_reason": self.api.env._(
                "WhatsApp goes through Twilio or the sandbox: choose one of them as SMS provider.")}
        try:
            return self.api._send_sms_batch([{"content": body, "numbers": [{"number": number, "uuid": uuid}]}])[0]
        except Exception as error:
            _logger.info("SMS provider error for %s: %s", uuid, type(error).__name__)
            return {"uuid": uuid, "state": "server_error", "failure_reason": str(error)}

    def failure_type(self, state):
        return self.api.PROVIDER_TO_SMS_FAILURE_TYPE.get(state, "unknown")

    def failure_message(self, failure_type):
        return self.api._get_sms_api_error_messages().get(failure_type) or failure_type

    def close(self):
        pass


class RecruitSmsProvider(SmsApiBase):
    """Base of recruit_sms's providers. Each message, whether it comes from Odoo's SMS
    queue (``_send_sms_batch``) or from a campaign (``_recruit_sms_stream``), goes through
    the provider's one send, ``_recruit_sms_send``, on a session that a batch, or a whole
    campaign run, shares."""

    def __init__(self, env, account=None):
        super().__init__(env, account=account)
        self.unsubscribed = []  # numbers the provider reported opted out, until collected

    def _recruit_sms_open_session(self):
        """What the sends of one batch or one campaign run share (a connection to the
        provider), with a ``close`` method; None when they share nothing."""
        return None

    def _recruit_sms_send(self, session, number, body, uuid, whatsapp=None):
        """Send one message; its outcome as an item of ``_send_sms_batch``'s answer.
        ``whatsapp``: None for an SMS, else how it goes on WhatsApp, as
        ``sms.sms._recruit_sms_whatsapp_sends`` gives it (a template's SID and variables,
        or False for free text)."""
        raise NotImplementedError

    def _recruit_sms_check_connection(self):
        """Whether the provider can send for the company, as a notification: (type, text),
        type one of success, warning, danger, info."""
        raise NotImplementedError

    def _recruit_sms_content_pages(self):
        """The pages of the provider's WhatsApp templates with their approval (Twilio's
        ContentAndApprovals answers); a UserError says why there are none to load."""
        raise UserError(self.env._("This SMS provider keeps no WhatsApp templates: add them by hand."))

    def _recruit_sms_stream(self):
        """The stream the campaign engine sends through."""
        return ProviderStream(self, self.company)

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        company = self.company or self.env.company
        # (number, uuid, text) of each message
        items = [(number_info["number"], number_info["uuid"], message.get("content") or "")
                 for message in messages for number_info in message.get("numbers") or []]
        # which of them go on WhatsApp: one query for the batch, when the company uses it (the
        # gate never lets a WhatsApp text reach the provider of a company that does not)
        on_whatsapp = {}
        if company._recruit_sms_whatsapp_ready():
            on_whatsapp = self.env["sms.sms"].sudo().search(
                [("uuid", "in", [uuid for _number, uuid, _text in items]), ("recruit_sms_channel", "=", "whatsapp")],
            )._recruit_sms_whatsapp_sends()
        refused = {}
        if not GATED.get():
            refused = self.env["recruit.sms.gate"]._refusals({number for number, _uuid, _text in items}, company)
        session = self._recruit_sms_open_session()
        try:
            return [
                {"uuid": uuid, "state": "recruit_sms_blocked", "failure_reason": refused[number]} if number in refused
                else self._recruit_sms_send(session, number, text, uuid, whatsapp=on_whatsapp.get(uuid))
                for number, uuid, text in items
            ]
        finally:
            if session is not None:
                session.close()


class ProviderStream(SmsStream):
    """The stream of a recruit_sms provider: each message through the provider's one
    send, on one session for the whole run, opened at the first message."""

    def __init__(self, api, company):
        super().__init__(api, company)
        self.unsubscribed = api.unsubscribed
        self._session = None
        self._opened = False

    def send(self, number, body, uuid, whatsapp=None):
        if not self._opened:
            self._session, self._opened = self.api._recruit_sms_open_session(), True
        return self.api._recruit_sms_send(self._session, number, body, uuid, whatsapp=whatsapp)

    def close(self):
        if self._session is not None:
            self._session.close()
        self._session, self._opened = None, False


def open_sms_stream(env, company):
    """The campaign engine's way to the provider of ``company``."""
    api = company._get_sms_api_class()(env)
    api._set_company(company)
    if isinstance(api, RecruitSmsProvider):
        return api._recruit_sms_stream()
    return SmsStream(api, company)
