"""Date arithmetic of the deadline conventions: hours, calendar and business days, months."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from .vocabulary import Period

#: The end of a day: a day-based deadline is this local time on its last day, shown as 23:59.
END_OF_DAY = time(23, 59, 59, 999999)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class HolidayCalendar:
    """Weekends plus the public holidays of one `holidays` calendar, cached per year."""

    code: str | None
    _years: dict[int, dict[date, str]] = field(default_factory=dict)

    def holiday_name(self, day: date) -> str | None:
        if self.code is None:
            return None
        return self._holidays(day.year).get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def describe(self, day: date) -> str | None:
        """Why `day` is not a business day ("a Saturday", "Christmas Day"), or None."""
        if day.weekday() >= 5:
            return f"a {WEEKDAYS[day.weekday()]}"
        return self.holiday_name(day)

    def next_business_day(self, day: date) -> date:
        """The first business day after `day`."""
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def _holidays(self, year: int) -> dict[date, str]:
        found = self._years.get(year)
        if found is None:
            found = _load_year(str(self.code), year)
            self._years[year] = found
        return found


def _load_year(code: str, year: int) -> dict[date, str]:
    """Holidays falling in `year`, including days observed for the neighbouring years."""
    country, _, subdivision = code.partition("-")
    source = holidays.country_holidays(
        country, subdiv=subdivision or None, years=(year - 1, year, year + 1)
    )
    return {day: name for day, name in source.items() if day.year == year}


@cache
def holiday_calendar(code: str | None) -> HolidayCalendar:
    """The calendar of a `holidays` code (US, US-CA, DE), or weekends only for None."""
    return HolidayCalendar(code)


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def end_of_day(day: date, tz: ZoneInfo, ends_at: time = END_OF_DAY) -> datetime:
    """The UTC instant at which `day` ends in `tz` (or reaches `ends_at`)."""
    return datetime.combine(day, ends_at, tzinfo=tz).astimezone(UTC)


def add_elapsed(start: datetime, period: Period) -> datetime:
    """Hours and minutes are elapsed time: add them in UTC."""
    amount = int(period.amount or 0)
    delta = timedelta(hours=amount) if period.unit == "h" else timedelta(minutes=amount)
    return start.astimezone(UTC) + delta


def add_calendar_days(day: date, amount: int) -> date:
    return day + timedelta(days=amount)


def add_months(day: date, amount: int) -> date:
    """The same day of the month `amount` months later, or that month's last day."""
    months = day.year * 12 + (day.month - 1) + amount
    year, month = divmod(months, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_business_days(
    day: date, amount: int, calendar: HolidayCalendar, first_day_counts: bool = False
) -> date:
    """Count `amount` business days from the day after `day`.

    With `first_day_counts` (SEC Form 8-K General Instruction B.1), a `day` that is not a
    business day makes the first business day after it day 1.
    """
    remaining = amount
    if first_day_counts and not calendar.is_business_day(day):
        day = calendar.next_business_day(day)
        remaining -= 1

    while remaining > 0:
        day = calendar.next_business_day(day)
        remaining -= 1
    return day


def last_day(
    start: datetime,
    period: Period,
    tz: ZoneInfo,
    calendar: HolidayCalendar,
    first_day_counts: bool = False,
) -> date:
    """The last day of a day-based period (d, bd, mo) that starts at `start`."""
    day = local_date(start, tz)
    amount = int(period.amount or 0)
    if period.unit == "d":
        return add_calendar_days(day, amount)
    if period.unit == "bd":
        return add_business_days(day, amount, calendar, first_day_counts)
    return add_months(day, amount)


def due_instant(
    start: datetime,
    period: Period,
    tz: ZoneInfo,
    calendar: HolidayCalendar,
    first_day_counts: bool = False,
    ends_at: time = END_OF_DAY,
) -> datetime:
    """The UTC instant by which a numeric period that starts at `start` ends."""
    if period.is_elapsed:
        return add_elapsed(start, period)
    return end_of_day(last_day(start, period, tz, calendar, first_day_counts), tz, ends_at)


def year_end(instant: datetime, tz: ZoneInfo) -> datetime:
    """The end of 31 December of the local year in which `instant` falls."""
    return end_of_day(date(local_date(instant, tz).year, 12, 31), tz)
