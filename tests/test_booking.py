"""Interview slots: working hours across zones, existing events, the notice before a slot."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from recruit_sms_tools.booking import by_day, free_slots

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = timedelta(hours=1)


def paris(day, hour, minute=0):
    return datetime(2026, 7, day, hour, minute, tzinfo=PARIS)


def test_working_hours_cut_into_slots_in_utc():
    working = [(paris(1, 9), paris(1, 12)), (paris(1, 13), paris(1, 15, 30))]
    slots = free_slots(working, [], HOUR, not_before=paris(1, 0))
    assert slots == [datetime(2026, 7, 1, h, tzinfo=UTC) for h in (7, 8, 9, 11, 12)], "a slot never runs past the end"


def test_events_take_the_slots_they_overlap():
    working = [(paris(1, 9), paris(1, 13))]
    busy = [(paris(1, 9, 30), paris(1, 10, 15)), (paris(1, 12), paris(1, 12, 1))]
    assert free_slots(working, busy, HOUR, not_before=paris(1, 0)) == [paris(1, 11).astimezone(UTC)]


def test_an_event_ending_when_a_slot_starts_leaves_it_free():
    working = [(paris(1, 9), paris(1, 11))]
    busy = [(paris(1, 8), paris(1, 9)), (paris(1, 11), paris(1, 12))]
    assert len(free_slots(working, busy, HOUR, not_before=paris(1, 0))) == 2


def test_nothing_before_the_notice():
    working = [(paris(1, 9), paris(1, 17))]
    slots = free_slots(working, [], HOUR, not_before=paris(1, 14, 30))
    assert slots == [paris(1, 15).astimezone(UTC), paris(1, 16).astimezone(UTC)]


def test_busy_times_in_another_zone_and_a_limit():
    working = [(paris(day, 9), paris(day, 17)) for day in (1, 2)]
    busy = [(datetime(2026, 7, 1, 3, tzinfo=NEW_YORK), datetime(2026, 7, 1, 11, tzinfo=NEW_YORK))]  # 9:00-17:00 Paris
    slots = free_slots(working, busy, 2 * HOUR, not_before=paris(1, 0), limit=3)
    assert slots == [paris(2, h).astimezone(UTC) for h in (9, 11, 13)]


def test_days_as_the_candidate_reads_them():
    slots = [datetime(2026, 7, 1, 22, tzinfo=UTC), datetime(2026, 7, 2, 3, 30, tzinfo=UTC)]
    days = by_day(slots, NEW_YORK)
    assert [(day.isoformat(), [t.strftime("%H:%M") for t in times]) for day, times in days] == [
        ("2026-07-01", ["18:00", "23:30"])]
    assert [day.isoformat() for day, _ in by_day(slots, PARIS)] == ["2026-07-02"]


def test_a_slot_must_last():
    with pytest.raises(ValueError):
        free_slots([], [], timedelta(0), not_before=paris(1, 0))


def test_only_slots_at_the_candidates_daytime():
    from recruit_sms_tools.booking import within_hours
    slots = [paris(1, h) for h in (9, 14, 16, 17)]  # 0:00, 5:00, 7:00, 8:00 in San Francisco
    kept = within_hours(slots, ZoneInfo("America/Los_Angeles"), 7, 21, HOUR)
    assert kept == [paris(1, 16), paris(1, 17)]
    assert within_hours([paris(1, 20)], PARIS, 8, 21, HOUR) == [paris(1, 20)], "ending at the last hour is fine"
    assert within_hours([paris(1, 20, 30)], PARIS, 8, 21, HOUR) == []
