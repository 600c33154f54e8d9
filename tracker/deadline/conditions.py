"""Whether a rule applies to the facts: roles, data, counts, risk and the exceptions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from functools import partial
from itertools import repeat
from typing import TYPE_CHECKING

from ..facts import Facts
from .clock import event_clock
from .schema import Definition, Lasting, Rule, RuleFile, Threshold
from .vocabulary import EVENT_LABELS, parse_period

if TYPE_CHECKING:
    from .rulebook import Regime

ELAPSED_UNITS = {"min": timedelta(minutes=1), "h": timedelta(hours=1)}

ASSUMED_ROLES = frozenset({"controller", "data_owner"})
RISK_ORDER = {"unlikely": 0, "likely": 1, "high": 2}
ROLES_ASSUMED_NOTE = (
    "No organisation role was given; the organisation is taken to be controller and data owner."
)
NO_CATEGORIES_NOTE = "No data categories were given; the data are treated as covered."
OPERATOR_WORDS = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most"}


@dataclass(frozen=True)
class Scope:
    """The facts as the conditions need them, computed once per evaluation."""

    roles: frozenset[str]
    has_assumed_roles: bool
    categories: frozenset[str]
    affected: dict[str, int]
    countries: dict[str, int]
    total: int | None
    by_code: dict[str, int]
    present: frozenset[str]
    encrypted_safely: bool
    risk_unlikely: bool

    @classmethod
    def of(cls, facts: Facts) -> Scope:
        roles = frozenset(facts.organisation.roles)
        countries = _country_counts(facts.affected)
        total = sum(countries.values()) if countries else facts.data.records
        subdivisions = {code: n for code, n in facts.affected.items() if "-" in code}
        by_code = {**countries, **subdivisions}
        return cls(
            roles=roles or ASSUMED_ROLES,
            has_assumed_roles=not roles,
            categories=frozenset(facts.data.categories),
            affected=dict(facts.affected),
            countries=countries,
            total=total,
            by_code=by_code,
            present=frozenset(code for code, n in by_code.items() if n > 0),
            encrypted_safely=facts.data.encrypted and not facts.data.key_compromised,
            risk_unlikely=facts.assessment.risk_of_harm == "unlikely",
        )

    def count(self, codes: Iterable[str]) -> int:
        """Residents of these countries and subdivisions, counted together.

        A country counts its residents as given or summed from its subdivisions; a
        subdivision counts only what is given for it.
        """
        return sum(map(self.by_code.get, codes, repeat(0)))

    def units(self, codes: Iterable[str]) -> list[tuple[str, int]]:
        """Each state, province or country among `codes`, with its own count."""
        found: list[tuple[str, int]] = []
        for code in codes:
            parts = [(key, n) for key, n in self.affected.items() if key.startswith(f"{code}-")]
            if "-" in code or not parts:
                found.append((code, self.count([code])))
            else:
                found.extend(parts)
        return found


def _country_counts(affected: dict[str, int]) -> dict[str, int]:
    countries: dict[str, int] = {}
    for code, count in affected.items():
        if "-" not in code:
            countries[code] = count
    for code, count in affected.items():
        country = code.split("-", 1)[0]
        if "-" in code and country not in affected:
            countries[country] = countries.get(country, 0) + count
    return countries


def regime_reason(regime: Regime, facts: Facts, scope: Scope) -> str | None:
    """Why the regime as a whole does not apply, or None when it may."""
    applies_to = regime.source.applies_to
    if applies_to == "organisation":
        return None

    # Counts are never negative: some residents are affected when any code has some.
    if not scope.present.isdisjoint(regime.countries):
        return None

    where = regime.jurisdiction_list
    if applies_to == "residents_or_establishment":
        if facts.organisation.main_establishment in regime.countries:
            return None
        return f"no affected residents of {where} and no main establishment there"
    return f"no affected residents of {where}"


#: A rarer condition of a rule: why the rule does not apply on the day its clock starts, or None.
Check = Callable[["Regime", Facts, Scope, date, list[str]], str | None]


@dataclass(frozen=True, slots=True)
class _Coverage:
    """One dated version of a definition, with its categories as sets."""

    in_force_from: date
    in_force_until: date
    alone: frozenset[str]
    with_name: frozenset[str]
    citation: str

    @classmethod
    def of(cls, definition: Definition) -> _Coverage:
        return cls(
            definition.in_force_from,
            definition.in_force_until or date.max,
            frozenset(definition.alone),
            frozenset(definition.with_name),
            definition.citation,
        )


@dataclass(frozen=True, slots=True)
class Checks:
    """The conditions of one rule version, tried in the order of the rules format.

    Roles, the definition of personal information and the exceptions, which nearly every rule
    sets, are tested here; the rarer conditions go through `others`. The first that fails
    decides.
    """

    roles: tuple[str, ...]
    role_set: frozenset[str]
    definition: str | None
    coverage: tuple[_Coverage, ...]
    others: tuple[Check, ...]
    encryption: bool
    no_risk_of_harm: bool

    def reason(
        self, regime: Regime, facts: Facts, scope: Scope, day: date, notes: list[str]
    ) -> str | None:
        """Why the rule does not apply on `day` (the day its clock starts), or None; adds notes."""
        if self.roles:
            if scope.roles.isdisjoint(self.role_set):
                held = ", ".join(sorted(scope.roles))
                wanted = ", ".join(self.roles)
                return f"it applies to the roles {wanted}; the organisation's roles are {held}"
            if scope.has_assumed_roles:
                notes.append(ROLES_ASSUMED_NOTE)

        if self.definition:
            for coverage in self.coverage:
                if coverage.in_force_from <= day < coverage.in_force_until:
                    break
            else:
                return f"no definition of {self.definition} was in force on {day}"
            categories = scope.categories
            if not categories:
                notes.append(NO_CATEGORIES_NOTE)
            elif categories.isdisjoint(coverage.alone) and (
                "name" not in categories or categories.isdisjoint(coverage.with_name)
            ):
                listed = ", ".join(sorted(categories))
                return f"the data ({listed}) are not personal information under {coverage.citation}"

        for check in self.others:
            reason = check(regime, facts, scope, day, notes)
            if reason:
                return reason

        if self.encryption and scope.encrypted_safely:
            return (
                "the data were encrypted and the key was not compromised (encryption safe harbour)"
            )
        if self.no_risk_of_harm and scope.risk_unlikely:
            return "the assessment found a risk of harm unlikely, which this law exempts"
        return None


def compile_checks(source: RuleFile, rule: Rule) -> Checks:
    """The conditions `rule` sets, prepared once per process."""
    when = rule.when
    others: list[tuple[object, Check]] = [
        (when.categories_any, partial(_categories, when.categories_any)),
        (when.affected, partial(_threshold, when.affected, _needed(when.affected))),
        (when.risk_at_least, partial(_risk, when.risk_at_least)),
        (when.risk_in, partial(_listed, "assessed risk of harm", when.risk_in, _risk_of_harm)),
        (when.lasting, partial(_lasting, when.lasting)),
        (when.causes_any, partial(_listed, "cause", when.causes_any, _cause)),
        (when.severity_in, partial(_listed, "severity", when.severity_in, _severity)),
        (when.category_in, partial(_listed, "category", when.category_in, _category)),
        (when.payment_brands_any, partial(_brands, when.payment_brands_any)),
    ]
    wanted = when.data_definition
    return Checks(
        roles=tuple(when.roles_any),
        role_set=frozenset(when.roles_any),
        definition=wanted,
        coverage=tuple(
            _Coverage.of(item) for item in source.definitions if wanted and item.id == wanted
        ),
        others=tuple(check for is_set, check in others if is_set),
        encryption=rule.exceptions.encryption,
        no_risk_of_harm=rule.exceptions.no_risk_of_harm,
    )


def definition_on(regime: Regime, wanted: str, day: date) -> Definition | None:
    for definition in regime.source.definitions:
        until = definition.in_force_until
        if definition.id != wanted or day < definition.in_force_from:
            continue
        if until is None or day < until:
            return definition
    return None


def _categories(
    wanted: list[str], regime: Regime, facts: Facts, scope: Scope, day: date, notes: list[str]
) -> str | None:
    if not scope.categories:
        notes.append(NO_CATEGORIES_NOTE)
        return None
    if scope.categories.isdisjoint(wanted):
        return f"no data of the categories it covers ({', '.join(wanted)}) were involved"
    return None


def _needed(threshold: Threshold | None) -> str:
    return "" if threshold is None else f"{OPERATOR_WORDS[threshold.op]} {threshold.count}"


def _threshold(
    threshold: Threshold,
    needed: str,
    regime: Regime,
    facts: Facts,
    scope: Scope,
    day: date,
    notes: list[str],
) -> str | None:
    if threshold.over == "total":
        if scope.total is None:
            notes.append(
                f"The number affected is unknown; the threshold ({needed}) is treated as met."
            )
            return None
        if compare(scope.total, threshold):
            return None
        return f"{scope.total} people were affected in total; it needs {needed}"

    if threshold.over == "each":
        units = scope.units(regime.countries)
        if any(compare(count, threshold) for _, count in units):
            return None
        largest = max((count for _, count in units), default=0)
        return f"at most {largest} affected in any one jurisdiction; it needs {needed} in one"

    count = scope.count(regime.countries)
    if compare(count, threshold):
        return None
    return f"{count} affected residents of {regime.jurisdiction_list}; it needs {needed}"


def compare(count: int, threshold: Threshold) -> bool:
    """Compare with the law's exact operator."""
    if threshold.op == ">":
        return count > threshold.count
    if threshold.op == ">=":
        return count >= threshold.count
    if threshold.op == "<":
        return count < threshold.count
    return count <= threshold.count


def _risk(
    wanted: str, regime: Regime, facts: Facts, scope: Scope, day: date, notes: list[str]
) -> str | None:
    risk = facts.assessment.risk_of_harm
    if risk == "unknown":
        notes.append(f"The risk of harm is unknown; a {wanted} risk is assumed.")
        return None
    if RISK_ORDER[risk] >= RISK_ORDER[wanted]:
        return None
    return f"the assessed risk of harm is {risk}; it applies to a {wanted} risk"


def _lasting(
    lasting: Lasting, regime: Regime, facts: Facts, scope: Scope, day: date, notes: list[str]
) -> str | None:
    """The incident lasted longer than the period; one still going on counts as lasting."""
    period = parse_period(lasting.longer_than)
    limit = ELAPSED_UNITS[str(period.unit)] * int(period.amount or 0)
    start = event_clock(facts, lasting.start, UTC).start
    if start is None:
        return f"{EVENT_LABELS[lasting.start]} is not recorded yet ({lasting.start})"

    end = getattr(facts.events, lasting.end)
    if end is None:
        notes.append(
            f"{EVENT_LABELS[lasting.end].capitalize()} is not recorded ({lasting.end}); the "
            f"incident is taken to last longer than {period.describe()}."
        )
        return None
    if end - start > limit:
        return None
    minutes = int((end - start).total_seconds() // 60)
    return (
        f"it lasted {minutes} minutes from {EVENT_LABELS[lasting.start]} to "
        f"{EVENT_LABELS[lasting.end]}; it applies to one lasting longer than {period.describe()}"
    )


def _risk_of_harm(facts: Facts) -> str | None:
    return facts.assessment.risk_of_harm


def _cause(facts: Facts) -> str | None:
    return facts.incident.cause


def _severity(facts: Facts) -> str | None:
    return facts.incident.severity


def _category(facts: Facts) -> str | None:
    return facts.incident.category


def _listed(
    name: str,
    wanted: list[str],
    value_of: Callable[[Facts], str | None],
    regime: Regime,
    facts: Facts,
    scope: Scope,
    day: date,
    notes: list[str],
) -> str | None:
    value = value_of(facts)
    if value in wanted:
        return None
    if value is None:
        return f"the incident has no {name}; it applies to {', '.join(wanted)}"
    return f"the incident's {name} is {value}; it applies to {', '.join(wanted)}"


def _brands(
    wanted: list[str], regime: Regime, facts: Facts, scope: Scope, day: date, notes: list[str]
) -> str | None:
    if not set(facts.payment_brands).isdisjoint(wanted):
        return None
    return f"no card of {', '.join(wanted)} is among the payment brands involved"
