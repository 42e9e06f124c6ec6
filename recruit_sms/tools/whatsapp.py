"""Pure rules of WhatsApp through Twilio: the ``whatsapp:`` addresses, the 24-hour
customer-service window, and the variables of an approved (Content API) template.

WhatsApp lets a business write freely only within 24 hours of the person's last
message; outside that window only a template WhatsApp approved may go, sent as its
``ContentSid`` with ``ContentVariables`` (a JSON object {"1": value, ...}).
"""

import json
import re
from datetime import timedelta

PREFIX = "whatsapp:"
WINDOW = timedelta(hours=24)

# what a template variable may be filled with, from the applicant: plain values only,
# never an expression a user wrote
VARIABLES = ("first_name", "name", "job", "company", "recruiter")
_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


class TemplateError(ValueError):
    """A template's variables are not usable; the message says which and how to fix it."""


def address(number):
    """Twilio's address of ``number`` (E.164) on WhatsApp."""
    return number if number.startswith(PREFIX) else PREFIX + number


def split_address(value):
    """(number, whether it is a WhatsApp address) of a Twilio From or To."""
    value = (value or "").strip()
    if value.lower().startswith(PREFIX):
        return value[len(PREFIX):].strip(), True
    return value, False


def window_closes(last_inbound):
    """When free text may no longer go (naive UTC), or None when the person never wrote."""
    return last_inbound + WINDOW if last_inbound else None


def window_open(last_inbound, now):
    closes = window_closes(last_inbound)
    return closes is not None and now < closes


def parse_keys(text):
    """The template's variables, in order ({{1}} first), from a comma-separated list of
    ``VARIABLES`` names."""
    keys = [key.strip() for key in (text or "").split(",") if key.strip()]
    unknown = [key for key in keys if key not in VARIABLES]
    if unknown:
        raise TemplateError(
            f"Variables: {', '.join(unknown)} cannot be filled; use names among {', '.join(VARIABLES)}, "
            "in the order of {{1}}, {{2}}, ...")
    return keys


def placeholders(body):
    """The numbers of the placeholders ({{1}}, {{2}}, ...) a template's text uses."""
    return sorted({int(number) for number in _PLACEHOLDER.findall(body or "")})


def check_template(body, keys):
    """The template's text and its variables agree: each placeholder {{n}} of the text has
    its n-th variable, and there is no variable left over."""
    used = placeholders(body)
    if used and used != list(range(1, len(used) + 1)):
        raise TemplateError("Text: placeholders must be numbered from {{1}} without gaps.")
    if len(used) != len(keys):
        raise TemplateError(
            f"Variables: the text uses {len(used)} placeholder(s) and {len(keys)} variable(s) are listed; "
            "list one variable per placeholder, in order.")


def fill(keys, values):
    """``ContentVariables`` of a send: {"1": value of the first key, ...} as JSON."""
    return json.dumps({str(index): str(values.get(key) or "-") for index, key in enumerate(keys, 1)},
                      ensure_ascii=False, separators=(",", ":"))


def render(body, variables_json):
    """The template's text as the candidate reads it, with its variables filled."""
    variables = json.loads(variables_json or "{}")
    return _PLACEHOLDER.sub(lambda match: variables.get(match.group(1), match.group(0)), body or "")


# what fills the placeholders of a template loaded from Twilio, until a manager says
# otherwise: the values a recruiting template most often starts with
DEFAULT_KEYS = ("first_name", "job", "company", "recruiter", "name")
APPROVED = "approved"


def approval_status(content):
    """WhatsApp's approval of a ContentAndApprovals item, lower-case ("" when none):
    Twilio gives ``approval_requests`` either as the request itself or with the request
    under ``whatsapp``."""
    asked = content.get("approval_requests")
    if not isinstance(asked, dict):
        return ""
    request = asked["whatsapp"] if isinstance(asked.get("whatsapp"), dict) else asked
    status = request.get("status")
    return status.lower() if isinstance(status, str) else ""


def approved_templates(payload):
    """(templates, skipped) of one page of Twilio's ContentAndApprovals answer: each
    content WhatsApp approved and that has a text, as {"sid", "name", "body", "keys"} (the
    default variables of its placeholders); ``skipped``: [(name, reason code)], the reason
    one of "not_approved", "no_text", "placeholders"."""
    templates, skipped = [], []
    for content in (payload or {}).get("contents") or []:
        name = content.get("friendly_name") or content.get("sid") or ""
        if approval_status(content) != APPROVED:
            skipped.append((name, "not_approved"))
            continue
        body = next((kind.get("body") for kind in (content.get("types") or {}).values()
                     if isinstance(kind, dict) and kind.get("body")), None)
        if not body:
            skipped.append((name, "no_text"))
            continue
        used = placeholders(body)
        if used != list(range(1, len(used) + 1)) or len(used) > len(DEFAULT_KEYS):
            skipped.append((name, "placeholders"))
            continue
        templates.append({"sid": content.get("sid"), "name": name, "body": body, "keys": list(DEFAULT_KEYS[:len(used)])})
    return templates, skipped
