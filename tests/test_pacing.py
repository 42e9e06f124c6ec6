import itertools

import pytest
from recruit_sms_tools.pacing import Every, Pacer, backoff


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0
        self.now += seconds


@pytest.mark.parametrize("rate", [1, 3, 10, 0.5])
def test_never_more_than_rate_per_second_and_no_idle(rate):
    clock = FakeClock()
    pacer = Pacer(rate, clock=clock, sleep=clock.sleep)
    moments = [pacer.wait() for _ in range(50)]
    gaps = [b - a for a, b in itertools.pairwise(moments)]
    assert all(gap >= 1 / rate - 1e-9 for gap in gaps)
    assert all(gap <= 1.02 / rate + 1e-9 for gap in gaps), "as close to the rate as possible (2 % margin)"
    for start in moments:
        assert sum(1 for m in moments if start <= m < start + 1 - 1e-9) <= max(1, rate)


def test_slow_work_between_sends_is_not_slept_again():
    clock = FakeClock()
    pacer = Pacer(2, clock=clock, sleep=clock.sleep, margin=0)
    first = pacer.wait()
    clock.now += 5  # the send itself took 5 s
    assert pacer.wait() == first + 5


def test_margin_keeps_under_the_rate():
    clock = FakeClock()
    pacer = Pacer(10, clock=clock, sleep=clock.sleep)
    moments = [pacer.wait() for _ in range(101)]
    assert 9.7 < 100 / (moments[-1] - moments[0]) < 10


def test_a_new_pacer_resumes_the_pace_of_the_previous_one():
    clock = FakeClock()
    first = Pacer(2, clock=clock, sleep=clock.sleep, margin=0)
    moments = [first.wait() for _ in range(3)]
    assert first.last_at == moments[-1]
    second = Pacer(2, clock=clock, sleep=clock.sleep, margin=0)  # the next run of the engine
    second.resume_after(first.last_at)
    assert second.wait() == moments[-1] + 0.5, "one interval after the previous run's last message"
    fresh = Pacer(2, clock=clock, sleep=clock.sleep, margin=0)
    fresh.resume_after(None)
    assert fresh.wait() == clock.now, "nothing sent before: no wait"


def test_resuming_never_waits_more_than_one_interval():
    clock = FakeClock()
    pacer = Pacer(1, clock=clock, sleep=clock.sleep, margin=0)
    pacer.resume_after(clock.now + 3600)  # recorded before the clock was set back an hour
    assert pacer.wait() == 101.0


def test_rate_must_be_positive():
    with pytest.raises(ValueError, match="rate must be positive"):
        Pacer(0)


def test_backoff_grows_and_caps():
    assert [backoff(n) for n in (1, 2, 3)] == [2, 4, 8]
    assert backoff(20) == 300


def test_interleave_paces_each_sender_at_its_own_rate():
    from recruit_sms_tools.pacing import interleave

    clock = FakeClock()
    rates = {"+15550001": 1.0, "MGservice": 10.0}
    items = [("+15550001", i) for i in range(5)] + [("MGservice", i) for i in range(40)]
    pacers = {}
    handed = []
    for item in interleave(items, lambda item: item[0], pacers,
                           lambda sender: Pacer(rates[sender], clock=clock, sleep=clock.sleep)):
        handed.append((item, clock.now))
    assert [item for item, _ in handed if item[0] == "MGservice"] == [("MGservice", i) for i in range(40)], "order kept"
    for sender, rate in rates.items():
        moments = [moment for item, moment in handed if item[0] == sender]
        for start in moments:
            assert sum(1 for m in moments if start <= m < start + 1 - 1e-9) <= rate
    # the fast sender does not wait for the slow one: 40 messages at 10/s take about 4 s
    fast_done = max(moment for item, moment in handed if item[0] == "MGservice")
    assert fast_done - 100.0 < 4.2
    slow = [moment for item, moment in handed if item[0] == "+15550001"]
    assert slow[-1] - slow[0] >= 4.0
    # the pacers outlive the batch: the next batch of the slow sender keeps its pace
    later = list(interleave([("+15550001", 9)], lambda item: item[0], pacers, None))
    assert later == [("+15550001", 9)] and clock.now >= slow[-1] + 1.0


def test_interleave_of_nothing_waits_for_nothing():
    from recruit_sms_tools.pacing import interleave

    assert list(interleave([], lambda item: item, {}, None)) == []


def test_work_between_items_is_done_before_the_wait_so_each_goes_at_its_moment():
    """Work done after an item's moment (recording answers, asking the gate again) delays
    that item but not the next one's moment: two would go closer than the pace allows."""
    from recruit_sms_tools.pacing import interleave

    clock = FakeClock()
    sent = []

    def slow_work():  # 0.3 s of work between two items, now and then
        if len(sent) % 2 == 0:
            clock.now += 0.3

    for _item in interleave(list(range(6)), lambda item: "+15550001", {},
                           lambda sender: Pacer(1.0, clock=clock, sleep=clock.sleep), before_wait=slow_work):
        sent.append(clock.now)  # handed at once after the wait, as the engine does
    for start in sent:
        assert sum(1 for moment in sent if start <= moment < start + 1 - 1e-9) <= 1, sent


def test_every_is_due_once_per_interval_of_its_clock():
    now = [100.0]
    every = Every(0.25, lambda: now[0])
    assert every.due(), "the first time"
    assert not every.due()
    now[0] += 0.2
    assert not every.due()
    now[0] += 0.05
    assert every.due()
    assert not every.due()
