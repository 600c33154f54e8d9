"""What a reader makes of one row of a source file, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Problem:
    """One cell that could not be read, or read only with care: where, what, and why."""

    row: int
    column: str
    value: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        if not self.value:
            return f"row {self.row}, {self.column}: {self.reason}"
        return f"row {self.row}, {self.column} {self.value!r}: {self.reason}"


@dataclass(frozen=True)
class GivenNotice:
    """A notice the record says was given: to which obligation, when, with what reference."""

    key: str
    sent_at: datetime
    reference: str
    description: str


@dataclass(frozen=True)
class Event:
    """A timeline entry the record gives (the breach window, a notice)."""

    at: datetime
    kind: str
    text: str


@dataclass
class SourceRow:
    """One row as read: its key, its facts (None when no clock can start) and its flags."""

    number: int
    key: str
    raw: dict[str, str]
    facts: dict[str, Any] | None = None
    # Only obligations of these regimes are stored: those the source speaks for.
    regimes: tuple[str, ...] = ()
    notices: list[GivenNotice] = field(default_factory=list)
    # The obligation whose notice the analysis judges; the first notice's when None.
    judged_key: str | None = None
    timeline: list[Event] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    # Why the row was not imported at all; None when it was.
    refusal: str | None = None

    def report(self, column: str, reason: str, flag: bool = True) -> None:
        """Note a problem with one cell, and flag the row unless told otherwise."""
        self.problems.append(Problem(self.number, column, self.raw.get(column, ""), reason))
        if flag:
            self.flags.append(f"{column}: {reason}")


def start_of_day(day: date, zone: str) -> datetime:
    """The first instant of `day` in `zone`, timezone-aware."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


def end_of_day(day: date, zone: str) -> datetime:
    """The last instant of `day` in `zone` (23:59:59.999999), timezone-aware."""
    following = start_of_day(day + timedelta(days=1), zone)
    return following - timedelta(microseconds=1)


def local_day(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()
