"""The e-mails of a legal hold: notice, reminder, escalation, re-notice and release.

Each is rendered from templates/mail/hold_message.txt with the reminder package's mail
environment (no request needed, as in the sweep) and queued in the shared outbox as a
message of the Reminder row that caused it, so that delivery treats it like any other.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import make_msgid
from typing import Any

from markupsafe import escape
from sqlalchemy.orm import Session

from ..incident.display import format_instant
from ..reminder.models import MailMessage, Reminder
from ..reminder.service import settings
from ..reminder.targets import Outgoing, mail_environment
from .models import Custodian, acknowledgement_due

TEMPLATE = "mail/hold_message.txt"


def notice(person: Custodian, url: str) -> Outgoing:
    hold = person.hold
    subject = f"Legal hold notice: {hold.name}"
    if hold.version > 1:
        subject = f"Legal hold notice changed (version {hold.version}): {hold.name}"
    return _render(person, "notice", person.email, person.role, subject, url)


def reminder(person: Custodian, url: str) -> Outgoing:
    subject = f"Reminder: please acknowledge the legal hold notice: {person.hold.name}"
    return _render(person, "reminder", person.email, person.role, subject, url)


def renotice(person: Custodian, url: str) -> Outgoing:
    subject = f"The legal hold still applies: {person.hold.name}"
    return _render(person, "renotice", person.email, person.role, subject, url)


def escalation(person: Custodian) -> list[Outgoing]:
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


def queue(session: Session, row: Reminder, outgoing: Outgoing, now: datetime) -> MailMessage:
    """Add one message of `row` to the outbox; the next delivery run sends or keeps it."""
    sender = str(settings().get("MAIL_FROM") or "tracker@localhost")
    message = MailMessage(
        reminder_id=row.id,
        recipient=outgoing.recipient,
        recipient_role=outgoing.role[:20],
        subject=outgoing.subject[:300],
        body_text=outgoing.text,
        body_html=outgoing.html,
        message_id=make_msgid("hold", domain=sender.rpartition("@")[2] or "localhost"),
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        last_error="",
    )
    session.add(message)
    return message


def _render(
    person: Custodian, kind: str, recipient: str, role: str, subject: str, url: str = ""
) -> Outgoing:
    text = mail_environment().get_template(TEMPLATE).render(**_context(person, kind, url))
    link = f'<p><a href="{escape(url)}">Open the notice and acknowledge it</a></p>' if url else ""
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(subject)}'
        f'</title></head><body><pre style="white-space: pre-wrap; font-family: sans-serif">'
        f"{escape(text)}</pre>{link}</body></html>"
    )
    return Outgoing(recipient=recipient, subject=subject, text=text, html=html, role=role)


def _context(person: Custodian, kind: str, url: str) -> dict[str, Any]:
    hold = person.hold
    zone = hold.timezone
    notified_at = person.notified_at
    due = None if notified_at is None else acknowledgement_due(hold, notified_at)
    return {
        "kind": kind,
        "url": url,
        "name": person.name,
        "department": person.department,
        "role": person.role,
        "systems": person.systems,
        "instructions": person.instructions,
        "hold_name": hold.name,
        "description": hold.description,
        "version": hold.version,
        "subjects": list(hold.subjects or []),
        "data_sources": list(hold.data_sources or []),
        "starts_on": hold.scope_starts_on.isoformat() if hold.scope_starts_on else "",
        "ends_on": hold.scope_ends_on.isoformat() if hold.scope_ends_on else "",
        "released": hold.status == "released",
        "counsel": f"{hold.owner.name} ({hold.owner.email})",
        "notified": format_instant(notified_at, zone) if notified_at else "",
        "due": format_instant(due, zone) if due else "",
    }
