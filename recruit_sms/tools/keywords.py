"""Keywords of inbound texts that opt a number out, back in, or ask for help (the words
carriers and Twilio treat so).

A message is a keyword only when its whole text is one, once surrounding whitespace and
trailing punctuation are dropped and case is ignored: "Stop." and " stop all " are,
"please stop all messages" and "stop 🛑" are not.
"""

import unicodedata

OPT_OUT = "opt_out"
OPT_IN = "opt_in"
HELP = "help"

OPT_OUT_WORDS = frozenset({"STOP", "STOP ALL", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT"})
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})

# Twilio's Advanced Opt-Out names the keyword class it recognized
TWILIO_OPT_OUT_TYPES = {"STOP": OPT_OUT, "START": OPT_IN, "HELP": HELP}


def normalize(text):
    """Upper-case ``text`` without surrounding spaces and trailing punctuation, with
    inner runs of whitespace as one space."""
    text = " ".join((text or "").split())
    while text and unicodedata.category(text[-1]).startswith("P"):
        text = text[:-1].rstrip()
    return text.upper()


def classify(body, opt_out_type=None):
    """OPT_OUT, OPT_IN, HELP or None for an inbound message."""
    if opt_out_type:
        kind = TWILIO_OPT_OUT_TYPES.get(opt_out_type.strip().upper())
        if kind:
            return kind
    word = normalize(body)
    if word in OPT_OUT_WORDS:
        return OPT_OUT
    if word in OPT_IN_WORDS:
        return OPT_IN
    if word in HELP_WORDS:
        return HELP
    return None
