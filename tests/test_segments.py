import pytest
from recruit_sms_tools.segments import GSM7, GSM7_BASIC, GSM7_EXTENSION, UCS2, count_segments, is_gsm7


def test_empty_message_has_no_segment():
    count = count_segments("")
    assert (count.encoding, count.units, count.segments, count.remaining) == (GSM7, 0, 0, 160)
    assert count_segments(None).segments == 0


@pytest.mark.parametrize(
    ("length", "segments", "remaining"),
    [(1, 1, 159), (160, 1, 0), (161, 2, 145), (306, 2, 0), (307, 3, 152), (459, 3, 0), (460, 4, 152)],
)
def test_gsm7_boundaries(length, segments, remaining):
    count = count_segments("a" * length)
    assert count.encoding == GSM7
    assert count.units == length
    assert count.segments == segments
    assert count.remaining == remaining
    assert count.per_segment == (160 if segments == 1 else 153)


@pytest.mark.parametrize(
    ("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)]
)
def test_ucs2_boundaries(length, segments):
    count = count_segments("ж" * length)
    assert count.encoding == UCS2
    assert count.units == length
    assert count.segments == segments
    assert count.unicode_chars == ("ж",)


@pytest.mark.parametrize("char", sorted(GSM7_EXTENSION))
def test_extension_characters_count_double(char):
    count = count_segments(char * 80)
    assert count.encoding == GSM7
    assert count.units == 160
    assert count.segments == 1
    assert count_segments(char * 80 + "a").segments == 2


def test_every_basic_character_is_one_septet():
    text = "".join(sorted(GSM7_BASIC))
    count = count_segments(text)
    assert count.encoding == GSM7
    assert count.units == len(GSM7_BASIC)


def test_extension_character_never_straddles_two_parts():
    # 152 septets then '€' (2 septets): it cannot use the last septet of part one.
    text = "a" * 152 + "€" + "a" * 10
    count = count_segments(text)
    assert count.units == 164
    assert count.segments == 2
    assert count.remaining == 153 - 12


def test_emoji_is_a_surrogate_pair_and_never_split():
    count = count_segments("😀")
    assert (count.encoding, count.units, count.segments) == (UCS2, 2, 1)
    text = "a" * 66 + "😀" + "a" * 4  # 72 units > 70; the pair does not fit after 66 units
    count = count_segments(text)
    assert count.units == 72
    assert count.segments == 2
    assert count.remaining == 67 - 6


def test_one_non_gsm_character_switches_the_whole_message():
    count = count_segments("a" * 100 + "’")  # typographic apostrophe
    assert count.encoding == UCS2
    assert count.segments == 2
    assert count.unicode_chars == ("’",)


def test_accents_outside_gsm_force_ucs2_but_gsm_accents_do_not():
    assert count_segments("é è ù ì ò à Ä Ö Ñ Ü ß").encoding == GSM7
    assert count_segments("á").encoding == UCS2
    assert is_gsm7("Hello {name}") is True
    assert is_gsm7("Ça va?") is True
    assert is_gsm7("ça va?") is False  # lower-case ç is not in GSM-7


def test_twilio_maximum_of_1600_characters():
    assert count_segments("a" * 1600).segments == 11
    assert count_segments("ж" * 1600).segments == 24
