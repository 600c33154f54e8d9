"""Users, tokens, incidents, timeline and audit trail

Revision ID: 0001
Revises: (none)
Created: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("object_id", sa.String(length=60), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_events_seq")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "setup_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_setup_tokens_token_hash")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('administrator', 'counsel', 'responder', 'viewer')",
            name=op.f("ck_users_role"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('read', 'read-write')", name=op.f("ck_api_tokens_scope")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=5), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=30), nullable=True),
        sa.Column("affected_services", sa.JSON(), nullable=False),
        sa.Column("affected_customers", sa.Integer(), nullable=True),
        sa.Column("detected_by", sa.String(length=200), nullable=True),
        sa.Column("assigned_to", sa.String(length=320), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("discovered_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("impact_systems", sa.JSON(), nullable=False),
        sa.Column("impact_users", sa.Integer(), nullable=True),
        sa.Column("impact_data_compromised", sa.Text(), nullable=False),
        sa.Column("impact_data_loss", sa.String(length=10), nullable=True),
        sa.Column("revenue_impact", sa.Text(), nullable=False),
        sa.Column("customer_impact", sa.String(length=12), nullable=True),
        sa.Column("brand_impact", sa.Text(), nullable=False),
        sa.Column("regulatory_impact", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "category IS NULL OR category IN "
            "('security', 'outage', 'data', 'third_party', 'operational')",
            name=op.f("ck_incidents_category"),
        ),
        sa.CheckConstraint(
            "cause IS NULL OR cause IN ('external_attack', 'insider_wrongful', "
            "'accidental_disclosure', 'misdelivery', 'loss_or_theft', 'system_error', "
            "'other', 'unknown')",
            name=op.f("ck_incidents_cause"),
        ),
        sa.CheckConstraint(
            "customer_impact IS NULL OR customer_impact IN ('none', 'degraded', 'unavailable')",
            name=op.f("ck_incidents_customer_impact"),
        ),
        sa.CheckConstraint(
            "impact_data_loss IS NULL OR impact_data_loss IN ('none', 'partial', 'complete')",
            name=op.f("ck_incidents_impact_data_loss"),
        ),
        sa.CheckConstraint(
            "severity IS NULL OR severity IN ('SEV-1', 'SEV-2', 'SEV-3', 'SEV-4')",
            name=op.f("ck_incidents_severity"),
        ),
        sa.CheckConstraint(
            "status IN ('detected', 'investigating', 'mitigating', 'resolved', 'post_mortem')",
            name=op.f("ck_incidents_status"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_incidents_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_incidents_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("reference", name=op.f("uq_incidents_reference")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incidents_discovered_at"), ["discovered_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_incidents_severity"), ["severity"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_status"), ["status"], unique=False)

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_status_changes_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_status_changes_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_changes_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "timeline_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('note', 'action', 'decision', 'communication', 'status')",
            name=op.f("ck_timeline_entries_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_timeline_entries_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_timeline_entries_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_entries")),
    )
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timeline_entries_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_timeline_entries_incident_id"), ["incident_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_entries_incident_id"))
        batch_op.drop_index(batch_op.f("ix_timeline_entries_at"))

    op.drop_table("timeline_entries")
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_incident_id"))

    op.drop_table("status_changes")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_status"))
        batch_op.drop_index(batch_op.f("ix_incidents_severity"))
        batch_op.drop_index(batch_op.f("ix_incidents_discovered_at"))

    op.drop_table("incidents")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("setup_tokens")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_incident_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_id"))

    op.drop_table("audit_events")
