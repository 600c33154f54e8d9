"""Contractual notice duties: one obligation per contract, and card-brand overrides."""

from __future__ import annotations

from datetime import UTC

from ..facts import Contract, Facts
from . import text
from .arithmetic import due_instant, holiday_calendar, zone
from .clock import event_clock
from .model import NotApplicable, Obligation
from .rulebook import Regime
from .schema import Rule
from .vocabulary import parse_period


def contract_override(
    regime: Regime, rule: Rule, facts: Facts
) -> tuple[Rule, tuple[str, str] | None]:
    """A contractual rule with a matching contract in the facts takes the contract's terms."""
    if not rule.contractual or not regime.source.contract_parties:
        return rule, None

    for contract in facts.contracts:
        party = text.slug(contract.party)
        if party in regime.source.contract_parties:
            changed = rule.model_copy(
                update={
                    "trigger": contract.trigger,
                    "period": contract.notify_within,
                    "limit": None,
                }
            )
            note = (
                f"The contract with {contract.party} sets {contract.notify_within} from "
                f"{contract.trigger}, which replaces the brand's published period."
            )
            return changed, (party, note)
    return rule, None


def contract_obligations(
    facts: Facts, overridden: set[str], policy_target_hours: int
) -> list[Obligation | NotApplicable]:
    """One obligation per contract in the facts, except those that replaced a card-brand rule."""
    found: list[Obligation | NotApplicable] = []
    for contract in facts.contracts:
        party = text.slug(contract.party)
        if party not in overridden:
            found.append(_contract_obligation(facts, contract, party))
    return found


def _contract_obligation(
    facts: Facts, contract: Contract, party: str
) -> Obligation | NotApplicable:
    key = f"contract:{party}/customer"
    tz = zone(facts.timezone)
    clock = event_clock(facts, contract.trigger, tz)
    if clock.start is None:
        return NotApplicable("contract", str(clock.reason), recipient="customer", key=key)

    period = parse_period(contract.notify_within)
    calendar = holiday_calendar(facts.organisation.main_establishment)
    due = due_instant(clock.start, period, tz, calendar)
    phrase = clock.phrase(tz, with_time=period.is_elapsed)
    notes = []
    if period.unit == "bd":
        notes.append(_calendar_note(facts))
    return Obligation(
        key=key,
        regime="contract",
        recipient="customer",
        stage=None,
        due=due.astimezone(UTC),
        due_kind="fixed",
        trigger=clock.trigger,
        basis=(
            f"{period.describe()} after {phrase} ends {text.moment(due, tz)} "
            f"(contract with {contract.party})"
        ),
        citation=f"Contract with {contract.party}",
        rule_version="contract",
        trigger_at=clock.start,
        timezone=str(tz.key),
        notes=notes,
        contractual=True,
        confidence="high",
        given_at=facts.notices.get(key),
    )


def _calendar_note(facts: Facts) -> str:
    country = facts.organisation.main_establishment
    if country is None:
        return "Business days skip weekends only: no main establishment is given for holidays."
    return f"Business days skip weekends and the public holidays of {country}."
