"""SMS length and segment counting (GSM 03.38 / 3GPP TS 23.038).

A message that only uses the GSM-7 default alphabet (plus its extension table) is sent in
7-bit encoding: 160 septets in a single message, 153 per part once it has to be split (the
user data header takes the rest). Extension characters (``{ } [ ] ~ \\ | ^ €`` and the form
feed) take two septets, an escape and the character, and a part never ends between the two.

Anything else forces UCS-2 (UTF-16): 70 code units in a single message, 67 per part.
Characters outside the Basic Multilingual Plane (most emoji) take two code units, a
surrogate pair, which carriers never split across parts.
"""

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "gsm7"
UCS2 = "ucs2"

LIMITS = {
    # encoding: (single message, per part of a multipart message)
    GSM7: (160, 153),
    UCS2: (70, 67),
}


@dataclass(frozen=True)
class SegmentCount:
    encoding: str
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    per_segment: int  # the limit that applies to this message (single or multipart)
    remaining: int  # units left in the last segment before another one is needed
    unicode_chars: tuple  # the characters that forced UCS-2, in order of appearance

    def as_dict(self):
        return {
            "encoding": self.encoding,
            "units": self.units,
            "segments": self.segments,
            "per_segment": self.per_segment,
            "remaining": self.remaining,
            "unicode_chars": list(self.unicode_chars),
        }


def is_gsm7(text):
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _unit_sizes(text, encoding):
    """Size of each character in units of the encoding, in order."""
    if encoding == GSM7:
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _pack(sizes, capacity):
    """Number of parts needed when no character may straddle two parts."""
    parts, used = 1, 0
    for size in sizes:
        if used + size > capacity:
            parts += 1
            used = 0
        used += size
    return parts, capacity - used


def count_segments(text):
    """Count the encoding, length and parts of ``text`` as a carrier would send it."""
    text = text or ""
    unicode_chars = tuple(dict.fromkeys(
        char for char in text if char not in GSM7_BASIC and char not in GSM7_EXTENSION
    ))
    encoding = UCS2 if unicode_chars else GSM7
    single, multi = LIMITS[encoding]
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units == 0:
        return SegmentCount(encoding, 0, 0, single, single, unicode_chars)
    if units <= single:
        return SegmentCount(encoding, units, 1, single, single - units, unicode_chars)
    parts, remaining = _pack(sizes, multi)
    return SegmentCount(encoding, units, parts, multi, remaining, unicode_chars)
