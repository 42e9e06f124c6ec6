"""The compliance gate's rules: may a text go to a number now, must it wait for the
recipient's texting hours, or is it blocked, and why (a reason code).

The facts (is the number opted out, does it belong to a candidate, did they consent, in
which zones do they live) are gathered by the addon in one go for a whole batch; this
module only decides, so every path that sends (the composer, the chat window, scheduled
messages, campaigns, resends, Odoo's own SMS queue) applies the same rules.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from . import quiet_hours, texting_law, whatsapp

# reason codes: why a text may not go now
NO_NUMBER = "no_number"
INVALID_NUMBER = "invalid_number"
OPTED_OUT = "opted_out"
NO_CONSENT = "no_consent"
DUPLICATE = "duplicate"
WHATSAPP_WINDOW = "whatsapp_window"  # free text on WhatsApp more than 24 h after the candidate last wrote there
OPT_OUT_ASKED = "opt_out_asked"  # their last message may ask to stop: no automated text until a recruiter decides
CONSENT_LAPSED = "consent_lapsed"  # their consent is only implied, and the law of their place let it lapse
CANNOT_RECEIVE = "cannot_receive"  # the carrier answered the number cannot receive texts (landline, no such number)
QUIET_HOURS = "quiet_hours"  # not blocked: held until the recipient's hours open
STATE_HOURS = "state_hours"  # held: outside the hours the law of the recipient's place allows
FREQUENCY_CAP = "frequency_cap"  # held: the recipient got as many texts in 24 hours as their law allows
HOLDING = frozenset({QUIET_HOURS, STATE_HOURS, FREQUENCY_CAP})
BLOCKING = frozenset({NO_NUMBER, INVALID_NUMBER, OPTED_OUT, NO_CONSENT, OPT_OUT_ASKED, DUPLICATE, WHATSAPP_WINDOW,
                      CONSENT_LAPSED, CANNOT_RECEIVE})

# kinds of message, decided by the server code that sends, never by the caller
MANUAL = "manual"  # a recruiter's one-to-one message, typed now
AUTOMATED = "automated"  # scheduled, templated or sent by any other module
CAMPAIGN = "campaign"
CONFIRMATION = "confirmation"  # the answer to a candidate's STOP/START/HELP
KINDS = frozenset({MANUAL, AUTOMATED, CAMPAIGN, CONFIRMATION})

# how a text goes: an SMS, free text on WhatsApp, or an approved WhatsApp template
SMS = "sms"
WHATSAPP = "whatsapp"
WHATSAPP_TEMPLATE = "whatsapp_template"
CHANNELS = frozenset({SMS, WHATSAPP, WHATSAPP_TEMPLATE})


def channel_of(on_whatsapp, template):
    """How a text goes, for the gate: an SMS, free text on WhatsApp, or an approved template."""
    if not on_whatsapp:
        return SMS
    return WHATSAPP_TEMPLATE if template else WHATSAPP

# a recruiter's reply to a candidate who wrote within this delay may go at any hour
# (unless the company holds manual replies too)
REPLY_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class Window:
    """The texting hours at the recipient's local time; None instead of a Window: any hour."""

    start: time
    end: time
    hold_replies: bool = False


@dataclass(frozen=True)
class Recipient:
    """What the gate knows of one number in one sending company."""

    number: str | None  # E.164, None when there is no textable number
    invalid: bool = False  # a number was given, but it cannot be texted
    opted_out: bool = False
    candidate: bool = False  # an applicant of the sending company holds the number
    consent: bool = False  # that applicant agreed to be texted
    asked_to_stop: bool = False  # their message may ask to stop, not yet confirmed nor dismissed
    cannot_receive: bool = False  # the carrier answered this number cannot receive texts
    zones: tuple = ("UTC",)
    last_inbound: datetime | None = None  # when the candidate last wrote (naive UTC)
    last_whatsapp: datetime | None = None  # when the number last wrote on WhatsApp to the company (naive UTC)
    rules: tuple = ()  # the texting_law.Rule of the recipient's place
    consent_lapses: datetime | None = None  # their consent is only implied, and lapses then (naive UTC)
    recent: tuple = ()  # when they got the texts those rules count, in the last 24 hours (naive UTC)


@dataclass(frozen=True)
class Verdict:
    code: str | None = None
    hold_until: datetime | None = None  # with a holding code
    closes_at: datetime | None = None  # may go now: its hours close then (None: never)
    rule: str | None = None  # the name of the rule of the recipient's place that holds or blocks it
    rules: tuple = ()  # may go: the names of the rules of the recipient's place it goes under

    @property
    def held(self):
        return self.code in HOLDING

    @property
    def allowed(self):
        return self.code is None

    @property
    def blocked(self):
        return self.code in BLOCKING


@dataclass
class Batch:
    """Decides a batch in order; with ``dedupe``, a number seen earlier in the batch is a
    duplicate (one text per number per campaign)."""

    now: datetime
    window: Window | None = None
    hours: bool = True
    dedupe: bool = False
    seen: set = field(default_factory=set)
    sent: dict = field(default_factory=dict)  # number: moments the batch let counted texts go to it

    def decide(self, recipient, kind, channel=SMS):
        """The Verdict on a text of ``kind`` on ``channel`` to ``recipient`` now; one that may
        go names the rules of the recipient's place it went under (the evidence)."""
        verdict = self._decide(recipient, kind, channel)
        if verdict.code is None and recipient.rules and kind != CONFIRMATION:
            return replace(verdict, rules=tuple(rule.name for rule in recipient.rules))
        return verdict

    def _decide(self, recipient, kind, channel):
        if kind not in KINDS:
            raise ValueError(f"unknown kind of message {kind!r}")
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        code = self._blocking(recipient, kind, channel)
        if code == CONSENT_LAPSED:
            return Verdict(code, rule=next(rule.name for rule in recipient.rules if rule.implied_months))
        if code:
            return Verdict(code)
        if kind == CONFIRMATION or not self.hours:
            return Verdict()
        return self._hours(recipient, kind)

    def _hours(self, recipient, kind):
        """The company's texting hours (for a candidate) and the hours and caps of the
        recipient's place, all together: a recruiter's reply to a candidate who just wrote
        is neither held nor counted (unless the company holds replies too)."""
        now, zones, rules = self.now, list(recipient.zones), recipient.rules
        company = texting_law.company_hours(self.window) if recipient.candidate else None
        wrote_lately = recipient.last_inbound is not None and recipient.last_inbound >= now - REPLY_GRACE
        if kind == MANUAL and wrote_lately and not (self.window and self.window.hold_replies):
            return Verdict()
        sent = self.sent.setdefault(recipient.number, [])
        capped = texting_law.cap_reached(rules, kind, (*recipient.recent, *sent), now)
        if capped:
            return Verdict(FREQUENCY_CAP, hold_until=capped[1], rule=capped[0].name)
        all_hours = [hours for hours in (company, *(rule.hours for rule in rules)) if hours]
        if not all_hours or all(texting_law.is_open(hours, zones, now) for hours in all_hours):
            if any(rule.counts(kind) for rule in rules):
                sent.append(now)
            return Verdict(closes_at=texting_law.next_closing(all_hours, zones, now))
        opening = texting_law.next_opening(all_hours, zones, now) or now + timedelta(days=1)
        if company and not texting_law.is_open(company, zones, now):
            return Verdict(QUIET_HOURS, hold_until=opening)
        return Verdict(STATE_HOURS, hold_until=opening, rule=texting_law.hours_closed(rules, zones, now).name)

    def _blocking(self, recipient, kind, channel):  # noqa: PLR0911 (one return per rule, in the order they apply)
        """The reason code that blocks the text for good, or None."""
        if not recipient.number:
            return INVALID_NUMBER if recipient.invalid else NO_NUMBER
        if channel == WHATSAPP and not whatsapp.window_open(recipient.last_whatsapp, self.now):
            return WHATSAPP_WINDOW  # WhatsApp would refuse it (63016): a template may go
        if kind == CONFIRMATION:
            return None  # the answer to STOP/START/HELP goes whatever the rest says
        if recipient.opted_out:
            return OPTED_OUT
        if recipient.cannot_receive:
            return CANNOT_RECEIVE  # it would fail again, and count against the sender
        if recipient.candidate and not recipient.consent:
            return NO_CONSENT
        if recipient.asked_to_stop and kind != MANUAL:  # a recruiter may still ask what they meant
            return OPT_OUT_ASKED
        if recipient.consent_lapses is not None and recipient.consent_lapses <= self.now and kind != MANUAL:
            return CONSENT_LAPSED  # a recruiter may still ask them to consent again
        if self.dedupe:
            if recipient.number in self.seen:
                return DUPLICATE
            self.seen.add(recipient.number)
        return None


def window_of(start_hour, end_hour, hold_replies=False):
    """The company's texting hours (floats, as Odoo stores them) as a Window; None when
    texts may go at any hour."""
    if start_hour <= 0 and end_hour >= 24:
        return None
    return Window(quiet_hours.hour_to_time(start_hour), quiet_hours.hour_to_time(end_hour), hold_replies)
