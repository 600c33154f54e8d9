"""Evaluate the facts of one incident against every regime of the rulebook."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..facts import Facts
from . import text
from .adjust import apply_law_enforcement, apply_weekend_relief, roll_forward_note
from .arithmetic import HolidayCalendar, due_instant, holiday_calendar, local_date, zone
from .clock import Clock, event_clock, given_notice_clock, is_notice, is_year_end, year_end_clock
from .compiled import CompiledRule, compile_rule
from .conditions import Scope, regime_reason, rule_reason
from .contracts import contract_obligations, contract_override
from .model import Evaluation, NotApplicable, Obligation
from .rulebook import Regime, Rulebook, load_rulebook
from .vocabulary import CONCURRENT, NOTICE_PREFIX, WITHOUT_UNDUE_DELAY, Period

logger = logging.getLogger(__name__)

Outcome = Obligation | NotApplicable


def evaluate(
    facts: Facts,
    now: datetime | None = None,
    policy_target_hours: int = 72,
    rulebook: Rulebook | None = None,
) -> Evaluation:
    """Every obligation the facts give rise to, and every regime or rule that does not apply.

    `now` is used only for the countdown and the overdue flag; `policy_target_hours` sets the
    organisation's own target for notices the law wants "without undue delay".
    """
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise ValueError("now must be an instant with an offset")

    run = _Run(facts, rulebook or load_rulebook(), policy_target_hours)
    outcomes = run.all_outcomes()
    outcomes.extend(contract_obligations(facts, run.overridden_parties, policy_target_hours))

    obligations = sorted(
        (item for item in outcomes if isinstance(item, Obligation)), key=_due_order
    )
    not_applicable = [item for item in outcomes if isinstance(item, NotApplicable)]
    if now is not None:
        _count_down(obligations, now)
    return Evaluation(obligations, not_applicable, facts, now)


def _due_order(obligation: Obligation) -> tuple[bool, datetime, str]:
    instant = obligation.due or obligation.target or datetime.max.replace(tzinfo=UTC)
    return (obligation.due is None, instant, obligation.key)


def _count_down(obligations: list[Obligation], now: datetime) -> None:
    for obligation in obligations:
        if obligation.due is None or obligation.given_at is not None:
            obligation.is_overdue = False if obligation.given_at is not None else None
            continue
        obligation.remaining_seconds = int((obligation.due - now).total_seconds())
        obligation.is_overdue = obligation.due < now


@dataclass
class _Run:
    """One evaluation: the facts, the rulebook and the outcomes computed so far, by key."""

    facts: Facts
    rulebook: Rulebook
    policy_target_hours: int
    scope: Scope = field(init=False)
    outcomes: dict[str, Outcome | None] = field(default_factory=dict)
    regime_reasons: dict[str, str | None] = field(default_factory=dict)
    overridden_parties: set[str] = field(default_factory=set)
    event_clocks: dict[tuple[str, str], Clock] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scope = Scope.of(self.facts)
        self.by_key = self.rulebook.by_key
        self.zone = zone(self.facts.timezone)
        self.establishment = holiday_calendar(self.facts.organisation.main_establishment)

    def all_outcomes(self) -> list[Outcome]:
        found: list[Outcome] = []
        for regime in self.rulebook.regimes:
            reason = self.regime_reason(regime)
            if reason is not None:
                found.append(NotApplicable(regime.id, reason))
                continue
            found.extend(self.regime_outcomes(regime))
        return found

    def regime_outcomes(self, regime: Regime) -> list[Outcome]:
        """The outcome of each rule; one entry for the regime when none of its rules applies."""
        outcomes = [self.outcome(key) for key in regime.keys]
        if any(isinstance(item, Obligation) for item in outcomes):
            return outcomes
        return [NotApplicable(regime.id, outcomes[0].reason)]  # type: ignore[union-attr]

    def regime_reason(self, regime: Regime) -> str | None:
        if regime.id not in self.regime_reasons:
            self.regime_reasons[regime.id] = regime_reason(regime, self.facts, self.scope)
        return self.regime_reasons[regime.id]

    def outcome(self, key: str) -> Outcome:
        """The obligation for `key`, or why it does not apply; each key is computed once."""
        if key in self.outcomes:
            found = self.outcomes[key]
            if found is None:
                return _not_applicable(self.by_key[key], key, "its notices depend on each other")
            return found

        self.outcomes[key] = None
        regime = self.by_key[key]
        reason = self.regime_reason(regime)
        if reason is not None:
            result: Outcome = _not_applicable(regime, key, reason)
        else:
            result = self._evaluate_key(regime, key)
        self.outcomes[key] = result
        return result

    def _evaluate_key(self, regime: Regime, key: str) -> Outcome:
        candidates = [(version, self.clock_for(version)) for version in regime.compiled(key)]
        started = [(version, clock) for version, clock in candidates if clock.version_day]
        if not started:
            return _not_applicable(regime, key, str(candidates[0][1].reason))

        in_force = [
            (version, clock) for version, clock in started if version.in_force_on(clock.version_day)
        ]
        if not in_force:
            return _not_applicable(regime, key, _not_in_force(started))

        first_reason = None
        for version, clock in in_force:
            notes: list[str] = []
            day = clock.version_day
            reason = rule_reason(version.checks, regime, self.facts, self.scope, day, notes)
            if reason is None:
                return self.build(regime, version, clock, notes)
            first_reason = first_reason or reason
        return _not_applicable(regime, key, str(first_reason))

    def zone_for(self, version: CompiledRule) -> ZoneInfo:
        return version.zone or self.zone

    def calendar_for(self, version: CompiledRule) -> HolidayCalendar:
        return self.establishment if version.calendar is None else version.calendar

    def clock_for(self, version: CompiledRule) -> Clock:
        tz = self.zone_for(version)
        if version.alternatives:
            clocks = [self.trigger_clock(trigger, tz) for trigger, _ in version.alternatives]
            started = [clock for clock in clocks if clock.start is not None]
            return min(started, key=lambda clock: clock.start) if started else clocks[0]  # type: ignore[arg-type, return-value]
        return self.trigger_clock(str(version.trigger), tz)

    def trigger_clock(self, trigger: str, tz: ZoneInfo) -> Clock:
        if is_notice(trigger):
            return self.notice_clock(trigger, tz)

        cached = self.event_clocks.get((trigger, tz.key))
        if cached is None:
            if is_year_end(trigger):
                cached = year_end_clock(self.facts, trigger, tz)
            else:
                cached = event_clock(self.facts, trigger, tz)
            self.event_clocks[(trigger, tz.key)] = cached
        return cached

    def notice_clock(self, trigger: str, tz: ZoneInfo) -> Clock:
        key = trigger.removeprefix(NOTICE_PREFIX)
        given_at = self.facts.notices.get(key)
        if given_at is not None:
            return given_notice_clock(trigger, given_at, tz)
        return self.pending_notice_clock(trigger, key, tz)

    def pending_notice_clock(self, trigger: str, key: str, tz: ZoneInfo) -> Clock:
        """A notice not given yet: count from its own deadline, or carry its lack of one."""
        other = self.outcome(key)
        if isinstance(other, NotApplicable):
            return Clock(
                trigger, reason=f"it follows notice {key}, which is not owed: {other.reason}"
            )

        if other.due is not None:
            described = (
                f"notice {key}, not given yet, counted from its own deadline "
                f"{text.moment(other.due, tz)}"
            )
            return Clock(
                trigger,
                other.due,
                f"notice {key}",
                depends_on=key,
                version_day=local_date(other.due, tz),
                described=described,
            )

        anchor = other.trigger_at or other.target
        return Clock(
            trigger,
            None,
            f"notice {key}, which has not been given and has no fixed date",
            depends_on=key,
            pending_kind=other.due_kind,
            pending_target=other.target,
            version_day=local_date(anchor, tz) if anchor is not None else None,
        )

    def build(
        self, regime: Regime, version: CompiledRule, clock: Clock, notes: list[str]
    ) -> Obligation:
        """The obligation of one applicable rule version, with its date and basis."""
        if version.is_overridable:
            rule, contract_note = contract_override(regime, version.rule, self.facts)
            if contract_note is not None:
                self.overridden_parties.add(contract_note[0])
                version = compile_rule(regime.source, rule)
                clock = self.clock_for(version)
                notes.append(contract_note[1])

        tz = self.zone_for(version)
        obligation = self.base_obligation(version, clock, tz, notes)
        self.date_obligation(obligation, version, clock, tz)

        if self.facts.law_enforcement_delay is not None:
            apply_law_enforcement(obligation, version.rule, self.facts, tz)
        if version.relief_until is not None:
            calendar = self.calendar_for(version)
            apply_weekend_relief(obligation, version, self.scope.roles, calendar, tz)
        if version.roll_forward is not None:
            roll_forward_note(obligation, version.roll_forward, self.calendar_for(version), tz)
        _in_utc(obligation)
        return obligation

    def base_obligation(
        self, version: CompiledRule, clock: Clock, tz: ZoneInfo, notes: list[str]
    ) -> Obligation:
        rule = version.rule
        notes.extend(version.notes)
        return Obligation(
            key=version.key,
            regime=version.regime,
            recipient=version.recipient,
            stage=version.stage,
            due=None,
            due_kind="fixed",
            trigger=clock.trigger,
            basis="",
            citation=rule.citation,
            rule_version=version.version,
            trigger_at=clock.start,
            timezone=str(tz.key),
            notes=notes,
            content=list(rule.content),
            contractual=rule.contractual,
            depends_on=clock.depends_on,
            confidence=version.confidence,
            given_at=self.facts.notices.get(version.key),
        )

    def date_obligation(
        self, obligation: Obligation, version: CompiledRule, clock: Clock, tz: ZoneInfo
    ) -> None:
        if version.alternatives:
            self.date_earliest(obligation, version, tz)
            return

        period = version.period
        assert period is not None
        if clock.start is None:
            self.date_pending(obligation, version, period, clock, tz)
            return

        if period.form == CONCURRENT:
            obligation.due = clock.start
            obligation.basis = f"Concurrent with {clock.phrase(tz, with_time=True)}"
            return

        if period.form == WITHOUT_UNDUE_DELAY:
            self.date_without_undue_delay(obligation, version, clock, tz)
            return

        obligation.due = self.due(version, clock.start, period, tz)
        obligation.basis = _sentence(period, clock, obligation.due, tz)

    def due(self, version: CompiledRule, start: datetime, period: Period, tz: ZoneInfo) -> datetime:
        calendar = self.calendar_for(version)
        return due_instant(start, period, tz, calendar, version.first_day_counts, version.ends_at)

    def date_without_undue_delay(
        self, obligation: Obligation, version: CompiledRule, clock: Clock, tz: ZoneInfo
    ) -> None:
        start = clock.start
        assert start is not None
        limit = version.limit
        if limit is not None:
            obligation.due = self.due(version, start, limit, tz)
            obligation.basis = (
                f"Without undue delay and at the latest {limit.describe()} after "
                f"{clock.phrase(tz, with_time=limit.is_elapsed)}, which ends "
                f"{text.moment(obligation.due, tz)}"
            )
            return

        obligation.due_kind = "without_undue_delay"
        obligation.basis = (
            f"Without undue delay after {clock.phrase(tz, with_time=True)}; "
            f"the law sets no outer limit"
        )
        self.set_target(obligation, start, clock.phrase(tz, with_time=True), tz)

    def set_target(
        self, obligation: Obligation, start: datetime, phrase: str, tz: ZoneInfo
    ) -> None:
        hours = self.policy_target_hours
        obligation.target = start.astimezone(UTC) + timedelta(hours=hours)
        obligation.target_basis = (
            f"Policy target, not law: {hours} hours after {phrase}, "
            f"{text.moment(obligation.target, tz)}"
        )

    def date_pending(
        self,
        obligation: Obligation,
        version: CompiledRule,
        period: Period,
        clock: Clock,
        tz: ZoneInfo,
    ) -> None:
        """A rule tied to a notice that has neither been given nor has a date of its own."""
        obligation.due_kind = "tolled" if clock.pending_kind == "tolled" else "without_undue_delay"
        obligation.basis = f"{_prefix(period)} {clock.label}; no date follows until it is given"
        if clock.pending_target is None:
            return

        target = clock.pending_target
        if period.is_numeric:
            target = self.due(version, target, period, tz)
        obligation.target = target.astimezone(UTC)
        obligation.target_basis = (
            f"Policy target, not law: {_prefix(period).lower()} the policy target of notice "
            f"{clock.depends_on}, {text.moment(obligation.target, tz)}"
        )

    def date_earliest(self, obligation: Obligation, version: CompiledRule, tz: ZoneInfo) -> None:
        results = []
        for trigger, period in version.alternatives:
            clock = self.trigger_clock(trigger, tz)
            if clock.start is None:
                continue
            if period.form == CONCURRENT:
                results.append((clock.start, clock, period))
            else:
                results.append((self.due(version, clock.start, period, tz), clock, period))

        due, clock, period = min(results, key=lambda item: item[0])
        others = [
            f"{_prefix(other_period).lower()} {other_clock.phrase(tz, with_time=True)} "
            f"({text.moment(other_due, tz)})"
            for other_due, other_clock, other_period in results
            if other_clock is not clock
        ]
        obligation.due = due
        obligation.trigger = clock.trigger
        obligation.trigger_at = clock.start
        if period.form == CONCURRENT:
            obligation.basis = f"Concurrent with {clock.phrase(tz, with_time=True)}"
        else:
            obligation.basis = _sentence(period, clock, due, tz)
        if others:
            obligation.basis += f", earlier than {' and '.join(others)}"


def _in_utc(obligation: Obligation) -> None:
    if obligation.due is not None:
        obligation.due = obligation.due.astimezone(UTC)
    if obligation.target is not None:
        obligation.target = obligation.target.astimezone(UTC)
    if obligation.trigger_at is not None:
        obligation.trigger_at = obligation.trigger_at.astimezone(UTC)


def _prefix(period: Period) -> str:
    if period.form == CONCURRENT:
        return "Concurrent with"
    if period.form == WITHOUT_UNDUE_DELAY:
        return "Without undue delay after"
    return f"{period.describe()[0].upper()}{period.describe()[1:]} after"


def _sentence(period: Period, clock: Clock, due: datetime, tz: ZoneInfo) -> str:
    """The basis: "60 calendar days after discovery on 2026-02-09 ends 2026-04-10 23:59 EST"."""
    phrase = clock.phrase(tz, with_time=period.is_elapsed)
    return f"{period.describe()} after {phrase} ends {text.moment(due, tz)}"


def _not_applicable(regime: Regime, key: str, reason: str) -> NotApplicable:
    parts = key.split("/")
    stage = parts[2] if len(parts) > 2 else None
    return NotApplicable(regime.id, reason, recipient=parts[1], stage=stage, key=key)


def _not_in_force(started: list[tuple[CompiledRule, Clock]]) -> str:
    rule, clock = started[0]
    spans = ", ".join(
        f"from {item.in_force_from}"
        + (f" until {item.in_force_until}" if item.in_force_until else "")
        for item, _ in started
    )
    return f"not in force on {clock.version_day}, the day its clock started (in force {spans})"
