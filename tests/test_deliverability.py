"""The brake on carrier filtering, a sender's health, and the words carriers filter."""

import random
from datetime import datetime

from recruit_sms_tools import deliverability as d

DEFAULTS = d.Thresholds()


def test_the_default_brake_is_5_filtered_in_the_last_100_settled():
    assert d.brake(d.Figures.of([None] * 95 + [30007] * 4)) is None
    assert d.brake(d.Figures.of([None] * 95 + [30007] * 5)) == d.BRAKE_FILTERED
    # heavy filtering stops early: five filtered among the first eight settled
    assert d.brake(d.Figures.of([30007, None, 30007, 30007, None, None, 30007, 30007])) == d.BRAKE_FILTERED


def test_a_burst_of_unregistered_stops_and_a_single_one_does_not():
    assert d.brake(d.Figures.of([None] * 50 + [30034])) is None
    assert d.brake(d.Figures.of([None] * 50 + [30034] * 2)) is None
    assert d.brake(d.Figures.of([30034] * 3)) == d.BRAKE_UNREGISTERED


def test_opt_outs_above_3_percent_stop():
    assert d.brake(d.Figures.of([None] * 100, opt_outs=2)) is None
    assert d.brake(d.Figures.of([None] * 100, opt_outs=3)) == d.BRAKE_OPT_OUTS


def test_other_failures_do_not_brake():
    # unreachable handsets and landlines are the list's, not the sender's reputation
    figures = d.Figures.of([30003] * 30 + [30006] * 30 + [30005] * 30 + [21610] * 10)
    assert (figures.unreachable, figures.landline, figures.opted_out_at_send) == (60, 30, 10)
    assert d.brake(figures) is None


def test_thresholds_are_the_companys():
    strict = d.Thresholds(sample=200, filtered_pct=1.0, unregistered=1, opt_out_pct=0.5)
    assert d.brake(d.Figures.of([None] * 150 + [30007]), strict) is None
    assert d.brake(d.Figures.of([None] * 150 + [30007] * 2), strict) == d.BRAKE_FILTERED
    assert d.brake(d.Figures.of([30034]), strict) == d.BRAKE_UNREGISTERED


def test_the_brake_against_a_plain_statement_of_the_rule():
    rng = random.Random(27)
    for _ in range(500):
        codes = [rng.choice([None, None, None, 30007, 30034, 30003, 30006]) for _ in range(rng.randint(0, 120))]
        opt_outs = rng.randint(0, 5)
        # the rule as the settings page states it, over the window
        expected = None
        if codes.count(30034) >= 3:
            expected = "unregistered"
        elif codes.count(30007) >= 5:
            expected = "filtered"
        elif opt_outs >= 3:
            expected = "opt_outs"
        assert d.brake(d.Figures.of(codes, opt_outs=opt_outs)) == expected


def test_health_badges():
    assert d.health(d.Figures.of([None] * 100)) == d.GOOD
    assert d.health(d.Figures.of([None] * 97 + [30007] * 3)) == d.WATCH
    assert d.health(d.Figures.of([None] * 90 + [30007] * 10)) == d.BRAKED
    assert d.health(d.Figures.of([None] * 100), braked=True) == d.BRAKED
    assert d.health(d.Figures.of([None] * 99 + [30034])) == d.WATCH


def test_trend_draws_one_bar_a_day():
    assert d.trend([0.0, None, 50.0, 100.0]) == "▁·▅█"
    assert len(d.trend([1.0] * 30)) == 7


def test_a_daily_cap_counts_again_the_next_day():
    assert d.next_day(datetime(2026, 12, 4, 23, 59)) == datetime(2026, 12, 5)
    assert d.next_day(datetime(2026, 12, 31, 0, 0)) == datetime(2027, 1, 1)


def codes(body, names=("Acme Staffing", "Acme")):
    return [code for code, _words in d.preflight(body, names)]


def test_preflight_finds_what_carriers_filter():
    assert codes("Acme: new forklift shifts, see https://bit.ly/3xYz") == [d.SHORTENER]
    assert d.preflight("Acme jobs at tinyurl.com/abc and www.bit.ly/x", ["Acme"])[0] == (d.SHORTENER, "bit.ly, tinyurl.com")
    assert codes("New forklift shifts this week, reply YES") == [d.NO_COMPANY]
    assert codes("ACME: NEW SHIFTS OPEN THIS WEEK, REPLY NOW") == [d.CAPITALS]
    assert codes("Acme: new shifts!!") == [d.EXCLAMATIONS]
    assert codes("Acme: great! new! shifts!") == [d.EXCLAMATIONS]
    assert d.preflight("Acme: earn $500 bonus, free lunch", ["Acme"]) == [(d.MONEY, "earn $500, bonus, free")]


def test_preflight_leaves_a_good_message_alone():
    assert d.preflight("Hi {{ object.partner_name }}, Acme here: the forklift role is open. Reply STOP to opt out.",
                       ["Acme"]) == []
    # the company's own link domain is fine; merge fields are not the sender's words
    assert codes("Acme: apply at https://jobs.acme.com/apply?id=7 {{ object.partner_name }}") == []
    assert codes("Acme: free parking on site") == [d.MONEY]
    assert codes("") == []
