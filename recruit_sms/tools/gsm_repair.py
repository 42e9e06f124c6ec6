"""Repair a text so that it goes in GSM-7: typographic look-alikes (curly quotes, dashes,
ellipsis, non-breaking and other special spaces, invisible characters) replaced by the
GSM-7 characters they stand for.

One curly quote turns a 1-segment text into a 2- or 3-segment Unicode (UCS-2) one. The
repair changes nothing else: a text that would still need Unicode afterwards (an emoji, a
non-Latin script, a letter GSM-7 lacks) is left as it is, since repairing it would save
nothing.
"""

from .segments import count_segments, is_gsm7

# character -> what replaces it ("" removes it)
LOOK_ALIKES = {
    # quotes and apostrophes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "\u0060": "'",
    "\u02bc": "'", "\u02b9": "'", "\u2039": "<", "\u203a": ">",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u02ba": '"',
    # dashes, hyphens, minus
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    # dots
    "\u2026": "...", "\u2022": "*", "\u00b7": ".", "\u2024": ".",
    # spaces
    "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ",
    "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ",
    "\u3000": " ", "\t": " ",
    # invisible characters
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    # symbols with a GSM-7 spelling
    "\u02c6": "^", "\u02dc": "~", "\u00d7": "x", "\u00f7": "/", "\u00a6": "|", "\u2215": "/", "\u2044": "/",
    "\u00a9": "(c)", "\u00ae": "(R)", "\u2122": "TM", "\u2028": "\n", "\u2029": "\n",
}
_TABLE = str.maketrans(LOOK_ALIKES)


def repair(text):
    """(repaired text, the characters replaced, in order of appearance): ``text`` itself
    and () when it is GSM-7 already or would still need Unicode after the repair."""
    text = text or ""
    if is_gsm7(text):
        return text, ()
    repaired = text.translate(_TABLE)
    if not is_gsm7(repaired):
        return text, ()
    return repaired, tuple(dict.fromkeys(char for char in text if char in LOOK_ALIKES))


def preview(text, suffix=""):
    """What the composers show: segments of ``text`` now (with ``suffix``, a notice the
    text is sent with and that is not repaired), and after a repair when one saves some."""
    repaired, replaced = repair(text)
    before = count_segments((text or "") + suffix)
    after = count_segments(repaired + suffix)
    saves = replaced and after.segments < before.segments
    return {
        "segments": before.segments,
        "encoding": before.encoding,
        "unicode_chars": list(before.unicode_chars),
        "repair": {"text": repaired, "replaced": list(replaced), "segments": after.segments} if saves else False,
    }
