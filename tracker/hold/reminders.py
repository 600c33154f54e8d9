"""The custodian reminders of legal holds, registered with the shared reminder sweep."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..db import now_utc
from ..reminder.models import Reminder
from ..reminder.targets import Rendered, register_target
from .service import CUSTODIAN, next_renotice, render_due


def render_custodian(session: Session, reminder: Reminder) -> Rendered:
    """A due reminder, escalation or re-notice, as of the instant the sweep claimed it."""
    return render_due(session, reminder, reminder.queued_at or now_utc())


def follow_custodian(session: Session, reminder: Reminder, at: datetime) -> Reminder | None:
    return next_renotice(session, reminder, at)


register_target(CUSTODIAN, render_custodian, follow_custodian)
