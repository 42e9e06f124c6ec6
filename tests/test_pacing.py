import itertools

import pytest
from recruit_sms_tools.pacing import Pacer, backoff


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


def test_rate_must_be_positive():
    with pytest.raises(ValueError, match="rate must be positive"):
        Pacer(0)


def test_backoff_grows_and_caps():
    assert [backoff(n) for n in (1, 2, 3)] == [2, 4, 8]
    assert backoff(20) == 300
