"""The repair of costly characters: every look-alike, idempotence, texts that stay Unicode."""

import pytest
from recruit_sms_tools.gsm_repair import preview, repair
from recruit_sms_tools.segments import GSM7_BASIC, GSM7_EXTENSION, count_segments, is_gsm7

# what a recruiter's word processor or phone types, and the plain character a text needs:
# written here from the Unicode names, not read from the module
EXPECTED = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "\u0060": "'",
    "\u02bc": "'", "\u02b9": "'", "\u2039": "<", "\u203a": ">",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u02ba": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    "\u2026": "...", "\u2022": "*", "\u00b7": ".", "\u2024": ".",
    "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ",
    "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ",
    "\u3000": " ", "\t": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u02c6": "^", "\u02dc": "~", "\u00d7": "x", "\u00f7": "/", "\u00a6": "|", "\u2215": "/", "\u2044": "/",
    "\u00a9": "(c)", "\u00ae": "(R)", "\u2122": "TM", "\u2028": "\n", "\u2029": "\n",
}


@pytest.mark.parametrize(("char", "plain"), sorted(EXPECTED.items()))
def test_every_look_alike_is_replaced_by_gsm7(char, plain):
    assert char not in GSM7_BASIC and char not in GSM7_EXTENSION, "only costly characters are mapped"
    text = f"Hi Ann{char}see you at 9"
    repaired, replaced = repair(text)
    assert is_gsm7(repaired)
    assert replaced == (char,)
    assert repaired == f"Hi Ann{plain}see you at 9"


def test_a_curly_quote_costs_segments_and_the_repair_gives_them_back():
    text = "We\u2019d love to meet you \u2014 are you free on Monday at 10:00? Reply YES and we\u2019ll send the address. " * 2
    assert count_segments(text).segments == 3  # UCS-2
    result = preview(text)
    assert result["segments"] == 3
    assert result["unicode_chars"] == ["\u2019", "\u2014"]
    assert result["repair"]["segments"] == 2  # GSM-7
    assert result["repair"]["replaced"] == ["\u2019", "\u2014"]
    assert "We'd love to meet you - are you free" in result["repair"]["text"]


def test_repair_is_idempotent():
    once, _ = repair("\u201cGreat\u201d\u2026 see you\u00a0soon \u2013 Rita")
    assert once == '"Great"... see you soon - Rita'
    assert repair(once) == (once, ())


@pytest.mark.parametrize("text", [
    "See you tomorrow \U0001F44B \u2014 Rita",  # an emoji
    "\u041f\u0440\u0438\u0432\u0435\u0442 \u2014 \u0434\u043e \u0437\u0430\u0432\u0442\u0440\u0430",  # Cyrillic
    "\u4f60\u597d\u201c\u9762\u8bd5\u201d",  # Chinese
    "Entrevista ma\u00f1ana a las 10 \u2014 \u00bfpodr\u00e1s?",  # á is not GSM-7
])
def test_texts_that_must_stay_unicode_are_untouched(text):
    assert repair(text) == (text, ())
    assert preview(text)["repair"] is False


def test_gsm7_texts_need_no_repair():
    assert repair("Hello {name}, \u20ac10 bonus!") == ("Hello {name}, \u20ac10 bonus!", ())
    assert preview("")["segments"] == 0
