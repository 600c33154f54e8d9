"""The compliance calendar's duties, tasks and evidence, and the plan's periodic reports

The plan's own duties are added with their first due date at the end of the current month,
quarter or year, in the organisation's display time zone.

Revision ID: plan_0002
Revises: notice_0002
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "plan_0002"
down_revision: str | None = "notice_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("generated_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "period IN ('monthly', 'quarterly')", name=op.f("ck_plan_reports_period")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_reports")),
        sa.UniqueConstraint("period", "starts_on", name="uq_plan_reports_period_start"),
    )
    with op.batch_alter_table("plan_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_reports_starts_on"), ["starts_on"], unique=False)

    op.create_table(
        "plan_duties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cadence", sa.String(length=10), nullable=False),
        sa.Column("first_due_on", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("is_builtin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "cadence IN ('monthly', 'quarterly', 'annually')", name=op.f("ck_plan_duties_cadence")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plan_duties_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_duties")),
        sa.UniqueConstraint("key", name=op.f("uq_plan_duties_key")),
    )
    op.create_table(
        "plan_duty_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("completed_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_plan_duty_tasks_status")),
        sa.ForeignKeyConstraint(
            ["completed_by_id"], ["users.id"], name=op.f("fk_plan_duty_tasks_completed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["duty_id"],
            ["plan_duties.id"],
            name=op.f("fk_plan_duty_tasks_duty_id_plan_duties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_duty_tasks")),
        sa.UniqueConstraint("duty_id", "due_on", name="uq_plan_duty_tasks_due_on"),
    )
    with op.batch_alter_table("plan_duty_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_duty_tasks_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_duty_tasks_status"), ["status"], unique=False)

    op.create_table(
        "plan_task_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["plan_duty_tasks.id"],
            name=op.f("fk_plan_task_evidence_task_id_plan_duty_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_plan_task_evidence_uploaded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task_evidence")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_plan_task_evidence_stored_name")),
    )
    with op.batch_alter_table("plan_task_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_task_evidence_task_id"), ["task_id"], unique=False
        )

    _add_builtin_duties()


def _add_builtin_duties() -> None:
    from tracker.config import load_config
    from tracker.db import now_utc
    from tracker.plan.calendar import BUILTIN_DUTIES, first_due, local_today

    zone = str(load_config().get("DISPLAY_TIMEZONE") or "UTC")
    today = local_today(zone)
    duties = sa.table(
        "plan_duties",
        sa.column("key"),
        sa.column("title"),
        sa.column("description"),
        sa.column("cadence"),
        sa.column("first_due_on", sa.Date()),
        sa.column("timezone"),
        sa.column("owner"),
        sa.column("is_builtin", sa.Boolean()),
        sa.column("is_active", sa.Boolean()),
        sa.column("created_at", tracker.db.UTCDateTime()),
    )
    rows = [
        {
            "key": key,
            "title": title,
            "description": "",
            "cadence": cadence,
            "first_due_on": first_due(cadence, today),
            "timezone": zone,
            "owner": "",
            "is_builtin": True,
            "is_active": True,
            "created_at": now_utc(),
        }
        for key, title, cadence in BUILTIN_DUTIES
    ]
    op.bulk_insert(duties, rows)


def downgrade() -> None:
    with op.batch_alter_table("plan_task_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_evidence_task_id"))

    op.drop_table("plan_task_evidence")
    with op.batch_alter_table("plan_duty_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_duty_tasks_status"))
        batch_op.drop_index(batch_op.f("ix_plan_duty_tasks_due_on"))

    op.drop_table("plan_duty_tasks")
    op.drop_table("plan_duties")
    with op.batch_alter_table("plan_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_reports_starts_on"))

    op.drop_table("plan_reports")
