"""Plan reports are signed: an export of kind plan_report, not tied to one incident

Revision ID: report_0004
Revises: access_0001
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "report_0004"
down_revision: str | None = "access_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "kind IN ('incident', 'submission', 'post_mortem', 'legal_hold', 'custody')"
AFTER = "kind IN ('incident', 'submission', 'post_mortem', 'legal_hold', 'custody', 'plan_report')"


def upgrade() -> None:
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_report_exports_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_report_exports_kind"), AFTER)
        batch_op.alter_column("incident_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("plan_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("export_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_reports_export_id_report_exports"),
            "report_exports",
            ["export_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_reports", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_plan_reports_export_id_report_exports"), type_="foreignkey"
        )
        batch_op.drop_column("export_id")
    op.execute("DELETE FROM report_exports WHERE kind = 'plan_report'")
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.alter_column("incident_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f("ck_report_exports_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_report_exports_kind"), BEFORE)
