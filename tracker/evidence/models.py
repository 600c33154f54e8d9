"""Evidence items, the checks of their files against the recorded hash, and custody transfers.

Custody transfers and hash checks are append-only: the service never changes a stored row,
and the migration adds triggers that make the database refuse UPDATE and DELETE on both
tables, on SQLite as on PostgreSQL. A mistake is mended by a new transfer that names the
one it corrects.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, now_utc

# computed: the server hashed the uploaded file; entered: typed in for a file kept elsewhere.
HASH_SOURCES = ("computed", "entered")
APPEND_ONLY_TABLES = ("custody_transfers", "evidence_hash_checks")


class EvidenceItem(Base):
    __tablename__ = "evidence_items"
    __table_args__ = (
        CheckConstraint(
            "hash_source IS NULL OR hash_source IN ('computed', 'entered')", name="hash_source"
        ),
    )
    audit_type = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    # The system the evidence came from (a laptop, a mailbox, a log server).
    source_system: Mapped[str] = mapped_column(String(300), default="")
    collected_by: Mapped[str] = mapped_column(String(200))
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Where the original is kept (an evidence locker, a bucket, a vault reference).
    location: Mapped[str] = mapped_column(String(500), default="")
    # Lower-case hex SHA-256 of the original; None until it is entered or a file is uploaded.
    sha256: Mapped[str | None] = mapped_column(String(64))
    hash_source: Mapped[str | None] = mapped_column(String(10))
    # The uploaded file's copy under the instance folder's evidence/, never a user's name.
    stored_name: Mapped[str | None] = mapped_column(String(100), unique=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()
    transfers: Mapped[list[CustodyTransfer]] = relationship(
        back_populates="item", order_by="CustodyTransfer.id", passive_deletes="all"
    )
    checks: Mapped[list[HashCheck]] = relationship(
        back_populates="item", order_by="HashCheck.id", passive_deletes="all"
    )

    @property
    def holder(self) -> str:
        """Who holds the item now: the last transfer's recipient, else the collector."""
        effective = effective_transfers(self.transfers)
        return effective[-1].to_party if effective else self.collected_by

    def __repr__(self) -> str:
        return f"<EvidenceItem {self.id}>"


class CustodyTransfer(Base):
    """One hand-over of an item, appended and never edited."""

    __tablename__ = "custody_transfers"
    audit_type = "custody_transfer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    from_party: Mapped[str] = mapped_column(String(200))
    to_party: Mapped[str] = mapped_column(String(200))
    # When the hand-over happened, which may be before it was recorded (recorded_at).
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    purpose: Mapped[str] = mapped_column(Text)
    # The item's condition at the hand-over: seals intact, packaging, damage.
    condition: Mapped[str] = mapped_column(Text, default="")
    # The earlier transfer this entry corrects; the corrected one stays as it was.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("custody_transfers.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    item: Mapped[EvidenceItem] = relationship(back_populates="transfers")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def incident_id(self) -> int | None:
        return self.item.incident_id


class HashCheck(Base):
    """A file uploaded for an item, hashed by the server and compared with the record."""

    __tablename__ = "evidence_hash_checks"
    audit_type = "evidence_hash_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    # The hash recorded for the item when the file came, if there was one.
    expected: Mapped[str | None] = mapped_column(String(64))
    is_match: Mapped[bool] = mapped_column(Boolean)
    filename: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    item: Mapped[EvidenceItem] = relationship(back_populates="checks")

    @property
    def incident_id(self) -> int | None:
        return self.item.incident_id


def effective_transfers(transfers: list[CustodyTransfer]) -> list[CustodyTransfer]:
    """The transfers as they stand: each corrected entry replaced by its latest correction."""
    replaced = {row.corrects_id for row in transfers if row.corrects_id is not None}
    return sorted(
        (row for row in transfers if row.id not in replaced), key=lambda row: (row.at, row.id)
    )
