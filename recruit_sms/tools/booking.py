"""Interview slots a candidate may book: the recruiter's working time, less what is
already in their calendar, cut into slots of the job's length.

Times are aware datetimes (any zone); slots are returned in UTC, in order.
"""

from datetime import UTC, timedelta


def _utc(moment):
    return moment.astimezone(UTC)


def free_slots(working, busy, length, not_before, limit=None):
    """Start times of the slots of ``length`` (timedelta) that fit entirely in one of the
    ``working`` intervals, start at or after ``not_before`` and overlap none of the ``busy``
    intervals; slots start on the working interval's start and then every ``length``.

    :param working: [(start, end)] the recruiter's working time
    :param busy: [(start, end)] events and bookings already taken
    """
    if length <= timedelta(0):
        raise ValueError("a slot must last some time")
    taken = sorted((_utc(start), _utc(end)) for start, end in busy)
    floor = _utc(not_before)
    slots = []
    for work_start, work_end in sorted((_utc(start), _utc(end)) for start, end in working):
        start = work_start
        while start + length <= work_end:
            end = start + length
            if start >= floor and not any(b_start < end and start < b_end for b_start, b_end in taken):
                slots.append(start)
                if limit and len(slots) >= limit:
                    return slots
            start = end
    return slots


def by_day(slots, zone):
    """[(local date, [local start])] of ``slots`` as the candidate reads them in ``zone``."""
    days = {}
    for slot in slots:
        local = slot.astimezone(zone)
        days.setdefault(local.date(), []).append(local)
    return sorted(days.items())


def within_hours(slots, zone, start_hour, end_hour, length):
    """The ``slots`` that begin at or after ``start_hour`` and end by ``end_hour`` (hours of
    the day, 0 to 24) at the candidate's local time in ``zone``: nobody is offered an
    interview in the middle of their night because the recruiter works elsewhere."""
    kept = []
    for slot in slots:
        local = slot.astimezone(zone)
        begins = local.hour + local.minute / 60
        ends = begins + length.total_seconds() / 3600
        if start_hour <= begins and ends <= end_hour:
            kept.append(slot)
    return kept
