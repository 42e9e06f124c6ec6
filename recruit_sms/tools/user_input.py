"""What a browser sends a public method, checked before it is used.

The web client calls a model's public methods with whatever JSON it is given: strings of
any size, NUL characters, lone surrogates (invalid UTF-8 once encoded), numbers, lists,
objects, null. Each argument is checked for its type and size here before it reaches the
ORM or SQL, so that bad input is a clear error rather than a server error. ``problem``
names what is wrong, as one of the constants below.
"""

NOT_TEXT = "not_text"
TOO_LONG = "too_long"
NUL = "nul"
NOT_UNICODE = "not_unicode"
NOT_ID = "not_id"
NOT_NUMBER = "not_number"

MAX_ID = 2**31 - 1  # PostgreSQL's integer


class InputError(ValueError):
    def __init__(self, problem, limit=None):
        self.problem = problem
        self.limit = limit
        super().__init__(problem)


def text(value, limit):
    """``value`` as text of at most ``limit`` characters (null as the empty string)."""
    if value is None or value is False:
        return ""
    if not isinstance(value, str):
        raise InputError(NOT_TEXT)
    if len(value) > limit:
        raise InputError(TOO_LONG, limit)
    if "\x00" in value:
        raise InputError(NUL)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise InputError(NOT_UNICODE) from None
    return value


def record_id(value, optional=False):
    """``value`` as a record id (with ``optional``, null or false as False)."""
    if optional and (value is None or value is False):
        return False
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise InputError(NOT_ID)
    return value


def whole_number(value, low, high):
    """``value`` as a whole number from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(NOT_NUMBER, (low, high))
    return value
