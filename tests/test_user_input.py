import pytest
from recruit_sms_tools import user_input
from recruit_sms_tools.user_input import InputError


@pytest.mark.parametrize(("value", "expected"), [("Hello", "Hello"), ("", ""), (None, ""), (False, ""), ("é😀", "é😀")])
def test_text_that_may_be_used(value, expected):
    assert user_input.text(value, 10) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (42, "not_text"),
        (["a"], "not_text"),
        ({"a": 1}, "not_text"),
        (True, "not_text"),
        ("x" * 11, "too_long"),
        ("a\x00b", "nul"),
        ("\udcff", "not_unicode"),
    ],
)
def test_text_that_may_not(value, problem):
    with pytest.raises(InputError) as caught:
        user_input.text(value, 10)
    assert caught.value.problem == problem


@pytest.mark.parametrize("value", ["1", 1.0, True, 0, -1, 2**31, None, [1]])
def test_record_ids_are_positive_integers_of_postgresql(value):
    with pytest.raises(InputError):
        user_input.record_id(value)


def test_record_ids():
    assert user_input.record_id(7) == 7
    assert user_input.record_id(2**31 - 1) == 2**31 - 1
    assert user_input.record_id(None, optional=True) is False
    assert user_input.record_id(False, optional=True) is False


@pytest.mark.parametrize("value", [0, 101, "5", 5.0, True, None])
def test_whole_numbers_in_their_range(value):
    with pytest.raises(InputError):
        user_input.whole_number(value, 1, 100)
    assert user_input.whole_number(100, 1, 100) == 100
