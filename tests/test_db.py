from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from tracker.auth.models import User
from tracker.db import (
    Base,
    alembic_config,
    get_session,
    load_models,
    make_engine,
    upgrade_database,
)
from tracker.incident.models import TimelineEntry
from tracker.incident.service import create_incident

TABLES = {
    "alembic_version",
    "api_tokens",
    "audit_events",
    "incidents",
    "setup_tokens",
    "status_changes",
    "timeline_entries",
    "users",
}


def test_migrations_build_every_table_from_empty(db_url):
    revision = upgrade_database(db_url)

    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    assert revision == head


def test_upgrading_twice_changes_nothing(db_url):
    first = upgrade_database(db_url)
    assert upgrade_database(db_url) == first


def test_migrated_schema_matches_the_models(db_url):
    upgrade_database(db_url)
    load_models()

    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_one_linear_history():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_instant_round_trips_as_aware_utc(db_session, facts):
    eastern = datetime(2026, 3, 6, 14, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-5)))
    incident = create_incident(db_session, facts, None)
    entry = TimelineEntry(incident=incident, at=eastern, text="Firewall rule added")
    db_session.add(entry)
    db_session.commit()
    db_session.expunge_all()

    stored = db_session.scalars(select(TimelineEntry).where(TimelineEntry.id == entry.id)).one()
    assert stored.at == eastern
    assert stored.at.tzinfo is UTC
    assert stored.at.isoformat() == "2026-03-06T19:00:00.123456+00:00"


def test_naive_instant_is_refused(db_session, facts):
    incident = create_incident(db_session, facts, None)
    db_session.add(TimelineEntry(incident=incident, at=datetime(2026, 3, 6, 14), text="x"))
    with pytest.raises(Exception, match="naive instant 2026-03-06T14:00:00"):
        db_session.flush()


def test_request_session_is_one_per_request_and_closed(app):
    with app.test_request_context("/"):
        first = get_session()
        assert get_session() is first
        first.add(User(email="a@example.com", name="A", role="viewer"))
    assert not first.new  # closed at teardown: the unsaved user is gone
