"""The "obligation" reminder target: e-mail to the incident's assignee and counsel, and to the
escalation contacts once the deadline has passed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..auth.models import User
from ..incident.display import format_duration, format_instant
from ..notice.models import Obligation
from .models import Reminder
from .service import (
    OBLIGATION,
    _inactive_reason,
    get_policies,
    next_overdue_reminder,
    policy_for,
    settings,
)
from .targets import Outgoing, Rendered, Skip, register_target, render_mail

TEMPLATE = "mail/obligation_reminder"


@dataclass(frozen=True)
class Recipient:
    email: str
    role: str
    # The zone in which the deadline is written for this recipient.
    zone: str


def render_obligation(session: Session, reminder: Reminder) -> Rendered:
    """The messages of one obligation reminder, or a Skip when the notice needs none now."""
    query = select(Obligation).options(selectinload(Obligation.notices))
    obligation = session.scalars(query.where(Obligation.id == reminder.target_id)).first()
    if obligation is None:
        return Skip("the obligation no longer exists")
    reason = _inactive_reason(obligation)
    if reason:
        return Skip(reason)
    if obligation.deadline_at != reminder.deadline_at:
        return Skip(f"the deadline moved to {_iso(obligation.deadline_at)}")

    config = settings()
    escalate = reminder.kind == "overdue"
    recipients = get_recipients(session, obligation, config, escalate)
    return [compose(obligation, reminder, recipient, config) for recipient in recipients]


def follow_obligation(session: Session, reminder: Reminder, at: datetime) -> Reminder | None:
    """After an overdue reminder went out, add the next one of the policy's cadence."""
    if reminder.kind != "overdue":
        return None
    obligation = session.get(Obligation, reminder.target_id)
    if obligation is None:
        return None
    incident = obligation.incident
    policies = get_policies(session, settings())
    policy = policy_for(policies, incident.severity, obligation.regime)
    return next_overdue_reminder(session, reminder, policy, incident.timezone, at)


def get_recipients(
    session: Session, obligation: Obligation, config: Mapping[str, Any], escalate: bool
) -> list[Recipient]:
    """The assignee, counsel and (once overdue) the escalation contacts, each address once."""
    incident = obligation.incident
    wanted: list[tuple[str, str]] = []
    if incident.assigned_to and "@" in incident.assigned_to:
        wanted.append((incident.assigned_to, "assignee"))
    wanted += [(email, "counsel") for email in _addresses(session, config, "COUNSEL", "counsel")]
    if escalate:
        escalation = _addresses(session, config, "ESCALATION", "administrator")
        wanted += [(email, "escalation") for email in escalation]

    zones = _user_zones(session, [email for email, _role in wanted])
    recipients: dict[str, Recipient] = {}
    for email, role in wanted:
        key = email.strip().lower()
        if key and key not in recipients:
            recipients[key] = Recipient(email.strip(), role, zones.get(key, incident.timezone))
    return list(recipients.values())


def compose(
    obligation: Obligation, reminder: Reminder, recipient: Recipient, config: Mapping[str, Any]
) -> Outgoing:
    """One recipient's message, with the deadline written in their time zone."""
    incident = obligation.incident
    deadline = obligation.deadline_at
    assert deadline is not None
    context = {
        "incident": incident,
        "obligation": obligation,
        "reminder": reminder,
        "recipient": recipient,
        "is_legal_date": obligation.due_at is not None,
        "due_local": format_instant(deadline, recipient.zone),
        "due_incident": format_instant(deadline, incident.timezone),
        "due_utc": deadline.isoformat(),
        "when": when_phrase(deadline, reminder.remind_at),
        "link": notice_link(config, obligation),
    }
    text, html = render_mail(TEMPLATE, **context)
    return Outgoing(
        recipient.email, subject(obligation, reminder, context), text, html, recipient.role
    )


def subject(obligation: Obligation, reminder: Reminder, context: Mapping[str, Any]) -> str:
    label = {"before": "Reminder", "due": "Due now", "overdue": "Overdue"}[reminder.kind]
    reference = obligation.incident.reference
    return f"[{reference}] {label}: {obligation.key} — {context['when']}, {context['due_local']}"


def when_phrase(deadline: datetime, at: datetime) -> str:
    """How the deadline stands at the reminder's instant: due in ..., due now, overdue by ..."""
    left = deadline - at
    if abs(left) < timedelta(minutes=1):
        return "due now"
    if left > timedelta(0):
        return f"due in {format_duration(left)}"
    return f"overdue by {format_duration(-left)}"


def notice_link(config: Mapping[str, Any], obligation: Obligation) -> str:
    base = str(config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return f"{base}/incidents/{obligation.incident_id}#obligations"


def _addresses(session: Session, config: Mapping[str, Any], key: str, role: str) -> list[str]:
    """Configured addresses (REMINDER_COUNSEL ...), else every active user of `role`."""
    configured = config.get(f"REMINDER_{key}")
    if isinstance(configured, list | tuple):
        return [str(item).strip() for item in configured if str(item).strip()]
    if configured:
        return [item.strip() for item in str(configured).split(",") if item.strip()]
    query = select(User.email).where(User.role == role, User.is_active.is_(True))
    return list(session.scalars(query.order_by(User.id)))


def _user_zones(session: Session, emails: list[str]) -> dict[str, str]:
    keys = {email.strip().lower() for email in emails}
    if not keys:
        return {}
    query = select(User.email, User.timezone).where(func.lower(User.email).in_(keys))
    return {email.lower(): zone for email, zone in session.execute(query)}


def _iso(instant: datetime | None) -> str:
    return "no date" if instant is None else instant.isoformat()


register_target(OBLIGATION, render_obligation, follow_obligation)
