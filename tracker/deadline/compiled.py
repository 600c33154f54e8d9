"""Rule versions prepared once per process: every value an evaluation reads, resolved ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from .arithmetic import END_OF_DAY, HolidayCalendar, holiday_calendar, zone
from .conditions import Check, compile_checks
from .schema import Rule, RuleFile
from .vocabulary import CONCURRENT, WITHOUT_UNDUE_DELAY, Period, parse_period

ESTABLISHMENT = "@establishment"


@dataclass(frozen=True, slots=True, eq=False)
class CompiledRule:
    """One rule version with its periods parsed, its zone and calendar looked up, its checks built.

    `zone` is None when the facts' zone applies, `calendar` None when the main establishment's
    holidays apply; both are known only per evaluation.
    """

    rule: Rule
    regime: str
    key: str
    recipient: str
    stage: str | None
    version: str
    notes: tuple[str, ...]
    confidence: str
    in_force_from: date
    in_force_until: date | None
    zone: ZoneInfo | None
    calendar: HolidayCalendar | None
    trigger: str | None
    period: Period | None
    limit: Period | None
    alternatives: tuple[tuple[str, Period], ...]
    ends_at: time
    first_day_counts: bool
    checks: tuple[Check, ...]
    relief_until: time | None
    roll_forward: str | None
    is_overridable: bool

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day < self.in_force_until
        )


def compile_rule(source: RuleFile, rule: Rule) -> CompiledRule:
    """Prepare one version of a rule of the rule file `source`."""
    notes = rule.notes.strip()
    zone_name = rule.timezone or source.timezone
    period = None if rule.earliest_of else rule.parsed_period
    relief = rule.weekend_relief
    return CompiledRule(
        rule=rule,
        regime=source.id,
        key=f"{source.id}/{rule.key}",
        recipient=rule.recipient,
        stage=rule.stage,
        version=rule.version,
        notes=(notes,) if notes else (),
        confidence=rule.confidence or source.confidence,
        in_force_from=rule.in_force_from,
        in_force_until=rule.in_force_until,
        zone=zone(zone_name) if zone_name else None,
        calendar=_calendar(rule.calendar or source.calendar or ESTABLISHMENT),
        trigger=rule.trigger,
        period=period,
        limit=parse_period(rule.limit) if rule.limit is not None else None,
        alternatives=tuple(
            (choice.trigger, parse_period(choice.period)) for choice in rule.earliest_of
        ),
        ends_at=time.fromisoformat(rule.day_ends_at) if rule.day_ends_at else END_OF_DAY,
        first_day_counts=rule.first_business_day_counts,
        checks=compile_checks(rule),
        relief_until=time.fromisoformat(relief.until) if relief is not None else None,
        roll_forward=source.roll_forward if _is_day_based(rule) else None,
        is_overridable=rule.contractual and bool(source.contract_parties),
    )


def _calendar(code: str) -> HolidayCalendar | None:
    if code == ESTABLISHMENT:
        return None
    return holiday_calendar(None if code == "none" else code)


def _is_day_based(rule: Rule) -> bool:
    """Whether the deadline ends with a day rather than an elapsed time."""
    if rule.earliest_of or rule.period == CONCURRENT:
        return False
    if rule.period == WITHOUT_UNDUE_DELAY:
        return rule.limit is not None and not parse_period(rule.limit).is_elapsed
    return not rule.parsed_period.is_elapsed
