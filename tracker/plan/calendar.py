"""The compliance calendar: the plan's recurring duties, each occurrence a dated task.

Due dates are local dates in the duty's time zone, counted from its first due date by whole
months, so that a duty first due on the last day of a month stays on the last day of each
month. Services never commit; the caller owns the transaction.
"""

from __future__ import annotations

import calendar as monthdays
import hashlib
import logging
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.models import User
from ..db import now_utc
from ..errors import Conflict, NotFound, ValidationError
from .models import CADENCES, Duty, DutyTask, TaskEvidence

log = logging.getLogger(__name__)

MONTHS = {"monthly": 1, "quarterly": 3, "annually": 12}
# How far ahead the calendar lays out tasks.
HORIZON_MONTHS = 12
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EVIDENCE_FOLDER = "plan-evidence"

# The plan's own duties: key, title, cadence. The plan names contact list updates without a
# cadence; quarterly is the organisation's choice here.
BUILTIN_DUTIES = (
    ("tabletop-exercise", "Tabletop exercise", "quarterly"),
    ("failover-test", "Technical test: failover", "monthly"),
    ("disaster-recovery-test", "Technical test: disaster recovery", "monthly"),
    ("communication-systems-test", "Technical test: communication systems", "monthly"),
    ("escalation-procedure-test", "Technical test: escalation procedure", "monthly"),
    ("full-simulation", "Full simulation exercise", "annually"),
    ("plan-review", "Annual review of the incident response plan", "annually"),
    ("contact-list-update", "Contact list update", "quarterly"),
)


def first_due(cadence: str, today: date) -> date:
    """The first due date of a built-in duty: the end of the current month, quarter or year."""
    if cadence == "annually":
        return date(today.year, 12, 31)
    month = today.month if cadence == "monthly" else ((today.month - 1) // 3 + 1) * 3
    return date(today.year, month, monthdays.monthrange(today.year, month)[1])


def nth_due(duty_first: date, cadence: str, number: int) -> date:
    """The due date of occurrence `number` (0: the first), as a local date."""
    due = duty_first + relativedelta(months=MONTHS[cadence] * number)
    if duty_first.day == monthdays.monthrange(duty_first.year, duty_first.month)[1]:
        return due.replace(day=monthdays.monthrange(due.year, due.month)[1])
    return due


def due_dates(duty: Duty, until: date) -> list[date]:
    """Every due date of the duty from its first up to and including `until`."""
    dates: list[date] = []
    number = 0
    while (due := nth_due(duty.first_due_on, duty.cadence, number)) <= until:
        dates.append(due)
        number += 1
    return dates


def local_today(zone: str, now: datetime | None = None) -> date:
    return (now or now_utc()).astimezone(ZoneInfo(zone)).date()


def get_duties(session: Session) -> list[Duty]:
    query = select(Duty).order_by(Duty.is_builtin.desc(), Duty.title)
    return list(session.scalars(query))


def get_duty(session: Session, duty_id: int) -> Duty:
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise NotFound(f"There is no duty with the id {duty_id}.")
    return duty


def get_task(session: Session, task_id: int) -> DutyTask:
    task = session.get(DutyTask, task_id)
    if task is None:
        raise NotFound(f"There is no calendar task with the id {task_id}.")
    return task


def lay_out(session: Session, now: datetime | None = None) -> int:
    """Create the missing tasks of every active duty up to the horizon; return how many.

    The tasks follow from the duties like obligations from facts, so laying them out writes
    no audit row; what people do with them does.
    """
    from .reports import ensure_schedule

    now = now or now_utc()
    created = 0
    duties = list(session.scalars(select(Duty).where(Duty.is_active.is_(True))))
    if duties:
        ensure_schedule(session, duties[0].timezone, now)
    for duty in duties:
        until = local_today(duty.timezone, now) + relativedelta(months=HORIZON_MONTHS)
        existing = {task.due_on for task in duty.tasks}
        for due in due_dates(duty, until):
            if due in existing:
                continue
            task = DutyTask(due_on=due, owner=duty.owner, status="open")
            duty.tasks.append(task)
            session.flush()
            _sync_reminders(session, task, now)
            created += 1
    return created


def get_tasks(
    session: Session, start: date, end: date, include_open_before: bool = True
) -> list[DutyTask]:
    """Tasks due from `start` to `end`, and open ones due earlier, soonest first."""
    query = select(DutyTask).options(selectinload(DutyTask.duty)).order_by(DutyTask.due_on)
    window = DutyTask.due_on.between(start, end)
    if include_open_before:
        window = window | ((DutyTask.due_on < start) & (DutyTask.status == "open"))
    return list(session.scalars(query.where(window)))


def add_duty(session: Session, values: Mapping[str, Any], actor: User) -> Duty:
    """Add a duty of the organisation's own; every field is checked and named."""
    cleaned, errors = _duty_values(session, values)
    if errors:
        first = next(iter(errors.items()))
        raise ValidationError(f"The duty is not valid: {first[0]}: {first[1]}.", errors)

    duty = Duty(is_builtin=False, is_active=True, created_by_id=actor.id, **cleaned)
    session.add(duty)
    session.flush()
    audit.record(session, actor, "duty.create", duty, None, dict(cleaned))
    log.info("Duty %s added by user %s", duty.key, actor.id)
    return duty


def set_owner(session: Session, duty: Duty, owner: str, actor: User) -> Duty:
    """Give a duty (and its open tasks) an owner, who receives their reminders."""
    owner = (owner or "").strip().lower()
    if owner and not _EMAIL.match(owner):
        raise ValidationError(
            f"The owner must be an e-mail address; got {owner!r}.",
            {"owner": "expected an e-mail address"},
        )
    before = {"owner": duty.owner}
    duty.owner = owner
    for task in duty.tasks:
        if task.status == "open":
            task.owner = owner
    audit.record(session, actor, "duty.owner", duty, before, {"owner": owner})
    return duty


def complete_task(
    session: Session, task: DutyTask, notes: str, participants: list[str], actor: User
) -> DutyTask:
    """Record a task as done, with its evidence and who took part; its reminders stop."""
    if task.status == "done":
        raise Conflict("The task was already recorded as done.", {"status": "done"})
    notes = (notes or "").strip()
    people = [person.strip() for person in participants if person.strip()]
    if not notes and not task.evidence:
        raise ValidationError(
            "Record the evidence of completion: notes, an attached file, or both.",
            {"notes": "required unless a file is attached"},
        )
    now = now_utc()
    task.status, task.completed_at, task.completed_by_id = "done", now, actor.id
    task.notes, task.participants = notes[:20000], people

    audit.record(
        session,
        actor,
        "duty_task.complete",
        task,
        {"status": "open"},
        {"status": "done", "notes": task.notes, "participants": people},
    )
    _sync_reminders(session, task, now)
    log.info("Calendar task %s done, recorded by user %s", task.id, actor.id)
    return task


def _duty_values(
    session: Session, values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    key = str(values.get("key") or "").strip()
    title = str(values.get("title") or "").strip()
    cadence = str(values.get("cadence") or "").strip()
    zone = str(values.get("timezone") or "").strip()
    owner = str(values.get("owner") or "").strip().lower()
    if not _KEY.match(key):
        errors["key"] = f"expected lower-case letters, digits and hyphens; got {key!r}"
    elif session.scalars(select(Duty).where(Duty.key == key)).first() is not None:
        errors["key"] = f"a duty {key!r} exists already"
    if not title:
        errors["title"] = "required"
    if cadence not in CADENCES:
        errors["cadence"] = f"expected one of {', '.join(CADENCES)}; got {cadence!r}"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = f"expected an IANA time zone such as Europe/Dublin; got {zone!r}"
    if owner and not _EMAIL.match(owner):
        errors["owner"] = f"expected an e-mail address; got {owner!r}"
    first = str(values.get("first_due_on") or "").strip()
    try:
        first_due_on = date.fromisoformat(first)
    except ValueError:
        errors["first_due_on"] = f"expected a date as YYYY-MM-DD; got {first!r}"
        first_due_on = None
    cleaned = {
        "key": key,
        "title": title[:200],
        "description": str(values.get("description") or "").strip()[:20000],
        "cadence": cadence,
        "timezone": zone,
        "owner": owner,
        "first_due_on": first_due_on,
    }
    return cleaned, errors


def _sync_reminders(session: Session, task: DutyTask, now: datetime) -> None:
    from .reminders import sync_task_reminders

    sync_task_reminders(session, task, now)


def upcoming_window(zone: str, now: datetime | None = None) -> tuple[date, date]:
    """Today and 90 days on, as local dates of `zone`: what the calendar page shows."""
    today = local_today(zone, now)
    return today, today + timedelta(days=90)


def add_evidence(
    session: Session,
    task: DutyTask,
    folder: Path,
    filename: str,
    content_type: str,
    stream: BinaryIO,
    actor: User,
) -> TaskEvidence:
    """Keep an uploaded file as evidence of a task, with its SHA-256; the name is ours."""
    name = Path(filename or "").name.strip()
    if not name:
        raise ValidationError("Choose a file to attach.", {"file": "required"})
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored = uuid.uuid4().hex
    digest, size = hashlib.sha256(), 0
    path = folder / stored
    try:
        # A stream cut short (a body over the size limit) leaves no partial file behind.
        with path.open("xb") as handle:
            while chunk := stream.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        evidence = TaskEvidence(
            filename=name[:255],
            content_type=(content_type or "application/octet-stream")[:100],
            size=size,
            sha256=digest.hexdigest(),
            stored_name=stored,
            uploaded_by_id=actor.id,
            uploaded_at=now_utc(),
        )
        task.evidence.append(evidence)
        session.flush()
        audit.record(
            session,
            actor,
            "duty_task.evidence",
            task,
            None,
            {"file": name, "sha256": evidence.sha256},
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    log.info("Evidence %s attached to calendar task %s by user %s", evidence.id, task.id, actor.id)
    return evidence


def evidence_folder(instance: Path) -> Path:
    """Where evidence files are kept: plan-evidence/ in the instance folder."""
    return instance / EVIDENCE_FOLDER


def get_evidence(session: Session, evidence_id: int) -> TaskEvidence:
    evidence = session.get(TaskEvidence, evidence_id)
    if evidence is None:
        raise NotFound(f"There is no evidence file with the id {evidence_id}.")
    return evidence


def evidence_path(instance: Path, evidence: TaskEvidence) -> Path:
    """The stored file of an evidence record; NotFound if it is gone from the folder."""
    path = evidence_folder(instance) / evidence.stored_name
    if not path.is_file():
        raise NotFound(
            f"The evidence file {evidence.id} ({evidence.filename}) is recorded, but its file "
            "is missing from the instance folder; restore it from a backup."
        )
    return path
