"""Reminder rows kept in step with obligations, the policy that shapes them, and reads.

Services never commit: the caller owns the transaction, so that an obligation's new date and
its reminders are stored together or not at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from ..auth.models import User
from ..db import now_utc
from ..errors import ValidationError
from ..incident.models import Incident
from ..notice.models import Obligation
from .models import MailMessage, PolicyOverride, Reminder
from .policy import Instant, Policy, next_overdue, parse_policy, schedule

log = logging.getLogger(__name__)

OBLIGATION = "obligation"
# A reminder in these states is still to go out, or went out.
ACTIVE = ("pending", "queued")


def settings() -> Mapping[str, Any]:
    """The TRACKER_* settings without their prefix: the application's, else the environment's."""
    from flask import current_app, has_app_context

    from ..config import load_config

    if has_app_context():
        prefix = "TRACKER_"
        return {
            key.removeprefix(prefix): value
            for key, value in current_app.config.items()
            if key.startswith(prefix)
        }
    return load_config()


def configured_policies(config: Mapping[str, Any]) -> dict[str, Policy]:
    """The policies the configuration gives: "default" and any scoped overrides."""
    policies = {
        "default": parse_policy(
            config.get("REMINDER_STEPS"), config.get("REMINDER_OVERDUE"), "REMINDER_STEPS"
        )
    }
    overrides = config.get("REMINDER_OVERRIDES") or {}
    if isinstance(overrides, str):
        try:
            overrides = json.loads(overrides)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"TRACKER_REMINDER_OVERRIDES is not valid JSON: {exc}.",
                {"REMINDER_OVERRIDES": "expected a JSON object of scopes"},
            ) from None
    if not isinstance(overrides, dict):
        raise ValidationError(
            "The reminder overrides must map scopes such as severity:SEV-1 or regime:gdpr "
            f"to a policy; got {overrides!r}.",
            {"REMINDER_OVERRIDES": "expected a table of scopes"},
        )
    for scope, value in overrides.items():
        check_scope(scope)
        value = value if isinstance(value, dict) else {}
        policies[scope] = parse_policy(value.get("steps"), value.get("overdue"), scope)
    return policies


def check_scope(scope: str) -> str:
    """Accept "default", "severity:SEV-n" or "regime:NAME"; refuse anything else by name."""
    from ..facts import SEVERITIES

    kind, _, name = scope.partition(":")
    if scope == "default" or (kind == "severity" and name in SEVERITIES):
        return scope
    if kind == "regime" and name and name.replace("_", "").replace("-", "").isalnum():
        return scope
    raise ValidationError(
        f"The policy scope {scope!r} is not understood; write default, severity:SEV-1 to "
        "severity:SEV-4, or regime: followed by a regime such as gdpr.",
        {"scope": "expected default, severity:SEV-n or regime:NAME"},
    )


def get_policies(session: Session, config: Mapping[str, Any]) -> dict[str, Policy]:
    """Configured policies, with the administrators' stored policies over them."""
    policies = configured_policies(config)
    for row in session.scalars(select(PolicyOverride)):
        policies[row.scope] = Policy(tuple(row.steps), row.overdue)
    return policies


def get_policy_overrides(session: Session) -> list[PolicyOverride]:
    """The administrators' stored policies, by scope."""
    return list(session.scalars(select(PolicyOverride).order_by(PolicyOverride.scope)))


def policy_for(policies: Mapping[str, Policy], severity: str | None, regime: str) -> Policy:
    """The most specific policy: the regime's, else the severity's, else the default."""
    for scope in (f"regime:{regime}", f"severity:{severity}"):
        if scope in policies:
            return policies[scope]
    return policies["default"]


def save_policy(
    session: Session, scope: str, steps: Any, overdue: Any, actor: User
) -> PolicyOverride:
    """Store an administrator's policy for one scope; it applies to reminders computed later."""
    from .. import audit

    policy = parse_policy(steps, overdue, field="")
    row = session.scalars(select(PolicyOverride).where(PolicyOverride.scope == check_scope(scope)))
    override = row.one_or_none()
    before = None if override is None else {"steps": override.steps, "overdue": override.overdue}
    if override is None:
        override = PolicyOverride(scope=scope)
        session.add(override)
    override.steps = list(policy.steps)
    override.overdue = policy.overdue
    override.updated_at = now_utc()
    override.updated_by_id = actor.id
    session.flush()

    audit.record(session, actor, "reminder.policy", override, before, policy.to_dict())
    log.info("Reminder policy %s set by user %s", scope, actor.id)
    return override


def delete_policy(session: Session, scope: str, actor: User) -> bool:
    """Remove a stored policy, so that the configured one applies again; False if none."""
    from .. import audit

    query = select(PolicyOverride).where(PolicyOverride.scope == scope)
    override = session.scalars(query).one_or_none()
    if override is None:
        return False
    before = {"steps": override.steps, "overdue": override.overdue}
    audit.record(session, actor, "reminder.policy", override, before, None)
    session.delete(override)
    log.info("Reminder policy %s removed by user %s", scope, actor.id)
    return True


def sync_incident_reminders(
    session: Session, incident: Incident, now: datetime | None = None
) -> None:
    """Bring the reminders of every obligation of the incident in line with its dates."""
    now = now or now_utc()
    policies = get_policies(session, settings())
    query = select(Obligation).where(Obligation.incident_id == incident.id)
    obligations = session.scalars(query.options(selectinload(Obligation.notices))).all()
    for obligation in obligations:
        policy = policy_for(policies, incident.severity, obligation.regime)
        sync_obligation_reminders(session, obligation, policy, incident.timezone, now)


def sync_obligation_reminders(
    session: Session, obligation: Obligation, policy: Policy, zone: str, now: datetime
) -> None:
    """Create the obligation's missing reminders and cancel those that no longer fit.

    A reminder whose instant has already passed when it is first computed is stored as
    skipped, so that entering an incident late does not send a burst of stale reminders;
    one that was pending before its instant passed (the sweep was not running) stays
    pending and goes out at the next sweep.
    """
    rows = _target_rows(session, OBLIGATION, obligation.id)
    deadline = obligation.deadline_at
    reason = _inactive_reason(obligation)
    has_overdue = any(
        row.kind == "overdue" and row.deadline_at == deadline and row.status in ACTIVE
        for row in rows.values()
    )
    wanted = [] if reason else _wanted(obligation, policy, zone, now, has_overdue)
    wanted_keys = {instant.step for instant in wanted}

    for row in rows.values():
        if row.status != "pending":
            continue
        if reason:
            _close(row, "cancelled", reason)
        elif row.deadline_at != deadline:
            _close(row, "cancelled", f"the deadline moved to {_iso(deadline)}")
        elif row.step not in wanted_keys and row.kind != "overdue":
            _close(row, "cancelled", "the reminder policy no longer has this step")

    for instant in wanted:
        row = rows.get((instant.step, deadline))
        if row is None:
            _add(session, obligation, instant, deadline, now)
        elif row.status == "cancelled" and instant.at > now:
            row.status, row.reason = "pending", ""


def cancel_target_reminders(session: Session, kind: str, target_id: int, reason: str) -> int:
    """Cancel every pending reminder of one subject; return how many were cancelled."""
    rows = [row for row in _target_rows(session, kind, target_id).values()]
    pending = [row for row in rows if row.status == "pending"]
    for row in pending:
        _close(row, "cancelled", reason)
    return len(pending)


def next_overdue_reminder(
    session: Session, reminder: Reminder, policy: Policy, zone: str, after: datetime
) -> Reminder | None:
    """Add the overdue reminder that follows `reminder`, the first one after `after`."""
    count = int(reminder.step.split("-")[1]) if reminder.kind == "overdue" else 0
    following = next_overdue(policy, reminder.deadline_at, zone, count)
    while following is not None and following.at <= after:
        count += 1
        following = next_overdue(policy, reminder.deadline_at, zone, count)
    if following is None:
        return None

    query = select(Reminder).where(
        Reminder.target_kind == reminder.target_kind,
        Reminder.target_id == reminder.target_id,
        Reminder.step == following.step,
        Reminder.deadline_at == reminder.deadline_at,
    )
    if session.scalars(query).first() is not None:
        return None
    row = Reminder(
        target_kind=reminder.target_kind,
        target_id=reminder.target_id,
        incident_id=reminder.incident_id,
        step=following.step,
        kind="overdue",
        remind_at=following.at,
        deadline_at=reminder.deadline_at,
        status="pending",
    )
    session.add(row)
    return row


def get_reminders(session: Session, kind: str, target_id: int) -> list[Reminder]:
    """One subject's reminders in the order they fall due."""
    query = (
        select(Reminder)
        .where(Reminder.target_kind == kind, Reminder.target_id == target_id)
        .options(selectinload(Reminder.messages))
        .order_by(Reminder.remind_at, Reminder.id)
    )
    return list(session.scalars(query))


def get_messages(session: Session, status: str | None = None, limit: int = 200) -> list[Any]:
    """The outbox, newest first; failed messages can be asked for alone."""
    query = select(MailMessage).order_by(MailMessage.id.desc()).limit(limit)
    if status:
        query = query.where(MailMessage.status == status)
    return list(session.scalars(query))


def get_failed_reminders(session: Session) -> list[Reminder]:
    """Reminders that failed, or with a message that failed after its last retry (the board)."""
    failed_message = select(MailMessage.reminder_id).where(MailMessage.status == "failed")
    query = (
        select(Reminder)
        .where(or_(Reminder.status == "failed", Reminder.id.in_(failed_message)))
        .options(selectinload(Reminder.messages))
        .order_by(Reminder.remind_at, Reminder.id)
    )
    return list(session.scalars(query))


def count_failed_reminders(session: Session) -> int:
    """How many reminders failed or have a message that failed after its last retry."""
    failed_message = select(MailMessage.reminder_id).where(MailMessage.status == "failed")
    query = select(func.count(Reminder.id)).where(
        or_(Reminder.status == "failed", Reminder.id.in_(failed_message))
    )
    return int(session.scalar(query) or 0)


def _wanted(
    obligation: Obligation, policy: Policy, zone: str, now: datetime, has_overdue: bool
) -> list[Instant]:
    """The reminder instants the policy gives; the overdue chain only when it has not begun.

    Entered or moved after the deadline, the chain starts at its next instant after `now`.
    """
    deadline = obligation.deadline_at
    assert deadline is not None
    instants = schedule(policy, deadline, _started_at(obligation), zone)
    before = [instant for instant in instants if instant.kind != "overdue"]
    if has_overdue:
        return before

    count = 0
    following = next_overdue(policy, deadline, zone, count)
    while following is not None and following.at <= now:
        count += 1
        following = next_overdue(policy, deadline, zone, count)
    return before + ([following] if following is not None else [])


def _started_at(obligation: Obligation) -> datetime | None:
    text = (obligation.data or {}).get("trigger_at")
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _inactive_reason(obligation: Obligation) -> str:
    if not obligation.is_current:
        return "the obligation no longer applies"
    if obligation.is_settled:
        return f"the obligation was met ({obligation.status.replace('_', ' ')})"
    if obligation.deadline_at is None:
        return "the obligation has no date"
    return ""


def _add(
    session: Session, obligation: Obligation, instant: Instant, deadline: Any, now: datetime
) -> None:
    is_past = instant.at <= now
    session.add(
        Reminder(
            target_kind=OBLIGATION,
            target_id=obligation.id,
            incident_id=obligation.incident_id,
            step=instant.step,
            kind=instant.kind,
            remind_at=instant.at,
            deadline_at=deadline,
            status="skipped" if is_past else "pending",
            reason="its time had passed when it was computed" if is_past else "",
            created_at=now,
        )
    )


def _close(row: Reminder, status: str, reason: str) -> None:
    row.status = status
    row.reason = reason


def _target_rows(session: Session, kind: str, target_id: int) -> dict[tuple[str, Any], Reminder]:
    query = select(Reminder).where(Reminder.target_kind == kind, Reminder.target_id == target_id)
    return {(row.step, row.deadline_at): row for row in session.scalars(query)}


def _iso(instant: datetime | None) -> str:
    return "no date" if instant is None else instant.isoformat()


def retry_message(session: Session, message: MailMessage, actor: User) -> None:
    """Put a failed or kept message back for delivery at the next sweep, with fresh attempts."""
    from .. import audit

    if message.status not in ("failed", "kept"):
        raise ValidationError(
            f"Only a failed or kept message can be sent again; this one is {message.status}.",
            {"status": "expected failed or kept"},
        )
    before = {"status": message.status, "attempts": message.attempts}
    message.status, message.attempts, message.next_attempt_at = "pending", 0, now_utc()
    audit.record(session, actor, "mail.retry", message, before, {"status": "pending"})
    log.info("Mail message %s put back for delivery by user %s", message.id, actor.id)


def sweep_health(engine: Engine, now: datetime | None = None) -> dict[str, Any] | None:
    """When the reminder sweep last finished, by any process, and how long ago, for /healthz.

    Read on a bare connection, like the health check's own query, so that it never waits
    for SQLite's write lock while a sweep holds it.
    """
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT finished_at, as_of FROM sweep_states WHERE name = 'reminders'")
        row = cursor.fetchone()
    finally:
        connection.close()
    if row is None:
        return None
    finished_at, as_of = (_stored_instant(value) for value in row)
    now = now or now_utc()
    return {
        "finished_at": finished_at.isoformat(),
        "age_seconds": max(0, int((now - finished_at).total_seconds())),
        "as_of": as_of.isoformat(),
    }


def _stored_instant(value: Any) -> datetime:
    """An instant as the driver returns it: text from SQLite, an aware datetime from psycopg."""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
