"""How the incident page shows obligations, regimes that do not apply, and a what-if comparison.

The dates come from the notice service (stored obligations) and the deadline engine (the
comparison); this module only puts them into words: each date in the incident's legal time
zone and the viewer's, the time left, and what kind of date it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..deadline import Evaluation
from ..deadline.compare import Change
from ..notice.models import Obligation
from .display import format_duration, format_instant

DUE_KIND_LABELS = {
    "fixed": "Legal deadline",
    "without_undue_delay": "Without undue delay: the law sets no date",
    "tolled": "Clock held by a law-enforcement delay",
}
POLICY_LABEL = "Policy deadline: the organisation's own rule, not law"
CONTRACT_LABEL = "Contractual deadline: agreed in a contract, not set by law"
RECIPIENT_LABELS = {"internal": "organisation's own response team"}
CHANGE_LABELS = {"added": "Appears", "removed": "Disappears", "moved": "Moves"}


@dataclass(frozen=True)
class Deadline:
    """One obligation as the incident page shows it."""

    key: str
    recipient: str
    due_kind: str
    due_kind_label: str
    due_at: datetime | None
    due_legal: str
    due_viewer: str
    target_at: datetime | None
    target_legal: str
    target_viewer: str
    countdown: str
    is_overdue: bool
    is_settled: bool
    basis: str
    target_basis: str
    citation: str
    rule_version: str
    notes: list[str]
    is_contractual: bool


@dataclass(frozen=True)
class Exemption:
    """A regime, or one rule of it, that does not apply, and why."""

    regime: str
    key: str | None
    reason: str


@dataclass(frozen=True)
class Difference:
    """One obligation that a what-if change makes appear, disappear or move."""

    kind: str
    label: str
    key: str
    old_legal: str
    old_viewer: str
    new_legal: str
    new_viewer: str
    shift: str
    cause: str


def deadlines(
    obligations: Iterable[Obligation], legal_zone: str, viewer_zone: str, now: datetime
) -> list[Deadline]:
    """The obligations in the order given (soonest first), each with its dates in words."""
    return [_deadline(obligation, legal_zone, viewer_zone, now) for obligation in obligations]


def _deadline(obligation: Obligation, legal_zone: str, viewer_zone: str, now: datetime) -> Deadline:
    data = obligation.data or {}
    deadline_at = obligation.deadline_at
    is_overdue = (
        deadline_at is not None
        and deadline_at < now
        and not obligation.is_settled
        and obligation.due_kind != "tolled"
    )
    return Deadline(
        key=obligation.key,
        recipient=RECIPIENT_LABELS.get(
            obligation.recipient, obligation.recipient.replace("_", " ")
        ),
        due_kind=obligation.due_kind,
        due_kind_label=_kind_label(obligation),
        due_at=obligation.due_at,
        due_legal=_in_zone(obligation.due_at, legal_zone),
        due_viewer=_in_zone(obligation.due_at, viewer_zone),
        target_at=obligation.target_at,
        target_legal=_in_zone(obligation.target_at, legal_zone),
        target_viewer=_in_zone(obligation.target_at, viewer_zone),
        countdown=countdown(obligation, now),
        is_overdue=is_overdue,
        is_settled=obligation.is_settled,
        basis=obligation.basis,
        target_basis=data.get("target_basis") or "",
        citation=obligation.citation,
        rule_version=obligation.rule_version,
        notes=list(data.get("notes") or []),
        is_contractual=bool(data.get("contractual")),
    )


def _kind_label(obligation: Obligation) -> str:
    if obligation.due_kind == "fixed" and obligation.regime == "policy":
        return POLICY_LABEL
    if obligation.due_kind == "fixed" and (obligation.data or {}).get("contractual"):
        return CONTRACT_LABEL
    return DUE_KIND_LABELS.get(obligation.due_kind, obligation.due_kind)


def countdown(obligation: Obligation, now: datetime) -> str:
    """The time left until the obligation's date, or how long it is overdue, in words."""
    if obligation.is_settled:
        return "Met: a notice has been given"
    if obligation.due_kind == "tolled":
        return "No time runs while the delay holds"
    deadline_at = obligation.deadline_at
    if deadline_at is None:
        return "No date to count down to"

    what = "policy target" if obligation.due_at is None else "deadline"
    left = deadline_at - now
    if left < timedelta(0):
        return f"Overdue by {format_duration(-left)} ({what} passed)"
    return f"{format_duration(left)} left until the {what}"


def exemptions(evaluation: Evaluation) -> list[Exemption]:
    """The regimes and rules that do not apply, by regime, with their reasons."""
    entries = sorted(evaluation.not_applicable, key=lambda entry: (entry.regime, entry.key or ""))
    return [Exemption(entry.regime, entry.key, entry.reason) for entry in entries]


def differences(changes: Iterable[Change], legal_zone: str, viewer_zone: str) -> list[Difference]:
    """The engine's comparison of two evaluations, in words, soonest date first."""
    ordered = sorted(changes, key=_change_order)
    return [
        Difference(
            kind=change.kind,
            label=CHANGE_LABELS.get(change.kind, change.kind),
            key=change.key,
            old_legal=_due_words(change.old_due, change.old_due_kind, legal_zone),
            old_viewer=_due_words(change.old_due, change.old_due_kind, viewer_zone),
            new_legal=_due_words(change.new_due, change.new_due_kind, legal_zone),
            new_viewer=_due_words(change.new_due, change.new_due_kind, viewer_zone),
            shift=shift(change),
            cause=change.cause,
        )
        for change in ordered
    ]


def shift(change: Change) -> str:
    """How far a date moves, in words: 2 days 4 h later, 30 min earlier."""
    if change.kind != "moved":
        return ""
    if change.delta_seconds is None:
        return f"now {_kind_words(change.new_due_kind)}, before {_kind_words(change.old_due_kind)}"
    if change.delta_seconds == 0:
        return f"same instant, now {_kind_words(change.new_due_kind)}"
    moved = format_duration(timedelta(seconds=abs(change.delta_seconds)))
    return f"{moved} {'later' if change.delta_seconds > 0 else 'earlier'}"


def _change_order(change: Change) -> tuple[bool, datetime, str]:
    instant = change.new_due or change.old_due
    latest = datetime.max.replace(tzinfo=UTC)
    return (instant is None, instant.astimezone(UTC) if instant else latest, change.key)


def _due_words(due: datetime | None, due_kind: str | None, zone: str) -> str:
    if due_kind is None:
        return ""
    if due is None:
        return _kind_words(due_kind)
    return format_instant(due, zone)


def _kind_words(due_kind: str | None) -> str:
    if due_kind == "without_undue_delay":
        return "without undue delay (no legal date)"
    if due_kind == "tolled":
        return "held by a law-enforcement delay"
    return "a fixed date"


def _in_zone(instant: datetime | None, zone: str) -> str:
    return "" if instant is None else format_instant(instant, zone)
