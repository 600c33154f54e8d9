"""The schema of a jurisdiction rule file: every field, its type and what it accepts."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ..facts import CATEGORIES, DATA_CATEGORIES, EVENTS, PAYMENT_BRANDS, ROLES, SEVERITIES
from .vocabulary import (
    APPLIES_TO,
    CAUSES,
    CONCURRENT,
    CONFIDENCE,
    COUNTED_OVER,
    KINDS,
    NOTICE_PREFIX,
    OPERATORS,
    RECIPIENTS,
    REGIONS,
    RISK_THRESHOLDS,
    RISK_VALUES,
    STAGES,
    WITHOUT_UNDUE_DELAY,
    YEAR_END_PREFIX,
    Period,
    parse_period,
)

REGIME_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
NOTICE_KEY = re.compile(r"^[a-z][a-z0-9-]*/[a-z_]+(/[a-z_]+)?$")
CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SPECIAL_CALENDARS = ("@establishment", "none")


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"expected an IANA time zone such as America/New_York; got {value!r}"
        ) from None
    return value


def _calendar(value: str) -> str:
    if value in SPECIAL_CALENDARS:
        return value

    country, _, subdivision = value.partition("-")
    supported = holidays.utils.list_supported_countries()
    if country not in supported or (subdivision and subdivision not in supported[country]):
        raise ValueError(
            f"expected a holiday calendar of the holidays package such as US, US-CA or DE, "
            f"or one of {', '.join(SPECIAL_CALENDARS)}; got {value!r}"
        )
    return value


def _jurisdiction(value: str) -> str:
    if value in REGIONS or re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", value):
        return value
    raise ValueError(
        f"expected an ISO 3166 code such as US-CA or DE, or a region ({', '.join(REGIONS)}); "
        f"got {value!r}"
    )


def _period(value: str) -> str:
    parse_period(value)
    return value


def _numeric_period(value: str) -> str:
    if not parse_period(value).is_numeric:
        raise ValueError(f"expected a period with a number, such as 30d or 7d; got {value!r}")
    return value


def _trigger(value: str) -> str:
    if value.startswith(NOTICE_PREFIX):
        if not NOTICE_KEY.match(value[len(NOTICE_PREFIX) :]):
            raise ValueError(
                f"expected notice:<obligation key> such as notice:us-ca/individuals; got {value!r}"
            )
        return value

    event = value.removeprefix(YEAR_END_PREFIX)
    if event not in EVENTS:
        raise ValueError(
            f"expected an event ({', '.join(EVENTS)}), notice:<obligation key> or "
            f"year_end:<event>; got {value!r}"
        )
    return value


def _clock_time(value: str) -> str:
    if not CLOCK_TIME.match(value):
        raise ValueError(f"expected a local time of day as HH:MM, such as 22:00; got {value!r}")
    return value


TimeZoneName = Annotated[str, AfterValidator(_timezone)]
CalendarName = Annotated[str, AfterValidator(_calendar)]
Jurisdiction = Annotated[str, AfterValidator(_jurisdiction)]
PeriodText = Annotated[str, AfterValidator(_period)]
NumericPeriod = Annotated[str, AfterValidator(_numeric_period)]
TriggerText = Annotated[str, AfterValidator(_trigger)]
ClockTime = Annotated[str, AfterValidator(_clock_time)]
Text = Annotated[str, Field(min_length=1)]

Role = Literal[ROLES]  # type: ignore[valid-type]
Category = Literal[DATA_CATEGORIES]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Reference(_Strict):
    title: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]


class Definition(_Strict):
    """A dated definition of the personal information a law protects."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    in_force_from: date
    in_force_until: date | None = None
    citation: Text
    alone: list[Category] = []
    with_name: list[Category] = []
    notes: str = ""

    @model_validator(mode="after")
    def _some_category(self) -> Definition:
        if not self.alone and not self.with_name:
            raise ValueError("a definition needs at least one category in alone or with_name")
        _check_dates(self.in_force_from, self.in_force_until)
        return self


class Threshold(_Strict):
    op: Literal[OPERATORS]  # type: ignore[valid-type]
    count: Annotated[int, Field(ge=0)]
    over: Literal[COUNTED_OVER]  # type: ignore[valid-type]


def _elapsed_period(value: str) -> str:
    if not parse_period(value).is_elapsed:
        raise ValueError(f"expected minutes or hours, such as 5min or 4h; got {value!r}")
    return value


ElapsedPeriod = Annotated[str, AfterValidator(_elapsed_period)]
Event = Literal[EVENTS]  # type: ignore[valid-type]


class Lasting(_Strict):
    """The incident lasted longer than a period, from one event to another."""

    longer_than: ElapsedPeriod
    start: Event
    end: Event


class Conditions(_Strict):
    """When a rule applies; every condition given must hold."""

    roles_any: list[Role] = []
    data_definition: str | None = None
    categories_any: list[Category] = []
    affected: Threshold | None = None
    risk_at_least: Literal[RISK_THRESHOLDS] | None = None  # type: ignore[valid-type]
    risk_in: list[Literal[RISK_VALUES]] = []  # type: ignore[valid-type]
    lasting: Lasting | None = None
    causes_any: list[Literal[CAUSES]] = []  # type: ignore[valid-type]
    severity_in: list[Literal[SEVERITIES]] = []  # type: ignore[valid-type]
    category_in: list[Literal[CATEGORIES]] = []  # type: ignore[valid-type]
    payment_brands_any: list[Literal[PAYMENT_BRANDS]] = []  # type: ignore[valid-type]


class LawEnforcementDelay(_Strict):
    """How a law-enforcement request holds this rule's clock."""

    mode: Literal["displace", "toll", "restart"]
    after_release: NumericPeriod | None = None
    oral_limit: NumericPeriod | None = None
    other_reading: Literal["displace", "toll", "restart"] | None = None
    notes: str = ""


class Exceptions(_Strict):
    encryption: bool = False
    no_risk_of_harm: bool = False
    law_enforcement: LawEnforcementDelay | None = None


class Alternative(_Strict):
    """One trigger and period of an earliest-of rule."""

    trigger: TriggerText
    period: PeriodText

    @model_validator(mode="after")
    def _numeric(self) -> Alternative:
        period = parse_period(self.period)
        if period.form == CONCURRENT and self.trigger.startswith(NOTICE_PREFIX):
            return self
        if not period.is_numeric:
            raise ValueError(
                "each earliest_of entry needs a period with a number, such as 24h, "
                "or 'concurrent' with a notice: trigger"
            )
        return self


class WeekendRelief(_Strict):
    """A deadline on a weekend day or holiday may be met by this time of the next working day."""

    until: ClockTime
    citation: Text
    not_for_roles: list[Role] = []


class Rule(_Strict):
    """One version of one rule: who is told, from when, within what, and under what conditions."""

    recipient: Literal[RECIPIENTS]  # type: ignore[valid-type]
    stage: Literal[STAGES] | None = None  # type: ignore[valid-type]
    citation: Text
    in_force_from: date
    in_force_until: date | None = None
    trigger: TriggerText | None = None
    period: PeriodText | None = None
    limit: NumericPeriod | None = None
    earliest_of: list[Alternative] = []
    timezone: TimeZoneName | None = None
    calendar: CalendarName | None = None
    day_ends_at: ClockTime | None = None
    first_business_day_counts: bool = False
    weekend_relief: WeekendRelief | None = None
    when: Conditions = Conditions()
    exceptions: Exceptions = Exceptions()
    content: list[Text] = []
    contractual: bool = False
    confidence: Literal[CONFIDENCE] | None = None  # type: ignore[valid-type]
    notes: str = ""

    @model_validator(mode="after")
    def _clock(self) -> Rule:
        _check_dates(self.in_force_from, self.in_force_until)
        if self.earliest_of:
            if self.trigger is not None or self.period is not None:
                raise ValueError("give either trigger and period, or earliest_of, not both")
            if len(self.earliest_of) < 2:
                raise ValueError("earliest_of needs at least two trigger and period pairs")
            return self

        if self.trigger is None or self.period is None:
            raise ValueError("a rule needs trigger and period (or earliest_of)")
        _check_period_form(self.trigger, self.parsed_period, self.limit)
        return self

    @property
    def key(self) -> str:
        return self.recipient if self.stage is None else f"{self.recipient}/{self.stage}"

    @property
    def parsed_period(self) -> Period:
        return parse_period(self.period or "")

    @property
    def version(self) -> str:
        return self.in_force_from.isoformat()

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day < self.in_force_until
        )


class RuleFile(_Strict):
    """One regime: a statute, regulation, card-brand rule or the organisation's own policy."""

    id: Annotated[str, Field(pattern=REGIME_ID.pattern)]
    name: Text
    kind: Literal[KINDS]  # type: ignore[valid-type]
    jurisdictions: list[Jurisdiction] = []
    applies_to: Literal[APPLIES_TO] = "residents"  # type: ignore[valid-type]
    citation: Text
    reviewed: date
    confidence: Literal[CONFIDENCE]  # type: ignore[valid-type]
    timezone: TimeZoneName | None = None
    calendar: CalendarName | None = None
    roll_forward: str | None = None
    contract_parties: list[Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]] = []
    notes: str = ""
    references: Annotated[list[Reference], Field(min_length=1)]
    definitions: list[Definition] = []
    rules: Annotated[list[Rule], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> RuleFile:
        if self.applies_to != "organisation" and not self.jurisdictions:
            raise ValueError(
                f"jurisdictions must list the codes whose residents count when applies_to is "
                f"{self.applies_to!r}"
            )
        _check_definitions(self)
        _check_versions(self)
        return self


def _check_dates(start: date, until: date | None) -> None:
    if until is not None and until <= start:
        raise ValueError(f"in_force_until {until} must be after in_force_from {start}")


def _check_period_form(trigger: str, period: Period, limit: str | None) -> None:
    if limit is not None and period.form != WITHOUT_UNDUE_DELAY:
        raise ValueError(f"limit is only allowed with period '{WITHOUT_UNDUE_DELAY}'")
    if period.form == CONCURRENT and not trigger.startswith(NOTICE_PREFIX):
        raise ValueError("period 'concurrent' needs a trigger notice:<obligation key>")


def _check_definitions(rule_file: RuleFile) -> None:
    known = {definition.id for definition in rule_file.definitions}
    for index, definition in enumerate(rule_file.definitions):
        for earlier in rule_file.definitions[:index]:
            if earlier.id == definition.id and _overlap(earlier, definition):
                raise ValueError(
                    f"definitions[{index}] ({definition.id}, from {definition.in_force_from}) "
                    f"overlaps an earlier version from {earlier.in_force_from}; end the earlier "
                    f"one with in_force_until on the day the new one takes effect"
                )

    for index, rule in enumerate(rule_file.rules):
        wanted = rule.when.data_definition
        if wanted is not None and wanted not in known:
            raise ValueError(
                f"rules[{index}].when.data_definition names {wanted!r}, which is not among "
                f"the definitions of this file ({', '.join(sorted(known)) or 'none'})"
            )


def _check_versions(rule_file: RuleFile) -> None:
    """Versions of one rule may not overlap in time unless their conditions differ."""
    seen: dict[str, list[tuple[int, Rule]]] = {}
    for index, rule in enumerate(rule_file.rules):
        for other_index, other in seen.get(rule.key, []):
            if rule.when == other.when and _overlap(rule, other):
                raise ValueError(
                    f"rules[{index}] ({rule.key}, from {rule.in_force_from}) overlaps "
                    f"rules[{other_index}] (from {other.in_force_from}); end the earlier version "
                    f"with in_force_until on the day the new one takes effect"
                )
        seen.setdefault(rule.key, []).append((index, rule))


def _overlap(first: Rule | Definition, second: Rule | Definition) -> bool:
    first_end = first.in_force_until or date.max
    second_end = second.in_force_until or date.max
    return first.in_force_from < second_end and second.in_force_from < first_end
