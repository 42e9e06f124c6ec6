"""How a moment is written, in one place, by the reader's language and time zone (CLDR
patterns through babel, as Odoo's own formatting):

* ``for_user``: what the back office shows a recruiter, short ("Dec 7, 2026, 9:00 AM"
  in English, "7 déc. 2026, 09:00" in French), in the user's zone;
* ``for_candidate``: what a candidate reads in a text or on a page, spelled out, with
  the place whose clock it is ("Monday, December 7, 2026 at 9:00 AM", and "Chicago");
  the words around it ("(Chicago time)") are the caller's, to be translated; ``day`` and
  ``clock`` are its two halves, for a page that lists times under their day.

``moment`` is naive UTC (as Odoo stores it) or aware.
"""

from datetime import UTC

import pytz
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format, get_timezone_location


def _locale(lang):
    try:
        return Locale.parse(lang or "en_US")
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_US")


def _local(moment, zone):
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(pytz.timezone(zone or "UTC"))
    except pytz.UnknownTimeZoneError:
        return moment.astimezone(pytz.utc)


def _joined(width, local, locale, date_width, time_width="short"):
    pattern = get_datetime_format(width, locale=locale).replace("'", "")
    return pattern.replace("{0}", format_time(local, time_width, locale=locale)).replace(
        "{1}", format_date(local, date_width, locale=locale))


def for_user(moment, zone, lang):
    """``moment`` as the back office shows it to a user of ``zone`` and ``lang``; a user
    without a (known) zone reads UTC, and is told so."""
    written = _joined("medium", _local(moment, zone), _locale(lang), "medium")
    return written if zone in pytz.all_timezones_set else f"{written} UTC"


def day_for_user(moment, zone, lang):
    """The day of ``moment`` as the back office shows it to a user of ``zone`` and ``lang``."""
    return format_date(_local(moment, zone), "medium", locale=_locale(lang))


def for_candidate(moment, zone, lang):
    """``moment`` spelled out for a candidate of ``zone`` and ``lang``."""
    locale = _locale(lang)
    return _joined("long", _local(moment, zone), locale, "full")


def day(moment, zone, lang):
    """The day of ``moment`` at ``zone``'s clock, spelled out ("Monday, December 7, 2026")."""
    return format_date(_local(moment, zone), "full", locale=_locale(lang))


def clock(moment, zone, lang):
    """The time of ``moment`` at ``zone``'s clock ("9:00 AM", "09:00")."""
    return format_time(_local(moment, zone), "short", locale=_locale(lang))


def place(zone, lang):
    """The city whose clock ``zone`` is, in ``lang`` ("Chicago", "Nueva York")."""
    try:
        return get_timezone_location(pytz.timezone(zone or "UTC"), locale=_locale(lang), return_city=True)
    except pytz.UnknownTimeZoneError:
        return "UTC"
