"""What can move a computed date: a law-enforcement delay, a weekend rule, a computation statute."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ..facts import Facts
from ..facts import LawEnforcementDelay as DelayFacts
from . import text
from .arithmetic import HolidayCalendar, due_instant, holiday_calendar, local_date
from .compiled import CompiledRule
from .model import Obligation
from .schema import LawEnforcementDelay, Rule
from .vocabulary import parse_period


def apply_law_enforcement(obligation: Obligation, rule: Rule, facts: Facts, tz: ZoneInfo) -> None:
    """Hold or move the date for a law-enforcement delay, where the rule admits one."""
    delay = facts.law_enforcement_delay
    if delay is None or obligation.due_kind == "tolled":
        return

    allowed = rule.exceptions.law_enforcement
    if allowed is None:
        obligation.notes.append(
            f"The law-enforcement delay requested by {delay.agency} does not hold this clock: "
            f"{rule.citation} provides for none."
        )
        return

    if obligation.due is not None and delay.requested_at >= obligation.due:
        obligation.notes.append(
            f"The law-enforcement request of {delay.agency} came after this deadline and does "
            f"not move it."
        )
        return

    end, how = _delay_end(delay, allowed, tz)
    if end is None:
        _hold(obligation, delay, tz)
    elif obligation.due is None and allowed.mode == "restart" and allowed.after_release:
        _date_from_release(obligation, delay, allowed.after_release, end, how, tz)
    elif obligation.due is None:
        _release_without_date(obligation, delay, end, how, tz)
    else:
        _move(obligation, delay, allowed, end, how, tz)


def _delay_end(
    delay: DelayFacts, allowed: LawEnforcementDelay, tz: ZoneInfo
) -> tuple[datetime | None, str]:
    """When the delay ends (None while it lasts), and in words how it ended."""
    end = delay.released_at
    if delay.written or allowed.oral_limit is None:
        return end, "released"

    cap = due_instant(
        delay.requested_at, parse_period(allowed.oral_limit), tz, holiday_calendar(None)
    )
    if end is None or cap < end:
        return cap, f"ended by the {allowed.oral_limit} limit on an oral request"
    return end, "released"


def _hold(obligation: Obligation, delay: DelayFacts, tz: ZoneInfo) -> None:
    original = obligation.due
    kind = "written" if delay.written else "oral"
    obligation.due = None
    obligation.due_kind = "tolled"
    obligation.basis = (
        f"Held at the request of {delay.agency} since {text.moment(delay.requested_at, tz)} "
        f"({kind} law-enforcement request, still in force)"
    )
    if original is not None:
        obligation.basis += f"; without it the date would be {text.moment(original, tz)}"
        obligation.notes.append(
            "The new date is computed once the facts record when the agency released the delay."
        )


def _release_without_date(
    obligation: Obligation, delay: DelayFacts, end: datetime, how: str, tz: ZoneInfo
) -> None:
    obligation.basis += (
        f"; held at the request of {delay.agency} from {text.moment(delay.requested_at, tz)} "
        f"until it was {how} on {text.moment(end, tz)}"
    )
    if obligation.target is not None and obligation.target < end:
        obligation.target = end.astimezone(UTC)
        obligation.target_basis = (
            f"Policy target, not law: the end of the law-enforcement delay, {text.moment(end, tz)}"
        )


def _date_from_release(
    obligation: Obligation,
    delay: DelayFacts,
    after_release: str,
    end: datetime,
    how: str,
    tz: ZoneInfo,
) -> None:
    """A law with no fixed limit that still sets one after a law-enforcement release."""
    period = parse_period(after_release)
    due = due_instant(end, period, tz, holiday_calendar(None))
    obligation.due = due.astimezone(UTC)
    obligation.due_kind = "fixed"
    obligation.target = None
    obligation.target_basis = None
    obligation.basis += (
        f"; a law-enforcement delay requested by {delay.agency} on "
        f"{text.moment(delay.requested_at, tz)} and {how} on {text.moment(end, tz)} sets the "
        f"date {period.describe()} after the release, {text.moment(due, tz)}"
    )


def _move(
    obligation: Obligation,
    delay: DelayFacts,
    allowed: LawEnforcementDelay,
    end: datetime,
    how: str,
    tz: ZoneInfo,
) -> None:
    due = obligation.due
    assert due is not None
    after = end
    if allowed.after_release is not None:
        after = due_instant(end, parse_period(allowed.after_release), tz, holiday_calendar(None))
    readings = {
        "displace": max(due, after),
        "toll": due + (end - delay.requested_at),
        "restart": after,
    }

    mode = allowed.mode
    other = allowed.other_reading
    if other is not None and readings[other] < readings[mode]:
        mode, other = other, mode
    obligation.due = readings[mode]

    verb = _VERBS[mode]
    obligation.basis += (
        f"; a law-enforcement delay requested by {delay.agency} on "
        f"{text.moment(delay.requested_at, tz)} and {how} on {text.moment(end, tz)} "
        f"{verb}, so the date is {text.moment(obligation.due, tz)}"
    )
    if other is not None:
        obligation.notes.append(
            f"Read as {_reading(other)}, the delay would give {text.moment(readings[other], tz)}; "
            f"the earlier date is used."
        )
    if allowed.notes:
        obligation.notes.append(allowed.notes)


_VERBS = {
    "toll": "holds the clock for its length",
    "displace": "defers notice until then",
    "restart": "sets the date from the release",
}
_READINGS = {
    "toll": "tolling the clock",
    "displace": "deferring notice to the release",
    "restart": "counting only from the release",
}


def _reading(mode: str) -> str:
    return _READINGS[mode]


def apply_weekend_relief(
    obligation: Obligation,
    version: CompiledRule,
    roles: frozenset[str],
    calendar: HolidayCalendar,
    tz: ZoneInfo,
) -> None:
    """Move a deadline on a weekend day or holiday to the relief time of the next working day."""
    rule = version.rule
    relief = rule.weekend_relief
    if relief is None or version.relief_until is None or obligation.due is None:
        return

    day = local_date(obligation.due, tz)
    why = calendar.describe(day)
    if why is None:
        return

    strict = text.moment(obligation.due, tz)
    if not roles.isdisjoint(relief.not_for_roles):
        obligation.notes.append(
            f"The deadline {strict} falls on {why}; the weekend and holiday relief of "
            f"{relief.citation} is not available to this organisation's roles."
        )
        return

    moved = datetime.combine(calendar.next_business_day(day), version.relief_until)
    moved_at = moved.replace(tzinfo=tz).astimezone(UTC)
    relief_date = text.moment(moved_at, tz)
    obligation.notes.append(
        f"The unshifted deadline {strict} falls on {why}; {relief.citation} allows submission "
        f"by {relief.until} on the next working day, {relief_date}, which is the date shown. "
        f"The relief is permissive: submitting by {strict} is the safe course."
    )
    obligation.basis += (
        f"; the unshifted deadline {strict} falls on {why}, and {relief.citation} allows "
        f"submission by {relief.until} on the next working day, {relief_date}"
    )
    obligation.due = moved_at


def roll_forward_note(
    obligation: Obligation, statute: str, calendar: HolidayCalendar, tz: ZoneInfo
) -> None:
    """Name the later date a general computation statute may give; the strict date stays."""
    if obligation.due is None:
        return

    day = local_date(obligation.due, tz)
    why = calendar.describe(day)
    if why is None:
        return

    later = calendar.next_business_day(day)
    obligation.notes.append(
        f"{day} is {why}; under {statute} the deadline may move to {later.strftime('%A')} "
        f"{later}. The strict, earlier date is shown."
    )
