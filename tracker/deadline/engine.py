"""Evaluate the facts of one incident against every regime of the rulebook."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from ..facts import Facts
from . import text
from .adjust import apply_law_enforcement, apply_weekend_relief, roll_forward_note
from .arithmetic import HolidayCalendar, due_instant, holiday_calendar, local_date, zone
from .clock import Clock, event_clock, given_notice_clock, is_year_end, year_end_clock
from .compiled import CompiledRule, compile_rule
from .conditions import Scope, regime_reason
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
    obligations, not_applicable = run.all_outcomes()
    for item in contract_obligations(facts, run.overridden_parties, policy_target_hours):
        if isinstance(item, Obligation):
            obligations.append(item)
        else:
            not_applicable.append(item)

    obligations = _in_due_order(obligations)
    if now is not None:
        _count_down(obligations, now)
    return Evaluation(obligations, not_applicable, facts, now)


def _in_due_order(obligations: list[Obligation]) -> list[Obligation]:
    """Fixed dates first, earliest first, then policy targets; by key where they are equal."""
    never = datetime.max.replace(tzinfo=UTC)
    order = sorted(
        [
            (item.due is None, item.due or item.target or never, item.key, index)
            for index, item in enumerate(obligations)
        ]
    )
    return [obligations[entry[-1]] for entry in order]


def _count_down(obligations: list[Obligation], now: datetime) -> None:
    for obligation in obligations:
        if obligation.due is None or obligation.given_at is not None:
            obligation.is_overdue = False if obligation.given_at is not None else None
            continue
        obligation.remaining_seconds = int((obligation.due - now).total_seconds())
        obligation.is_overdue = obligation.due < now


#: A date worked out from one clock: kind, due, basis, policy target and its basis.
Dated = tuple[str, datetime | None, str, datetime | None, str | None]


class _EventClocks(dict[tuple[str, ZoneInfo], Clock]):
    """The clock of each event (or year end) in each zone, computed on first use."""

    def __init__(self, facts: Facts) -> None:
        super().__init__()
        self.facts = facts

    def __missing__(self, key: tuple[str, ZoneInfo]) -> Clock:
        trigger, tz = key
        if is_year_end(trigger):
            clock = year_end_clock(self.facts, trigger, tz)
        else:
            clock = event_clock(self.facts, trigger, tz)
        self[key] = clock
        return clock


@dataclass
class _Run:
    """One evaluation: the facts, the rulebook and the outcomes computed so far, by key.

    Within the evaluation it keeps what many rules share: the clock of each event and each
    date worked out from an event's clock.
    """

    facts: Facts
    rulebook: Rulebook
    policy_target_hours: int
    outcomes: dict[str, Outcome | None] = field(default_factory=dict)
    overridden_parties: set[str] = field(default_factory=set)
    dated: dict[tuple[str, str, int], Dated] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scope = Scope.of(self.facts)
        self.by_key = self.rulebook.by_key
        self.zone = zone(self.facts.timezone)
        self.establishment = holiday_calendar(self.facts.organisation.main_establishment)
        self.event_clocks = _EventClocks(self.facts)
        self.notice_clocks: dict[tuple[str, ZoneInfo], Clock] = {}
        self.notices = self.facts.notices
        self.law_enforcement_delay = self.facts.law_enforcement_delay
        self.regime_reasons = {
            regime.id: regime_reason(regime, self.facts, self.scope)
            for regime in self.rulebook.regimes
        }

    def all_outcomes(self) -> tuple[list[Obligation], list[NotApplicable]]:
        """The obligations owed, and each regime or rule that does not apply, in file order."""
        obligations: list[Obligation] = []
        not_applicable: list[NotApplicable] = []
        for regime in self.rulebook.regimes:
            reason = self.regime_reasons[regime.id]
            if reason is not None:
                not_applicable.append(_regime_not_applicable(regime.id, reason))
                continue

            owed: list[Obligation] = []
            skipped: list[NotApplicable] = []
            for key in regime.keys:
                outcome = self.outcome(key)
                if isinstance(outcome, Obligation):
                    owed.append(outcome)
                else:
                    skipped.append(outcome)
            if owed:
                obligations.extend(owed)
                not_applicable.extend(skipped)
            else:
                # None of its rules applies: one entry for the regime, with the first reason.
                not_applicable.append(NotApplicable(regime.id, skipped[0].reason))
        return obligations, not_applicable

    def outcome(self, key: str) -> Outcome:
        """The obligation for `key`, or why it does not apply; each key is computed once."""
        if key in self.outcomes:
            found = self.outcomes[key]
            if found is None:
                return _not_applicable(self.by_key[key].id, key, "its notices depend on each other")
            return found

        self.outcomes[key] = None
        regime = self.by_key[key]
        reason = self.regime_reasons[regime.id]
        if reason is not None:
            result: Outcome = _not_applicable(regime.id, key, reason)
        else:
            versions = regime.compiled[key]
            if len(versions) == 1:
                result = self._evaluate_only(regime, key, versions[0])
            else:
                result = self._evaluate_key(regime, key, versions)
        self.outcomes[key] = result
        return result

    def _evaluate_key(
        self, regime: Regime, key: str, versions: tuple[CompiledRule, ...]
    ) -> Outcome:
        """The first version in force on the day its clock starts whose conditions hold."""
        event_clocks = self.event_clocks
        clocks = [
            event_clocks[version.event, version.zone or self.zone]
            if version.event is not None
            else self.clock_for(version)
            for version in versions
        ]
        first_reason = None
        for index, version in enumerate(versions):
            clock = clocks[index]
            day = clock.version_day
            if day is None or not version.in_force_from <= day < version.in_force_until:
                continue
            notes: list[str] = []
            reason = version.checks.reason(regime, self.facts, self.scope, day, notes)
            if reason is None:
                return self.build(regime, version, clock, notes)
            if first_reason is None:
                first_reason = reason

        if first_reason is not None:
            return _not_applicable(regime.id, key, first_reason)
        started = [
            (version, clock)
            for version, clock in zip(versions, clocks, strict=True)
            if clock.version_day is not None
        ]
        if not started:
            return _not_applicable(regime.id, key, str(clocks[0].reason))
        return _not_applicable(regime.id, key, _not_in_force(started))

    def _evaluate_only(self, regime: Regime, key: str, version: CompiledRule) -> Outcome:
        """`_evaluate_key` for a rule with a single version."""
        if version.event is not None:
            clock = self.event_clocks[version.event, version.zone or self.zone]
        else:
            clock = self.clock_for(version)
        day = clock.version_day
        if day is None:
            return _not_applicable(regime.id, key, str(clock.reason))
        if not version.in_force_from <= day < version.in_force_until:
            return _not_applicable(regime.id, key, _not_in_force([(version, clock)]))
        notes: list[str] = []
        reason = version.checks.reason(regime, self.facts, self.scope, day, notes)
        if reason is None:
            return self.build(regime, version, clock, notes)
        return _not_applicable(regime.id, key, reason)

    def calendar_for(self, version: CompiledRule) -> HolidayCalendar:
        return self.establishment if version.calendar is None else version.calendar

    def clock_for(self, version: CompiledRule) -> Clock:
        tz = version.zone or self.zone
        if version.event is not None:
            return self.event_clocks[version.event, tz]
        if version.alternatives:
            clocks = [self.trigger_clock(trigger, tz) for trigger, _ in version.alternatives]
            started = [clock for clock in clocks if clock.start is not None]
            return min(started, key=lambda clock: clock.start) if started else clocks[0]  # type: ignore[arg-type, return-value]
        return self.notice_clock(str(version.trigger), tz)

    def trigger_clock(self, trigger: str, tz: ZoneInfo) -> Clock:
        if trigger.startswith(NOTICE_PREFIX):
            return self.notice_clock(trigger, tz)
        return self.event_clocks[trigger, tz]

    def notice_clock(self, trigger: str, tz: ZoneInfo) -> Clock:
        """The clock of a rule counting from another notice, kept once it is settled."""
        found = self.notice_clocks.get((trigger, tz))
        if found is not None:
            return found
        key = trigger.removeprefix(NOTICE_PREFIX)
        given_at = self.notices.get(key)
        if given_at is not None:
            clock = given_notice_clock(trigger, given_at, tz)
        else:
            clock = self.pending_notice_clock(trigger, key, tz)
            if self.outcomes.get(key) is None:
                # The other notice is still being worked out (notices that depend on each
                # other): this clock is provisional and is not kept.
                return clock
        self.notice_clocks[trigger, tz] = clock
        return clock

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

        tz = version.zone or self.zone
        notes += version.notes
        rule = version.rule
        # Built without the generated __init__: the rule version's own values are copied from
        # its template, which sets every other field to its default.
        fields = version.template.copy()
        fields["trigger"] = clock.trigger
        fields["trigger_at"] = clock.start
        fields["timezone"] = tz.key
        fields["notes"] = notes
        fields["content"] = list(version.content)
        fields["depends_on"] = clock.depends_on
        fields["given_at"] = self.notices.get(version.key)
        obligation = object.__new__(Obligation)
        obligation.__dict__ = fields
        if version.event is not None and not version.alternatives and clock.start is not None:
            # The clock of an event is shared by every rule counting from it in this zone, and
            # so is each date counted from it.
            key = (version.event, tz.key, version.dating)
            dated = self.dated.get(key)
            if dated is None:
                period = version.period
                assert period is not None
                dated = self.dated[key] = self.date(version, period, clock, tz)
            (
                fields["due_kind"],
                fields["due"],
                fields["basis"],
                fields["target"],
                fields["target_basis"],
            ) = dated
        else:
            self.date_obligation(obligation, version, clock, tz)

        if self.law_enforcement_delay is not None:
            apply_law_enforcement(obligation, rule, self.facts, tz)
        if version.relief_until is not None:
            calendar = self.calendar_for(version)
            apply_weekend_relief(obligation, version, self.scope.roles, calendar, tz)
        if version.roll_forward is not None:
            roll_forward_note(obligation, version.roll_forward, self.calendar_for(version), tz)
        if fields["due"] is not None and fields["due"].tzinfo is not UTC:
            fields["due"] = fields["due"].astimezone(UTC)
        if fields["target"] is not None and fields["target"].tzinfo is not UTC:
            fields["target"] = fields["target"].astimezone(UTC)
        if fields["trigger_at"] is not None and fields["trigger_at"].tzinfo is not UTC:
            fields["trigger_at"] = fields["trigger_at"].astimezone(UTC)
        return obligation

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

        dated = self.date(version, period, clock, tz)
        (
            obligation.due_kind,
            obligation.due,
            obligation.basis,
            obligation.target,
            obligation.target_basis,
        ) = dated

    def date(self, version: CompiledRule, period: Period, clock: Clock, tz: ZoneInfo) -> Dated:
        """The date of a started clock, with its basis and any policy target."""
        start = clock.start
        assert start is not None
        if period.form == CONCURRENT:
            return (
                "fixed",
                start,
                f"Concurrent with {clock.phrase(tz, with_time=True)}",
                None,
                None,
            )

        if period.form != WITHOUT_UNDUE_DELAY:
            due = self.due(version, start, period, tz)
            return ("fixed", due, _sentence(period, clock, due, tz), None, None)

        limit = version.limit
        if limit is not None:
            due = self.due(version, start, limit, tz)
            basis = (
                f"Without undue delay and at the latest {limit.describe()} after "
                f"{clock.phrase(tz, with_time=limit.is_elapsed)}, which ends "
                f"{text.moment(due, tz)}"
            )
            return ("fixed", due, basis, None, None)

        phrase = clock.phrase(tz, with_time=True)
        hours = self.policy_target_hours
        target = start.astimezone(UTC) + timedelta(hours=hours)
        return (
            "without_undue_delay",
            None,
            f"Without undue delay after {phrase}; the law sets no outer limit",
            target,
            f"Policy target, not law: {hours} hours after {phrase}, {text.moment(target, tz)}",
        )

    def due(self, version: CompiledRule, start: datetime, period: Period, tz: ZoneInfo) -> datetime:
        calendar = self.calendar_for(version)
        return due_instant(start, period, tz, calendar, version.first_day_counts, version.ends_at)

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


@lru_cache(maxsize=1024)
def _regime_not_applicable(regime_id: str, reason: str) -> NotApplicable:
    """A regime that does not apply; the same few reasons recur, and entries are immutable."""
    return NotApplicable(regime_id, reason)


@lru_cache(maxsize=4096)
def _not_applicable(regime_id: str, key: str, reason: str) -> NotApplicable:
    """A rule that does not apply; entries are immutable, and the same ones recur."""
    parts = key.split("/")
    stage = parts[2] if len(parts) > 2 else None
    return NotApplicable(regime_id, reason, recipient=parts[1], stage=stage, key=key)


def _not_in_force(started: list[tuple[CompiledRule, Clock]]) -> str:
    _, clock = started[0]
    spans = ", ".join(
        f"from {item.rule.in_force_from}"
        + (f" until {item.rule.in_force_until}" if item.rule.in_force_until else "")
        for item, _ in started
    )
    return f"not in force on {clock.version_day}, the day its clock started (in force {spans})"
