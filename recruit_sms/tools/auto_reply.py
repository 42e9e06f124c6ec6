"""When an automatic reply rule answers an inbound message.

A rule's phrases match case-insensitively, without accents, as whole words ("job" matches
"Any job left?" but not "jobs"); "any" needs one of them, "all" every one. The limits keep
an automaton from talking to another one: a rule answers a number at most once in its
cool-down, and no number gets more than ``MAX_IN_A_ROW`` automatic replies without a
person writing to it in between.
"""

import re
from datetime import timedelta

from .intent import plain

MAX_IN_A_ROW = 3
# HELP is answered even without a person writing in between (carriers require it), but
# at most this many times an hour to one number
HELP_PER_HOUR = 3


def phrases(text):
    """The phrases of a rule, written separated by commas or on separate lines."""
    return [phrase for phrase in (plain(part) for part in re.split(r"[,\n]", text or "")) if phrase]


def matches(rule_phrases, body, require_all=False):
    """Whether ``body`` contains any (or, with ``require_all``, every) of ``rule_phrases``."""
    if not rule_phrases:
        return False
    text = plain(body)
    found = [re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None for phrase in rule_phrases]
    return all(found) if require_all else any(found)


def may_answer(now, last_by_rule, cooldown_hours, in_a_row):
    """Whether a rule may answer now: its last answer to this number (``last_by_rule``,
    None if never) is older than its cool-down, and fewer than MAX_IN_A_ROW automatic
    replies went to the number since a person last wrote to it."""
    if in_a_row >= MAX_IN_A_ROW:
        return False
    return last_by_rule is None or now - last_by_rule >= timedelta(hours=cooldown_hours)
