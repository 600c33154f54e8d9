"""Reminder rows for the plan's subjects: post-mortem actions, calendar tasks, update cadence.

They share the reminder machinery's table, sweep and outbox; each kind here names its
target with its own target_kind and registers how its reminders become e-mail (the sweep
imports this module by its name). Dates are local dates of the subject's time zone, turned
into UTC instants here, so that a daily reminder keeps its wall-clock time across a
daylight-saving change.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..incident.models import Incident
from ..reminder.models import Reminder
from ..reminder.policy import Instant, Policy, local_days_after, schedule
from ..reminder.targets import Outgoing, Rendered, Skip, register_target, render_mail
from .models import Action, DutyTask

log = logging.getLogger(__name__)

ACTION = "action"
TASK = "duty_task"
# A week and a day before a calendar task's date ends, at it, then daily for two weeks.
TASK_POLICY = Policy(steps=("7d", "1d", "due"), overdue="daily")
# Three days and one day before the due date's end, at it, then daily for two weeks.
ACTION_POLICY = Policy(steps=("72h", "24h", "due"), overdue="daily")
OVERDUE_DAYS = 14


def end_of_day(day: date, zone: str) -> datetime:
    """The first instant after the local day `day` in `zone`, in UTC."""
    following = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))
    return following.astimezone(UTC)


def action_due_at(action: Action) -> datetime:
    """The instant an action falls due: the end of its due date in the incident's zone."""
    return end_of_day(action.due_on, action.incident.timezone)


def sync_action_reminders(session: Session, action: Action, now: datetime) -> None:
    """Bring the reminders of a post-mortem action in line with its due date and status."""
    deadline = action_due_at(action)
    zone = action.incident.timezone
    wanted: list[Instant] = []
    reason = "the action was completed" if action.status == "completed" else ""
    if not reason:
        wanted = daily_after(ACTION_POLICY, deadline, action.created_at, zone)
    sync_rows(session, ACTION, action.id, action.incident_id, deadline, wanted, now, reason)


def task_due_at(task: DutyTask) -> datetime:
    return end_of_day(task.due_on, task.duty.timezone)


def sync_task_reminders(session: Session, task: DutyTask, now: datetime) -> None:
    """Bring the reminders of a calendar task in line with its date and status."""
    deadline = task_due_at(task)
    wanted: list[Instant] = []
    reason = "the task was done" if task.status == "done" else ""
    if not reason:
        wanted = daily_after(TASK_POLICY, deadline, None, task.duty.timezone)
    sync_rows(session, TASK, task.id, None, deadline, wanted, now, reason)


def daily_after(
    policy: Policy, deadline: datetime, started_at: datetime | None, zone: str
) -> list[Instant]:
    """The policy's instants before and at the deadline, then one a local day for two weeks."""
    before = [
        item for item in schedule(policy, deadline, started_at, zone) if item.kind != "overdue"
    ]
    overdue = [
        Instant(f"overdue-{day}", "overdue", local_days_after(deadline, zone, day))
        for day in range(1, OVERDUE_DAYS + 1)
    ]
    return before + overdue


def sync_rows(
    session: Session,
    kind: str,
    target_id: int,
    incident_id: int | None,
    deadline: datetime,
    wanted: list[Instant],
    now: datetime,
    reason: str = "",
) -> None:
    """Create the wanted rows that are missing; cancel pending ones that no longer fit.

    A row whose instant has passed when it is first computed is stored as skipped, so that a
    subject entered late does not send a burst of stale reminders.
    """
    query = select(Reminder).where(Reminder.target_kind == kind, Reminder.target_id == target_id)
    rows = {(row.step, row.deadline_at): row for row in session.scalars(query)}
    wanted_steps = {item.step for item in wanted}
    for row in rows.values():
        if row.status != "pending":
            continue
        if reason:
            row.status, row.reason = "cancelled", reason
        elif row.deadline_at != deadline:
            row.status, row.reason = "cancelled", f"the date moved to {deadline.isoformat()}"
        elif row.step not in wanted_steps:
            row.status, row.reason = "cancelled", "the reminder plan no longer has this step"

    for item in wanted:
        if (item.step, deadline) in rows:
            continue
        is_past = item.at <= now
        session.add(
            Reminder(
                target_kind=kind,
                target_id=target_id,
                incident_id=incident_id,
                step=item.step,
                kind=item.kind,
                remind_at=item.at,
                deadline_at=deadline,
                status="skipped" if is_past else "pending",
                reason="its time had passed when it was computed" if is_past else "",
                created_at=now,
            )
        )
    session.flush()


# How the sweep turns them into e-mail.


def render_action(session: Session, reminder: Reminder) -> Rendered:
    """The owner's message about a post-mortem action, or a Skip once it needs none."""
    from ..reminder.obligations import when_phrase
    from ..reminder.service import settings

    action = session.get(Action, reminder.target_id)
    if action is None:
        return Skip("the action no longer exists")
    if action.status == "completed":
        return Skip("the action was completed")
    if action_due_at(action) != reminder.deadline_at:
        return Skip(f"the due date moved to {action.due_on.isoformat()}")

    incident = action.incident
    base = str(settings().get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    context = {
        "incident": incident,
        "action": action,
        "reminder": reminder,
        "when": when_phrase(reminder.deadline_at, reminder.remind_at),
        "link": f"{base}/incidents/{incident.id}/post-mortem#action-{action.id}",
    }
    text, html = render_mail("plan/mail/action_reminder", **context)
    label = {"before": "Action coming due", "due": "Action due", "overdue": "Action overdue"}
    subject = f"[{incident.reference}] {label[reminder.kind]}: {action.description[:120]}"
    return [Outgoing(action.owner, subject, text, html, "owner")]


def render_task(session: Session, reminder: Reminder) -> Rendered:
    """The owner's message about a calendar task (administrators' while it has none)."""
    from ..auth.models import User
    from ..reminder.obligations import when_phrase
    from ..reminder.service import settings

    task = session.get(DutyTask, reminder.target_id)
    if task is None:
        return Skip("the task no longer exists")
    if task.status == "done":
        return Skip("the task was done")

    recipients = [task.owner] if task.owner else []
    if not recipients:
        query = select(User.email).where(User.role == "administrator", User.is_active.is_(True))
        recipients = list(session.scalars(query))
    base = str(settings().get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    context = {
        "task": task,
        "duty": task.duty,
        "reminder": reminder,
        "when": when_phrase(reminder.deadline_at, reminder.remind_at),
        "link": f"{base}/calendar/tasks/{task.id}",
    }
    text, html = render_mail("plan/mail/task_reminder", **context)
    label = {"before": "Coming due", "due": "Due", "overdue": "Overdue"}[reminder.kind]
    subject = f"[Calendar] {label}: {task.duty.title}, {task.due_on.isoformat()}"
    role = "owner" if task.owner else "administrator"
    return [Outgoing(email, subject, text, html, role) for email in recipients]


register_target(ACTION, render_action)
register_target(TASK, render_task)


# The internal update cadence of an incident in active response.

# Each stream is its own target kind, so that prompts falling at one instant all go out.
STREAM_KINDS = {
    "update-30m": "incident_update",
    "summary-1h": "incident_summary",
    "daily": "incident_daily",
}
ACTIVE_STATUSES = ("detected", "investigating", "mitigating")
# Stream name -> (what it asks for, its period); daily is counted in local days instead.
STREAMS = {
    "update-30m": ("a status update", timedelta(minutes=30)),
    "summary-1h": ("an hourly summary", timedelta(hours=1)),
    "daily": ("the daily update", None),
}


def streams_for(incident: Incident) -> tuple[str, ...]:
    """The plan's cadence: SEV-1 every 30 minutes and hourly summaries, the rest daily."""
    if incident.status not in ACTIVE_STATUSES:
        return ()
    return ("update-30m", "summary-1h") if incident.severity == "SEV-1" else ("daily",)


def next_update(incident: Incident, stream: str, after: datetime) -> datetime:
    """The first instant of the stream after `after`, counted from detection."""
    start = incident.detected_at
    period = STREAMS[stream][1]
    if period is None:
        days = 1
        while (at := local_days_after(start, incident.timezone, days)) <= after:
            days += 1
        return at
    count = max(int((after - start) / period) + 1, 1)
    return start + period * count


def sync_update_reminders(session: Session, incident: Incident, now: datetime) -> None:
    """Keep the next reminder of each stream the incident's severity and status call for."""
    wanted = streams_for(incident)
    query = select(Reminder).where(
        Reminder.target_kind.in_(STREAM_KINDS.values()), Reminder.target_id == incident.id
    )
    rows = list(session.scalars(query))
    for row in rows:
        if row.status == "pending" and row.step not in wanted:
            row.status = "cancelled"
            row.reason = "the incident's severity or status no longer calls for it"
    for stream in wanted:
        if any(row.step == stream and row.status == "pending" for row in rows):
            continue
        at = next_update(incident, stream, now)
        cancelled = next((row for row in rows if (row.step, row.deadline_at) == (stream, at)), None)
        if cancelled is None:
            _add_update(session, incident, stream, at, now)
        elif cancelled.status == "cancelled":
            # Reopened within the slot it was cancelled in: the same prompt is due again.
            cancelled.status, cancelled.reason = "pending", ""
    session.flush()


def _add_update(
    session: Session, incident: Incident, stream: str, at: datetime, now: datetime
) -> Reminder:
    row = Reminder(
        target_kind=STREAM_KINDS[stream],
        target_id=incident.id,
        incident_id=incident.id,
        step=stream,
        kind="due",
        remind_at=at,
        deadline_at=at,
        status="pending",
        reason="",
        created_at=now,
    )
    session.add(row)
    return row


def update_owner(session: Session, incident: Incident) -> str | None:
    """The incident owner's address: its assignee, else whoever opened it."""
    if incident.assigned_to and "@" in incident.assigned_to:
        return incident.assigned_to.strip()
    return incident.created_by.email if incident.created_by else None


def render_update(session: Session, reminder: Reminder) -> Rendered:
    """The owner's prompt for the next internal update, while the response is active."""
    from ..reminder.service import settings

    incident = session.get(Incident, reminder.target_id)
    if incident is None:
        return Skip("the incident no longer exists")
    if reminder.step not in streams_for(incident):
        return Skip("the incident's severity or status no longer calls for it")
    owner = update_owner(session, incident)
    if owner is None:
        return Skip("the incident has no owner to remind")

    base = str(settings().get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    context = {
        "incident": incident,
        "asks_for": STREAMS[reminder.step][0],
        "at": reminder.remind_at,
        "link": f"{base}/incidents/{incident.id}#timeline",
    }
    text, html = render_mail("plan/mail/update_reminder", **context)
    subject = f"[{incident.reference}] Time for {context['asks_for']}: {incident.title[:120]}"
    return [Outgoing(owner, subject, text, html, "owner")]


def follow_update(session: Session, reminder: Reminder, at: datetime) -> Reminder | None:
    """After one prompt went out, schedule the stream's next one if the response goes on."""
    incident = session.get(Incident, reminder.target_id)
    if incident is None or reminder.step not in streams_for(incident):
        return None
    following = next_update(incident, reminder.step, max(at, reminder.remind_at))
    return _add_update(session, incident, reminder.step, following, at)


for _kind in STREAM_KINDS.values():
    register_target(_kind, render_update, follow_update)


# The periodic reports are planned as reminders of their own kind, registered there.
from . import reports  # noqa: E402, F401
