"""One way to write a moment: the reader's language and zone (CLDR through babel)."""

from datetime import UTC, datetime

from recruit_sms_tools import moments

# 15:00 UTC on Monday 7 December 2026: 9:00 in Chicago, 16:00 in Brussels
MOMENT = datetime(2026, 12, 7, 15, 0)


def test_a_candidate_reads_the_day_spelled_out_at_their_clock():
    assert moments.for_candidate(MOMENT, "America/Chicago", "en_US") == "Monday, December 7, 2026 at 9:00 AM"
    assert moments.for_candidate(MOMENT, "America/Chicago", "fr_FR") == "lundi 7 décembre 2026 à 09:00"
    assert moments.for_candidate(MOMENT, "America/Chicago", "es_ES") == "lunes, 7 de diciembre de 2026, 9:00"
    assert moments.for_candidate(MOMENT, "Europe/London", "en_GB") == "Monday, 7 December 2026 at 15:00"


def test_a_page_lists_times_under_their_day():
    assert moments.day(MOMENT, "America/Chicago", "en_US") == "Monday, December 7, 2026"
    assert moments.clock(MOMENT, "America/Chicago", "en_US") == "9:00 AM"
    assert moments.clock(MOMENT, "America/Chicago", "fr_FR") == "09:00"
    # late evening in Honolulu is still the day before
    assert moments.day(datetime(2026, 12, 8, 6, 30), "Pacific/Honolulu", "en_US") == "Monday, December 7, 2026"


def test_the_place_is_named_in_the_readers_language():
    assert moments.place("America/Chicago", "en_US") == "Chicago"
    assert moments.place("America/New_York", "es_ES") == "Nueva York"
    assert moments.place("America/Los_Angeles", "en_US") == "Los Angeles"


def test_a_recruiter_reads_a_short_form_in_their_zone():
    assert moments.for_user(MOMENT, "Europe/Brussels", "en_US") == "Dec 7, 2026, 4:00 PM"
    assert moments.for_user(MOMENT, "Europe/Brussels", "fr_FR") == "7 déc. 2026, 16:00"
    # an aware moment is the same moment
    assert moments.for_user(MOMENT.replace(tzinfo=UTC), "Europe/Brussels", "en_US") == "Dec 7, 2026, 4:00 PM"


def test_a_user_without_a_zone_reads_utc_and_is_told_so():
    assert moments.for_user(MOMENT, False, "en_US") == "Dec 7, 2026, 3:00 PM UTC"


def test_unknown_languages_and_zones_fall_back_instead_of_failing():
    assert moments.for_user(MOMENT, "Nowhere/Atlantis", "xx_YY") == "Dec 7, 2026, 3:00 PM UTC"
    assert moments.place("Nowhere/Atlantis", "en_US") == "UTC"


def test_a_day_for_a_recruiter():
    assert moments.day_for_user(MOMENT, "Europe/Brussels", "en_US") == "Dec 7, 2026"
    assert moments.day_for_user(datetime(2026, 12, 7, 23, 30), "Europe/Brussels", "fr_FR") == "8 déc. 2026"
