"""Keeping a sender alive: what carriers answer, when to brake, and what words they filter.

US carriers filter texts that look like spam (Twilio error 30007), refuse traffic from
unregistered 10DLC numbers (30034), cap each brand per day (30027) and lower a brand's
trust when opt-outs and dead numbers climb. A sender that keeps sending into that burns
its number for every later campaign, so the engine watches the outcomes as they settle:

* ``Figures``: the outcomes of a sender's (or a campaign's) last settled texts;
* ``brake``: whether they call for a pause, and why (a reason code);
* ``health``: the badge a sender shows;
* ``preflight``: the words of a campaign carriers are known to filter, each with its fix.

The thresholds are each company's (Settings); the defaults, and why:

* 5 filtered texts among the last 100 settled (5 %): carriers filter a few messages of
  any sender, but a share this high means the content or the list is being flagged, and
  every further text lowers the brand's score. Counted in the window of the last 100, a
  campaign that is being filtered heavily stops after a handful of texts, not after 100.
* 3 texts refused as unregistered (30034): the number's 10DLC registration is missing or
  was suspended; every further text fails the same way. Three, not one, so that a
  carrier's passing error does not stop a campaign.
* 3 opt-outs among the last 100 delivered texts (3 %): the rate at which carriers and
  The Campaign Registry start to look at a brand (industry figures put healthy
  recruiting traffic well under 1 %).
"""

import math
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

# Twilio's error codes, by what they say about the number or the sender
FILTERED = 30007  # the carrier filtered it as spam
UNREGISTERED = 30034  # the sender is not registered for A2P 10DLC
UNREACHABLE = 30003  # the handset is off or out of reach
UNKNOWN_NUMBER = 30005  # the number does not exist
LANDLINE = 30006  # a landline, or a carrier that takes no texts
OPTED_OUT_AT_SEND = 21610  # the number replied STOP to this sender earlier
NOT_MOBILE = 21614  # Twilio's refusal of a number that is not a mobile one (a landline)
DAILY_LIMITS = frozenset({30023, 30027})  # the sender's or the brand's messages of the day are used up
# a number that came back as one of these cannot receive texts until someone corrects it
CANNOT_RECEIVE = frozenset({LANDLINE, UNKNOWN_NUMBER, NOT_MOBILE})

# brake reasons
BRAKE_FILTERED = "filtered"
BRAKE_UNREGISTERED = "unregistered"
BRAKE_OPT_OUTS = "opt_outs"

# health badges
GOOD, WATCH, BRAKED = "good", "watch", "braked"


@dataclass(frozen=True)
class Thresholds:
    sample: int = 100  # the window: the last this many settled (or delivered) texts
    filtered_pct: float = 5.0
    unregistered: int = 3
    opt_out_pct: float = 3.0

    def filtered_limit(self):
        return max(1, math.ceil(self.sample * self.filtered_pct / 100))

    def opt_out_limit(self):
        return max(1, math.ceil(self.sample * self.opt_out_pct / 100))


@dataclass(frozen=True)
class Figures:
    """The outcomes of the last ``sample`` settled texts of a sender or a campaign
    (settled: delivered, or failed with a code), and the opt-outs and replies after them."""

    settled: int = 0
    delivered: int = 0
    filtered: int = 0
    unregistered: int = 0
    unreachable: int = 0  # 30003 and 30005
    landline: int = 0
    opted_out_at_send: int = 0
    opt_outs: int = 0  # STOPs (or opt-outs by intent) that came after one of these texts
    replies: int = 0

    @classmethod
    def of(cls, outcomes, opt_outs=0, replies=0):
        """Figures from ``outcomes``: each settled text's error code (None: delivered)."""
        codes = list(outcomes)
        return cls(
            settled=len(codes),
            delivered=sum(1 for code in codes if code is None),
            filtered=codes.count(FILTERED),
            unregistered=codes.count(UNREGISTERED),
            unreachable=codes.count(UNREACHABLE) + codes.count(UNKNOWN_NUMBER),
            landline=codes.count(LANDLINE),
            opted_out_at_send=codes.count(OPTED_OUT_AT_SEND),
            opt_outs=opt_outs,
            replies=replies,
        )

    def share(self, count, of=None):
        total = self.settled if of is None else of
        return 100.0 * count / total if total else 0.0


def brake(figures, thresholds=Thresholds()):
    """Why these figures call for a pause (a reason code), or None."""
    if figures.unregistered >= thresholds.unregistered:
        return BRAKE_UNREGISTERED
    if figures.filtered >= thresholds.filtered_limit():
        return BRAKE_FILTERED
    if figures.opt_outs >= thresholds.opt_out_limit():
        return BRAKE_OPT_OUTS
    return None


def health(figures, thresholds=Thresholds(), braked=False):
    """The sender's badge: braked (paused by the brake, or it would brake now), to watch
    (half way to a threshold), or good."""
    if braked or brake(figures, thresholds):
        return BRAKED
    if (figures.unregistered or 2 * figures.filtered >= thresholds.filtered_limit()
            or 2 * figures.opt_outs >= thresholds.opt_out_limit()):
        return WATCH
    return GOOD


def trend(shares, width=7):
    """A small line of bars for the last ``width`` days' problem shares (percentages, the
    oldest first; None: no text that day): how a sender's health moves."""
    bars = "▁▂▃▄▅▆▇█"
    shown = list(shares)[-width:]
    return "".join("·" if share is None else bars[min(len(bars) - 1, int(share / 100 * len(bars)))]
                   for share in shown)


def next_day(moment):
    """The start (00:00 UTC) of the day after ``moment`` (naive UTC): when a daily cap
    counts again."""
    return datetime.combine(moment.date() + timedelta(days=1), time.min)


# ---------------------------------------------------------------------------
# Pre-flight: the words carriers filter
# ---------------------------------------------------------------------------

# public link shorteners, shared by spammers, which carriers filter on sight
SHORTENERS = (
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly",
    "shorturl.at", "rb.gy", "t.ly", "tiny.cc", "bl.ink", "short.io", "s.id", "v.gd", "qrco.de", "lnkd.in",
)
_URL_HOST = re.compile(r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?=[/\s?#]|$)", re.IGNORECASE)
_MONEY = re.compile(
    r"(?:\bearn\s+(?:up\s+to\s+)?[$€£]?\d[\d,.]*|[$€£]\s?\d[\d,.]*|\b\d+\s?(?:dollars|usd|euros?)\b|\bfree\b|\bcash\b|\bbonus\b|\bprize\b|\bwin(?:ner)?\b|"
    r"\bguaranteed\b|\bgratuit\w*|\bgratis\b|\bdinero\b|\bargent\b)",
    re.IGNORECASE)
# merge fields are replaced per recipient: not the sender's words
_MERGE = re.compile(r"\{\{.*?\}\}|\{[^{}]*\}")

SHORTENER, NO_COMPANY, CAPITALS, EXCLAMATIONS, MONEY = "shortener", "no_company", "capitals", "exclamations", "money"


def preflight(body, company_names=()):
    """The filtering risks in a campaign's ``body``, as (code, the words at fault) pairs,
    in the order a recruiter would fix them; empty when none. ``company_names``: the
    names that identify the sender (the company's, its short forms)."""
    text = _MERGE.sub(" ", body or "")
    found = []
    hosts = [match.group(1).lower() for match in _URL_HOST.finditer(text)]
    shorteners = sorted({host for host in hosts if host in SHORTENERS or any(host.endswith("." + s) for s in SHORTENERS)})
    if shorteners:
        found.append((SHORTENER, ", ".join(shorteners)))
    names = [name.strip().lower() for name in company_names if name and name.strip()]
    if names and text.strip() and not any(name in text.lower() for name in names):
        found.append((NO_COMPANY, ""))
    letters = [c for c in re.sub(r"https?://\S+", " ", text) if c.isalpha()]
    if len(letters) >= 12 and sum(1 for c in letters if c.isupper()) / len(letters) > 0.6:
        found.append((CAPITALS, ""))
    exclamations = re.findall(r"!{2,}", text)
    if exclamations or text.count("!") >= 3:
        found.append((EXCLAMATIONS, "!" * max(text.count("!"), 2)))
    money = list(dict.fromkeys(match.group(0).strip(" ,.") for match in _MONEY.finditer(text)))  # in the text's order
    if money:
        found.append((MONEY, ", ".join(money)))
    return found
