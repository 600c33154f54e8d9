"""Indexes for the incident list's pages, an incident's current obligations, the board's counts

The boolean index on obligations.is_current goes: SQLite chose it over the incident's index
for "this incident's current obligations" and walked every current obligation; the board's
index, which begins with is_current, serves the queries across incidents.

Revision ID: perf_0001
Revises: report_0004
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "perf_0001"
down_revision: str | None = "report_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index("ix_incidents_list", ["created_at", "id"], unique=False)
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index("ix_obligations_current", ["incident_id", "is_current"], unique=False)
        batch_op.create_index(
            "ix_obligations_open", ["is_current", "due_at", "target_at"], unique=False
        )
        batch_op.drop_index("ix_obligations_is_current")


def downgrade() -> None:
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index("ix_obligations_is_current", ["is_current"], unique=False)
        batch_op.drop_index("ix_obligations_open")
        batch_op.drop_index("ix_obligations_current")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_list")
