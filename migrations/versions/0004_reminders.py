"""Reminders, the mail outbox, reminder policies and sweep state

Revision ID: reminder_0001
Revises: notice_0001
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "reminder_0001"
down_revision: str | None = "notice_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sweep_states",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("finished_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("as_of", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sweep_states")),
    )
    op.create_table(
        "reminder_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("overdue", sa.String(length=10), nullable=False),
        sa.Column("updated_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_reminder_policies_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_policies")),
        sa.UniqueConstraint("scope", name=op.f("uq_reminder_policies_scope")),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("remind_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("queued_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('before', 'due', 'overdue')", name=op.f("ck_reminders_kind")),
        sa.CheckConstraint(
            "status IN ('pending', 'queued', 'cancelled', 'skipped')",
            name=op.f("ck_reminders_status"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_reminders_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "target_kind", "target_id", "step", "deadline_at", name="uq_reminders_target_step"
        ),
    )
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminders_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(
            "ix_reminders_status_remind_at", ["status", "remind_at"], unique=False
        )
        batch_op.create_index("ix_reminders_target", ["target_kind", "target_id"], unique=False)

    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("recipient_role", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'kept')",
            name=op.f("ck_mail_messages_status"),
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["reminders.id"],
            name=op.f("fk_mail_messages_reminder_id_reminders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_messages")),
        sa.UniqueConstraint("message_id", name=op.f("uq_mail_messages_message_id")),
    )
    with op.batch_alter_table("mail_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_messages_reminder_id"), ["reminder_id"], unique=False
        )
        batch_op.create_index(
            "ix_mail_messages_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_messages_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_mail_messages_reminder_id"))

    op.drop_table("mail_messages")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_reminders_target")
        batch_op.drop_index("ix_reminders_status_remind_at")
        batch_op.drop_index(batch_op.f("ix_reminders_incident_id"))

    op.drop_table("reminders")
    op.drop_table("reminder_policies")
    op.drop_table("sweep_states")
