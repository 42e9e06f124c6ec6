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

import requests

from odoo.addons.sms_twilio.tools.sms_api import SmsApiTwilio
from odoo.addons.sms_twilio.tools.sms_twilio import get_twilio_from_number, get_twilio_status_callback_url
from odoo.exceptions import UserError

from ..tools import twilio_api, twilio_client
from ..tools import whatsapp as whatsapp_rules
from ..tools.twilio_client import open_session
from .base import UNCONFIRMED_STATE, ProviderStream, RecruitSmsProvider

_logger = logging.getLogger(__name__)


def _json(response):
    try:
        return response.json()
    except ValueError:  # a proxy's or a load balancer's page
        return None


def whatsapp_payload(sender, number, body, status_callback, whatsapp):
    """The form of a WhatsApp send: from the company's WhatsApp sender (never through the
    Messaging Service), the approved template and its variables in place of the body
    when there is one."""
    return twilio_api.message_payload(
        whatsapp_rules.address(number), body, from_number=whatsapp_rules.address(sender) if sender else "",
        status_callback=status_callback, content_sid=whatsapp["content_sid"] or None,
        content_variables=whatsapp["content_variables"] or None)


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
    """The HTTP session core's Twilio request posts through, pointed at the company's API
    base URL, with the Messaging Service, when set, in place of the From number core
    picks (as ``twilio_sender`` says). Anything else goes to the session as is.

    The settings are read once, as plain values: the campaign engine commits after each
    message, which empties the ORM's cache."""

    def __init__(self, session, api_url, service_sid=None):
        self._session = session
        self.api_url = twilio_api.normalize_api_url(api_url)
        self.service_sid = service_sid or None

    @classmethod
    def for_company(cls, session, company_sudo):
        return cls(session, company_sudo.recruit_sms_twilio_api_url, company_sudo.recruit_sms_twilio_messaging_service_sid)

    last_failure = None  # what the last request that got no answer proves (twilio_client.failure_of)

    def post(self, url, data=None, **kwargs):
        self.last_failure = None
        try:
            return self._post(url, data=data, **kwargs)
        except requests.exceptions.RequestException as error:
            # core's request catches it and answers None: what it proves is kept here
            self.last_failure = twilio_client.failure_of(error)
            raise

    def _post(self, url, data=None, **kwargs):
        if url.startswith(twilio_api.DEFAULT_API_URL + "/"):
            url = self.api_url + url[len(twilio_api.DEFAULT_API_URL):]
        if self.service_sid and isinstance(data, dict) and not str(data.get("To") or "").startswith(whatsapp_rules.PREFIX):
            data = twilio_api.message_payload(
                data.get("To"), data.get("Body"),
                messaging_service_sid=self.service_sid,
                status_callback=data.get("StatusCallback"),
            )
        return self._session.post(url, data=data, **kwargs)

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
    ``_recruit_sms_outcome``; the account's settings are read once, at the first
    message."""

    TIMEOUT = 5  # seconds, as core's request
    concurrent = True
    MAX_IN_FLIGHT = 64  # default of the system parameter recruit_sms.max_in_flight

    def __init__(self, api, company):
        super().__init__(api, company)
        self._company_sudo = company.sudo()
        self.service_sid = self._company_sudo.recruit_sms_twilio_messaging_service_sid or None
        self.service_rate = self._company_sudo.recruit_sms_rate or 1.0
        self.number_rates = {number.number: number.recruit_sms_rate or self.service_rate
                             for number in self._company_sudo.sms_twilio_number_ids}
        self.whatsapp_sender = self._company_sudo.recruit_sms_whatsapp_sender
        self._senders = {}  # number: sender, for the run (the engine asks when it prepares a batch, then sends)
        self._url = self._auth = None
        self.max_in_flight = max(1, int(api.env["ir.config_parameter"].sudo().get_param(
            "recruit_sms.max_in_flight", self.MAX_IN_FLIGHT) or self.MAX_IN_FLIGHT))
        self._pool = None
        self._seconds = deque(maxlen=100)  # how long the last requests took

    def sender(self, number, whatsapp=False):
        if whatsapp:  # every WhatsApp message goes from the company's one WhatsApp sender
            return whatsapp_rules.address(self.whatsapp_sender or "")
        if number not in self._senders:
            self._senders[number] = twilio_sender(self._company_sudo, number)
        return self._senders[number]

    def rate(self, sender):
        if sender.startswith(whatsapp_rules.PREFIX):
            return self.service_rate  # the WhatsApp sender's: the company's rate
        if self.service_sid:
            return self.service_rate
        return self.number_rates.get(sender, self.service_rate)

    def max_rate(self):
        if self.service_sid or not self.number_rates:
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
        account_sid = self._company_sudo.sms_twilio_account_sid
        self._url = twilio_api.messages_url(self._company_sudo.recruit_sms_twilio_api_url, account_sid)
        self._auth = (account_sid, self._company_sudo.sms_twilio_auth_token)
        self._session, self._opened = open_session(self._url, connections=self.max_in_flight), True
        return None

    def start(self, number, body, uuid, whatsapp=None):
        """What sending one message takes: the form is built here (it reads the ORM), the
        returned job only posts it (no ORM: a worker thread runs it). A dict instead when
        nothing may be sent (the account's settings are not usable)."""
        refused = self._open()
        if refused:
            return {"uuid": uuid, "state": "twilio_authentication", "failure_reason": refused}
        status_callback = get_twilio_status_callback_url(self._company_sudo, uuid)
        if whatsapp is not None:
            form = whatsapp_payload(self.whatsapp_sender, number, body, status_callback, whatsapp)
        else:
            form = twilio_api.message_payload(
                number, body,
                from_number=None if self.service_sid else self.sender(number),
                messaging_service_sid=self.service_sid,
                status_callback=status_callback,
            )
        session, url, auth = self._session, self._url, self._auth
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
        params = {"To": to, "PageSize": 100}
        try:
            response = self._session.get(self._url, params=params, auth=self._auth, timeout=self.TIMEOUT)
        except requests.exceptions.RequestException as error:
            _logger.warning("Twilio Messages list: %s", type(error).__name__)
            return twilio_api.UNKNOWN, None
        payload = _json(response)
        if not response.ok or not isinstance(payload, dict) or not isinstance(payload.get("messages"), list):
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
            response = self._recruit_sms_whatsapp_request(session, number, body, uuid, whatsapp)
        else:
            response = self._sms_twilio_send_request(session, number, body, uuid)
        # no answer: what the session saw of the request (core's request only logs it)
        return self._recruit_sms_outcome(twilio_client.reply_of(response, getattr(session, "last_failure", None)),
                                         number, uuid)

    def _recruit_sms_whatsapp_request(self, session, number, body, uuid, whatsapp):
        """Core's request, on WhatsApp: the same account, URL and status callback."""
        company_sudo = (self.company or self.env.company).sudo()
        company_sudo._assert_twilio_sid()
        account_sid = company_sudo.sms_twilio_account_sid
        form = whatsapp_payload(company_sudo.recruit_sms_whatsapp_sender, number, body,
                                get_twilio_status_callback_url(company_sudo, uuid), whatsapp)
        try:
            return session.post(twilio_api.messages_url(company_sudo.recruit_sms_twilio_api_url, account_sid), data=form,
                                auth=(account_sid, company_sudo.sms_twilio_auth_token), timeout=TwilioStream.TIMEOUT)
        except requests.exceptions.RequestException as error:
            _logger.warning("Twilio WhatsApp API error: %s", type(error).__name__)
            return None

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
        return {"uuid": uuid, "state": state, "failure_type": state, "failure_reason": reason}

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
            account = session.get(twilio_api.account_url(api_url, sid), auth=auth, timeout=TwilioStream.TIMEOUT)
            numbers_status, numbers = self._recruit_sms_owned_numbers(session, api_url, sid, auth, set(configured)) \
                if account.ok else (0, None)
        except requests.exceptions.RequestException as error:
            _logger.warning("Twilio connection test: %s", type(error).__name__)
            return "danger", self._recruit_sms_unreachable()
        finally:
            session.close()
        findings = twilio_api.check_account(account.status_code, _json(account), numbers_status, numbers, configured)
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
        """(HTTP status, {"incoming_phone_numbers": [...]}) of the numbers the account owns,
        page after page (Twilio's ``next_page_uri``, on the same service) until the
        ``wanted`` ones are all seen or the list ends."""
        url, params, owned, status = twilio_api.numbers_url(api_url, sid), {"PageSize": 1000}, [], 0
        base = twilio_api.normalize_api_url(api_url)
        for _page in range(self.MAX_NUMBER_PAGES):
            response = session.get(url, params=params, auth=auth, timeout=TwilioStream.TIMEOUT)
            payload, status = _json(response), response.status_code
            if not response.ok or not isinstance(payload, dict):
                return status, payload
            owned += payload.get("incoming_phone_numbers") or []
            following = payload.get("next_page_uri")
            if wanted <= {item.get("phone_number") for item in owned if isinstance(item, dict)} \
                    or not isinstance(following, str) or not following.startswith("/"):
                break
            url, params = base + following, None
        return status, {"incoming_phone_numbers": owned}

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
                try:
                    response = session.get(url, params={"PageSize": 500} if "?" not in url else None, auth=auth,
                                           timeout=TwilioStream.TIMEOUT)
                except requests.exceptions.RequestException as error:
                    _logger.warning("Twilio Content API: %s", type(error).__name__)
                    raise UserError(self._recruit_sms_unreachable()) from error
                payload = _json(response)
                if not response.ok or not isinstance(payload, dict):
                    code, message = twilio_api.error_of(response.status_code, payload)
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
