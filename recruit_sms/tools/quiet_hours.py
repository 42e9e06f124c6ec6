"""Quiet hours: texts reach a recipient only between ``start`` and ``end`` o'clock at
their local time (TCPA: 8 a.m. to 9 p.m.).

A number whose country spans several time zones is texted only when it is within the
window in all of them (the most restrictive overlap).
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezone

DEFAULT_START = time(8, 0)
DEFAULT_END = time(21, 0)
_SEARCH_DAYS = 8


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


def _local(now_utc, zone_name):
    return now_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone_name))


def is_open_in(now_utc, zone_name, start=DEFAULT_START, end=DEFAULT_END):
    local = _local(now_utc, zone_name).time()
    return start <= local < end


def is_open(now_utc, zones, start=DEFAULT_START, end=DEFAULT_END):
    """May a text go out at ``now_utc`` (naive UTC) to someone in all of ``zones``?"""
    return all(is_open_in(now_utc, zone, start, end) for zone in zones)


def _next_local_start(now_utc, zone_name, start):
    """The next moment (naive UTC) after ``now_utc`` when ``zone_name``'s clock reads ``start``."""
    zone = ZoneInfo(zone_name)
    local = _local(now_utc, zone_name)
    for days in range(_SEARCH_DAYS):
        day = (local + timedelta(days=days)).date()
        candidate = datetime.combine(day, start, tzinfo=zone)
        # a start inside a DST gap does not exist: zoneinfo moves it forward consistently
        candidate_utc = candidate.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        if candidate_utc > now_utc:
            return candidate_utc
    return None


def next_opening(now_utc, zones, start=DEFAULT_START, end=DEFAULT_END):
    """``now_utc`` when the window is open, else the first moment it opens in all
    ``zones`` (naive UTC); None when the zones never share an open moment."""
    if is_open(now_utc, zones, start, end):
        return now_utc
    candidates = sorted(
        moment for zone in zones if (moment := _next_local_start(now_utc, zone, start)) is not None
    )
    # the shared window, when there is one, opens when the last of the zones opens
    for moment in candidates:
        if is_open(moment, zones, start, end):
            return moment
    # zones whose windows overlap only after some other boundary: scan quarter hours
    moment = now_utc.replace(second=0, microsecond=0) + timedelta(minutes=15 - now_utc.minute % 15)
    for _ in range(_SEARCH_DAYS * 24 * 4):
        if is_open(moment, zones, start, end):
            return moment
        moment += timedelta(minutes=15)
    return None


def next_closing(now_utc, zones, start=DEFAULT_START, end=DEFAULT_END):
    """While the window is open at ``now_utc``: the first moment (naive UTC) it closes in
    one of ``zones``, so a text prepared now is not sent after it. None when it is closed
    now or never closes (texting at any hour)."""
    if not is_open(now_utc, zones, start, end) or (start == time(0, 0) and end >= time(23, 59, 59)):
        return None
    moments = [moment for zone in zones if (moment := _next_local_start(now_utc, zone, end)) is not None]
    return min(moments) if moments else None
