"""The incident, its status changes and its timeline.

The facts document (incident-facts/1) is the source of truth for what is known; the columns
that mirror its `incident` section exist for lists and queries, and the service keeps them in
step with the document.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, now_utc
from ..facts import CATEGORIES, CAUSES, SEVERITIES, STATUSES, Facts, parse_facts

# The response-time target of each severity, from the incident response plan.
RESPONSE_TARGETS: dict[str, str] = {
    "SEV-1": "15 minutes",
    "SEV-2": "1 hour",
    "SEV-3": "4 hours",
    "SEV-4": "next business day",
}
RESPONSE_PERIODS: dict[str, timedelta | None] = {
    "SEV-1": timedelta(minutes=15),
    "SEV-2": timedelta(hours=1),
    "SEV-3": timedelta(hours=4),
    "SEV-4": None,  # the next business day: a calendar matter, not a fixed period
}
DATA_LOSS = ("none", "partial", "complete")
CUSTOMER_IMPACT = ("none", "degraded", "unavailable")
TIMELINE_KINDS = ("note", "action", "decision", "communication", "status")


def _one_of(column: str, values: tuple[str, ...], nullable: bool = True) -> str:
    allowed = f"{column} IN ({', '.join(repr(value) for value in values)})"
    return f"{column} IS NULL OR {allowed}" if nullable else allowed


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        CheckConstraint(_one_of("severity", SEVERITIES), name="severity"),
        CheckConstraint(_one_of("category", CATEGORIES), name="category"),
        CheckConstraint(_one_of("status", STATUSES, nullable=False), name="status"),
        CheckConstraint(_one_of("cause", CAUSES), name="cause"),
        CheckConstraint(_one_of("impact_data_loss", DATA_LOSS), name="impact_data_loss"),
        CheckConstraint(_one_of("customer_impact", CUSTOMER_IMPACT), name="customer_impact"),
        # The incident list reads its pages newest first in this order.
        Index("ix_incidents_list", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A short human reference such as INC-2026-0001, numbered per calendar year (UTC).
    reference: Mapped[str] = mapped_column(String(20), unique=True)

    # Mirrors of the facts' `incident` section.
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str | None] = mapped_column(String(5), index=True)
    category: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="detected", index=True)
    cause: Mapped[str | None] = mapped_column(String(30))
    affected_services: Mapped[list[str]] = mapped_column(JSON, default=list)
    affected_customers: Mapped[int | None] = mapped_column(Integer)
    detected_by: Mapped[str | None] = mapped_column(String(200))
    assigned_to: Mapped[str | None] = mapped_column(String(320))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The organisation's legal time zone for this incident (the facts' `timezone`).
    timezone: Mapped[str] = mapped_column(String(64))
    # When the organisation first knew (the facts' discovered_at, or aware_at standing in).
    discovered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The whole incident-facts/1 document as JSON text: the source of truth for facts.
    facts_json: Mapped[str] = mapped_column("facts", Text)
    # A drill of the response plan: kept out of the real metrics, and its mail goes only to
    # the exercise's participants (tracker.plan.exercise).
    is_exercise: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )

    # Impact assessment, technical.
    impact_systems: Mapped[list[str]] = mapped_column(JSON, default=list)
    impact_users: Mapped[int | None] = mapped_column(Integer)
    impact_data_compromised: Mapped[str] = mapped_column(Text, default="")
    impact_data_loss: Mapped[str | None] = mapped_column(String(10))
    # Impact assessment, business.
    revenue_impact: Mapped[str] = mapped_column(Text, default="")
    customer_impact: Mapped[str | None] = mapped_column(String(12))
    brand_impact: Mapped[str] = mapped_column(Text, default="")
    regulatory_impact: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="incident", order_by="StatusChange.id", cascade="all, delete-orphan"
    )
    timeline: Mapped[list[TimelineEntry]] = relationship(
        back_populates="incident",
        order_by="(TimelineEntry.at, TimelineEntry.id)",
        cascade="all, delete-orphan",
    )

    @property
    def facts_document(self) -> dict[str, Any]:
        """The stored facts as a JSON-ready document."""
        return json.loads(self.facts_json)

    @property
    def facts(self) -> Facts:
        """The stored facts, parsed."""
        return parse_facts(self.facts_json)

    @property
    def response_target(self) -> str | None:
        """The plan's response-time target for this severity, in words."""
        return RESPONSE_TARGETS.get(self.severity or "")

    @property
    def detected_at(self) -> datetime:
        """When detection counts from: discovery in the facts, else the record's creation."""
        return self.discovered_at or self.created_at

    @property
    def time_to_detect(self) -> timedelta | None:
        """From the incident's occurrence to its discovery, when both are known."""
        occurred_at = self.facts.events.occurred_at
        if occurred_at is None or self.discovered_at is None:
            return None
        return self.discovered_at - occurred_at

    @property
    def time_to_respond(self) -> timedelta | None:
        """From detection to the first move out of `detected`."""
        first = next((c for c in self.status_changes if c.from_status == "detected"), None)
        return None if first is None else first.at - self.detected_at

    @property
    def time_to_resolve(self) -> timedelta | None:
        """From detection to resolution: the facts' resolved_at, else the status change."""
        resolved_at = self.facts.events.resolved_at
        if resolved_at is None:
            change = next((c for c in self.status_changes if c.to_status == "resolved"), None)
            resolved_at = None if change is None else change.at
        return None if resolved_at is None else resolved_at - self.detected_at

    def __repr__(self) -> str:
        return f"<Incident {self.id} {self.reference} {self.status}>"


class StatusChange(Base):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    # None for the status an incident was created with.
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    incident: Mapped[Incident] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()


class TimelineEntry(Base):
    __tablename__ = "timeline_entries"
    __table_args__ = (
        CheckConstraint(_one_of("kind", TIMELINE_KINDS, nullable=False), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    # When the event happened, which may be before it was written down (created_at).
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20), default="note")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    incident: Mapped[Incident] = relationship(back_populates="timeline")
    author: Mapped[User | None] = relationship()
