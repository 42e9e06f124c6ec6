"""Pure rules of Twilio's Programmable Messaging REST API (and compatible services).

Nothing here talks to the network: it builds the URL and the form that a send posts,
validates the settings that shape them and reads Twilio's error answers.
"""

import ipaddress
import re
from datetime import UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

DEFAULT_API_URL = "https://api.twilio.com"
API_VERSION = "2010-04-01"

_ACCOUNT_SID = re.compile(r"^AC[0-9A-Za-z]{32}$")
_MESSAGING_SERVICE_SID = re.compile(r"^MG[0-9A-Za-z]{32}$")


class TwilioSettingError(ValueError):
    """A Twilio setting is not usable; the message says which and how to fix it."""


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_api_url(url):
    """Validate a Twilio(-compatible) API base URL and return it without trailing slash.

    HTTPS is required, since every request carries the account's credentials; plain HTTP
    is accepted only for a service on this machine (loopback), for tests and sandboxes.
    """
    url = (url or "").strip() or DEFAULT_API_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TwilioSettingError(
            f"Twilio API base URL {url!r} is not an http(s) URL: "
            f"use e.g. {DEFAULT_API_URL}"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise TwilioSettingError(
            f"Twilio API base URL {url!r} must not carry credentials, a query or a fragment"
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise TwilioSettingError(
            f"Twilio API base URL {url!r} must use https (plain http is only allowed on "
            "localhost), as every request carries your credentials"
        )
    return url.rstrip("/")


def check_messaging_service_sid(sid):
    """Return the SID stripped, or None when empty; raise when it is malformed."""
    sid = (sid or "").strip()
    if not sid:
        return None
    if not _MESSAGING_SERVICE_SID.match(sid):
        raise TwilioSettingError(
            f"Messaging Service SID {sid!r} must start with 'MG' followed by 32 letters "
            "or digits (copy it from Twilio's console, Messaging > Services)"
        )
    return sid


def is_account_sid(sid):
    return bool(sid and _ACCOUNT_SID.match(sid))


def messages_url(api_url, account_sid):
    """URL of the Messages resource of ``account_sid`` on ``api_url``."""
    return f"{normalize_api_url(api_url)}/{API_VERSION}/Accounts/{account_sid}/Messages.json"


def message_payload(to, body, *, from_number=None, messaging_service_sid=None, status_callback=None,
                    content_sid=None, content_variables=None):
    """Form fields of a send. A Messaging Service SID, when given, replaces From:
    Twilio then picks the sender from the service's pool. With ``content_sid`` (an
    approved WhatsApp template) the template and its variables replace the body."""
    if content_sid:
        data = {"To": to, "ContentSid": content_sid}
        if content_variables:
            data["ContentVariables"] = content_variables
    else:
        data = {"To": to, "Body": body}
    if messaging_service_sid:
        data["MessagingServiceSid"] = messaging_service_sid
    else:
        data["From"] = from_number or ""  # empty rather than absent: Twilio says what is missing
    if status_callback:
        data["StatusCallback"] = status_callback
    return data


def error_of(status_code, payload):
    """(code, message) of a failed answer, or (None, None) for a success."""
    payload = payload if isinstance(payload, dict) else {}
    code = payload.get("code") or payload.get("error_code")
    message = payload.get("message") or payload.get("error_message")
    if 200 <= status_code < 300 and not code:
        return None, None
    if not message:
        message = f"HTTP {status_code} from the SMS provider"
    return code, message


# Readable reasons for the error codes Twilio reports on sends and status callbacks
# (https://www.twilio.com/docs/api/errors). Callbacks carry the code alone.
ERROR_REASONS = {
    21211: "Invalid 'To' phone number",
    21408: "Permission to send to this region is not enabled",
    21610: "The recipient replied STOP: Twilio refuses to send to this number until they reply START",
    21612: "This number cannot be reached from your Twilio number",
    21614: "'To' is not a mobile number",
    30001: "Queue overflow: too many messages sent at once",
    30002: "Twilio account suspended",
    30003: "Unreachable destination handset (switched off or out of coverage)",
    30004: "Message blocked by the recipient or their carrier",
    30005: "Unknown destination handset (the number does not exist)",
    30006: "Landline or unreachable carrier",
    30007: "Filtered by the carrier as spam",
    30008: "Unknown delivery error",
    30034: "Sender not registered for A2P 10DLC",
    # WhatsApp
    63001: "WhatsApp could not authenticate the sender: check the WhatsApp sender in Twilio",
    63003: "WhatsApp could not find this recipient",
    63007: "The WhatsApp sender is not a WhatsApp-enabled number of this Twilio account",
    63016: "Outside WhatsApp's 24-hour window: only an approved template can be sent until the candidate writes",
    63018: "WhatsApp rate limit reached for this sender: try again later",
    63024: "Invalid WhatsApp recipient: this number has no WhatsApp account",
    63032: "WhatsApp does not let this message reach this user (their region or account)",
    63049: "WhatsApp chose not to deliver this marketing template",
}
WHATSAPP_CODES = frozenset(code for code in ERROR_REASONS if 63000 <= code < 64000)
OUTSIDE_WINDOW = 63016

UNSUBSCRIBED = 21610

# Twilio's test numbers: with its test credentials, a send to one of these fails with
# this error, whatever the account. The sandbox answers them the same way, so that a
# failed text can be tried (and shown in the demo) without any account.
TEST_NUMBER_ERRORS = {
    "+15005550001": 21211,  # invalid number
    "+15005550002": 21612,  # cannot be routed
    "+15005550009": 21614,  # not a mobile number
}
TRANSIENT_CODES = frozenset({20429, 20500, 20503, 30001, 63018})
AUTHENTICATION_FAILED = 20003

# What a request that got no answer proves (``twilio_client`` tells them apart).
NOT_SENT = "not_sent"  # the connection was never made: nothing reached the service
AMBIGUOUS = "ambiguous"  # it broke after the request may have gone (a read timeout...)

# What a send's answer proves. Twilio's Messages API has no idempotency key, so only
# RETRY may be sent again at once; UNCONFIRMED is confirmed first (status callback, else
# a look-up of the account's messages).
SENT = "sent"  # Twilio created the message: its SID is in the answer
REFUSED = "refused"  # Twilio said why it did not create it
RETRY = "retry"  # provably not created: no connection, 429, or a 5xx in Twilio's own words
UNCONFIRMED = "unconfirmed"  # may have been created: no answer after sending, or one without a SID


def date_of(value):
    """An RFC 2822 date of Twilio's (``date_created``) as an aware datetime, UTC when it
    names no zone ("-0000"); None when it is not one."""
    try:
        moment = parsedate_to_datetime(value) if isinstance(value, str) else None
    except (TypeError, ValueError):
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def code_of(value):
    """A Twilio error code given as ``value`` (a number, or its digits as a status callback
    posts them) as an int, else None. Twilio's codes have five digits: a longer number is
    no code of theirs (nor fits the database's integers)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**6 else None


def error_code(payload):
    """Twilio's error code in an answer (``code`` or ``error_code``) as an int, else None
    (a compatible service may answer anything there)."""
    payload = payload if isinstance(payload, dict) else {}
    return code_of(payload.get("code") or payload.get("error_code"))


def send_verdict(status, payload, failure=None):
    """SENT, REFUSED, RETRY or UNCONFIRMED for a create-message request that got HTTP
    ``status`` with the JSON ``payload`` (None: not JSON), or no answer (status 0) and
    ``failure`` (NOT_SENT or AMBIGUOUS)."""
    if not status:
        return RETRY if failure == NOT_SENT else UNCONFIRMED
    twilios = error_code(payload) is not None
    if 200 <= status < 300:
        has_sid = isinstance(payload, dict) and isinstance(payload.get("sid"), str) and payload["sid"]
        return SENT if has_sid and not twilios else UNCONFIRMED
    if status == 429:
        return RETRY
    if status >= 500:
        # Twilio's own error body says it did not create it; a proxy's page says nothing
        return RETRY if twilios else UNCONFIRMED
    return REFUSED


# what a look-up of a message in the account's Messages list found
FOUND, ABSENT, UNKNOWN = "found", "absent", "unknown"


def find_sent(payload, to, body, since, more=False):
    """What a page of Twilio's Messages list (newest first, filtered by To) says of the
    message to ``to`` with ``body`` created at ``since`` (an aware datetime) or later:
    (FOUND, its SID); (ABSENT, None) when no message at all went to ``to`` since then; or
    (UNKNOWN, None) when one did with another text (link shortening may rewrite a body):
    then only a person can tell. ``more``: a next page follows; when this one holds
    nothing older than ``since``, what is not seen may be on it, so not seen is not absent."""
    since = since.replace(microsecond=0)
    older_seen = False
    others = False
    for message in (payload or {}).get("messages") or []:
        if not isinstance(message, dict) or message.get("to") != to:
            continue
        created = date_of(message.get("date_created"))
        if created is None:
            others = True  # a message whose time cannot be read may be this one
            continue
        if created < since:
            older_seen = True
            continue
        if message.get("body") == body and message.get("sid"):
            return FOUND, message["sid"]
        others = True
    if others or (more and not older_seen):
        return UNKNOWN, None
    return ABSENT, None


def error_reason(code, message=None):
    """A readable reason for a Twilio error: Twilio's own message, else ours for the code.
    WhatsApp's errors are always ours: Twilio's messages for them name channels and
    sessions, not what a recruiter can do."""
    try:
        number = int(code)
    except (TypeError, ValueError):
        number = None
    if message and number not in WHATSAPP_CODES:
        return message
    if number is None:
        return f"Twilio error {code}" if code else "Unknown error"
    return f"{ERROR_REASONS.get(number, 'Twilio error')} ({number})"


CONTENT_API_URL = "https://content.twilio.com"


def content_url(api_url):
    """URL of the WhatsApp templates with their approval (Content API) for the account of
    ``api_url``: Twilio's Content API for Twilio, the same base for a compatible service."""
    base = normalize_api_url(api_url)
    return f"{CONTENT_API_URL if base == DEFAULT_API_URL else base}/v1/ContentAndApprovals"


def account_url(api_url, account_sid):
    """URL of the account resource itself (its status and type)."""
    return f"{normalize_api_url(api_url)}/{API_VERSION}/Accounts/{account_sid}.json"


def numbers_url(api_url, account_sid):
    """URL of the phone numbers the account owns."""
    return f"{normalize_api_url(api_url)}/{API_VERSION}/Accounts/{account_sid}/IncomingPhoneNumbers.json"


# What a connection check found, most serious first: each is (code, detail)
BAD_CREDENTIALS = "bad_credentials"
NOT_ACTIVE = "not_active"
TRIAL = "trial"
NUMBER_NOT_OWNED = "number_not_owned"
UNEXPECTED = "unexpected"


def check_account(account_status, account, numbers_status, numbers, configured_numbers):
    """What is wrong with a Twilio account for sending, from its answers to
    ``account_url`` (HTTP status and JSON) and to ``numbers_url``, and the From numbers
    Odoo is configured with: a list of (code, detail), empty when all is well."""
    if account_status in (401, 403, 404):
        return [(BAD_CREDENTIALS, account_status)]
    if not 200 <= account_status < 300 or not isinstance(account, dict):
        return [(UNEXPECTED, account_status)]
    findings = []
    status = (account.get("status") or "").lower()
    if status and status != "active":
        findings.append((NOT_ACTIVE, status))
    if (account.get("type") or "").lower() == "trial":
        findings.append((TRIAL, None))
    if 200 <= numbers_status < 300 and isinstance(numbers, dict):
        owned = {item.get("phone_number") for item in numbers.get("incoming_phone_numbers") or []}
        findings += [(NUMBER_NOT_OWNED, number) for number in configured_numbers if number not in owned]
    elif configured_numbers:
        findings.append((UNEXPECTED, numbers_status))
    return findings
