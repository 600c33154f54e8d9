"""The date arithmetic at its edges: DST, leap days, month and year ends, weekends, holidays."""

from datetime import date, datetime

import pytest

from tracker.deadline.arithmetic import (
    add_business_days,
    add_months,
    due_instant,
    holiday_calendar,
    year_end,
    zone,
)
from tracker.deadline.vocabulary import parse_period

WEEKENDS_ONLY = holiday_calendar(None)
US = holiday_calendar("US")


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "period", "tz", "expected"),
    [
        # Hours are elapsed time, across DST changes too.
        ("2026-03-07T12:00:00-05:00", "24h", "America/New_York", "2026-03-08T17:00:00+00:00"),
        ("2026-03-06T14:00:00-05:00", "72h", "America/New_York", "2026-03-09T19:00:00+00:00"),
        ("2026-10-31T12:00:00-04:00", "24h", "America/New_York", "2026-11-01T16:00:00+00:00"),
        ("2026-03-28T10:00:00+01:00", "24h", "Europe/Berlin", "2026-03-29T09:00:00+00:00"),
        ("2026-10-24T10:00:00+02:00", "24h", "Europe/Berlin", "2026-10-25T08:00:00+00:00"),
        ("2026-03-05T09:30:00-05:00", "15min", "America/New_York", "2026-03-05T14:45:00+00:00"),
        # Calendar days end at the end of the local day, whatever its offset.
        ("2026-03-07T12:00:00-05:00", "1d", "America/New_York", "2026-03-09T03:59:59.999999+00:00"),
        ("2026-10-31T12:00:00-04:00", "1d", "America/New_York", "2026-11-02T04:59:59.999999+00:00"),
        ("2026-03-28T10:00:00+01:00", "1d", "Europe/Berlin", "2026-03-29T21:59:59.999999+00:00"),
        ("2026-10-24T10:00:00+02:00", "1d", "Europe/Berlin", "2026-10-25T22:59:59.999999+00:00"),
        (
            "2026-02-09T10:00:00-05:00",
            "60d",
            "America/New_York",
            "2026-04-11T03:59:59.999999+00:00",
        ),
        # The trigger's local date counts, not its UTC date.
        ("2026-03-06T03:00:00+00:00", "1d", "America/New_York", "2026-03-07T04:59:59.999999+00:00"),
        # Leap days.
        ("2024-01-30T12:00:00+00:00", "30d", "UTC", "2024-02-29T23:59:59.999999+00:00"),
        ("2023-01-30T12:00:00+00:00", "30d", "UTC", "2023-03-01T23:59:59.999999+00:00"),
        # Months: same day, or the month's last day.
        ("2026-01-31T12:00:00+00:00", "1mo", "UTC", "2026-02-28T23:59:59.999999+00:00"),
        ("2024-01-31T12:00:00+00:00", "1mo", "UTC", "2024-02-29T23:59:59.999999+00:00"),
        ("2026-12-15T12:00:00+00:00", "1mo", "UTC", "2027-01-15T23:59:59.999999+00:00"),
        ("2026-03-31T23:30:00+02:00", "1mo", "Europe/Berlin", "2026-04-30T21:59:59.999999+00:00"),
    ],
)
def test_due_instant(start, period, tz, expected):
    result = due_instant(instant(start), parse_period(period), zone(tz), WEEKENDS_ONLY)
    assert result.isoformat() == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 1, 31), 13, date(2027, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
    ],
)
def test_add_months_in_one_step(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "amount", "calendar", "first_counts", "expected"),
    [
        (date(2026, 3, 6), 1, WEEKENDS_ONLY, False, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 7), 1, WEEKENDS_ONLY, False, date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 2), 5, WEEKENDS_ONLY, False, date(2026, 3, 9)),
        # New Year's Day 2022 (Saturday) observed on Friday 2021-12-31.
        (date(2021, 12, 30), 1, US, False, date(2022, 1, 3)),
        # New Year's Day 2023 (Sunday) observed on Monday 2023-01-02.
        (date(2022, 12, 30), 1, US, False, date(2023, 1, 3)),
        # Independence Day 2026 (Saturday) observed on Friday 2026-07-03.
        (date(2026, 7, 2), 1, US, False, date(2026, 7, 6)),
        (date(2026, 12, 24), 2, US, False, date(2026, 12, 29)),
        # SEC General Instruction B.1: a non-business day makes the first business day day 1.
        (date(2026, 3, 7), 4, US, True, date(2026, 3, 12)),
        (date(2026, 3, 6), 4, US, True, date(2026, 3, 12)),
        (date(2026, 1, 18), 4, US, True, date(2026, 1, 23)),  # Sunday before MLK Day
        (date(2026, 1, 18), 4, US, False, date(2026, 1, 23)),
        (date(2026, 1, 17), 4, US, False, date(2026, 1, 23)),
        (date(2026, 1, 17), 4, US, True, date(2026, 1, 23)),
    ],
)
def test_add_business_days(day, amount, calendar, first_counts, expected):
    assert add_business_days(day, amount, calendar, first_counts) == expected


def test_holiday_calendars_are_cached():
    assert holiday_calendar("US") is holiday_calendar("US")


def test_subdivision_holidays_count():
    california = holiday_calendar("US-CA")
    assert not california.is_business_day(date(2026, 3, 31))  # Cesar Chavez Day
    assert US.is_business_day(date(2026, 3, 31))


@pytest.mark.parametrize(
    ("start", "tz", "expected"),
    [
        ("2023-06-01T10:00:00-04:00", "America/New_York", "2024-01-01T04:59:59.999999+00:00"),
        ("2023-12-31T23:30:00-05:00", "America/New_York", "2024-01-01T04:59:59.999999+00:00"),
        ("2024-01-01T02:00:00+00:00", "America/New_York", "2024-01-01T04:59:59.999999+00:00"),
    ],
)
def test_year_end_is_the_end_of_the_local_year(start, tz, expected):
    assert year_end(instant(start), zone(tz)).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [("72h", 72, "h"), ("15min", 15, "min"), ("30d", 30, "d"), ("4bd", 4, "bd"), ("1mo", 1, "mo")],
)
def test_parse_period(text, amount, unit):
    period = parse_period(text)
    assert (period.amount, period.unit) == (amount, unit)


@pytest.mark.parametrize("text", ["72", "0d", "30 days", "1y", "-3d", "d"])
def test_parse_period_refuses(text):
    with pytest.raises(ValueError, match="expected a period"):
        parse_period(text)
