"""Rule versions prepared once per process: every value an evaluation reads, resolved ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from .arithmetic import END_OF_DAY, HolidayCalendar, holiday_calendar, zone
from .clock import is_notice
from .conditions import Checks, compile_checks
from .schema import Rule, RuleFile
from .vocabulary import CONCURRENT, WITHOUT_UNDUE_DELAY, Period, parse_period

ESTABLISHMENT = "@establishment"

#: Each distinct way of dating a deadline (period, limit, calendar, counting), numbered, so that
#: an evaluation can keep the date once for all the rules that count alike from one clock.
_DATINGS: dict[tuple[object, ...], int] = {}


@dataclass(frozen=True, slots=True, eq=False)
class CompiledRule:
    """One rule version with its periods parsed, its zone and calendar looked up, its checks built.

    `zone` is None when the facts' zone applies, `calendar` None when the main establishment's
    holidays apply; both are known only per evaluation. `event` is the trigger when it is an
    event or a year end (not another notice), `in_force_until` is date.max while in force.
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
    in_force_until: date
    zone: ZoneInfo | None
    calendar: HolidayCalendar | None
    trigger: str | None
    event: str | None
    period: Period | None
    limit: Period | None
    alternatives: tuple[tuple[str, Period], ...]
    ends_at: time
    first_day_counts: bool
    dating: int
    checks: Checks
    relief_until: time | None
    roll_forward: str | None
    is_overridable: bool
    content: tuple[str, ...]
    template: dict[str, object]

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day < self.in_force_until


def compile_rules(source: RuleFile) -> dict[str, tuple[CompiledRule, ...]]:
    """Every rule version of a rule file by obligation key, oldest first."""
    grouped: dict[str, list[Rule]] = {}
    for rule in source.rules:
        grouped.setdefault(f"{source.id}/{rule.key}", []).append(rule)

    return {
        key: tuple(
            compile_rule(source, rule)
            for rule in sorted(rules, key=lambda rule: rule.in_force_from)
        )
        for key, rules in grouped.items()
    }


def compile_rule(source: RuleFile, rule: Rule) -> CompiledRule:
    """Prepare one version of a rule of `source`."""
    notes = rule.notes.strip()
    zone_name = rule.timezone or source.timezone
    calendar = rule.calendar or source.calendar or ESTABLISHMENT
    period = None if rule.earliest_of else rule.parsed_period
    limit = parse_period(rule.limit) if rule.limit is not None else None
    ends_at = time.fromisoformat(rule.day_ends_at) if rule.day_ends_at else END_OF_DAY
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
        in_force_until=rule.in_force_until or date.max,
        zone=zone(zone_name) if zone_name else None,
        calendar=_calendar(calendar),
        trigger=rule.trigger,
        event=rule.trigger if rule.trigger and not is_notice(rule.trigger) else None,
        period=period,
        limit=limit,
        alternatives=tuple(
            (choice.trigger, parse_period(choice.period)) for choice in rule.earliest_of
        ),
        ends_at=ends_at,
        first_day_counts=rule.first_business_day_counts,
        dating=_dating(period, limit, calendar, rule.first_business_day_counts, ends_at),
        checks=compile_checks(source, rule),
        relief_until=time.fromisoformat(relief.until) if relief is not None else None,
        roll_forward=source.roll_forward if _is_day_based(rule) else None,
        is_overridable=rule.contractual and bool(source.contract_parties),
        content=tuple(rule.content),
        template=_template(source, rule),
    )


def _template(source: RuleFile, rule: Rule) -> dict[str, object]:
    """The fields of an obligation of this rule version that do not depend on the facts."""
    return {
        "key": f"{source.id}/{rule.key}",
        "regime": source.id,
        "recipient": rule.recipient,
        "stage": rule.stage,
        "due": None,
        "due_kind": "fixed",
        "trigger": "",
        "basis": "",
        "citation": rule.citation,
        "rule_version": rule.version,
        "trigger_at": None,
        "timezone": "UTC",
        "target": None,
        "target_basis": None,
        "notes": [],
        "content": [],
        "contractual": rule.contractual,
        "depends_on": None,
        "confidence": rule.confidence or source.confidence,
        "given_at": None,
        "remaining_seconds": None,
        "is_overdue": None,
    }


def _dating(
    period: Period | None,
    limit: Period | None,
    calendar: str,
    first_day_counts: bool,
    ends_at: time,
) -> int:
    """The number of this way of dating, keeping only what the arithmetic reads for the period."""
    measure = limit or period
    unit = measure.unit if measure is not None else None
    key = (
        period,
        limit,
        calendar if unit == "bd" else None,
        first_day_counts and unit == "bd",
        ends_at if unit in ("d", "bd", "mo") else None,
    )
    return _DATINGS.setdefault(key, len(_DATINGS))


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
