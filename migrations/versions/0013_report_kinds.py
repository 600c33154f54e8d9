"""Legal hold and chain-of-custody reports among the kinds of exported reports

Revision ID: report_0003
Revises: plan_0002
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "report_0003"
down_revision: str | None = "plan_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "kind IN ('incident', 'submission', 'post_mortem')"
AFTER = "kind IN ('incident', 'submission', 'post_mortem', 'legal_hold', 'custody')"


def upgrade() -> None:
    _replace_kind_check(AFTER)


def downgrade() -> None:
    _replace_kind_check(BEFORE)


def _replace_kind_check(condition: str) -> None:
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_report_exports_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_report_exports_kind"), condition)
