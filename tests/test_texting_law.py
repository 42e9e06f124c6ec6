"""The law of the recipient's place: where an area code is, and the gate's decisions over
random recipients against the rules stated here in plain Python (state, weekday, local
hour, texts already sent in the last 24 hours, kind of text)."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from recruit_sms_tools import gate, texting_law


@pytest.mark.parametrize(("number", "country", "state", "basis"), [
    ("+13055550100", "US", "FL", "area code 305: Florida"),
    ("+14055550100", "US", "OK", "area code 405: Oklahoma"),
    ("+14105550100", "US", "MD", "area code 410: Maryland"),
    ("+12125550100", "US", "NY", "area code 212: New York, NY"),
    ("+14155550142", "US", "CA", "area code 415: San Francisco, CA"),
    ("+15125550100", "US", "TX", "area code 512: Texas"),
    ("+14165550100", "CA", "ON", "area code 416: Ontario"),
    ("+18005550100", "US", None, "area code 800"),  # toll-free: no state
    ("+442079460000", "GB", None, "country code +44: GB"),
    ("not a number", None, None, ""),
])
def test_the_place_of_a_number(number, country, state, basis):
    place = texting_law.place_of_number(number)
    assert (place.country, place.state, place.basis) == (country, state, basis)


# The rules as published, written out here (the addon ships them as data):
# state: (time zone, {weekday: (first hour, hour after the last)}, cap per 24 hours)
EVERY_DAY = dict.fromkeys(range(7))
LAW = {
    "FL": ("America/New_York", {day: (8, 20) for day in EVERY_DAY}, 3),
    "OK": ("America/Chicago", {day: (8, 20) for day in EVERY_DAY}, 3),
    "MD": ("America/New_York", {day: (8, 20) for day in EVERY_DAY}, 3),
    "TX": ("America/Chicago", {**{day: (9, 21) for day in range(6)}, 6: (12, 21)}, 0),
    "VA": ("America/New_York", {day: (8, 21) for day in EVERY_DAY}, 0),
    "NY": ("America/New_York", None, 0),  # no rule of its own
}
CAPPED_KINDS = {gate.AUTOMATED, gate.CAMPAIGN}


def rules_of(state):
    zone_hours, cap = LAW[state][1], LAW[state][2]
    if zone_hours is None:
        return ()
    hours = tuple((time(zone_hours[day][0]), time(zone_hours[day][1])) for day in range(7))
    return (texting_law.Rule(code=state, name=state, country="US", state=state, hours=hours, cap=cap,
                             counted=frozenset(CAPPED_KINDS)),)


def expected(state, local, kind, texts_today, replying):
    """The law, plainly: a STOP/START/HELP answer and a reply to a candidate who just wrote
    always go; past the cap, counted kinds wait; outside the hours, everything waits."""
    if kind == gate.CONFIRMATION or (kind == gate.MANUAL and replying):
        return None
    _zone, hours, cap = LAW[state]
    if cap and kind in CAPPED_KINDS and texts_today >= cap:
        return gate.FREQUENCY_CAP
    if hours is not None:
        first, after_last = hours[local.weekday()]
        if not first <= local.hour < after_last:
            return gate.STATE_HOURS
    return None


def test_the_gate_applies_the_law_of_the_place_over_random_recipients():
    rng = random.Random(25)
    kinds = sorted(gate.KINDS)
    for _ in range(3000):
        state = rng.choice(sorted(LAW))
        zone = LAW[state][0]
        local = datetime(2026, 3, 2, tzinfo=ZoneInfo(zone)) + timedelta(days=rng.randrange(14), hours=rng.randrange(24),
                                                                         minutes=rng.randrange(60))
        now = local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))  # a wall clock that exists
        kind, replying = rng.choice(kinds), rng.random() < 0.3
        texts_today = rng.randrange(5)
        recent = tuple(now - timedelta(hours=rng.uniform(0.1, 23.9)) for _ in range(texts_today))
        recent += tuple(now - timedelta(hours=rng.uniform(24.1, 48)) for _ in range(rng.randrange(3)))  # older: not counted
        recipient = gate.Recipient(
            number="+13055550100", candidate=True, consent=True, zones=(zone,), rules=rules_of(state), recent=recent,
            last_inbound=now - timedelta(hours=1) if replying else now - timedelta(days=3))
        verdict = gate.Batch(now=now).decide(recipient, kind)
        case = (state, local.isoformat(), kind, texts_today, replying)
        assert verdict.code == expected(state, local, kind, texts_today, replying), case
        if verdict.code == gate.FREQUENCY_CAP:
            assert verdict.hold_until == sorted(recent)[-3] + timedelta(hours=24), case  # the oldest of the last three
        if verdict.code == gate.STATE_HOURS:
            # held until the first minute the law allows, which it did not a minute before
            opening = verdict.hold_until.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
            before = (verdict.hold_until - timedelta(minutes=1)).replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
            assert expected(state, opening, kind, 0, replying) is None, case
            assert expected(state, before, kind, 0, replying) == gate.STATE_HOURS, case
            assert verdict.rule == state


def test_texts_the_batch_lets_go_count_toward_the_cap():
    now = datetime(2026, 3, 2, 15, 0)  # 10:00 in Florida
    batch = gate.Batch(now=now)
    recipient = gate.Recipient(number="+13055550100", candidate=True, consent=True, zones=("America/New_York",),
                               rules=rules_of("FL"))
    codes = [batch.decide(recipient, gate.AUTOMATED).code for _ in range(4)]
    assert codes == [None, None, None, gate.FREQUENCY_CAP]


def test_the_company_hours_and_the_states_meet():
    """A company texting 7:00-22:00 and Florida's 8:00-20:00: the state's hours hold a text
    at 7:30 (until 8:00), the company's at 22:30 (until the next morning's 8:00)."""
    window = gate.window_of(7, 22)
    recipient = gate.Recipient(number="+13055550100", candidate=True, consent=True, zones=("America/New_York",),
                               rules=rules_of("FL"))
    early = gate.Batch(now=datetime(2026, 3, 2, 12, 30), window=window).decide(recipient, gate.CAMPAIGN)
    assert (early.code, early.hold_until, early.rule) == (gate.STATE_HOURS, datetime(2026, 3, 2, 13, 0), "FL")
    late = gate.Batch(now=datetime(2026, 3, 3, 3, 30), window=window).decide(recipient, gate.CAMPAIGN)
    assert (late.code, late.hold_until) == (gate.QUIET_HOURS, datetime(2026, 3, 3, 13, 0))
