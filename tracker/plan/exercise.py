"""Exercises: incidents run as drills of the plan, and the guard on their mail.

An exercise is an ordinary incident with `is_exercise` set: it has facts, obligations,
notices and holds like a real one. Metrics leave it out, and the outbox keeps back any
message about it to an address that is not one of its participants: the check runs whenever
a mail message is about to be stored, whoever queues it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .. import audit
from ..auth import access
from ..auth.models import User
from ..errors import ValidationError
from ..incident.models import Incident
from .models import ExerciseParticipant

log = logging.getLogger(__name__)

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_NAMED = re.compile(r"^(?P<name>[^<>]*)<(?P<email>[^<>]+)>$")


def parse_participants(text: str) -> list[tuple[str, str]]:
    """Participants from lines of `Name <email>` or `email`; each bad line named."""
    people: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _NAMED.match(line)
        name, email = (match["name"].strip(), match["email"].strip()) if match else ("", line)
        if not _EMAIL.match(email):
            raise ValidationError(
                f"Participant line {number} ({line!r}) is not an e-mail address or Name <address>.",
                {"participants": f"line {number}: expected an e-mail address"},
            )
        people[email.lower()] = name
    if not people:
        raise ValidationError(
            "An exercise needs at least one participant: its mail goes to them only.",
            {"participants": "expected at least one e-mail address"},
        )
    return [(name, email) for email, name in people.items()]


def start_exercise(
    session: Session, facts: Any, participants: Iterable[tuple[str, str]], actor: User | None
) -> Incident:
    """Open an incident as an exercise of the plan, with its participants."""
    from ..incident.service import create_incident

    people = list(participants)
    if not people:
        raise ValidationError(
            "An exercise needs at least one participant.", {"participants": "required"}
        )
    incident = create_incident(session, facts, actor)
    incident.is_exercise = True
    for name, email in people:
        session.add(ExerciseParticipant(incident_id=incident.id, email=email.lower(), name=name))
    session.flush()

    audit.record(
        session,
        actor,
        "exercise.create",
        incident,
        None,
        {"is_exercise": True, "participants": sorted(email.lower() for _name, email in people)},
    )
    log.info("Incident %s opened as an exercise", incident.reference)
    return incident


def get_participants(session: Session, incident_id: int) -> list[ExerciseParticipant]:
    query = (
        select(ExerciseParticipant)
        .where(ExerciseParticipant.incident_id == incident_id)
        .order_by(ExerciseParticipant.email)
    )
    return list(session.scalars(query))


def get_exercises(session: Session, viewer: Any) -> list[Incident]:
    """The exercises of the plan that `viewer` may see, newest first."""
    query = (
        select(Incident)
        .where(Incident.is_exercise.is_(True), access.visible_clause(viewer, Incident.id))
        .order_by(Incident.created_at.desc())
    )
    return list(session.scalars(query))


def may_receive(session: Session, incident_id: int | None, recipient: str) -> bool:
    """Whether mail about the incident may go to `recipient`: any, unless it is an exercise."""
    if incident_id is None:
        return True
    incident = session.get(Incident, incident_id)
    if incident is None or not incident.is_exercise:
        return True
    emails = {person.email for person in get_participants(session, incident_id)}
    return recipient.strip().lower() in emails


WITHHELD = "Not sent: the incident is an exercise and this address is not one of its participants."


@event.listens_for(Session, "before_flush")
def _withhold_exercise_mail(session: Session, _context: Any, _instances: Any) -> None:
    """Keep mail about an exercise from going to anyone but its participants.

    The message stays in the outbox as kept, with the reason, so that the record shows what
    the exercise would have sent; delivery never picks up a kept message.
    """
    from ..reminder.models import MailMessage, Reminder

    messages = [obj for obj in session.new if isinstance(obj, MailMessage)]
    if not messages:
        return
    with session.no_autoflush:
        for message in messages:
            reminder = message.reminder
            if reminder is None and message.reminder_id is not None:
                reminder = session.get(Reminder, message.reminder_id)
            incident_id = getattr(message, "incident_id", None) or getattr(
                reminder, "incident_id", None
            )
            if may_receive(session, incident_id, message.recipient):
                continue
            message.status = "kept"
            message.next_attempt_at = None
            message.last_error = WITHHELD
            log.warning(
                "Kept back a message of reminder %s: incident %s is an exercise and the "
                "recipient is not one of its participants",
                getattr(reminder, "id", None),
                incident_id,
            )
