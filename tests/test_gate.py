"""The gate's decisions against the rules as a recruiter states them, over random cases."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from recruit_sms_tools import gate

ZONES = ["UTC", "America/Los_Angeles", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Europe/Brussels",
         "Australia/Adelaide"]
WINDOWS = [(8.0, 21.0), (9.5, 17.0), (0.0, 12.0), (6.0, 24.0)]


def open_at(moment, zones, start, end):
    """The rule: every zone's wall clock reads at least ``start`` and before ``end``."""
    for zone in zones:
        local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).time()
        if not start <= local < end:
            return False
    return True


def first_opening(now, zones, start, end):
    """The first minute from ``now`` that is open everywhere (windows recur daily)."""
    moment = now
    for _ in range(3 * 24 * 60):
        if open_at(moment, zones, start, end):
            return moment
        moment += timedelta(minutes=1)
    return now + timedelta(days=1)  # zones that never share an open moment: try again in a day


def expected(case):  # noqa: PLR0911 (one return per rule)
    """What may happen to a text, said plainly: (reason code or None, held until)."""
    if case["number"] is None:
        return (gate.INVALID_NUMBER if case["invalid"] else gate.NO_NUMBER), None
    if case["kind"] == gate.CONFIRMATION:
        return None, None  # a STOP/START/HELP answer goes whatever the rest says
    if case["opted_out"]:
        return gate.OPTED_OUT, None
    if case["candidate"] and not case["consent"]:
        return gate.NO_CONSENT, None
    if case["asked_to_stop"] and case["kind"] in (gate.AUTOMATED, gate.CAMPAIGN):
        return gate.OPT_OUT_ASKED, None  # only a recruiter's own message, until they decide
    if case["hours"] is None or not case["candidate"]:
        return None, None
    start, end = (time(int(h), round((h % 1) * 60)) if h < 24 else time(23, 59, 59) for h in case["hours"])
    if open_at(case["now"], case["zones"], start, end):
        return None, None
    lately = case["last_inbound"] is not None and case["now"] - case["last_inbound"] <= timedelta(hours=24)
    if case["kind"] == gate.MANUAL and lately and not case["hold_replies"]:
        return None, None
    return gate.QUIET_HOURS, first_opening(case["now"], case["zones"], start, end)


def random_case(rng):
    number = rng.choice([None, "+14155550142", "+919876543210", "+3225550100"])
    now = datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))
    wrote = rng.choice([None, now - timedelta(hours=rng.randint(0, 48), minutes=rng.randint(0, 59))])
    return {
        "number": number,
        "invalid": number is None and rng.random() < 0.5,
        "opted_out": rng.random() < 0.3,
        "candidate": rng.random() < 0.8,
        "consent": rng.random() < 0.7,
        "asked_to_stop": rng.random() < 0.2,
        "zones": rng.sample(ZONES, rng.choice([1, 1, 2])),
        "now": now,
        "last_inbound": wrote,
        "kind": rng.choice(sorted(gate.KINDS)),
        "hours": rng.choice([*WINDOWS, None]),
        "hold_replies": rng.random() < 0.3,
    }


@pytest.mark.parametrize("seed", range(6))
def test_random_cases_follow_the_rules(seed):
    rng = random.Random(seed)
    decided = {"allowed": 0, "blocked": 0, "held": 0, "asked": 0}
    for _ in range(120):
        case = random_case(rng)
        window = None
        if case["hours"] is not None:
            window = gate.window_of(*case["hours"], hold_replies=case["hold_replies"])
        recipient = gate.Recipient(
            number=case["number"], invalid=case["invalid"], opted_out=case["opted_out"], candidate=case["candidate"],
            consent=case["consent"], asked_to_stop=case["asked_to_stop"], zones=tuple(case["zones"]),
            last_inbound=case["last_inbound"])
        verdict = gate.Batch(now=case["now"], window=window).decide(recipient, case["kind"])
        code, hold = expected(case)
        assert (verdict.code, verdict.hold_until) == (code, hold), case
        decided["held" if code == gate.QUIET_HOURS else "asked" if code == gate.OPT_OUT_ASKED
                else "blocked" if code else "allowed"] += 1
    # the cases reached every outcome, so none of the rules went untested
    assert all(decided.values()), decided


def test_allowed_text_knows_when_hours_close():
    batch = gate.Batch(now=datetime(2026, 7, 1, 15, 0), window=gate.window_of(8, 21))  # 08:00 in Los Angeles
    verdict = batch.decide(gate.Recipient("+14155550142", candidate=True, consent=True, zones=("America/Los_Angeles",)),
                           gate.CAMPAIGN)
    assert verdict.allowed
    assert verdict.closes_at == datetime(2026, 7, 2, 4, 0)  # 21:00 there


def test_duplicates_in_a_campaign_batch():
    batch = gate.Batch(now=datetime(2026, 7, 1, 18, 0), dedupe=True)
    ann = gate.Recipient("+14155550142", candidate=True, consent=True)
    assert [batch.decide(ann, gate.CAMPAIGN).code for _ in range(2)] == [None, gate.DUPLICATE]
    # a blocked recipient does not take the number: the next holder may still get it
    batch = gate.Batch(now=datetime(2026, 7, 1, 18, 0), dedupe=True)
    refused = gate.Recipient("+14155550142", candidate=True, consent=False)
    assert [batch.decide(r, gate.CAMPAIGN).code for r in (refused, ann)] == [gate.NO_CONSENT, None]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        gate.Batch(now=datetime(2026, 7, 1)).decide(gate.Recipient("+14155550142"), "exempt")


def test_any_hour_window():
    assert gate.window_of(0, 24) is None
    assert gate.window_of(8, 21) == gate.Window(time(8), time(21))


def test_a_number_that_cannot_receive_texts_gets_none_but_a_keyword_answer():
    batch = gate.Batch(now=datetime(2026, 7, 1, 18, 0))
    landline = gate.Recipient("+14155550142", candidate=True, consent=True, cannot_receive=True)
    for kind in (gate.CAMPAIGN, gate.AUTOMATED, gate.MANUAL):
        assert batch.decide(landline, kind).code == gate.CANNOT_RECEIVE
    assert batch.decide(landline, gate.CONFIRMATION).code is None
    # an opt-out says more than the carrier's answer: it is the reason shown
    assert batch.decide(gate.Recipient("+14155550142", opted_out=True, cannot_receive=True), gate.CAMPAIGN).code == \
        gate.OPTED_OUT
