import pytest
from recruit_sms_tools import phone


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("+1 415 555 2671", None, "+14155552671"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("415.555.2671", "us", "+14155552671"),
        ("0032 470 12 34 56", None, "+32470123456"),
        ("0470 12 34 56", "BE", "+32470123456"),
        ("+44 7911 123456", "US", "+447911123456"),  # international wins over the default
        ("07911 123456", "GB", "+447911123456"),
        ("  +33 6 12 34 56 78 ", "BE", "+33612345678"),
    ],
)
def test_valid_numbers_are_normalized_to_e164(raw, country, expected):
    assert phone.to_e164(raw, country) == expected
    assert phone.try_e164(raw, country) == expected


@pytest.mark.parametrize(
    ("raw", "country", "reason"),
    [
        ("", "US", phone.EMPTY),
        (None, "US", phone.EMPTY),
        ("   ", "US", phone.EMPTY),
        ("415 555 2671", None, phone.NO_COUNTRY),
        ("not a number", "US", phone.UNPARSABLE),
        ("+1 415 555", None, phone.INVALID),
        ("123", "BE", phone.INVALID),
        ("+999 1234 5678", None, phone.UNPARSABLE),
    ],
)
def test_numbers_that_cannot_be_texted_say_why(raw, country, reason):
    with pytest.raises(phone.PhoneError) as caught:
        phone.to_e164(raw, country)
    assert caught.value.reason == reason
    assert phone.REASONS[reason] in str(caught.value)
    assert phone.try_e164(raw, country) is None
