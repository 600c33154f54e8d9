"""Obligations, notices, attachments and calendar feeds

Revision ID: notice_0001
Revises: 0002
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "notice_0001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_calendar_feeds_user_id")),
    )
    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("regime", sa.String(length=60), nullable=False),
        sa.Column("recipient", sa.String(length=60), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=True),
        sa.Column("due_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("due_kind", sa.String(length=30), nullable=False),
        sa.Column("target_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("trigger", sa.String(length=120), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("citation", sa.String(length=300), nullable=False),
        sa.Column("rule_version", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("computed_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "due_kind IN ('fixed', 'without_undue_delay', 'tolled')",
            name=op.f("ck_obligations_due_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_obligations_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
        sa.UniqueConstraint("incident_id", "key", name="uq_obligations_incident_key"),
    )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligations_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_obligations_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_obligations_is_current"), ["is_current"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligations_recipient"), ["recipient"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligations_regime"), ["regime"], unique=False)

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("letter", sa.String(length=40), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=12), nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("delay_reason", sa.Text(), nullable=False),
        sa.Column("acknowledged_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("not_required_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IS NULL OR channel IN ('portal', 'email', 'letter', 'courier', 'phone')",
            name=op.f("ck_notices_channel"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'approved', 'sent', 'acknowledged', 'not_required')",
            name=op.f("ck_notices_status"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_notices_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_notices_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_notices_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_notices_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligations.id"],
            name=op.f("fk_notices_obligation_id_obligations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"], name=op.f("fk_notices_sent_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("obligation_id", "sequence", name="uq_notices_obligation_sequence"),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_notices_obligation_id"), ["obligation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notices_status"), ["status"], unique=False)

    op.create_table(
        "notice_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_notice_attachments_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notices.id"],
            name=op.f("fk_notice_attachments_notice_id_notices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_notice_attachments_uploaded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_notice_attachments_stored_name")),
    )
    with op.batch_alter_table("notice_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_attachments_notice_id"), ["notice_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notice_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_attachments_notice_id"))

    op.drop_table("notice_attachments")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_status"))
        batch_op.drop_index(batch_op.f("ix_notices_obligation_id"))
        batch_op.drop_index(batch_op.f("ix_notices_incident_id"))

    op.drop_table("notices")
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligations_regime"))
        batch_op.drop_index(batch_op.f("ix_obligations_recipient"))
        batch_op.drop_index(batch_op.f("ix_obligations_is_current"))
        batch_op.drop_index(batch_op.f("ix_obligations_incident_id"))
        batch_op.drop_index(batch_op.f("ix_obligations_due_at"))

    op.drop_table("obligations")
    op.drop_table("calendar_feeds")
