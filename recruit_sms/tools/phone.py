"""Phone number normalization for texting.

Numbers are normalized to E.164 with phonenumbers. A national number is read in the
country given as default (the applicant's, else the company's). Only numbers that
phonenumbers calls valid are accepted: a number that merely parses is not enough to text.
"""

import functools

import phonenumbers

# No phone number, however it is written (spaces, dashes, an extension, a WhatsApp
# address), is longer than this. Longer input, or input with control characters, is
# refused before it is parsed or remembered: the caches below are keyed on what they are
# given, so this bounds them in bytes as well as in entries.
MAX_INPUT = 64

EMPTY = "empty"
NO_COUNTRY = "no_country"
UNPARSABLE = "unparsable"
INVALID = "invalid"

REASONS = {
    EMPTY: "no phone number",
    NO_COUNTRY: "a national number needs a country to be read in",
    UNPARSABLE: "not a phone number",
    INVALID: "not a valid number for its country",
}


class PhoneError(ValueError):
    """The number cannot be texted; ``reason`` is one of the constants above."""

    def __init__(self, reason, number=None):
        self.reason = reason
        self.number = number
        super().__init__(f"{number!r}: {REASONS[reason]}")


def readable(raw):
    """Whether ``raw`` may be read as a phone number at all: a string of at most
    MAX_INPUT characters with no NUL byte."""
    return isinstance(raw, str) and len(raw) <= MAX_INPUT and "\x00" not in raw


def parse(raw, default_country=None):
    """Return the phonenumbers object for ``raw``, or raise PhoneError."""
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if not raw:
        raise PhoneError(EMPTY, raw)
    if not readable(raw):
        raise PhoneError(UNPARSABLE, raw[:MAX_INPUT] if isinstance(raw, str) else None)
    region = (default_country or "").upper() or None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not raw.startswith("+") and not region:
        raise PhoneError(NO_COUNTRY, raw)
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneError(UNPARSABLE, raw) from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(INVALID, raw)
    return number


def international(e164):
    """``e164`` as people write it ("+1 202-555-0199"), or as given when it cannot be read."""
    try:
        return phonenumbers.format_number(parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except PhoneError:
        return e164 or ""


def to_e164(raw, default_country=None):
    """Normalize ``raw`` to E.164 (``+14155550123``), or raise PhoneError."""
    return phonenumbers.format_number(
        parse(raw, default_country), phonenumbers.PhoneNumberFormat.E164
    )


def try_e164(raw, default_country=None):
    """E.164 form of ``raw``, or None when it cannot be texted. Remembered: a campaign
    checks the same numbers again every second while it sends. Only input that may be a
    number is remembered (at most MAX_INPUT characters a key)."""
    if not readable(raw) or not (default_country is None or (isinstance(default_country, str)
                                                             and len(default_country) <= 3)):
        return None
    return _cached_e164(raw, default_country)


@functools.lru_cache(maxsize=8192)
def _cached_e164(raw, default_country):
    try:
        return to_e164(raw, default_country)
    except PhoneError:
        return None


def region_of(e164):
    """The ISO country code of an E.164 number ("US", "BE"), or None."""
    return _cached_region(e164) if readable(e164) else None


@functools.lru_cache(maxsize=8192)
def _cached_region(e164):
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


def cost(numbers, segments, prices):
    """(estimated cost, the countries without a price) of sending ``segments`` SMS to each
    of ``numbers`` (E.164), at ``prices``: {country code: price per SMS}, the price under
    None applying to the other countries."""
    total, unpriced = 0.0, set()
    for number in numbers:
        region = region_of(number)
        price = prices.get(region, prices.get(None))
        if price is None:
            unpriced.add(region or "?")
            continue
        total += price * segments
    return total, sorted(unpriced)


def find_numbers(text, default_country=None):
    """The phone numbers written in ``text`` (an email signature, a job-board page, a CV),
    as (as written, E.164) in order of appearance, each once. A national number is read
    in ``default_country``. Only what phonenumbers' matcher calls a valid number counts:
    dates, IDs, prices and postcodes are not numbers."""
    region = (default_country or "").upper() or None
    found, seen = [], set()
    for match in phonenumbers.PhoneNumberMatcher(text or "", region, leniency=phonenumbers.Leniency.VALID):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in seen:
            seen.add(e164)
            found.append((match.raw_string, e164))
    return found
