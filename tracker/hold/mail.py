"""The e-mails of a legal hold: notice, reminder, escalation, re-notice and release.

Each is rendered from templates/hold/mail/ and queued in the shared outbox as a message of
the Reminder row that caused it, so that the outbox and its delivery treat it like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from flask import render_template
from sqlalchemy.orm import Session

from ..reminder.models import MailMessage, Reminder
from .models import Custodian, acknowledgement_due


@dataclass(frozen=True)
class Outgoing:
    recipient: str
    role: str
    subject: str
    body_text: str
    body_html: str


def notice(person: Custodian, url: str) -> Outgoing:
    hold = person.hold
    subject = f"Legal hold notice: {hold.name}"
    if hold.version > 1:
        subject = f"Legal hold notice changed (version {hold.version}): {hold.name}"
    return _render(person, "notice", person.email, person.role, subject, url=url)


def reminder(person: Custodian, url: str, now: datetime) -> Outgoing:
    subject = f"Reminder: please acknowledge the legal hold notice: {person.hold.name}"
    return _render(person, "reminder", person.email, person.role, subject, url=url)


def renotice(person: Custodian, url: str, now: datetime) -> Outgoing:
    subject = f"The legal hold still applies: {person.hold.name}"
    return _render(person, "renotice", person.email, person.role, subject, url=url)


def escalation(person: Custodian, now: datetime) -> list[Outgoing]:
    """The escalation to the person's manager, if known, and to the hold's counsel."""
    hold = person.hold
    subject = f"Legal hold not acknowledged by {person.name}: {hold.name}"
    recipients = [("manager", person.manager_email), ("counsel", hold.owner.email)]
    return [
        _render(person, "escalation", address, role, subject)
        for role, address in recipients
        if address
    ]


def release(person: Custodian) -> Outgoing:
    subject = f"Legal hold released: {person.hold.name}"
    return _render(person, "release", person.email, person.role, subject)


def queue(
    session: Session,
    reminder_row: Reminder,
    outgoing: Outgoing,
    config: Mapping[str, Any],
    now: datetime,
) -> MailMessage:
    """Add one message to the outbox; without an SMTP server it is kept there to be read."""
    sender = str(config.get("MAIL_FROM") or "tracker@localhost")
    message = MailMessage(
        reminder_id=reminder_row.id,
        recipient=outgoing.recipient,
        recipient_role=outgoing.role[:20],
        subject=outgoing.subject[:300],
        body_text=outgoing.body_text,
        body_html=outgoing.body_html,
        message_id=make_msgid(domain=sender.rpartition("@")[2] or "localhost"),
        status="pending" if config.get("SMTP_URL") else "kept",
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


def _render(
    person: Custodian, kind: str, recipient: str, role: str, subject: str, **extra: Any
) -> Outgoing:
    hold = person.hold
    due = None if person.notified_at is None else acknowledgement_due(hold, person.notified_at)
    context = {"person": person, "hold": hold, "kind": kind, "subject": subject, "due": due}
    context.update(extra)
    text = render_template("hold/mail/message.txt", **context)
    return Outgoing(
        recipient=recipient,
        role=role,
        subject=subject,
        body_text=text,
        body_html=render_template("hold/mail/message.html", text=text, **context),
    )
