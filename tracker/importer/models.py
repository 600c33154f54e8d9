"""Import batches and the record each imported row leaves behind.

A record keeps the row's stable key in its source, so that importing the same file again adds
nothing twice, and the flags that say what the row lacked or what was read from it with care.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, now_utc
from ..incident.models import Incident


class ImportBatch(Base):
    """One run of an import over one file."""

    __tablename__ = "import_batches"
    audit_type = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The format read: wa-ago, maine-ag, or csv:NAME for a mapping file.
    source: Mapped[str] = mapped_column(String(80), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    # Rows whose key an earlier batch of the same source already holds.
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    # Every problem found, each {row, column, value, reason}, refused rows included.
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor_label: Mapped[str] = mapped_column(String(200))

    records: Mapped[list[ImportRecord]] = relationship(back_populates="batch")


class ImportRecord(Base):
    """One row of a source file as imported: its key, its incident and what was flagged."""

    __tablename__ = "import_records"
    __table_args__ = (
        UniqueConstraint("source", "source_key", name="uq_import_records_source_key"),
    )
    audit_type = "import_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    source: Mapped[str] = mapped_column(String(80))
    # The row's identity in its source (the publisher's id, or a digest of identifying cells).
    source_key: Mapped[str] = mapped_column(String(200))
    # The row's line in the file as first imported, counting the header as line 1.
    row_number: Mapped[int] = mapped_column(Integer)
    # None when the row could not start a clock (no awareness date); the record is kept.
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"), index=True
    )
    # The obligation key of the notice the row records, such as us-wa/attorney_general.
    notice_key: Mapped[str | None] = mapped_column(String(160))
    # Why the row needs a reader's eye; empty when it was read without doubt.
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Cells kept for analysis: industry, attack type, the publisher's own day count.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The row as read, every cell as text.
    raw: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    batch: Mapped[ImportBatch] = relationship(back_populates="records")
    incident: Mapped[Incident | None] = relationship()

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)
