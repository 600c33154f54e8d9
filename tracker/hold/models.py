"""Legal holds, the people they bind, their personal links and their acknowledgements.

A hold's notice has a version: issuing it makes version 1, and each change of scope while
the hold is active makes the next one, which every custodian must acknowledge again. The
notices, reminders, escalations and re-notices are Reminder rows (target kind "custodian")
with their messages in the shared outbox.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, now_utc
from ..evidence.models import EvidenceItem
from ..incident.models import Incident
from ..reminder.policy import local_days_after

HOLD_STATUSES = ("draft", "active", "released")
# custodian: keeps relevant material; system_owner: runs a system whose data must be kept.
PERSON_ROLES = ("custodian", "system_owner")
CUSTODIAN_STATUSES = ("not_sent", "sent", "acknowledged", "overdue", "escalated", "released")

hold_incidents = Table(
    "hold_incidents",
    Base.metadata,
    Column("hold_id", ForeignKey("legal_holds.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
)

evidence_holds = Table(
    "evidence_holds",
    Base.metadata,
    Column("evidence_id", ForeignKey("evidence_items.id"), primary_key=True),
    Column("hold_id", ForeignKey("legal_holds.id"), primary_key=True),
)


class LegalHold(Base):
    __tablename__ = "legal_holds"
    __table_args__ = (CheckConstraint("status IN ('draft', 'active', 'released')", name="status"),)
    audit_type = "legal_hold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    # The scope: the period of relevant material, whom it concerns, where it lives.
    scope_starts_on: Mapped[date | None] = mapped_column(Date)
    scope_ends_on: Mapped[date | None] = mapped_column(Date)
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    data_sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The zone in which "after N days" is counted for reminders and escalations.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The notice's version: 0 before it is issued, then 1, 2 ... with each change of scope.
    version: Mapped[int] = mapped_column(Integer, default=0)
    reminder_days: Mapped[int] = mapped_column(Integer)
    escalation_days: Mapped[int] = mapped_column(Integer)
    renotice_days: Mapped[int] = mapped_column(Integer)
    link_days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the current version of the notice went out.
    version_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    release_reason: Mapped[str] = mapped_column(Text, default="")

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    incidents: Mapped[list[Incident]] = relationship(secondary=hold_incidents, order_by=Incident.id)
    people: Mapped[list[Custodian]] = relationship(
        back_populates="hold", order_by="Custodian.id", cascade="all, delete-orphan"
    )
    # The evidence preserved under this hold; each item lists its holds as `holds`.
    evidence: Mapped[list[EvidenceItem]] = relationship(
        secondary=evidence_holds,
        order_by=EvidenceItem.id,
        backref=backref("holds", order_by="LegalHold.id"),
    )

    @property
    def incident_id(self) -> int | None:
        """The first incident, under which the audit trail files the hold's rows."""
        return self.incidents[0].id if self.incidents else None

    def __repr__(self) -> str:
        return f"<LegalHold {self.id} {self.status}>"


class Custodian(Base):
    """A person bound by a hold: a custodian, or a system owner with instructions."""

    __tablename__ = "hold_custodians"
    __table_args__ = (CheckConstraint("role IN ('custodian', 'system_owner')", name="role"),)
    audit_type = "custodian"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hold_id: Mapped[int] = mapped_column(
        ForeignKey("legal_holds.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="custodian")
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    department: Mapped[str] = mapped_column(String(200), default="")
    manager_email: Mapped[str] = mapped_column(String(320), default="")
    # For system owners: the systems they run and what to do (suspend deletion, keep backups).
    systems: Mapped[str] = mapped_column(Text, default="")
    instructions: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # The version of the notice last sent to this person, and when.
    notified_version: Mapped[int | None] = mapped_column(Integer)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the manager and counsel were told that the current version is not acknowledged.
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    hold: Mapped[LegalHold] = relationship(back_populates="people")
    acknowledgements: Mapped[list[Acknowledgement]] = relationship(
        back_populates="custodian", order_by="Acknowledgement.id", cascade="all, delete-orphan"
    )

    @property
    def incident_id(self) -> int | None:
        return self.hold.incident_id

    def acknowledgement_of(self, version: int) -> Acknowledgement | None:
        return next((row for row in self.acknowledgements if row.version == version), None)

    def __repr__(self) -> str:
        return f"<Custodian {self.id} of hold {self.hold_id}>"


class HoldLink(Base):
    """A personal link to one version of a hold's notice; only the token's hash is kept."""

    __tablename__ = "hold_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    custodian_id: Mapped[int] = mapped_column(
        ForeignKey("hold_custodians.id", ondelete="CASCADE"), index=True
    )
    hold_id: Mapped[int] = mapped_column(ForeignKey("legal_holds.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    custodian: Mapped[Custodian] = relationship()


class Acknowledgement(Base):
    """A custodian's acknowledgement of one version of the notice, through a link."""

    __tablename__ = "hold_acknowledgements"
    audit_type = "hold_acknowledgement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    custodian_id: Mapped[int] = mapped_column(
        ForeignKey("hold_custodians.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # The answer to "where do you keep relevant material?", if given.
    answer: Mapped[str] = mapped_column(Text, default="")
    link_id: Mapped[int | None] = mapped_column(ForeignKey("hold_links.id"))

    custodian: Mapped[Custodian] = relationship(back_populates="acknowledgements")

    @property
    def incident_id(self) -> int | None:
        return self.custodian.incident_id


def add_days(instant: datetime, days: int, zone: str) -> datetime:
    """The same wall-clock time `days` calendar days later in `zone`, as a UTC instant."""
    return local_days_after(instant, zone, days)


def acknowledgement_due(hold: LegalHold, notified_at: datetime) -> datetime:
    """When a notice sent at `notified_at` should be acknowledged: reminder_days later."""
    return add_days(notified_at, hold.reminder_days, hold.timezone)
