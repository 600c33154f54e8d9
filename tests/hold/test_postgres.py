"""A hold from issue to release on PostgreSQL, through the services alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.auth.service import create_user
from tracker.db import make_engine, make_session_factory, upgrade_database
from tracker.hold import service
from tracker.hold.service import Person, Scope
from tracker.reminder.models import MailMessage

from .conftest import LINK

ISSUED = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


@pytest.fixture
def pg_session(postgres_url):
    upgrade_database(postgres_url)
    engine = make_engine(postgres_url)
    db = make_session_factory(engine)()
    yield db
    db.close()
    engine.dispose()


@pytest.mark.postgres
def test_issue_acknowledge_and_release_on_postgresql(pg_session):
    db = pg_session
    owner = create_user(db, "ana@example.com", "counsel", "correct horse battery staple", "test")
    hold = service.create_hold(
        db,
        owner,
        name="Inquiry",
        scope=Scope(subjects=("payments",)),
        people=[Person("Jo Doe", "jo@example.com", manager_email="boss@example.com")],
        timezone="America/New_York",
    )
    service.issue(db, hold, owner, now=ISSUED)
    db.commit()

    message = db.scalars(select(MailMessage)).one()
    found = LINK.search(message.body_text)
    link, person = service.open_link(db, int(found.group(2)), found.group(3), ISSUED)
    service.acknowledge(db, link, person, "Laptop", ISSUED + timedelta(hours=1))
    service.release(db, hold, owner, "Closed", ISSUED + timedelta(days=1))
    db.commit()

    db.expire_all()
    assert service.status_of(db, hold.people[0]) == "released"
    steps = {row.step: row.status for row in service.reminders_of(db, hold.people[0])}
    assert steps == {
        "notice-v1": "queued",
        "ack-v1": "cancelled",
        "esc-v1": "cancelled",
        "renotice-v1-1": "cancelled",
        "release": "queued",
    }
