"""What the engine returns: obligations, regimes that do not apply, and the evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..facts import Facts


def iso(instant: datetime | None) -> str | None:
    """An instant as ISO 8601 in UTC, or None."""
    return None if instant is None else instant.astimezone(UTC).isoformat()


@dataclass
class Obligation:
    """One notice owed: to whom, by when, and on what legal basis."""

    key: str
    regime: str
    recipient: str
    stage: str | None
    due: datetime | None
    due_kind: str
    trigger: str
    basis: str
    citation: str
    rule_version: str
    trigger_at: datetime | None = None
    timezone: str = "UTC"
    target: datetime | None = None
    target_basis: str | None = None
    notes: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    contractual: bool = False
    depends_on: str | None = None
    confidence: str = "medium"
    given_at: datetime | None = None
    remaining_seconds: int | None = None
    is_overdue: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "key": self.key,
            "regime": self.regime,
            "recipient": self.recipient,
            "stage": self.stage,
            "due": iso(self.due),
            "due_kind": self.due_kind,
            "trigger": self.trigger,
            "basis": self.basis,
            "citation": self.citation,
            "rule_version": self.rule_version,
            "trigger_at": iso(self.trigger_at),
            "timezone": self.timezone,
            "target": iso(self.target),
            "target_basis": self.target_basis,
            "notes": list(self.notes),
            "content": list(self.content),
            "contractual": self.contractual,
            "depends_on": self.depends_on,
            "confidence": self.confidence,
            "given_at": iso(self.given_at),
        }
        if self.remaining_seconds is not None or self.is_overdue is not None:
            document["remaining_seconds"] = self.remaining_seconds
            document["overdue"] = self.is_overdue
        return document


@dataclass(frozen=True)
class NotApplicable:
    """A regime, or one of its rules, that does not apply, with the reason in plain words."""

    regime: str
    reason: str
    recipient: str | None = None
    stage: str | None = None
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {"regime": self.regime}
        if self.key is not None:
            document.update(key=self.key, recipient=self.recipient, stage=self.stage)
        document["reason"] = self.reason
        return document


@dataclass
class Evaluation:
    """Every obligation owed for one set of facts, and every regime considered that is not."""

    obligations: list[Obligation]
    not_applicable: list[NotApplicable]
    facts: Facts
    now: datetime | None = None

    def obligation(self, key: str) -> Obligation | None:
        for obligation in self.obligations:
            if obligation.key == key:
                return obligation
        return None

    def reason(self, key: str) -> str | None:
        """Why the obligation `key` (or its whole regime) does not apply, if it does not."""
        regime = key.split("/", 1)[0]
        for entry in self.not_applicable:
            if entry.key == key or (entry.key is None and entry.regime == regime):
                return entry.reason
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "obligations": [obligation.to_dict() for obligation in self.obligations],
            "not_applicable": [entry.to_dict() for entry in self.not_applicable],
        }
