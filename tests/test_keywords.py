import pytest
from recruit_sms_tools.keywords import HELP, OPT_IN, OPT_OUT, classify

# the words carriers and Twilio treat as opting out, back in, or asking for help (CTIA's
# short code handbook, Twilio's Advanced Opt-Out): written here, not read from the module
OPT_OUT_WORDS = ["STOP", "STOP ALL", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT"]
OPT_IN_WORDS = ["START", "YES", "UNSTOP"]
HELP_WORDS = ["HELP", "INFO"]

VARIANTS = ["{w}", "{l}", "{t}", "  {w}  ", "{w}.", "{l}!", "{t}?!", "\t{w}\n", "{w} .", "{l}…"]


def variants(word):
    return [v.format(w=word, l=word.lower(), t=word.title()) for v in VARIANTS]


@pytest.mark.parametrize("word", OPT_OUT_WORDS)
def test_every_opt_out_word_in_mixed_case_and_punctuation(word):
    for text in variants(word):
        assert classify(text) == OPT_OUT, text


@pytest.mark.parametrize("word", OPT_IN_WORDS)
def test_every_opt_in_word(word):
    for text in variants(word):
        assert classify(text) == OPT_IN, text


@pytest.mark.parametrize("word", HELP_WORDS)
def test_help_words(word):
    for text in variants(word):
        assert classify(text) == HELP, text


@pytest.mark.parametrize(
    "text",
    [
        "please stop all messages",  # sentences that merely contain a keyword
        "stop 🛑",
        "Stop texting me please",
        "yes I can come on Monday",
        "I want to start on Monday",
        "help me find the address",
        "st op",
        "",
        None,
        "STOPP",
        "¿stop",  # leading punctuation is part of the text
    ],
)
def test_longer_messages_are_not_keywords(text):
    assert classify(text) is None


def test_inner_whitespace_is_folded():
    assert classify("stop   all") == OPT_OUT
    assert classify("opt\tout") == OPT_OUT


def test_twilio_opt_out_type_is_honoured():
    assert classify("Arrête", opt_out_type="STOP") == OPT_OUT
    assert classify("whatever", opt_out_type="start") == OPT_IN
    assert classify("?", opt_out_type="HELP") == HELP
    assert classify("stop", opt_out_type="UNKNOWN") == OPT_OUT
