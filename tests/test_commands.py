from datetime import datetime

import pytest
from recruit_sms_tools.commands import ALL, Command, CommandError, is_command, local_to_utc, parse_command

NOW = datetime(2026, 11, 22, 10, 30)


def test_plain_messages_are_not_commands():
    assert parse_command("Hello ^there", NOW) is None
    assert parse_command("", NOW) is None
    assert not is_command("Hi")
    assert is_command("  ^claim")


@pytest.mark.parametrize("name", ["claim", "unassign", "close", "open", "read"])
def test_commands_without_argument(name):
    assert parse_command(f"^{name}", NOW) == Command(name)
    assert parse_command(f"  ^{name.upper()}  ", NOW) == Command(name)
    with pytest.raises(CommandError, match=f"\\^{name} takes no argument"):
        parse_command(f"^{name} now", NOW)


def test_assign():
    assert parse_command("^assign @rita", NOW) == Command("assign", {"user": "rita"})
    assert parse_command("^assign Rita Recruiter", NOW) == Command("assign", {"user": "Rita Recruiter"})
    with pytest.raises(CommandError, match=r"\^assign needs user: \^assign <user>"):
        parse_command("^assign", NOW)


def test_note_keeps_its_text():
    assert parse_command("^note Called, no answer. Try Friday.", NOW) == Command("note", {"text": "Called, no answer. Try Friday."})
    with pytest.raises(CommandError, match="needs text"):
        parse_command("^note   ", NOW)


@pytest.mark.parametrize("name", ["opt-out", "opt-in"])
def test_opt_commands_need_a_reason(name):
    assert parse_command(f"^{name} asked by phone", NOW) == Command(name, {"reason": "asked by phone"})
    with pytest.raises(CommandError, match="needs reason"):
        parse_command(f"^{name}", NOW)


@pytest.mark.parametrize(
    ("text", "when", "message"),
    [
        ("^at 2026-11-23 09:00 See you at the interview", datetime(2026, 11, 23, 9, 0), "See you at the interview"),
        ("^at 2026-11-23T09:00 Hi", datetime(2026, 11, 23, 9, 0), "Hi"),
        ("^at tomorrow 8:15 Reminder", datetime(2026, 11, 23, 8, 15), "Reminder"),
        ("^at 17:45 Later today\nsecond line", datetime(2026, 11, 22, 17, 45), "Later today\nsecond line"),
    ],
)
def test_at(text, when, message):
    assert parse_command(text, NOW) == Command("at", {"when": when, "message": message})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("^at", "needs a date and time"),
        ("^at soon Hello", "needs a date and time"),
        ("^at 25:00 Hello", "not a time of day"),
        ("^at 2026-13-01 10:00 Hello", "not a date"),
        ("^at 09:00 Too early", "already past"),
        ("^at 2026-11-23 09:00", "needs the message"),
        ("^at 9999-12-31 23:59 Far away", "more than five years ahead"),
        ("^at 2031-12-01 09:00 Over five years ahead", "more than five years ahead"),
    ],
)
def test_at_errors(text, words):
    with pytest.raises(CommandError, match=words):
        parse_command(text, NOW)


def test_unknown_command_lists_the_known_ones():
    with pytest.raises(CommandError, match=r"Unknown command \^shout: use one of") as caught:
        parse_command("^shout HELLO", NOW)
    for name in ALL:
        assert f"^{name}" in str(caught.value)


def test_local_time_to_utc_across_zones_and_dst():
    assert local_to_utc(datetime(2026, 7, 1, 9, 0), "America/New_York") == datetime(2026, 7, 1, 13, 0)
    assert local_to_utc(datetime(2026, 12, 1, 9, 0), "America/New_York") == datetime(2026, 12, 1, 14, 0)
    assert local_to_utc(datetime(2026, 7, 1, 9, 0), "Asia/Kolkata") == datetime(2026, 7, 1, 3, 30)
    assert local_to_utc(datetime(2026, 7, 1, 9, 0), None) == datetime(2026, 7, 1, 9, 0)
    assert local_to_utc(datetime(2026, 7, 1, 9, 0), "Not/AZone") == datetime(2026, 7, 1, 9, 0)
