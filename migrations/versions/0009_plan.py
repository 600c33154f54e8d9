"""The response plan: playbook checklists, post-mortems, actions, exercises

Existing incidents get the checklist of their category's playbook here, as new ones do when
they are opened; post-mortem reports join the report kinds.

Revision ID: plan_0001
Revises: importer_0001
Created: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.db

revision: str = "plan_0001"
down_revision: str | None = "importer_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "playbook_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playbook_id", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_playbook_overrides_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_overrides")),
        sa.UniqueConstraint("playbook_id", name=op.f("uq_playbook_overrides_playbook_id")),
    )
    op.create_table(
        "exercise_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_exercise_participants_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_participants")),
        sa.UniqueConstraint("incident_id", "email", name="uq_exercise_participants_email"),
    )
    with op.batch_alter_table("exercise_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exercise_participants_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_playbooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("playbook_id", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("version", sa.String(length=12), nullable=False),
        sa.Column("attached_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("override_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("override_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_playbooks_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["override_by_id"],
            ["users.id"],
            name=op.f("fk_incident_playbooks_override_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_playbooks")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_incident_playbooks_incident_id")),
    )
    op.create_table(
        "post_mortems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("timeline", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("response_effectiveness", sa.Text(), nullable=False),
        sa.Column("improvements", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["completed_by_id"], ["users.id"], name=op.f("fk_post_mortems_completed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_post_mortems_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_post_mortems_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_post_mortems_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_mortems")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_post_mortems_incident_id")),
    )
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("step_id", sa.String(length=60), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("done_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "section IN ('steps', 'validation', 'closure')", name=op.f("ck_checklist_items_section")
        ),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["incident_playbooks.id"],
            name=op.f("fk_checklist_items_checklist_id_incident_playbooks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_checklist_items_done_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_checklist_items_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_items")),
        sa.UniqueConstraint("checklist_id", "step_id", name="uq_checklist_items_checklist_step"),
    )
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_items_checklist_id"), ["checklist_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_checklist_items_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "post_mortem_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_mortem_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("success_measure", sa.Text(), nullable=False),
        sa.Column("completed_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", tracker.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "priority IN ('high', 'medium', 'low')", name=op.f("ck_post_mortem_actions_priority")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'in_progress', 'completed')",
            name=op.f("ck_post_mortem_actions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_post_mortem_actions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_post_mortem_actions_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_mortem_id"],
            ["post_mortems.id"],
            name=op.f("fk_post_mortem_actions_post_mortem_id_post_mortems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_mortem_actions")),
    )
    with op.batch_alter_table("post_mortem_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_mortem_actions_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_post_mortem_actions_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_post_mortem_actions_post_mortem_id"), ["post_mortem_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_post_mortem_actions_status"), ["status"], unique=False)

    op.create_table(
        "post_mortem_whys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_mortem_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", tracker.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_post_mortem_whys_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_post_mortem_whys_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_mortem_id"],
            ["post_mortems.id"],
            name=op.f("fk_post_mortem_whys_post_mortem_id_post_mortems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_mortem_whys")),
        sa.UniqueConstraint("post_mortem_id", "position", name="uq_post_mortem_whys_position"),
    )
    with op.batch_alter_table("post_mortem_whys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_post_mortem_whys_post_mortem_id"), ["post_mortem_id"], unique=False
        )

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_exercise", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_incidents_is_exercise"), ["is_exercise"], unique=False)

    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_report_exports_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_report_exports_kind"), "kind IN ('incident', 'submission', 'post_mortem')"
        )

    _attach_playbooks()


def _attach_playbooks() -> None:
    """Give every incident without a checklist the one of its category's playbook."""
    from tracker.db import now_utc
    from tracker.plan.playbooks import for_category, shipped_playbooks

    playbooks = shipped_playbooks()
    connection = op.get_bind()
    incidents = sa.table("incidents", sa.column("id"), sa.column("category"))
    checklists = sa.table(
        "incident_playbooks",
        sa.column("id"),
        sa.column("incident_id"),
        sa.column("playbook_id"),
        sa.column("title"),
        sa.column("version"),
        sa.column("attached_at", tracker.db.UTCDateTime()),
        sa.column("override_reason"),
    )
    items = sa.table(
        "checklist_items",
        sa.column("checklist_id"),
        sa.column("incident_id"),
        sa.column("section"),
        sa.column("step_id"),
        sa.column("text"),
        sa.column("position"),
        sa.column("note"),
    )
    for incident_id, category in connection.execute(
        sa.select(incidents.c.id, incidents.c.category)
    ):
        playbook = for_category(playbooks, category)
        connection.execute(
            checklists.insert().values(
                incident_id=incident_id,
                playbook_id=playbook.id,
                title=playbook.title,
                version=playbook.version,
                attached_at=now_utc(),
                override_reason="",
            )
        )
        checklist_id = connection.scalar(
            sa.select(checklists.c.id).where(checklists.c.incident_id == incident_id)
        )
        rows = [
            {
                "checklist_id": checklist_id,
                "incident_id": incident_id,
                "section": section,
                "step_id": step.id,
                "text": step.text,
                "position": position,
                "note": "",
            }
            for position, (section, step) in enumerate(playbook.items(), start=1)
        ]
        connection.execute(items.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_report_exports_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_report_exports_kind"), "kind IN ('incident', 'submission')"
        )

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_is_exercise"))
        batch_op.drop_column("is_exercise")

    with op.batch_alter_table("post_mortem_whys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_mortem_whys_post_mortem_id"))

    op.drop_table("post_mortem_whys")
    with op.batch_alter_table("post_mortem_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_mortem_actions_status"))
        batch_op.drop_index(batch_op.f("ix_post_mortem_actions_post_mortem_id"))
        batch_op.drop_index(batch_op.f("ix_post_mortem_actions_incident_id"))
        batch_op.drop_index(batch_op.f("ix_post_mortem_actions_due_on"))

    op.drop_table("post_mortem_actions")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_items_incident_id"))
        batch_op.drop_index(batch_op.f("ix_checklist_items_checklist_id"))

    op.drop_table("checklist_items")
    op.drop_table("post_mortems")
    op.drop_table("incident_playbooks")
    with op.batch_alter_table("exercise_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_participants_incident_id"))

    op.drop_table("exercise_participants")
    op.drop_table("playbook_overrides")
