"""Compare two evaluations: obligations that appear, disappear or move, and what moved them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .model import Evaluation, Obligation, iso
from .vocabulary import NOTICE_PREFIX


@dataclass(frozen=True)
class Change:
    """One difference between two evaluations of the same incident."""

    kind: str
    key: str
    old_due: datetime | None
    new_due: datetime | None
    old_due_kind: str | None
    new_due_kind: str | None
    delta_seconds: int | None
    cause: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "old_due": iso(self.old_due),
            "new_due": iso(self.new_due),
            "old_due_kind": self.old_due_kind,
            "new_due_kind": self.new_due_kind,
            "delta_seconds": self.delta_seconds,
            "cause": self.cause,
        }


def compare(old: Evaluation, new: Evaluation) -> list[Change]:
    """Obligations added, removed or moved (due or due_kind) from `old` to `new`, by key."""
    before = {obligation.key: obligation for obligation in old.obligations}
    after = {obligation.key: obligation for obligation in new.obligations}
    changes: list[Change] = []

    for key in sorted(before.keys() | after.keys()):
        first, second = before.get(key), after.get(key)
        if first is None and second is not None:
            changes.append(_added(second, old, new))
        elif second is None and first is not None:
            changes.append(_removed(first, old, new))
        elif first is not None and second is not None and _moved(first, second):
            changes.append(_move(first, second, old, new))
    return changes


def _moved(first: Obligation, second: Obligation) -> bool:
    return first.due != second.due or first.due_kind != second.due_kind


def _added(obligation: Obligation, old: Evaluation, new: Evaluation) -> Change:
    reason = old.reason(obligation.key)
    cause = _facts_changed(old, new)
    if reason is not None:
        cause = f"{cause}; before, it did not apply: {reason}"
    return Change(
        "added", obligation.key, None, obligation.due, None, obligation.due_kind, None, cause
    )


def _removed(obligation: Obligation, old: Evaluation, new: Evaluation) -> Change:
    reason = new.reason(obligation.key)
    cause = _facts_changed(old, new)
    if reason is not None:
        cause = f"{cause}; now it does not apply: {reason}"
    return Change(
        "removed", obligation.key, obligation.due, None, obligation.due_kind, None, None, cause
    )


def _move(first: Obligation, second: Obligation, old: Evaluation, new: Evaluation) -> Change:
    delta = None
    if first.due is not None and second.due is not None:
        delta = int((second.due - first.due).total_seconds())
    return Change(
        "moved",
        first.key,
        first.due,
        second.due,
        first.due_kind,
        second.due_kind,
        delta,
        _move_cause(first, second, old, new),
    )


def _move_cause(first: Obligation, second: Obligation, old: Evaluation, new: Evaluation) -> str:
    if first.trigger != second.trigger:
        return f"the trigger changed from {first.trigger} to {second.trigger}"
    if first.trigger_at != second.trigger_at:
        return (
            f"{_trigger_field(first.trigger)} moved from {iso(first.trigger_at)} to "
            f"{iso(second.trigger_at)}"
        )
    if first.rule_version != second.rule_version:
        return f"rule version {first.rule_version} was replaced by {second.rule_version}"
    return _facts_changed(old, new)


def _trigger_field(trigger: str) -> str:
    if trigger.startswith(NOTICE_PREFIX):
        return f"notices.{trigger.removeprefix(NOTICE_PREFIX)}"
    if trigger.startswith("year_end:"):
        return f"events.{trigger.removeprefix('year_end:')} (its year end)"
    return f"events.{trigger}"


def _facts_changed(old: Evaluation, new: Evaluation) -> str:
    before = old.facts.model_dump(mode="json")
    after = new.facts.model_dump(mode="json")
    changed = [field for field in after if before.get(field) != after.get(field)]
    details = []
    for field in changed:
        if isinstance(after[field], dict) and isinstance(before.get(field), dict):
            inner = sorted(
                name
                for name in before[field].keys() | after[field].keys()
                if before[field].get(name) != after[field].get(name)
            )
            details.extend(f"{field}.{name}" for name in inner)
        else:
            details.append(field)
    if not details:
        return "no fact changed (the rulebook did)"
    return f"changed facts: {', '.join(details)}"
