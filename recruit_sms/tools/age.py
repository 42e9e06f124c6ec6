"""How long a candidate has waited for an answer, as the inbox colours it:
green under 12 hours, orange from 12 to 24 hours, red beyond 24 hours, blue when answered."""

from datetime import timedelta

GREEN = "green"
ORANGE = "orange"
RED = "red"
BLUE = "blue"

ORANGE_FROM = timedelta(hours=12)
RED_AFTER = timedelta(hours=24)


def response_colour(waiting_since, now):
    """Colour of a conversation waiting since ``waiting_since`` (None: nothing waits)."""
    if not waiting_since:
        return BLUE
    waited = now - waiting_since
    if waited < ORANGE_FROM:
        return GREEN
    if waited <= RED_AFTER:
        return ORANGE
    return RED
