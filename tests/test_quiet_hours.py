from datetime import datetime, time

import pytest
from recruit_sms_tools.quiet_hours import hour_to_time, is_open, next_opening, number_zones, recipient_zones


def test_zones_of_numbers():
    assert number_zones("+919876543210") == ["Asia/Calcutta"]  # phonenumbers keeps the old alias
    assert "America/Los_Angeles" in number_zones("+14155550142")
    assert number_zones("not a number") == []
    us_country_wide = number_zones("+18005550100")  # toll-free: the whole country
    assert len(us_country_wide) > 3


def test_recipient_zone_priority():
    assert recipient_zones("Europe/Brussels", "+14155550142", "Asia/Kolkata") == ["Europe/Brussels"]
    assert recipient_zones(None, "+919876543210", "Europe/Brussels") == ["Asia/Calcutta"]
    assert recipient_zones("Not/AZone", None, "Europe/Brussels") == ["Europe/Brussels"]
    assert recipient_zones(None, None, None) == ["UTC"]


@pytest.mark.parametrize(
    ("now_utc", "zone", "expected"),
    [
        (datetime(2026, 7, 1, 14, 59), "America/Phoenix", False),  # 07:59 MST (no DST)
        (datetime(2026, 7, 1, 15, 0), "America/Phoenix", True),  # 08:00
        (datetime(2026, 7, 2, 3, 59), "America/Phoenix", True),  # 20:59
        (datetime(2026, 7, 2, 4, 0), "America/Phoenix", False),  # 21:00
        (datetime(2026, 1, 15, 2, 29), "Asia/Kolkata", False),  # 07:59 IST
        (datetime(2026, 1, 15, 2, 30), "Asia/Kolkata", True),
        (datetime(2026, 1, 15, 15, 29), "Asia/Kolkata", True),  # 20:59
        (datetime(2026, 1, 15, 15, 30), "Asia/Kolkata", False),
        (datetime(2026, 1, 14, 18, 14), "Pacific/Chatham", False),  # 07:59 +13:45 (summer)
        (datetime(2026, 1, 14, 18, 15), "Pacific/Chatham", True),
        (datetime(2026, 7, 14, 19, 15), "Pacific/Chatham", True),  # 08:00 +12:45 (winter)
        (datetime(2026, 7, 14, 19, 14), "Pacific/Chatham", False),
    ],
)
def test_window_edges(now_utc, zone, expected):
    assert is_open(now_utc, [zone]) is expected


def test_dst_changes_move_the_window_in_utc():
    # New York: 08:00 is 13:00 UTC in winter, 12:00 UTC in summer
    assert not is_open(datetime(2026, 3, 6, 12, 30), ["America/New_York"])
    assert is_open(datetime(2026, 3, 9, 12, 30), ["America/New_York"])  # the Monday after the switch
    # the night of the spring switch: next opening is 08:00 EDT = 12:00 UTC
    assert next_opening(datetime(2026, 3, 8, 6, 0), ["America/New_York"]) == datetime(2026, 3, 8, 12, 0)
    # the autumn switch: 08:00 EST = 13:00 UTC
    assert next_opening(datetime(2026, 11, 1, 5, 0), ["America/New_York"]) == datetime(2026, 11, 1, 13, 0)


def test_next_opening():
    now = datetime(2026, 7, 1, 4, 30)  # 21:30 in Phoenix
    assert next_opening(now, ["America/Phoenix"]) == datetime(2026, 7, 1, 15, 0)
    assert next_opening(datetime(2026, 7, 1, 16, 0), ["America/Phoenix"]) == datetime(2026, 7, 1, 16, 0)
    assert next_opening(datetime(2026, 1, 14, 10, 0), ["Pacific/Chatham"]) == datetime(2026, 1, 14, 18, 15)


def test_several_zones_use_the_overlap():
    zones = ["America/New_York", "America/Los_Angeles"]
    # 12:00 UTC = 08:00 New York but 05:00 Los Angeles: closed
    assert not is_open(datetime(2026, 7, 1, 12, 0), zones)
    # opens at 08:00 Los Angeles = 15:00 UTC
    assert next_opening(datetime(2026, 7, 1, 12, 0), zones) == datetime(2026, 7, 1, 15, 0)
    # closes at 21:00 New York = 01:00 UTC
    assert is_open(datetime(2026, 7, 2, 0, 59), zones)
    assert not is_open(datetime(2026, 7, 2, 1, 0), zones)


def test_zones_that_never_overlap():
    assert next_opening(datetime(2026, 7, 1, 0, 0), ["Pacific/Kiritimati", "Pacific/Pago_Pago"], time(8), time(9)) is None


def test_custom_window_and_float_hours():
    assert hour_to_time(8.5) == time(8, 30)
    assert hour_to_time(21) == time(21, 0)
    assert hour_to_time(24) == time(23, 59, 59)
    assert is_open(datetime(2026, 7, 1, 8, 45), ["UTC"], time(8, 30), time(9))
    assert not is_open(datetime(2026, 7, 1, 9, 0), ["UTC"], time(8, 30), time(9))


def test_next_closing():
    from recruit_sms_tools.quiet_hours import next_closing

    # 20:30 in Brussels (summer, UTC+2): the 8-21 window closes at 21:00 local, 19:00 UTC
    assert next_closing(datetime(2026, 7, 1, 18, 30), ["Europe/Brussels"]) == datetime(2026, 7, 1, 19, 0)
    # several zones: the first of them to close
    assert next_closing(datetime(2026, 7, 1, 16, 0), ["Europe/Brussels", "Europe/London"]) == datetime(2026, 7, 1, 19, 0)
    assert next_closing(datetime(2026, 7, 1, 22, 0), ["Europe/Brussels"]) is None, "closed now"
    assert next_closing(datetime(2026, 7, 1, 12, 0), ["UTC"], time(0, 0), hour_to_time(24)) is None, "never closes"
