"""When an automatic reply rule answers: its phrases, and the limits on how often."""

from datetime import datetime, timedelta

from recruit_sms_tools.auto_reply import MAX_IN_A_ROW, matches, may_answer, phrases


def test_phrases_are_split_on_commas_and_lines_and_folded():
    assert phrases(" Address, Where is\nPARKING ,, ") == ["address", "where is", "parking"]
    assert phrases("Adresse, où") == ["adresse", "ou"]
    assert phrases("") == phrases(None) == []


def test_any_phrase_matches_as_whole_words_whatever_the_case_and_accents():
    rule = phrases("address, where is, parking")
    assert matches(rule, "Hi! WHERE IS the office?")
    assert matches(rule, "what's the address.")
    assert not matches(rule, "Is there anywhere to park?"), "'where is' is not in 'anywhere to'"
    assert not matches(rule, "I sent my addresses already"), "whole words only"
    assert matches(phrases("ou est"), "Où est le bureau ?")
    assert not matches([], "anything")


def test_all_phrases_must_be_there_when_asked():
    rule = phrases("interview, reschedule")
    assert matches(rule, "Can I reschedule my interview?", require_all=True)
    assert not matches(rule, "Can I reschedule?", require_all=True)
    assert matches(rule, "Can I reschedule?")


def test_a_rule_answers_once_per_cooldown():
    now = datetime(2026, 7, 1, 12, 0)
    assert may_answer(now, None, 24, 0)
    assert not may_answer(now, now - timedelta(hours=23, minutes=59), 24, 0)
    assert may_answer(now, now - timedelta(hours=24), 24, 0)
    assert may_answer(now, now, 0, 0), "no cool-down: every time"


def test_no_more_than_a_few_automatic_replies_in_a_row():
    now = datetime(2026, 7, 1, 12, 0)
    assert MAX_IN_A_ROW == 3
    assert may_answer(now, None, 0, MAX_IN_A_ROW - 1)
    assert not may_answer(now, None, 0, MAX_IN_A_ROW)
