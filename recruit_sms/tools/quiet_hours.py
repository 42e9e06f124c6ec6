"""Quiet hours: texts reach a recipient only between ``start`` and ``end`` o'clock at
their local time (TCPA: 8 a.m. to 9 p.m.).

A number whose country spans several time zones is texted only when it is within the
window in all of them (the most restrictive overlap).
"""

from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezone

from . import texting_law

DEFAULT_START = time(8, 0)
DEFAULT_END = time(21, 0)


def _zone(name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def number_zones(e164):
    """Time zone names of a phone number (none when phonenumbers does not know)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return []
    return [name for name in phone_timezone.time_zones_for_number(number) if name != "Etc/Unknown" and _zone(name)]


def recipient_zones(applicant_tz=None, number=None, company_tz=None):
    """The applicant's zone if known, else the number's, else the company's, else UTC."""
    if applicant_tz and _zone(applicant_tz):
        return [applicant_tz]
    zones = number_zones(number) if number else []
    if zones:
        return zones
    if company_tz and _zone(company_tz):
        return [company_tz]
    return ["UTC"]


def hour_to_time(value):
    """8.5 -> 08:30 (Odoo stores hours as floats)."""
    minutes = round(float(value) * 60)
    if minutes >= 24 * 60:
        return time(23, 59, 59)
    return time(minutes // 60, minutes % 60)


def is_open(now_utc, zones, start=DEFAULT_START, end=DEFAULT_END):
    """May a text go out at ``now_utc`` (naive UTC) to someone in all of ``zones``?"""
    return texting_law.is_open(texting_law.weekly(start, end), zones, now_utc)


def next_opening(now_utc, zones, start=DEFAULT_START, end=DEFAULT_END):
    """``now_utc`` when the window is open, else the first moment it opens in all
    ``zones`` (naive UTC); None when the zones never share an open moment."""
    return texting_law.next_opening([texting_law.weekly(start, end)], zones, now_utc)


def next_closing(now_utc, zones, start=DEFAULT_START, end=DEFAULT_END):
    """While the window is open at ``now_utc``: the first moment (naive UTC) it closes in
    one of ``zones``, so a text prepared now is not sent after it. None when it is closed
    now or never closes (texting at any hour)."""
    if not is_open(now_utc, zones, start, end) or (start == time(0, 0) and end >= time(23, 59, 59)):
        return None
    return texting_law.next_closing([texting_law.weekly(start, end)], zones, now_utc)
