"""Evidence items, their hash checks and the append-only chain of custody

Revision ID: evidence_0001
Revises: reminder_0001
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "evidence_0001"
down_revision: str | None = "reminder_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# XXX: a batch-mode rebuild of these tables would drop their triggers; a later migration
# that alters them must create the triggers again (see refuse_changes below).
APPEND_ONLY = ("custody_transfers", "evidence_hash_checks")


def upgrade() -> None:
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_system", sa.String(length=300), nullable=False),
        sa.Column("collected_by", sa.String(length=200), nullable=False),
        sa.Column("collected_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("hash_source", sa.String(length=10), nullable=True),
        sa.Column("stored_name", sa.String(length=100), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "hash_source IS NULL OR hash_source IN ('computed', 'entered')",
            name=op.f("ck_evidence_items_hash_source"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_evidence_items_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_evidence_items_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_evidence_items_stored_name")),
    )
    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_items_incident_id"), ["incident_id"])

    op.create_table(
        "custody_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("from_party", sa.String(length=200), nullable=False),
        sa.Column("to_party", sa.String(length=200), nullable=False),
        sa.Column("at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["custody_transfers.id"],
            name=op.f("fk_custody_transfers_corrects_id_custody_transfers"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evidence_items.id"],
            name=op.f("fk_custody_transfers_item_id_evidence_items"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_custody_transfers_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_transfers")),
    )
    with op.batch_alter_table("custody_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custody_transfers_item_id"), ["item_id"])

    op.create_table(
        "evidence_hash_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("expected", sa.String(length=64), nullable=True),
        sa.Column("is_match", sa.Boolean(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("checked_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checked_by_id"],
            ["users.id"],
            name=op.f("fk_evidence_hash_checks_checked_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_hash_checks_item_id_evidence_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_hash_checks")),
    )
    with op.batch_alter_table("evidence_hash_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_hash_checks_item_id"), ["item_id"])

    for table in APPEND_ONLY:
        refuse_changes(table)


def refuse_changes(table: str) -> None:
    """Make the database itself refuse UPDATE and DELETE on an append-only table."""
    message = f"{table} is append-only: record a new entry instead of changing one"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def allow_changes(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def downgrade() -> None:
    for table in APPEND_ONLY:
        allow_changes(table)
    with op.batch_alter_table("evidence_hash_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_hash_checks_item_id"))
    op.drop_table("evidence_hash_checks")
    with op.batch_alter_table("custody_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_transfers_item_id"))
    op.drop_table("custody_transfers")
    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_items_incident_id"))
    op.drop_table("evidence_items")
