"""Reminders whose message could not be made are marked failed

Revision ID: reminder_0002
Revises: evidence_0001
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "reminder_0002"
down_revision: str | None = "evidence_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('pending', 'queued', 'cancelled', 'skipped')"
NEW = "status IN ('pending', 'queued', 'cancelled', 'skipped', 'failed')"


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reminders_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reminders_status"), NEW)


def downgrade() -> None:
    op.execute("UPDATE reminders SET status = 'skipped' WHERE status = 'failed'")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reminders_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reminders_status"), OLD)
