from datetime import datetime, timedelta

import pytest
from recruit_sms_tools.age import BLUE, GREEN, ORANGE, RED, response_colour

NOW = datetime(2026, 3, 8, 12, 0)


@pytest.mark.parametrize(
    ("waited", "colour"),
    [
        (timedelta(0), GREEN),
        (timedelta(hours=11, minutes=59), GREEN),
        (timedelta(hours=11, minutes=59, seconds=59), GREEN),
        (timedelta(hours=12), ORANGE),
        (timedelta(hours=24), ORANGE),
        (timedelta(hours=24, seconds=1), RED),
        (timedelta(hours=24, minutes=1), RED),
        (timedelta(days=30), RED),
    ],
)
def test_colour_boundaries(waited, colour):
    assert response_colour(NOW - waited, NOW) == colour


def test_answered_is_blue():
    assert response_colour(None, NOW) == BLUE
    assert response_colour(False, NOW) == BLUE
