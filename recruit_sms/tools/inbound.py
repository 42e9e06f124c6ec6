"""Reading Twilio's inbound message webhook, and choosing the applicant a reply belongs to."""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from . import whatsapp

# a text (a reply, an opt-out) answers the campaign that last reached the number within
# this many days before it
REPLY_WINDOW_DAYS = 7
REPLY_WINDOW = timedelta(days=REPLY_WINDOW_DAYS)

MAX_BODY = 1600  # Twilio's limit for one message
MAX_MEDIA = 10
# a received message is kept whatever its length, cut after WhatsApp's 4,096 characters
MAX_STORED_BODY = 4096
TRUNCATED = " [... {count} more characters not kept]"
MAX_SID = 64  # Twilio's SIDs are 34 characters
MAX_ADDRESS = 64  # "whatsapp:" and a number, or a short code


class InboundError(ValueError):
    """The request is not a usable inbound message; the message says why."""


@dataclass(frozen=True)
class InboundSms:
    message_sid: str
    account_sid: str
    from_number: str
    to_number: str
    body: str = ""
    messaging_service_sid: str = ""
    media: tuple = field(default_factory=tuple)  # ((url, content_type), ...)
    num_segments: int = 0
    from_country: str = ""
    opt_out_type: str = ""
    channel: str = "sms"  # "whatsapp" when Twilio delivered it from WhatsApp


def _int(value, default=0, most=1000):
    """``value`` as a whole number from 0 to ``most``, else ``default``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 <= number <= most else default


def _text(form, key):
    """``form[key]`` without NUL bytes, which no text field can store."""
    return (form.get(key) or "").replace("\x00", "")


def location_text(form):
    """What a shared location (WhatsApp's Latitude, Longitude, Address, Label) says, with
    a map link; "" when the form has none."""
    try:
        latitude, longitude = float(form.get("Latitude")), float(form.get("Longitude"))
    except (TypeError, ValueError):
        return ""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return ""
    place = ", ".join(filter(None, (_text(form, "Label")[:200].strip(), _text(form, "Address")[:500].strip())))
    link = f"https://www.openstreetmap.org/?mlat={latitude:.6f}&mlon={longitude:.6f}"
    return f"Location: {place} {link}" if place else f"Location: {link}"


def parse_twilio_inbound(form):
    """Read the form Twilio posts for an incoming message. Every message that names its
    SID and sender is read: long ones cut after MAX_STORED_BODY characters (said in the
    text), a location as a map link, an empty one as empty.

    The body is kept exactly as sent (no stripping: whitespace may be the message), less
    any NUL byte.
    """
    message_sid = _text(form, "MessageSid").strip() or _text(form, "SmsMessageSid").strip()
    if not message_sid or len(message_sid) > MAX_SID:
        raise InboundError("MessageSid is missing" if not message_sid else "MessageSid is not a Twilio SID")
    sender = form.get("From") or ""
    if "\x00" in sender or len(sender) > MAX_ADDRESS:
        raise InboundError("From is not a phone number or WhatsApp address")
    from_number, from_whatsapp = whatsapp.split_address(sender)
    if not from_number:
        raise InboundError("From is missing")
    body = _text(form, "Body")
    if len(body) > MAX_STORED_BODY:  # kept, cut where a text field must end, and said so
        body = body[:MAX_STORED_BODY] + TRUNCATED.format(count=len(body) - MAX_STORED_BODY)
    num_media = min(_int(form.get("NumMedia")), MAX_MEDIA)
    media = tuple(
        (_text(form, f"MediaUrl{index}"), _text(form, f"MediaContentType{index}"))
        for index in range(num_media)
        if _text(form, f"MediaUrl{index}")
    )
    if not body and not media:
        body = location_text(form)  # a location share has no body; anything else is kept empty
    return InboundSms(
        message_sid=message_sid,
        account_sid=_text(form, "AccountSid").strip()[:MAX_SID],
        from_number=from_number,
        to_number=whatsapp.split_address(_text(form, "To")[:MAX_ADDRESS])[0],
        body=body,
        messaging_service_sid=_text(form, "MessagingServiceSid").strip()[:MAX_SID],
        media=media,
        num_segments=_int(form.get("NumSegments")),
        from_country=_text(form, "FromCountry").strip().upper()[:8],
        opt_out_type=_text(form, "OptOutType").strip().upper()[:16],
        channel="whatsapp" if from_whatsapp else "sms",
    )


@dataclass(frozen=True)
class Candidate:
    """An application whose phone matches the sender."""

    id: int
    is_open: bool
    last_activity: object  # anything comparable (a datetime)


def pick_applicant(candidates):
    """(chosen id, [other ids]) for the applications sharing a number, or (None, []).

    Open applications win over closed ones, then the most recently active, then the most
    recent record.
    """
    ranked = sorted(candidates, key=lambda c: (c.is_open, c.last_activity, c.id), reverse=True)
    if not ranked:
        return None, []
    return ranked[0].id, [c.id for c in ranked[1:]]


def is_safe_media_url(url):
    """Whether a media URL of a received message may be shown as a link: an absolute
    ``https://`` URL with a host. Anything else (``javascript:``, ``data:``, plain http,
    relative) is shown as text. Spaces and control characters are refused too: browsers
    drop some of them, so the link would not go where the text says."""
    if not isinstance(url, str) or not url[:8].lower() == "https://":
        return False
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        return False
    return bool(urlsplit(url).hostname)
