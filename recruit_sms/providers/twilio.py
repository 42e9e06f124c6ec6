"""Core's Twilio provider, pointed at the company's API base URL (Twilio or a
Twilio-compatible service) and sending through its Messaging Service when set.

Odoo's SMS queue and the campaign engine send the same request and read its answer with
the same code: the sender is core's ``get_twilio_from_number``, or the Messaging Service
(``twilio_sender``); the status callback URL is core's ``get_twilio_status_callback_url``;
``_recruit_sms_outcome`` reads every answer and ``_twilio_error_code_to_odoo_state`` maps
every error to Odoo's states. The queue's messages go through core's
``_sms_twilio_send_request``, which other modules, integrators and core's own tests patch;
a campaign's, sent one per commit, post the same request from settings read once
(``TwilioStream``).
"""

import logging
import math
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from odoo.addons.sms_twilio.tools.sms_api import SmsApiTwilio
from odoo.addons.sms_twilio.tools.sms_twilio import get_twilio_from_number, get_twilio_status_callback_url
from odoo.exceptions import UserError

from ..tools import twilio_api, twilio_client
from ..tools import whatsapp as whatsapp_rules
from ..tools.twilio_client import open_session
from .base import UNCONFIRMED_STATE, ProviderStream, RecruitSmsProvider

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TwilioAccount:
    """The company's Twilio settings as plain values, read once (the campaign engine
    commits after each message, which empties the ORM's cache), and the one builder of a
    send's request: the queue's (core's form, passed through ``TwilioSettingsSession``),
    a campaign's (``TwilioStream``) and a WhatsApp message's all take their URL, form and
    credentials from here."""

    api_url: str
    account_sid: str
    auth_token: str
    service_sid: str | None
    whatsapp_sender: str

    @classmethod
    def of(cls, company_sudo):
        return cls(twilio_api.normalize_api_url(company_sudo.recruit_sms_twilio_api_url),
                   company_sudo.sms_twilio_account_sid or "", company_sudo.sms_twilio_auth_token or "",
                   company_sudo.recruit_sms_twilio_messaging_service_sid or None,
                   company_sudo.recruit_sms_whatsapp_sender or "")

    @property
    def auth(self):
        return (self.account_sid, self.auth_token)

    @property
    def messages_url(self):
        return twilio_api.messages_url(self.api_url, self.account_sid)

    def url(self, url):
        """``url`` of Twilio's API (as core writes it) on the company's API base URL."""
        if url.startswith(twilio_api.DEFAULT_API_URL + "/"):
            return self.api_url + url[len(twilio_api.DEFAULT_API_URL):]
        return url

    def form(self, number, body, status_callback, from_number=None, whatsapp=None):
        """The form of one send to ``number``. An SMS goes through the Messaging Service
        when set (Twilio picks the number from its pool), else from ``from_number``. A
        WhatsApp message (``whatsapp``: a template's SID and variables, or False for free
        text) goes from the company's WhatsApp sender, never through the service, the
        approved template in place of the body when there is one."""
        if whatsapp is not None:
            return twilio_api.message_payload(
                whatsapp_rules.address(number), body,
                from_number=whatsapp_rules.address(self.whatsapp_sender) if self.whatsapp_sender else "",
                status_callback=status_callback, content_sid=(whatsapp or {}).get("content_sid") or None,
                content_variables=(whatsapp or {}).get("content_variables") or None)
        return twilio_api.message_payload(
            number, body, from_number=None if self.service_sid else from_number,
            messaging_service_sid=self.service_sid, status_callback=status_callback)


def twilio_sender(company_sudo, to_number):
    """Who sends to ``to_number`` for ``company_sudo``: its Messaging Service SID when
    set (Twilio then picks the number from the service's pool), else the Twilio number
    core picks for the recipient's country ("" without any number)."""
    service_sid = company_sudo.recruit_sms_twilio_messaging_service_sid
    if service_sid:
        return service_sid
    numbers = company_sudo.sms_twilio_number_ids
    if len(numbers) <= 1:  # no choice to make: core's pick would be that number, whatever the country
        return numbers.number or ""
    return get_twilio_from_number(company_sudo, to_number).number or ""


class TwilioSettingsSession:
    """The HTTP session core's Twilio request posts through: the URL on the company's API
    base URL and the form rebuilt by ``TwilioAccount.form`` (the Messaging Service, when
    set, in place of the From number core picks). Anything else goes to the session as
    is."""

    def __init__(self, session, account):
        self._session = session
        self.account = account

    @classmethod
    def for_company(cls, session, company_sudo):
        return cls(session, TwilioAccount.of(company_sudo))

    last_failure = None  # what the last request that got no answer proves (twilio_client.failure_of)

    def post(self, url, data=None, **kwargs):
        self.last_failure = None
        if isinstance(data, dict) and not str(data.get("To") or "").startswith(whatsapp_rules.PREFIX):
            # the sender, recipient, text and callback as the one builder writes them; any
            # other field core's request may carry goes along unchanged
            data = {**{key: value for key, value in data.items() if key not in ("From", "To", "Body", "StatusCallback")},
                    **self.account.form(data.get("To"), data.get("Body"), data.get("StatusCallback"),
                                        from_number=data.get("From"))}
        try:
            return self._session.post(self.account.url(url), data=data, **kwargs)
        except requests.exceptions.RequestException as error:
            # core's request catches it and answers None: what it proves is kept here
            self.last_failure = twilio_client.failure_of(error)
            raise

    def __getattr__(self, name):
        return getattr(self._session, name)


class TwilioStream(ProviderStream):
    """A campaign run's way to Twilio: one keep-alive session for the whole run; the
    sender is the Messaging Service when set, else the Twilio number of the recipient's
    country, each with its own rate.

    Each message is posted here rather than through core's ``_sms_twilio_send_request``:
    that reads the company's account, token and numbers for every message, and the engine
    commits after each message, which empties the ORM's cache, so each read is a query.
    On the campaign benchmark (10,000 applicants) going through it cost 4.41 ms of CPU per
    message against 1.78 before, most of it those reads. The request is the same as core's
    (both paths' tests compare them): the sender is ``twilio_sender``'s (core's
    ``get_twilio_from_number``), the status callback URL core's
    ``get_twilio_status_callback_url``, the answer read by the provider's
    ``_recruit_sms_outcome``; the account's settings are read once, when the run
    starts (``TwilioAccount``)."""

    TIMEOUT = 5  # seconds, as core's request
    concurrent = True
    MAX_IN_FLIGHT = 64  # default of the system parameter recruit_sms.max_in_flight

    def __init__(self, api, company):
        super().__init__(api, company)
        self._company_sudo = company.sudo()
        self.account = TwilioAccount.of(self._company_sudo)  # the URL's validity is the company's constraint
        self.service_rate = self._company_sudo.recruit_sms_rate or 1.0
        self.number_rates = {number.number: number.recruit_sms_rate or self.service_rate
                             for number in self._company_sudo.sms_twilio_number_ids}
        self._senders = {}  # number: sender, for the run (the engine asks when it prepares a batch, then sends)
        self.max_in_flight = max(1, int(api.env["ir.config_parameter"].sudo().get_param(
            "recruit_sms.max_in_flight", self.MAX_IN_FLIGHT) or self.MAX_IN_FLIGHT))
        self._pool = None
        self._seconds = deque(maxlen=100)  # how long the last requests took

    def sender(self, number, whatsapp=False):
        if whatsapp:  # every WhatsApp message goes from the company's one WhatsApp sender
            return whatsapp_rules.address(self.account.whatsapp_sender)
        if number not in self._senders:
            self._senders[number] = twilio_sender(self._company_sudo, number)
        return self._senders[number]

    def rate(self, sender):
        if sender.startswith(whatsapp_rules.PREFIX):
            return self.service_rate  # the WhatsApp sender's: the company's rate
        if self.account.service_sid:
            return self.service_rate
        return self.number_rates.get(sender, self.service_rate)

    def max_rate(self):
        if self.account.service_sid or not self.number_rates:
            return self.service_rate
        return max(self.number_rates.values())

    def in_flight_limit(self, rate):
        """How many requests may be in flight to keep ``rate`` messages a second going:
        the rate times the slowest of the last answers (a second until one came), with a
        fifth more, within the configured most."""
        slowest = max(self._seconds) if self._seconds else 1.0
        return max(1, min(self.max_in_flight, math.ceil(rate * slowest * 1.2) + 1))

    def _open(self):
        """None when the account's settings let it send, else the outcome to record."""
        if self._opened:
            return None
        try:
            self._company_sudo._assert_twilio_sid()  # core's check of the account's settings
        except UserError as error:
            return str(error)
        self._session, self._opened = open_session(self.account.api_url, connections=self.max_in_flight), True
        return None

    def start(self, number, body, uuid, whatsapp=None):
        """What sending one message takes: the form is built here (it reads the ORM), the
        returned job only posts it (no ORM: a worker thread runs it). A dict instead when
        nothing may be sent (the account's settings are not usable)."""
        refused = self._open()
        if refused:
            return {"uuid": uuid, "state": "twilio_authentication", "failure_reason": refused}
        form = self.account.form(number, body, get_twilio_status_callback_url(self._company_sudo, uuid),
                                 from_number=None if whatsapp is not None else self.sender(number), whatsapp=whatsapp)
        session, url, auth = self._session, self.account.messages_url, self.account.auth
        return lambda: twilio_client.post(session, url, form, auth, self.TIMEOUT)

    def finish(self, number, uuid, reply):
        """The outcome of a job's ``Reply``, read as every answer is (``_recruit_sms_outcome``)."""
        if reply.failure is not None:
            _logger.warning("Twilio SMS API: no answer (%s)", reply.failure)
        self._seconds.append(reply.seconds)
        return self.api._recruit_sms_outcome(reply, number, uuid)

    def submit(self, job):
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.max_in_flight, thread_name_prefix="recruit_sms_send")
        return self._pool.submit(job)

    def send(self, number, body, uuid, whatsapp=None):
        job = self.start(number, body, uuid, whatsapp=whatsapp)
        return job if isinstance(job, dict) else self.finish(number, uuid, job())

    def lookup(self, number, body, since, whatsapp=None):
        """Whether Twilio created the message to ``number`` with ``body`` at ``since``
        (aware UTC) or later: (FOUND, its SID), (ABSENT, None), or (UNKNOWN, None) when the
        list could not be read or cannot tell (a template's text is Twilio's)."""
        if (whatsapp and whatsapp.get("content_sid")) or self._open():
            return twilio_api.UNKNOWN, None
        to = whatsapp_rules.address(number) if whatsapp is not None else number
        # by To only: DateSent is empty while Twilio still queues a message, which would hide it
        reply = twilio_client.get(self._session, self.account.messages_url, self.account.auth, self.TIMEOUT,
                                  params={"To": to, "PageSize": 100})
        if reply.failure is not None:
            _logger.warning("Twilio Messages list: no answer (%s)", reply.failure)
        payload = reply.payload
        if not reply.ok or not isinstance(payload, dict) or not isinstance(payload.get("messages"), list):
            return twilio_api.UNKNOWN, None
        more = bool((payload.get("meta") or {}).get("next_page_url") or payload.get("next_page_uri"))
        return twilio_api.find_sent(payload, to, body, since, more=more)

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        return super().close()


class SmsApiTwilioRecruit(RecruitSmsProvider, SmsApiTwilio):
    """Core's Twilio provider, pointed at the company's API base URL and sending through
    its Messaging Service when set; Odoo's SMS queue and campaigns share its one send."""

    def _recruit_sms_open_session(self):
        company_sudo = (self.company or self.env.company).sudo()
        return TwilioSettingsSession.for_company(open_session(company_sudo.recruit_sms_twilio_api_url), company_sudo)

    def _recruit_sms_stream(self):
        return TwilioStream(self, self.company)

    def _recruit_sms_send(self, session, number, body, uuid, whatsapp=None):
        if whatsapp is not None:
            reply = self._recruit_sms_whatsapp_request(session, number, body, uuid, whatsapp)
        else:
            # no answer: what the session saw of the request (core's request only logs it)
            reply = twilio_client.reply_of(self._sms_twilio_send_request(session, number, body, uuid),
                                           getattr(session, "last_failure", None))
        return self._recruit_sms_outcome(reply, number, uuid)

    def _recruit_sms_whatsapp_request(self, session, number, body, uuid, whatsapp):
        """Core's request, on WhatsApp: the same account, URL and status callback."""
        company_sudo = (self.company or self.env.company).sudo()
        company_sudo._assert_twilio_sid()
        account = TwilioAccount.of(company_sudo)
        form = account.form(number, body, get_twilio_status_callback_url(company_sudo, uuid), whatsapp=whatsapp)
        reply = twilio_client.post(session, account.messages_url, form, account.auth, TwilioStream.TIMEOUT)
        if reply.failure is not None:
            _logger.warning("Twilio WhatsApp API: no answer (%s)", reply.failure)
        return reply

    def _sms_twilio_send_request(self, session, to_number, body, uuid):
        # core's seam, with core's request: only the session it posts through is ours
        if not isinstance(session, TwilioSettingsSession):  # called with a plain session
            session = TwilioSettingsSession.for_company(session, (self.company or self.env.company).sudo())
        return super()._sms_twilio_send_request(session, to_number, body, uuid)

    def _recruit_sms_outcome(self, reply, to_number, uuid):
        """One send's ``Reply`` as an item of ``_send_sms_batch``'s answer, with the keys
        core gives. What it proves decides (``twilio_api.send_verdict``): only a message
        that provably did not reach Twilio is a server error, which campaigns retry; one
        that may have is UNCONFIRMED, confirmed before anything is sent again."""
        verdict = twilio_api.send_verdict(reply.status, reply.payload, reply.failure)
        payload = reply.payload if isinstance(reply.payload, dict) else {}
        if verdict == twilio_api.SENT:
            return {"uuid": uuid, "state": "sent", "failure_type": False, "failure_reason": False,
                    "sms_twilio_sid": payload.get("sid")}
        if verdict == twilio_api.UNCONFIRMED:
            return {"uuid": uuid, "state": UNCONFIRMED_STATE, "failure_type": "unknown",
                    "failure_reason": self._recruit_sms_unconfirmed()}
        if not reply.status:  # the connection was never made: nothing went
            return {"uuid": uuid, "state": "server_error", "failure_type": "server_error",
                    "failure_reason": self._recruit_sms_unreachable()}
        code = twilio_api.error_code(payload)
        if code == twilio_api.UNSUBSCRIBED:
            self.unsubscribed.append(to_number)
        state = self._twilio_error_code_to_odoo_state({**payload, "code": code, "error_code": code, "status": reply.status})
        whatsapp_reason = twilio_api.error_reason(code) if code in twilio_api.WHATSAPP_CODES else None
        reason = whatsapp_reason or (payload.get("message") or payload.get("error_message") or self._get_sms_api_error_messages().get(state)
                  or f"HTTP {reply.status} from the SMS provider")
        return {"uuid": uuid, "state": state, "failure_type": state, "failure_reason": reason, "error_code": code}

    def _twilio_error_code_to_odoo_state(self, response_json):
        code = response_json.get("code") or response_json.get("error_code")
        status = response_json.get("status")
        # Twilio's own overload answers (429, 5xx) are transient: core's server error,
        # which campaigns retry, not an unknown failure
        if code in twilio_api.TRANSIENT_CODES or (isinstance(status, int) and (status == 429 or status >= 500)):
            return "server_error"
        if code == twilio_api.AUTHENTICATION_FAILED or status == 401:
            return "twilio_authentication"  # the Account SID or the Auth Token is wrong
        if code in (63003, 63024):  # no WhatsApp account behind the number
            return "wrong_number_format"
        if code in twilio_api.WHATSAPP_CODES:
            return "unknown"  # with our reason for the code (``_recruit_sms_outcome``)
        if code == twilio_api.UNSUBSCRIBED:
            # Odoo has no failure type for it: unknown, with Twilio's reason, and the
            # number goes on the blacklist (``_recruit_sms_outcome``)
            return "unknown"
        return super()._twilio_error_code_to_odoo_state(response_json)

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        results = super()._send_sms_batch(messages, delivery_reports_url=delivery_reports_url)
        if self.unsubscribed:
            self.env["phone.blacklist"].sudo()._recruit_sms_block_unsubscribed(self.unsubscribed,
                                                                               self.company or self.env.company)
            self.unsubscribed.clear()
        return results

    def _recruit_sms_check_connection(self):
        """Ask the account's own resource and its numbers, with the saved credentials,
        and say what stops sending: wrong SID or token, an account not active, a trial
        account, a From number the account does not own."""
        company_sudo = (self.company or self.env.company).sudo()
        try:
            company_sudo._assert_twilio_sid()  # core's check of the settings' shape
        except UserError as error:
            return "danger", str(error)
        sid, api_url = company_sudo.sms_twilio_account_sid, company_sudo.recruit_sms_twilio_api_url
        configured = [] if company_sudo.recruit_sms_twilio_messaging_service_sid else company_sudo.sms_twilio_number_ids.mapped("number")
        session = open_session(api_url)
        try:
            auth = (sid, company_sudo.sms_twilio_auth_token)
            account = twilio_client.get(session, twilio_api.account_url(api_url, sid), auth, TwilioStream.TIMEOUT)
            numbers = self._recruit_sms_owned_numbers(session, api_url, sid, auth, set(configured)) \
                if account.ok else twilio_client.Reply()
        finally:
            session.close()
        if account.failure is not None or numbers.failure is not None:
            _logger.warning("Twilio connection test: no answer (%s)", account.failure or numbers.failure)
            return "danger", self._recruit_sms_unreachable()
        findings = twilio_api.check_account(account.status, account.payload, numbers.status, numbers.payload,
                                            configured)
        if not findings:
            return "success", self.env._(
                "Connected to Twilio account %(sid)s: it is active and can send from %(sender)s.", sid=sid,
                sender=company_sudo.recruit_sms_twilio_messaging_service_sid or ", ".join(configured)
                or self.env._("no number yet (add one in Manage Twilio Account)"))
        texts = {
            twilio_api.BAD_CREDENTIALS: lambda detail: self.env._(
                "The Account SID or the Auth Token is wrong (the service answered %(status)s): copy both again "
                "from the Twilio Console, Account Info.", status=detail),
            twilio_api.NOT_ACTIVE: lambda detail: self.env._(
                "The Twilio account is %(status)s, not active: it cannot send until it is reactivated.", status=detail),
            twilio_api.TRIAL: lambda detail: self.env._(
                "This is a trial account: it texts only the numbers verified in the Twilio Console, and adds "
                "Twilio's trial notice to each text. Upgrade it to text candidates."),
            twilio_api.NUMBER_NOT_OWNED: lambda detail: self.env._(
                "%(number)s is not a number of this Twilio account: texts from it would be refused. Use Reload "
                "Numbers in Manage Twilio Account, or buy the number.", number=detail),
            twilio_api.UNEXPECTED: lambda detail: self.env._(
                "The service gave an unexpected answer (HTTP %(status)s): check the Twilio API base URL.",
                status=detail),
        }
        level = "danger" if findings[0][0] in (twilio_api.BAD_CREDENTIALS, twilio_api.NOT_ACTIVE,
                                                  twilio_api.UNEXPECTED) else "warning"
        return level, "\n".join(texts[code](detail) for code, detail in findings)

    MAX_NUMBER_PAGES = 20

    def _recruit_sms_owned_numbers(self, session, api_url, sid, auth, wanted):
        """The ``Reply`` listing the numbers the account owns ({"incoming_phone_numbers":
        [...]}), page after page (Twilio's ``next_page_uri``, on the same service) until the
        ``wanted`` ones are all seen or the list ends; the failed page's when one fails."""
        url, params, owned, reply = twilio_api.numbers_url(api_url, sid), {"PageSize": 1000}, [], None
        base = twilio_api.normalize_api_url(api_url)
        for _page in range(self.MAX_NUMBER_PAGES):
            reply = twilio_client.get(session, url, auth, TwilioStream.TIMEOUT, params=params)
            if not reply.ok or not isinstance(reply.payload, dict):
                return reply
            owned += reply.payload.get("incoming_phone_numbers") or []
            following = reply.payload.get("next_page_uri")
            if wanted <= {item.get("phone_number") for item in owned if isinstance(item, dict)} \
                    or not isinstance(following, str) or not following.startswith("/"):
                break
            url, params = base + following, None
        return twilio_client.Reply(status=reply.status, payload={"incoming_phone_numbers": owned})

    MAX_CONTENT_PAGES = 20

    def _recruit_sms_content_pages(self):
        """Twilio's Content API pages of the account's templates, following the next
        page only on the same service (the credentials go nowhere else)."""
        company_sudo = (self.company or self.env.company).sudo()
        company_sudo._assert_twilio_sid()
        url = twilio_api.content_url(company_sudo.recruit_sms_twilio_api_url)
        base = url.rsplit("/v1/", 1)[0] + "/"
        auth = (company_sudo.sms_twilio_account_sid, company_sudo.sms_twilio_auth_token)
        session = open_session(company_sudo.recruit_sms_twilio_api_url)
        try:
            for _page in range(self.MAX_CONTENT_PAGES):
                reply = twilio_client.get(session, url, auth, TwilioStream.TIMEOUT,
                                          params={"PageSize": 500} if "?" not in url else None)
                if reply.failure is not None:
                    _logger.warning("Twilio Content API: no answer (%s)", reply.failure)
                    raise UserError(self._recruit_sms_unreachable())
                payload = reply.payload
                if not reply.ok or not isinstance(payload, dict):
                    code, message = twilio_api.error_of(reply.status, payload)
                    raise UserError(self.env._("Twilio did not list the templates: %(reason)s",
                                               reason=twilio_api.error_reason(code, message)))
                yield payload
                url = (payload.get("meta") or {}).get("next_page_url")
                if not url or not url.startswith(base):
                    return
        finally:
            session.close()

    def _recruit_sms_unconfirmed(self):
        return self.env._(
            "Not confirmed by the provider: it may have been sent (no answer came, or one without the message's "
            "ID); check in the provider's console before resending.")

    def _recruit_sms_unreachable(self):
        return self.env._(
            "The SMS provider could not be reached (%(url)s); the message can be resent.",
            url=(self.company or self.env.company).sudo().recruit_sms_twilio_api_url,
        )
