"""Reminders as rows, the outbox of mail they produce, and administrators' policy overrides.

A reminder points at its subject by kind and id (an obligation today, a legal hold's
custodian later), so that every kind of reminder shares one table, one sweep and one outbox.
The rows are the source of truth: the scheduler only wakes the sweep, and its job store
holds nothing that cannot be rebuilt from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, now_utc

REMINDER_KINDS = ("before", "due", "overdue")
# pending: waiting for its instant; queued: its messages are in the outbox; cancelled: its
# date moved or its subject was settled before it fell due; skipped: it fell due while its
# subject was already settled, or before it was computed; failed: its message could not be
# made (no recipient, or an error in its template), said in `reason`.
REMINDER_STATUSES = ("pending", "queued", "cancelled", "skipped", "failed")
# pending: waiting for (another) delivery attempt; sending: claimed by a delivery run;
# sent: accepted by the SMTP server; failed: the last attempt failed; kept: no SMTP server
# is configured, so the message stays in the outbox to be read in the web interface.
MESSAGE_STATUSES = ("pending", "sending", "sent", "failed", "kept")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint(
            "target_kind", "target_id", "step", "deadline_at", name="uq_reminders_target_step"
        ),
        CheckConstraint(_one_of("kind", REMINDER_KINDS), name="kind"),
        CheckConstraint(_one_of("status", REMINDER_STATUSES), name="status"),
        Index("ix_reminders_status_remind_at", "status", "remind_at"),
        Index("ix_reminders_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What the reminder is about: "obligation" (and "custodian" for legal holds), and its id.
    target_kind: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column(Integer)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    # The policy step that made it: "half", "24h", "due", "overdue-3" ...
    step: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The deadline the reminder counts down to, as it stood when the reminder was computed.
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # Why a reminder was cancelled or skipped, in words.
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # When a sweep claimed it and put its messages in the outbox.
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    messages: Mapped[list[MailMessage]] = relationship(
        back_populates="reminder", order_by="MailMessage.id"
    )

    @property
    def delivery(self) -> str:
        """Where its mail stands: the worst state of its messages, or its own status."""
        if self.status != "queued" or not self.messages:
            return self.status
        for state in ("failed", "sending", "pending", "kept"):
            if any(message.status == state for message in self.messages):
                return state
        return "sent"

    def __repr__(self) -> str:
        return f"<Reminder {self.id} {self.target_kind} {self.target_id} {self.step}>"


class MailMessage(Base):
    """One e-mail to one recipient, kept whether or not it could be delivered."""

    __tablename__ = "mail_messages"
    audit_type = "mail"
    __table_args__ = (
        CheckConstraint(_one_of("status", MESSAGE_STATUSES), name="status"),
        Index("ix_mail_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(320))
    # Why this recipient gets it: assignee, counsel or escalation.
    recipient_role: Mapped[str] = mapped_column(String(20), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The Message-ID header, made when the message is queued and kept through every retry.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a delivery run claimed it; a claim older than the lease is taken over.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The SMTP server's reply or the connection error of the last failed attempt.
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    reminder: Mapped[Reminder | None] = relationship(back_populates="messages")

    def __repr__(self) -> str:
        return f"<MailMessage {self.id} {self.status}>"


class PolicyOverride(Base):
    """An administrator's reminder policy for one scope: all, a severity, or a regime."""

    __tablename__ = "reminder_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "default", "severity:SEV-1" or "regime:gdpr"; a regime's policy wins over a severity's.
    scope: Mapped[str] = mapped_column(String(80), unique=True)
    steps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    overdue: Mapped[str] = mapped_column(String(10), default="daily")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SweepState(Base):
    """When each periodic job last finished, for /healthz and the outbox page."""

    __tablename__ = "sweep_states"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    # The real clock when the sweep finished, and the instant it swept as of (--at).
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    host: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
