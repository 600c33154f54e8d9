"""Obligations computed from an incident's facts, the notices that meet them, and their proof.

An obligation is one row per obligation key and incident, kept in step with the deadline
engine: its date may move when the facts change, and the row remembers how often it moved so
that calendar feeds can update the event in place. A notice is what is actually drafted,
approved and sent; a law with phases may need several notices for one obligation.
"""

from __future__ import annotations

from datetime import datetime
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
    UniqueConstraint,
)
from sqlalchemy import func as sql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, now_utc
from ..incident.models import Incident

DUE_KINDS = ("fixed", "without_undue_delay", "tolled")
NOTICE_STATUSES = ("draft", "approved", "sent", "acknowledged", "not_required")
CHANNELS = ("portal", "email", "letter", "courier", "phone")

# A notice in one of these states meets its obligation (for the board, feeds and metrics).
SETTLED_STATUSES = ("sent", "acknowledged", "not_required")
GIVEN_STATUSES = ("sent", "acknowledged")


def _one_of(column: str, values: tuple[str, ...], nullable: bool = False) -> str:
    allowed = f"{column} IN ({', '.join(repr(value) for value in values)})"
    return f"{column} IS NULL OR {allowed}" if nullable else allowed


class Obligation(Base):
    __tablename__ = "obligations"
    __table_args__ = (
        UniqueConstraint("incident_id", "key", name="uq_obligations_incident_key"),
        CheckConstraint(_one_of("due_kind", DUE_KINDS), name="due_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    # The engine's stable key: regime/recipient[/stage].
    key: Mapped[str] = mapped_column(String(160))
    regime: Mapped[str] = mapped_column(String(60), index=True)
    recipient: Mapped[str] = mapped_column(String(60), index=True)
    stage: Mapped[str | None] = mapped_column(String(40))
    # The legal date; None when the law gives none (without undue delay, or tolled).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    due_kind: Mapped[str] = mapped_column(String(30))
    # The organisation's own target where the law gives no date: policy, not law.
    target_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    trigger: Mapped[str] = mapped_column(String(120))
    basis: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(String(300))
    rule_version: Mapped[str] = mapped_column(String(40))
    # The engine's whole obligation document as last computed (notes, content, confidence).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # False once the facts no longer give rise to this obligation; the row and its notices stay.
    # Read through ix_obligations_current (one incident's) and ix_obligations_board (all).
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    # How many times the date moved; calendar feeds send it as the event's SEQUENCE.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    incident: Mapped[Incident] = relationship()
    notices: Mapped[list[Notice]] = relationship(
        back_populates="obligation",
        order_by="Notice.sequence",
        cascade="all, delete-orphan",
    )

    @property
    def deadline_at(self) -> datetime | None:
        """The date to work to: the legal date, else the policy target."""
        return self.due_at or self.target_at

    @property
    def given_notices(self) -> list[Notice]:
        return [notice for notice in self.notices if notice.status in GIVEN_STATUSES]

    @property
    def status(self) -> str:
        """The obligation's notice status: the furthest any of its notices has come."""
        if not self.notices:
            return "open"
        order = {"draft": 0, "approved": 1, "sent": 2, "acknowledged": 3, "not_required": 4}
        return max((notice.status for notice in self.notices), key=order.__getitem__)

    @property
    def is_settled(self) -> bool:
        return any(notice.status in SETTLED_STATUSES for notice in self.notices)

    def __repr__(self) -> str:
        return f"<Obligation {self.id} {self.key}>"


# The deadline board reads open obligations in deadline order (the legal date, else the policy
# target) through this index, so that a page costs a few rows however many are stored.
Index(
    "ix_obligations_board",
    Obligation.is_current,
    sql.coalesce(Obligation.due_at, Obligation.target_at),
    Obligation.id,
)
# An incident page reads the incident's current obligations through this index; without it
# SQLite, which keeps no table statistics here, would walk every current obligation instead.
Index("ix_obligations_current", Obligation.incident_id, Obligation.is_current)
# The board counts open obligations by urgency from this index alone: it holds every column
# the count reads (the incident too, to leave out hidden ones), so that the wide rows
# themselves are not read.
Index(
    "ix_obligations_open",
    Obligation.is_current,
    Obligation.due_at,
    Obligation.target_at,
    Obligation.incident_id,
)


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("obligation_id", "sequence", name="uq_notices_obligation_sequence"),
        CheckConstraint(_one_of("status", NOTICE_STATUSES), name="status"),
        CheckConstraint(_one_of("channel", CHANNELS, nullable=True), name="channel"),
        # The board asks, for each obligation, whether a notice in a given state exists.
        Index("ix_notices_obligation_status", "obligation_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    obligation_id: Mapped[int] = mapped_column(
        ForeignKey("obligations.id", ondelete="CASCADE"), index=True
    )
    # Kept beside the obligation so that the audit trail files the notice under its incident.
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    # 1 for the first notice of an obligation; later phases (GDPR Art. 33(4)) count on.
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    # A short label of the phase, such as "initial" or "supplement".
    phase: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # The letter template the content fills (an id of tracker.notice.letters).
    letter: Mapped[str] = mapped_column(String(40))
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # SHA-256 of the canonical content at approval; a later edit clears the approval.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(12))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The recipient's reference or receipt number.
    reference: Mapped[str] = mapped_column(String(200), default="")
    # The obligation's legal date when the notice was sent; the date may move with the facts.
    due_at_sent: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the notice went out after its due date; required in that case.
    delay_reason: Mapped[str] = mapped_column(Text, default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    not_required_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    obligation: Mapped[Obligation] = relationship(back_populates="notices")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="notice", order_by="Attachment.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.status}>"


class Attachment(Base):
    """Proof of a notice (a portal receipt, the letter as sent), kept in the instance folder."""

    __tablename__ = "notice_attachments"
    audit_type = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    # The name the user gave the file, for display and download only.
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # The file's name under the instance folder's attachments/; never derived from user input.
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    notice: Mapped[Notice] = relationship(back_populates="attachments")


class CalendarFeed(Base):
    """A user's secret calendar address; only the token's hash is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    user: Mapped[User] = relationship()
