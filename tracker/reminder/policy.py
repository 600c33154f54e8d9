"""The reminder policy and the arithmetic that turns a deadline into reminder instants.

A policy is a list of steps before the deadline ("half" the period, or a duration such as
"24h" before it, "due" at the deadline itself) and a cadence while overdue ("daily",
"weekly" or "none"). Overdue cadences are counted in local calendar days of the incident's
legal time zone and converted to UTC here, so that a daily reminder keeps its wall-clock time
across a daylight-saving change instead of drifting by an hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import ValidationError

DEFAULT_STEPS = ("half", "24h", "4h", "1h", "due")
DEFAULT_OVERDUE = "daily"
CADENCE_DAYS = {"daily": 1, "weekly": 7, "none": 0}

_DURATION = re.compile(r"^(\d{1,4})([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class Policy:
    steps: tuple[str, ...] = DEFAULT_STEPS
    overdue: str = DEFAULT_OVERDUE

    def to_dict(self) -> dict[str, Any]:
        return {"steps": list(self.steps), "overdue": self.overdue}


@dataclass(frozen=True)
class Instant:
    """One reminder instant: its step's name, its kind (before, due, overdue) and when."""

    step: str
    kind: str
    at: datetime


def parse_policy(steps: Any, overdue: Any, field: str = "policy") -> Policy:
    """A policy from its written form: steps as a list or a comma-separated text.

    Refusals name `field`.steps or `field`.overdue, or steps and overdue when `field` is empty.
    """
    prefix = f"{field}." if field else ""
    if isinstance(steps, str):
        steps = [part for part in (piece.strip() for piece in steps.split(",")) if part]
    if not isinstance(steps, list | tuple) or not all(isinstance(s, str) for s in steps):
        raise ValidationError(
            f"The reminder steps must be a list of steps such as half, 24h, 1h, due; "
            f"got {steps!r}.",
            {f"{prefix}steps": "expected a list such as half, 24h, 4h, 1h, due"},
        )
    cleaned = tuple(dict.fromkeys(step.strip().lower() for step in steps))
    for step in cleaned:
        if step not in ("half", "due") and not _DURATION.match(step):
            raise ValidationError(
                f"The reminder step {step!r} is not understood; write half, due, or a "
                "duration before the deadline such as 30m, 24h or 2d.",
                {f"{prefix}steps": f"{step!r} is not half, due or a duration like 24h"},
            )

    cadence = str(overdue or "none").strip().lower()
    if cadence not in CADENCE_DAYS:
        raise ValidationError(
            f"The overdue cadence {overdue!r} is not understood; write daily, weekly or none.",
            {f"{prefix}overdue": "expected daily, weekly or none"},
        )
    return Policy(steps=cleaned, overdue=cadence)


def duration(step: str) -> timedelta:
    """The time before the deadline that a step such as "24h" names."""
    match = _DURATION.match(step)
    if match is None:
        raise ValueError(f"{step!r} is not a duration")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def schedule(
    policy: Policy, due_at: datetime, started_at: datetime | None, zone: str
) -> list[Instant]:
    """The reminder instants before and at the deadline, and the first one while overdue.

    A step that falls at or before the clock's start is dropped (a "24h before" reminder of a
    4-hour obligation would precede the incident); steps that fall on the same instant are
    sent once. Later overdue reminders follow from `next_overdue` as each one goes out.
    """
    instants: dict[datetime, Instant] = {}
    for step in policy.steps:
        at = _step_instant(step, due_at, started_at)
        if at is None or (started_at is not None and at <= started_at):
            continue
        kind = "due" if step == "due" else "before"
        instants.setdefault(at, Instant(step, kind, at))

    following = next_overdue(policy, due_at, zone, 0)
    if following is not None:
        instants.setdefault(following.at, following)
    return sorted(instants.values(), key=lambda instant: instant.at)


def next_overdue(policy: Policy, due_at: datetime, zone: str, count: int) -> Instant | None:
    """The overdue reminder after the `count`-th one (0: the first), or None without a cadence.

    The n-th overdue reminder falls n local days (or weeks) after the deadline, at the
    deadline's wall-clock time in `zone`.
    """
    days = CADENCE_DAYS[policy.overdue]
    if not days:
        return None
    number = count + 1
    return Instant(f"overdue-{number}", "overdue", local_days_after(due_at, zone, days * number))


def local_days_after(instant: datetime, zone: str, days: int) -> datetime:
    """The instant `days` local calendar days after `instant`, at the same wall-clock time.

    A wall-clock time that does not exist on the later day (skipped by a daylight-saving
    change) resolves with the offset in force before the change, which lands after the gap.
    """
    tz = ZoneInfo(zone)
    local = instant.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=tz).astimezone(UTC)


def _step_instant(step: str, due_at: datetime, started_at: datetime | None) -> datetime | None:
    if step == "due":
        return due_at
    if step == "half":
        if started_at is None or started_at >= due_at:
            return None
        # Whole seconds, rounded down: a reminder a fraction early rather than late.
        half = timedelta(seconds=(due_at - started_at).total_seconds() // 2)
        return started_at + half
    return due_at - duration(step)
