"""Audit events, each chained to the one before it by a SHA-256 hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, now_utc

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Position in the chain: 1, 2, 3... without gaps; a gap means a deleted row.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # The acting user, when there is one; no foreign key, so that the trail outlives accounts.
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # How the actor is named in the trail ("user 3 (counsel)", "command line", "scheduler").
    actor_label: Mapped[str] = mapped_column(String(200))
    # A dotted verb such as incident.create, incident.status, user.create.
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(60))
    # The incident concerned, if any; no foreign key either: the trail is never rewritten.
    incident_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Canonical JSON (sorted keys, no spaces) of the object before and after the change.
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    # SHA-256 over this row's content and prev_hash; see tracker.audit.service.row_hash.
    hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.seq} {self.action} {self.object_type}:{self.object_id}>"
