"""The board's index also holds the obligation's incident

The board's counts leave out the obligations of incidents hidden from the viewer, so that
they read the incident id of every current obligation; with it in the index the counts are
still read from the index alone.

Revision ID: access_0002
Revises: perf_0001
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "access_0002"
down_revision: str | None = "perf_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ["is_current", "due_at", "target_at"]


def upgrade() -> None:
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index("ix_obligations_open")
        batch_op.create_index("ix_obligations_open", [*BEFORE, "incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index("ix_obligations_open")
        batch_op.create_index("ix_obligations_open", BEFORE, unique=False)
