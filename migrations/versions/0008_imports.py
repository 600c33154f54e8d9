"""Import batches and import records

Revision ID: importer_0001
Revises: report_0002
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "importer_0001"
down_revision: str | None = "report_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("started_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    with op.batch_alter_table("import_batches") as batch:
        batch.create_index(batch.f("ix_import_batches_source"), ["source"], unique=False)

    op.create_table(
        "import_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("notice_key", sa.String(length=160), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_import_records_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_import_records_incident_id_incidents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_records")),
        sa.UniqueConstraint("source", "source_key", name="uq_import_records_source_key"),
    )
    with op.batch_alter_table("import_records") as batch:
        batch.create_index(batch.f("ix_import_records_batch_id"), ["batch_id"], unique=False)
        batch.create_index(batch.f("ix_import_records_incident_id"), ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_records") as batch:
        batch.drop_index(batch.f("ix_import_records_incident_id"))
        batch.drop_index(batch.f("ix_import_records_batch_id"))
    op.drop_table("import_records")
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_index(batch.f("ix_import_batches_source"))
    op.drop_table("import_batches")
