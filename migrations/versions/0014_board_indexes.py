"""Indexes for the deadline board: open obligations in deadline order, notices by state

Revision ID: board_0001
Revises: report_0003
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "board_0001"
down_revision: str | None = "report_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An expression index: the board orders by the legal date, else the policy target.
    op.create_index(
        "ix_obligations_board",
        "obligations",
        ["is_current", sa.text("coalesce(due_at, target_at)"), "id"],
        unique=False,
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notices_obligation_status", ["obligation_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_obligation_status")
    op.drop_index("ix_obligations_board", table_name="obligations")
