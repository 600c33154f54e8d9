"""Fixtures for legal holds: counsel, an incident, a draft hold with two people, a clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from tests.reminder.conftest import smtp_server  # noqa: F401  (a real SMTP server)
from tracker.hold import service
from tracker.hold.service import Person, Scope
from tracker.reminder.models import MailMessage, Reminder

# 09:00 in New York, four days before the clocks move forward (2026-03-08 02:00 EST).
ISSUED = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
LINK = re.compile(r"http://127\.0\.0\.1:5000(/hold-notice/(\d+)/([A-Za-z0-9_-]+))")


@pytest.fixture
def ctx(app: Any) -> Iterator[None]:
    """An application context, for the mail templates and the settings."""
    with app.app_context():
        yield


@pytest.fixture
def owner(make_user: Any) -> Any:
    return make_user("counsel", email="ana.counsel@example.com", name="Ana Counsel")


@pytest.fixture
def hold(session: Any, ctx: None, owner: Any, make_incident: Any) -> Any:
    incident = make_incident(actor=owner)
    made = service.create_hold(
        session,
        owner,
        name="Project Falcon breach",
        description="Preserve everything about the credential-stuffing incident.",
        incident_ids=[incident.id],
        scope=Scope(
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 3, 5),
            subjects=("login service", "customer accounts"),
            data_sources=("Exchange mailboxes", "Slack #sec-incident"),
        ),
        people=[
            Person(
                "Jo Doe",
                "Jo.Doe@example.com",
                department="Engineering",
                manager_email="boss@example.com",
            ),
            Person(
                "Sam Ops",
                "sam@example.com",
                role="system_owner",
                systems="log-server-01",
                instructions="Stop the 30-day log rotation; keep the nightly backups.",
            ),
        ],
        days={"reminder_days": 3, "escalation_days": 4},
    )
    session.commit()
    return made


@pytest.fixture
def issued(session: Any, hold: Any, owner: Any) -> Any:
    service.issue(session, hold, owner, now=ISSUED)
    session.commit()
    return hold


def messages(session: Any) -> list[MailMessage]:
    return list(session.scalars(select(MailMessage).order_by(MailMessage.id)))


def link_of(message: MailMessage) -> tuple[str, int, str]:
    """The path, custodian id and token of the personal link in a message."""
    found = LINK.search(message.body_text)
    assert found is not None, message.body_text
    return found.group(1), int(found.group(2)), found.group(3)


def rows(session: Any, person: Any) -> dict[str, Reminder]:
    return {row.step: row for row in service.reminders_of(session, person)}


@pytest.fixture
def sweep(make_app: Any, session: Any) -> Any:
    """Run the shared reminder sweep as of an instant; the test session then sees its work."""
    from tracker.reminder.service import settings
    from tracker.reminder.sweep import run_sweep

    apps: dict[str, Any] = {}

    def run(at: datetime, **overrides: Any) -> Any:
        session.commit()
        key = repr(sorted(overrides.items()))
        if key not in apps:
            apps[key] = make_app(**overrides)
        with apps[key].app_context():
            result = run_sweep(apps[key].extensions["tracker.sessions"], settings(), at)
        session.rollback()
        session.expire_all()  # objects read before the sweep are stale now
        return result

    return run
