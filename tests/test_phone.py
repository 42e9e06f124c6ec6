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


SIGNATURE = """
Best regards,
Jane Doe | Senior Recruiter
Mobile: +1 (415) 555-2671 · Office: 020 7946 0958
Brussels desk: +32 470 12 34 56, or 0470 12 34 57 (national)
"""


def test_numbers_are_found_in_pasted_text_in_many_formats():
    assert phone.find_numbers(SIGNATURE, "GB") == [
        ("+1 (415) 555-2671", "+14155552671"),
        ("020 7946 0958", "+442079460958"),
        ("+32 470 12 34 56", "+32470123456"),
    ], "a Belgian national number is not read in the default country (GB)"
    assert [e164 for _raw, e164 in phone.find_numbers(SIGNATURE, "BE")][-1] == "+32470123457"


def test_each_number_once_and_in_order():
    text = "Call 415-555-2671 or (415) 555 2671; text +1 415 555 2672."
    assert [e164 for _raw, e164 in phone.find_numbers(text, "US")] == ["+14155552671", "+14155552672"]


def test_dates_ids_prices_and_postcodes_are_not_numbers():
    text = ("Applied 2026-11-23, available 23/11/2026. Ref. #4815162342, order 000123456789. "
            "Salary $55,000.00 to 65.000,00 EUR. Postcode 1000 Brussels, zip 94103. ISBN 978-3-16-148410-0.")
    assert phone.find_numbers(text, "US") == []
    assert phone.find_numbers(text, "BE") == []


def test_nothing_to_find():
    assert phone.find_numbers("", "US") == []
    assert phone.find_numbers(None, None) == []
    assert phone.find_numbers("4155552671 without a country", None) == [], "a national number needs a country"


def test_region_of_e164_numbers():
    from recruit_sms_tools.phone import region_of
    assert region_of("+14155550142") == "US"
    assert region_of("+32470123456") == "BE"
    assert region_of("+442071838750") == "GB"
    assert region_of("not a number") is None


def test_cost_per_country_with_a_default_and_unpriced_countries():
    from recruit_sms_tools.phone import cost
    numbers = ["+14155550142", "+14155550143", "+32470123456", "+442071838750"]
    # 2 SMS each: 2 US numbers at 0.0079, one BE at 0.08, GB has no price
    assert cost(numbers, 2, {"US": 0.0079, "BE": 0.08}) == (2 * 2 * 0.0079 + 2 * 0.08, ["GB"])
    assert cost(numbers, 1, {"US": 0.01, None: 0.05}) == (2 * 0.01 + 2 * 0.05, [])
    assert cost([], 3, {}) == (0.0, [])


@pytest.mark.parametrize("raw", ["+1415555" + "0" * 10_000, "+1415555\x000142", b"+14155550142", 14155550142])
def test_input_that_cannot_be_a_number_is_refused_before_it_is_parsed_or_remembered(raw):
    before = phone._cached_e164.cache_info().currsize
    assert phone.try_e164(raw, "US") is None
    assert phone.region_of(raw) is None
    assert phone._cached_e164.cache_info().currsize == before
    with pytest.raises(phone.PhoneError):
        phone.to_e164(raw, "US")


def test_a_number_with_an_extension_is_still_read():
    assert phone.try_e164("+1 (415) 555-2671 ext. 1234", None) == "+14155552671"


def test_a_number_as_people_write_it():
    assert phone.international("+12025550199") == "+1 202-555-0199"
    assert phone.international("+33612345678") == "+33 6 12 34 56 78"
    assert phone.international("not a number") == "not a number"
