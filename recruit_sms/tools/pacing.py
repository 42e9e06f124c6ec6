"""Pacing: hand messages to the provider no faster than ``rate`` per second, and as close
to it as possible (a token bucket of one).

A small ``margin`` (2 % by default) keeps the provider's view of the rate under the limit
when network latency varies between two sends."""

import time
from collections import deque


class Pacer:
    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep, margin=0.02):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = (1.0 + margin) / rate
        self.clock = clock
        self.sleep = sleep
        self.next_at = None
        self.last_at = None  # when the last message went

    def resume_after(self, last_at):
        """Continue the pace of an earlier pacer of the same sender, whose last message
        went at ``last_at`` (on this pacer's clock; None: none went). A moment ahead of
        the clock (a clock set back since) counts as now: the wait never exceeds one
        interval."""
        if last_at is not None:
            self.next_at = min(last_at, self.clock()) + self.interval

    def wait(self):
        """Block until the next message may go; returns the moment it goes."""
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.clock()
        self.next_at = max(now, self.next_at or now) + self.interval
        self.last_at = now
        return now


def interleave(items, sender_of, pacers, make_pacer, before_wait=None):
    """Yield ``items`` one at a time, each at the moment its sender may send again.

    ``sender_of(item)`` names the sender (a Twilio number, a Messaging Service);
    ``pacers`` maps senders to their Pacer (kept by the caller, so the rate holds from
    one batch to the next) and ``make_pacer(sender)`` makes a missing one. Items of one
    sender keep their order; a sender never waits for another one's pace.
    ``before_wait()``, when given, runs before each wait: whatever work the caller has
    between two items goes there, so that an item is sent at its moment, not after it.
    """
    queues = {}
    for item in items:
        queues.setdefault(sender_of(item), deque()).append(item)
    for sender in queues:
        if sender not in pacers:
            pacers[sender] = make_pacer(sender)
    while queues:
        if before_wait is not None:
            before_wait()
        sender = min(queues, key=lambda s: pacers[s].next_at or float("-inf"))
        pacers[sender].wait()
        queue = queues[sender]
        yield queue.popleft()
        if not queue:
            del queues[sender]


class Every:
    """True once every ``seconds`` of ``clock`` (and the first time it is asked): a check
    that runs between hand-offs without running at each one."""

    def __init__(self, seconds, clock):
        self.seconds, self.clock, self.last = seconds, clock, None

    def due(self):
        now = self.clock()
        if self.last is not None and now - self.last < self.seconds:
            return False
        self.last = now
        return True


def backoff(attempt, base=2.0, cap=300.0):
    """Seconds to wait before retry number ``attempt`` (1, 2, ...) of a transient error."""
    return min(cap, base ** attempt)
