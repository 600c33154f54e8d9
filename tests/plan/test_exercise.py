"""Exercises: incidents marked as drills, whose mail goes only to their participants."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.auth import access
from tracker.errors import ValidationError
from tracker.incident.models import Incident
from tracker.plan import exercise
from tracker.reminder.models import MailMessage, Reminder

PARTICIPANTS = "Pat Player <Pat@Example.com>\n\nlee@example.com\n"


def _message(incident_id, recipient, number):
    reminder = Reminder(
        target_kind="drill-test",
        target_id=number,
        incident_id=incident_id,
        step="due",
        kind="due",
        remind_at=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
        deadline_at=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
        status="queued",
    )
    reminder.messages.append(
        MailMessage(
            recipient=recipient,
            subject="Deadline",
            body_text="Due",
            body_html="<p>Due</p>",
            message_id=f"<{number}@tracker.test>",
            status="pending",
            next_attempt_at=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
        )
    )
    return reminder


def test_participants_are_read_one_a_line():
    assert exercise.parse_participants(PARTICIPANTS) == [
        ("Pat Player", "pat@example.com"),
        ("", "lee@example.com"),
    ]
    with pytest.raises(ValidationError) as caught:
        exercise.parse_participants("pat@example.com\nnot an address")
    assert caught.value.message == (
        "Participant line 2 ('not an address') is not an e-mail address or Name <address>."
    )
    with pytest.raises(ValidationError, match="at least one participant"):
        exercise.parse_participants(" \n")


def test_an_exercise_is_an_incident_with_its_flag_and_participants(session, facts):
    incident = exercise.start_exercise(
        session, facts, exercise.parse_participants(PARTICIPANTS), None
    )
    session.commit()
    assert incident.is_exercise is True
    assert [p.email for p in exercise.get_participants(session, incident.id)] == [
        "lee@example.com",
        "pat@example.com",
    ]
    # Obligations and the playbook come with it as with a real incident.
    assert incident.reference.startswith("INC-")
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["incident.create", "exercise.create"]
    assert exercise.get_exercises(session, access.TRACKER) == [incident]


def test_real_incidents_are_not_exercises(session, make_incident):
    incident = make_incident()
    assert incident.is_exercise is False
    column = Incident.__table__.c.is_exercise
    assert (column.nullable, column.index) == (False, True)


def test_exercise_mail_reaches_participants_only(session, facts, make_incident):
    drill = exercise.start_exercise(session, facts, exercise.parse_participants(PARTICIPANTS), None)
    real = make_incident()
    session.add_all(
        [
            _message(drill.id, "PAT@example.com", 1),
            _message(drill.id, "regulator@dpc.ie", 2),
            _message(real.id, "regulator@dpc.ie", 3),
        ]
    )
    session.commit()

    stored = session.execute(
        select(MailMessage.recipient, Reminder.incident_id, MailMessage.status)
        .join(Reminder, MailMessage.reminder_id == Reminder.id)
        .order_by(MailMessage.id)
    )
    assert [tuple(row) for row in stored] == [
        ("PAT@example.com", drill.id, "pending"),
        ("regulator@dpc.ie", drill.id, "kept"),
        ("regulator@dpc.ie", real.id, "pending"),
    ]
    kept = session.scalars(select(MailMessage).where(MailMessage.status == "kept")).one()
    assert kept.last_error == (
        "Not sent: the incident is an exercise and this address is not one of its participants."
    )
    assert kept.next_attempt_at is None


def test_a_message_added_by_reminder_id_alone_is_checked_too(session, facts):
    drill = exercise.start_exercise(session, facts, [("", "pat@example.com")], None)
    reminder = _message(drill.id, "pat@example.com", 4)
    session.add(reminder)
    session.commit()
    session.add(
        MailMessage(
            reminder_id=reminder.id,
            recipient="ceo@example.com",
            subject="Deadline",
            body_text="Due",
            body_html="<p>Due</p>",
            message_id="<5@tracker.test>",
            status="pending",
        )
    )
    session.commit()
    rows = session.execute(
        select(MailMessage.recipient, MailMessage.status).order_by(MailMessage.id)
    )
    assert [tuple(row) for row in rows] == [
        ("pat@example.com", "pending"),
        ("ceo@example.com", "kept"),
    ]


def test_starting_an_exercise_from_its_page(signed_in, session):
    client, _ = signed_in("responder")
    form = client.get("/exercises/new").get_data(as_text=True)
    assert 'for="participants"' in form
    data = {
        "title": "Tabletop: ransomware",
        "severity": "SEV-1",
        "category": "security",
        "timezone": "Europe/Dublin",
        "discovered_local": "2026-11-03T09:00",
        "participants": "not-an-address",
    }
    refused = client.post("/exercises/new", data=data)
    assert refused.status_code == 400
    assert "line 1: expected an e-mail address" in refused.get_data(as_text=True)
    assert session.scalars(select(Incident)).first() is None

    response = client.post("/exercises/new", data={**data, "participants": PARTICIPANTS})
    assert response.status_code == 302
    session.rollback()
    incident = session.scalars(select(Incident)).one()
    assert (incident.is_exercise, incident.title) == (True, "Tabletop: ransomware")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This incident is a drill" in page
    assert "Tabletop: ransomware" in client.get("/exercises").get_data(as_text=True)


def test_viewers_cannot_start_exercises(signed_in):
    client, _ = signed_in("viewer")
    assert client.get("/exercises").status_code == 200
    assert client.post("/exercises/new", data={}).status_code == 403
