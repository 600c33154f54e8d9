"""The plan's migration gives incidents that existed before it their checklist."""

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tracker.db import alembic_config, make_engine, upgrade_database


def test_existing_incidents_get_their_playbook_on_upgrade(db_url):
    config = alembic_config(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "reminder_0001")
        connection.commit()
    with engine.begin() as connection:
        for number, category in ((1, "outage"), (2, None)):
            connection.execute(
                text(
                    "INSERT INTO incidents (reference, title, description, category, status,"
                    " affected_services, tags, timezone, facts, impact_systems,"
                    " impact_data_compromised, revenue_impact, brand_impact, regulatory_impact,"
                    " created_at, updated_at) VALUES (:ref, 'Old', '', :category, 'detected',"
                    " '[]', '[]', 'UTC', '{}', '[]', '', '', '', '', :at, :at)"
                ),
                {"ref": f"INC-2025-000{number}", "category": category, "at": "2025-06-01 10:00:00"},
            )
    engine.dispose()

    # Upgrading runs the plan migration and every later one.
    assert upgrade_database(db_url) == ScriptDirectory.from_config(config).get_current_head()

    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT i.reference, p.playbook_id, count(c.id) FROM incidents i"
                " JOIN incident_playbooks p ON p.incident_id = i.id"
                " JOIN checklist_items c ON c.checklist_id = p.id"
                " GROUP BY i.reference, p.playbook_id ORDER BY i.reference"
            )
        ).all()
        exercise = connection.execute(text("SELECT DISTINCT is_exercise FROM incidents")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("INC-2025-0001", "outage", 12),
        ("INC-2025-0002", "general", 9),
    ]
    assert [row[0] for row in exercise] == [False]
