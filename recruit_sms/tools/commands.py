"""Chat commands typed at the start of a message: ``^assign``, ``^claim``...

Parsing only: what a command does is the model's business. A command is never sent.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NO_ARGUMENT = ("claim", "unassign", "close", "open", "read")
WITH_TEXT = {"assign": "user", "note": "text", "opt-out": "reason", "opt-in": "reason"}
ALL = ("assign", "claim", "unassign", "close", "open", "read", "at", "note", "opt-out", "opt-in")

USAGE = {
    "assign": "^assign <user>",
    "at": "^at <YYYY-MM-DD HH:MM | tomorrow HH:MM | HH:MM> <message>",
    "note": "^note <text>",
    "opt-out": "^opt-out <reason>",
    "opt-in": "^opt-in <reason>",
}

_WHEN = re.compile(
    r"^(?:(?P<date>\d{4}-\d{2}-\d{2})[ T]|(?P<tomorrow>tomorrow)\s+)?(?P<time>\d{1,2}:\d{2})(?:\s+|$)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


class CommandError(ValueError):
    """The text is a command that cannot run as written; the message says how to fix it."""


@dataclass(frozen=True)
class Command:
    name: str
    args: dict = field(default_factory=dict)


def is_command(text):
    return bool(text) and text.lstrip().startswith("^")


def parse_command(text, now=None):
    """The command at the start of ``text``, or None when ``text`` is a plain message.

    ``now`` (naive, in the sender's time zone) is needed to read ``^at`` times.
    """
    if not is_command(text):
        return None
    head, _, rest = text.lstrip()[1:].partition(" ")
    name, rest = head.strip().lower(), rest.strip()
    if "\n" in name:
        name, _, more = name.partition("\n")
        rest = (more + " " + rest).strip()
    if name not in ALL:
        raise CommandError(f"Unknown command ^{name}: use one of " + ", ".join("^" + n for n in ALL) + ".")
    if name in NO_ARGUMENT:
        if rest:
            raise CommandError(f"^{name} takes no argument (got {rest!r}).")
        return Command(name)
    if name in WITH_TEXT:
        if not rest:
            raise CommandError(f"^{name} needs {WITH_TEXT[name]}: {USAGE[name]}.")
        value = rest.lstrip("@") if name == "assign" else rest
        return Command(name, {WITH_TEXT[name]: value})
    return Command("at", _parse_at(rest, now))


# how far ahead ^at schedules: a message for later than this is a typo, not a plan (and
# a year like 9999 has no UTC equivalent in every time zone)
MAX_AHEAD = timedelta(days=5 * 366)


def _parse_at(rest, now):
    match = _WHEN.match(rest)
    if not match:
        raise CommandError(f"^at needs a date and time, then the message: {USAGE['at']}.")
    try:
        clock = datetime.strptime(match["time"], "%H:%M").time()
    except ValueError as error:
        raise CommandError(f"^at: {match['time']!r} is not a time of day (HH:MM, 24-hour).") from error
    message = match["rest"].strip()
    if not message:
        raise CommandError(f"^at needs the message to send after the time: {USAGE['at']}.")
    now = now or datetime.now()
    if match["date"]:
        try:
            day = datetime.strptime(match["date"], "%Y-%m-%d").date()
        except ValueError as error:
            raise CommandError(f"^at: {match['date']!r} is not a date (YYYY-MM-DD).") from error
    elif match["tomorrow"]:
        day = (now + timedelta(days=1)).date()
    else:
        day = now.date()
    when = datetime.combine(day, clock)
    if when <= now:
        raise CommandError(f"^at: {when:%Y-%m-%d %H:%M} is already past; give a time to come.")
    if when - now > MAX_AHEAD:
        raise CommandError(f"^at: {when:%Y-%m-%d} is more than five years ahead; give a nearer time.")
    return {"when": when, "message": message}


def local_to_utc(local, tz_name):
    """A naive local datetime in ``tz_name`` as a naive UTC datetime."""
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
