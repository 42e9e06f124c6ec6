"""The law of the recipient's place: where a number is (its state or province, from its
area code), which texting rules apply there (hours by weekday, a cap per rolling 24
hours), and what they say of a text now.

The rules themselves are data (``recruit.sms.law.rule``, shipped for the US states and
Canada that go beyond the TCPA); this module only reads a place and applies rules, so the
gate (``tools/gate.py``) decides every path alike.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from dateutil.relativedelta import relativedelta
from phonenumbers import geocoder

DAY = timedelta(hours=24)
_SEARCH_DAYS = 8

# ISO 3166-2 codes of the US states (and DC) and Canada's provinces and territories, by the
# English name phonenumbers' geocoder gives for an area code
SUBDIVISIONS = {
    "US": {
        "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
        "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC", "Washington D.C.": "DC", "Florida": "FL",
        "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
        "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA",
        "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
        "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM",
        "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK",
        "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
        "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
        "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
    },
    "CA": {
        "Alberta": "AB", "British Columbia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
        "Newfoundland and Labrador": "NL", "Nova Scotia": "NS", "Ontario": "ON", "Prince Edward Island": "PE",
        "Quebec": "QC", "Saskatchewan": "SK", "Northwest Territories": "NT", "Nunavut": "NU", "Yukon": "YT",
    },
}


@dataclass(frozen=True)
class Place:
    """Where a recipient is, as far as the law goes, and how that was found."""

    country: str | None = None  # ISO 3166-1 alpha-2
    state: str | None = None  # ISO 3166-2 subdivision code without the country ("FL")
    basis: str = ""  # "area code 305: Florida"


def place_of_number(e164):
    """The country and, for a North American number, the state or province its area code
    belongs to (phonenumbers' geocoder), with the basis in words; an empty Place when the
    number cannot be read."""
    try:
        number = phonenumbers.parse(e164 or "", None)
    except phonenumbers.NumberParseException:
        return Place()
    country = phonenumbers.region_code_for_number(number)
    if country not in SUBDIVISIONS:
        return Place(country, None, f"country code +{number.country_code}: {country}" if country else "")
    area = str(number.national_number)[:3]
    where = geocoder.description_for_number(number, "en")  # "Florida", or "Miami, FL"
    name, _comma, code = where.rpartition(", ")
    state = code if name and code in SUBDIVISIONS[country].values() else SUBDIVISIONS[country].get(where)
    return Place(country, state, f"area code {area}: {where}" if where else f"area code {area}")


def place_of_address(country, state, state_name=""):
    """The place of a postal address (the applicant's contact), when it names a country."""
    if not country:
        return None
    return Place(country, state or None, f"address: {state_name or state or country}")


@dataclass(frozen=True)
class Rule:
    """One texting rule of a place: the hours texts may reach it, per local weekday
    (Monday 0: (start, end), or None: no text that day), and how many texts of the
    ``counted`` kinds one person may get in any 24 hours (0: no cap)."""

    code: str
    name: str
    country: str | None = None  # None: everywhere
    state: str | None = None  # None: the whole country
    hours: tuple | None = None  # 7 (start, end) or None, Monday first; None: no hours of its own
    cap: int = 0
    counted: frozenset = frozenset()
    identify: bool = False  # every text names its sender, a way to reach them and how to opt out (CASL)
    implied_months: int = 0  # consent that is only implied lapses this long after the last contact (CASL)

    def applies(self, place):
        if self.country is None:
            return True
        return place.country == self.country and (self.state is None or place.state == self.state)

    def counts(self, kind):
        return bool(self.cap) and kind in self.counted


def weekly(start, end, sunday=None):
    """Hours as a Rule holds them: ``start`` to ``end`` every day, or on Sunday ``sunday``
    ((start, end), or False for no text on Sundays)."""
    days = [(start, end)] * 7
    if sunday is not None:
        days[6] = sunday or None
    return tuple(days)


def _open_in(hours, zone, moment):
    local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
    window = hours[local.weekday()]
    return bool(window) and window[0] <= local.time() < window[1]


def is_open(hours, zones, moment):
    """Whether every zone's local clock is within ``hours`` at ``moment`` (naive UTC)."""
    return all(_open_in(hours, zone, moment) for zone in zones)


def _boundaries(hours, zone, now, which):
    """The moments (naive UTC) after ``now`` when ``zone``'s clock reaches the start
    (``which`` 0) or the end (1) of ``hours``, over the next days, soonest first."""
    tz = ZoneInfo(zone)
    local_today = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()
    for days in range(_SEARCH_DAYS):
        day = local_today + timedelta(days=days)
        window = hours[day.weekday()]
        if window:
            moment = datetime.combine(day, window[which], tzinfo=tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
            if moment > now:
                yield moment


def next_opening(all_hours, zones, now):
    """``now`` when every one of ``all_hours`` is open in every zone, else the first moment
    they all are (naive UTC); None when they never meet within a week."""
    if all(is_open(hours, zones, now) for hours in all_hours):
        return now
    candidates = sorted({moment for hours in all_hours for zone in zones for moment in _boundaries(hours, zone, now, 0)})
    for moment in candidates:
        if all(is_open(hours, zones, moment) for hours in all_hours):
            return moment
    return None


def next_closing(all_hours, zones, now):
    """While they are all open: the first moment one of them closes (naive UTC)."""
    moments = [moment for hours in all_hours for zone in zones
               if (moment := next(_boundaries(hours, zone, now, 1), None)) is not None]
    return min(moments) if moments else None


def company_hours(window):
    """A company's texting hours (``gate.Window``, start before end) as a Rule's hours."""
    return weekly(window.start, window.end) if window else None


def cap_reached(rules, kind, recent, now):
    """(the first rule whose cap ``recent`` already reaches, until when it holds a text:
    the oldest of the last ``cap`` texts is then 24 hours old), or None when no cap is
    reached. ``recent``: the moments (naive UTC) of the texts of counted kinds this person
    got."""
    last_day = sorted(moment for moment in recent if moment > now - DAY)
    for rule in sorted(rules, key=lambda r: r.cap or 10**6):
        if rule.counts(kind) and len(last_day) >= rule.cap:
            return rule, last_day[-rule.cap] + DAY
    return None


def hours_closed(rules, zones, now):
    """The first rule whose hours are closed now in one of ``zones``, or None."""
    for rule in rules:
        if rule.hours and not is_open(rule.hours, zones, now):
            return rule
    return None


# FCC, 47 CFR 64.1200(a)(10) (since 11 April 2025), and CASL s. 11(3): a revocation is
# honoured within 10 business days. A message that may ask to stop and that nobody decides
# on is taken as an opt-out at the start of the tenth business day after it came, so that
# it is honoured within the tenth whatever the hour the scheduled action runs.
REVOCATION_BUSINESS_DAYS = 10


def business_days_after(moment, days):
    """The moment ``days`` business days (Monday to Friday; public holidays are not
    skipped, which only brings the date earlier) after ``moment``."""
    result = moment
    while days > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            days -= 1
    return result


def revocation_deadline(asked_at):
    """When a possible revocation that came at ``asked_at`` (naive UTC) is honoured at the
    latest: the start (00:00 UTC) of the tenth business day after it."""
    day = business_days_after(asked_at, REVOCATION_BUSINESS_DAYS)
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def implied_consent_lapses(rules, last_contact):
    """When consent that is only implied lapses under ``rules`` (the shortest period of
    those that set one), counted from ``last_contact`` (naive UTC); None when none does."""
    months = [rule.implied_months for rule in rules if rule.implied_months]
    if not months or last_contact is None:
        return None
    return last_contact + relativedelta(months=min(months))  # calendar months: the last day of a shorter one
