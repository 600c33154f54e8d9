"""Legal holds, their custodians and system owners, personal links and acknowledgements

Revision ID: hold_0001
Revises: plan_0001
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "hold_0001"
down_revision: str | None = "plan_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = tracker.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("scope_starts_on", sa.Date(), nullable=True),
        sa.Column("scope_ends_on", sa.Date(), nullable=True),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("data_sources", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.Column("escalation_days", sa.Integer(), nullable=False),
        sa.Column("renotice_days", sa.Integer(), nullable=False),
        sa.Column("link_days", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", UTC, nullable=True),
        sa.Column("version_at", UTC, nullable=True),
        sa.Column("released_at", UTC, nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'released')", name=op.f("ck_legal_holds_status")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_legal_holds_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_legal_holds_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"], ["users.id"], name=op.f("fk_legal_holds_released_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_holds_status"), ["status"])

    op.create_table(
        "hold_incidents",
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hold_id"],
            ["legal_holds.id"],
            name=op.f("fk_hold_incidents_hold_id_legal_holds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_hold_incidents_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("hold_id", "incident_id", name=op.f("pk_hold_incidents")),
    )
    op.create_table(
        "evidence_holds",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_holds_evidence_id_evidence_items"),
        ),
        sa.ForeignKeyConstraint(
            ["hold_id"], ["legal_holds.id"], name=op.f("fk_evidence_holds_hold_id_legal_holds")
        ),
        sa.PrimaryKeyConstraint("evidence_id", "hold_id", name=op.f("pk_evidence_holds")),
    )
    op.create_table(
        "hold_custodians",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("manager_email", sa.String(length=320), nullable=False),
        sa.Column("systems", sa.Text(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("added_at", UTC, nullable=False),
        sa.Column("notified_version", sa.Integer(), nullable=True),
        sa.Column("notified_at", UTC, nullable=True),
        sa.Column("escalated_at", UTC, nullable=True),
        sa.Column("released_at", UTC, nullable=True),
        sa.CheckConstraint(
            "role IN ('custodian', 'system_owner')", name=op.f("ck_hold_custodians_role")
        ),
        sa.ForeignKeyConstraint(
            ["hold_id"],
            ["legal_holds.id"],
            name=op.f("fk_hold_custodians_hold_id_legal_holds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hold_custodians")),
    )
    with op.batch_alter_table("hold_custodians", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hold_custodians_hold_id"), ["hold_id"])

    op.create_table(
        "hold_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("custodian_id", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["custodian_id"],
            ["hold_custodians.id"],
            name=op.f("fk_hold_links_custodian_id_hold_custodians"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hold_id"],
            ["legal_holds.id"],
            name=op.f("fk_hold_links_hold_id_legal_holds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hold_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hold_links_token_hash")),
    )
    with op.batch_alter_table("hold_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hold_links_custodian_id"), ["custodian_id"])

    op.create_table(
        "hold_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("custodian_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", UTC, nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["custodian_id"],
            ["hold_custodians.id"],
            name=op.f("fk_hold_acknowledgements_custodian_id_hold_custodians"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["hold_links.id"], name=op.f("fk_hold_acknowledgements_link_id_hold_links")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hold_acknowledgements")),
    )
    with op.batch_alter_table("hold_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hold_acknowledgements_custodian_id"), ["custodian_id"])


def downgrade() -> None:
    for table, index in (
        ("hold_acknowledgements", "ix_hold_acknowledgements_custodian_id"),
        ("hold_links", "ix_hold_links_custodian_id"),
        ("hold_custodians", "ix_hold_custodians_hold_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(index))
        op.drop_table(table)
    op.drop_table("evidence_holds")
    op.drop_table("hold_incidents")
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_holds_status"))
    op.drop_table("legal_holds")
