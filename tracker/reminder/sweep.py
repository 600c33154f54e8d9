"""The sweep: claim the reminders that fell due, queue their mail, then deliver the outbox.

Claiming is one statement in the database: an UPDATE from `pending` to `queued` of the rows
a sub-select picks, which on PostgreSQL locks them FOR UPDATE SKIP LOCKED and on SQLite runs
inside the write lock that every transaction takes (BEGIN IMMEDIATE). The claim, the messages
it renders and the audit rows commit together, so a sweep that dies half-way leaves its
reminders pending for the next one, and two sweeps never queue the same reminder.

Everything a sweep decides and writes uses one instant, `at`: the real clock by default, or
the instant an operator names with `tracker reminders sweep --at`.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import make_msgid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .. import audit
from ..db import now_utc, transaction
from .claims import claim_rows
from .mail import DeliveryResult, deliver
from .models import MailMessage, Reminder, SweepState
from .targets import Failed, Outgoing, Skip, Target, get_target, registered_kinds

log = logging.getLogger(__name__)

SWEEP_NAME = "reminders"
BATCH_SIZE = 500
ACTOR = "scheduler"


@dataclass
class SweepResult:
    """What one sweep did, for the log, the command line and /healthz."""

    at: datetime
    queued: int = 0
    skipped: int = 0
    failed: int = 0
    messages: int = 0
    delivery: DeliveryResult = field(default_factory=DeliveryResult)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "queued": self.queued,
            "skipped": self.skipped,
            "failed": self.failed,
            "messages": self.messages,
            **self.delivery.to_dict(),
        }


def run_sweep(
    sessions: sessionmaker[Session], config: Mapping[str, Any], at: datetime | None = None
) -> SweepResult:
    """Queue every due reminder, deliver the outbox, and record when the sweep finished."""
    at = at or now_utc()
    if at.tzinfo is None:
        raise ValueError(f"A sweep needs an aware instant, not {at.isoformat()}.")
    result = SweepResult(at=at.astimezone(UTC))
    kinds = registered_kinds()

    while True:
        with transaction(sessions) as session:
            claimed = queue_due(session, result, kinds, config)
        if claimed < BATCH_SIZE:
            break

    result.delivery = deliver(sessions, config, result.at)
    _record_finish(sessions, result)
    log.info("Reminder sweep as of %s: %s", result.at.isoformat(), json.dumps(result.to_dict()))
    return result


def claim_due(
    session: Session, at: datetime, kinds: Sequence[str], limit: int = BATCH_SIZE
) -> list[int]:
    """Mark up to `limit` due, pending reminders of `kinds` as queued; return their ids.

    The caller's transaction owns the claim: it becomes visible to other sweeps only with
    the messages queued for it, and vanishes with them on rollback.
    """
    due = (
        select(Reminder.id)
        .where(
            Reminder.status == "pending",
            Reminder.remind_at <= at,
            Reminder.target_kind.in_(list(kinds)),
        )
        .order_by(Reminder.remind_at, Reminder.id)
        .limit(limit)
    )
    return claim_rows(session, Reminder, due, {"status": "queued", "queued_at": at})


def queue_due(
    session: Session, result: SweepResult, kinds: Sequence[str], config: Mapping[str, Any]
) -> int:
    """Claim one batch, render each reminder into the outbox; return how many were claimed."""
    ids = claim_due(session, result.at, kinds)
    if not ids:
        return 0

    query = select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.remind_at, Reminder.id)
    reminders = list(session.scalars(query))
    for earlier, latest in _superseded(reminders):
        _finish(session, earlier, "skipped", f"the {latest.step} reminder went out in its place")
        result.skipped += 1

    for reminder in reminders:
        if reminder.status == "queued":
            _queue_one(session, reminder, result, config)
    return len(ids)


def _superseded(reminders: list[Reminder]) -> list[tuple[Reminder, Reminder]]:
    """Reminders of one deadline that fell due together: each earlier one with the latest.

    After a pause (nothing ran for a day) the half-way, 24-hour and due reminders of one
    deadline may all be due at once; only the latest, most urgent one goes out.
    """
    latest: dict[tuple[str, int, datetime], Reminder] = {}
    for reminder in reminders:
        latest[(reminder.target_kind, reminder.target_id, reminder.deadline_at)] = reminder
    return [
        (reminder, latest[(reminder.target_kind, reminder.target_id, reminder.deadline_at)])
        for reminder in reminders
        if latest[(reminder.target_kind, reminder.target_id, reminder.deadline_at)] is not reminder
    ]


def _queue_one(
    session: Session, reminder: Reminder, result: SweepResult, config: Mapping[str, Any]
) -> None:
    """Render one claimed reminder in a savepoint, so that its failure stays its own."""
    target = get_target(reminder.target_kind)
    assert target is not None
    try:
        with session.begin_nested():
            rendered = target.render(session, reminder)
            _apply(session, target, reminder, rendered, result, config)
    except Exception as exc:  # noqa: BLE001  (a task boundary: one reminder, not the sweep)
        log.exception("Reminder %s could not be rendered", reminder.id)
        session.expire(reminder)
        _finish(session, reminder, "failed", f"its message could not be made: {type(exc).__name__}")
        result.failed += 1


def _apply(
    session: Session,
    target: Target,
    reminder: Reminder,
    rendered: Sequence[Outgoing] | Skip | Failed | None,
    result: SweepResult,
    config: Mapping[str, Any],
) -> None:
    if rendered is None or isinstance(rendered, Skip):
        reason = rendered.reason if rendered else "its subject needs no reminder any more"
        _finish(session, reminder, "skipped", reason)
        result.skipped += 1
        return
    if isinstance(rendered, Failed):
        _finish(session, reminder, "failed", rendered.reason)
        result.failed += 1
        if target.follow is not None:
            target.follow(session, reminder, result.at)
        return
    if not rendered:
        _finish(session, reminder, "failed", "there was nobody to send it to")
        result.failed += 1
        return

    domain = str(config.get("MAIL_FROM") or "tracker@localhost").rpartition("@")[2]
    for outgoing in rendered:
        session.add(_message(reminder, outgoing, domain, result.at))
    audit.record(
        session,
        ACTOR,
        "reminder.queue",
        reminder,
        {"status": "pending"},
        _state(reminder, rendered),
    )
    result.queued += 1
    result.messages += len(rendered)
    if target.follow is not None:
        target.follow(session, reminder, result.at)


def _message(reminder: Reminder, outgoing: Outgoing, domain: str, at: datetime) -> MailMessage:
    return MailMessage(
        reminder_id=reminder.id,
        recipient=outgoing.recipient,
        recipient_role=outgoing.role,
        subject=outgoing.subject[:300],
        body_text=outgoing.text,
        body_html=outgoing.html,
        message_id=make_msgid("reminder", domain=domain or "localhost"),
        status="pending",
        attempts=0,
        next_attempt_at=at,
        created_at=at,
        last_error="",
    )


def _state(reminder: Reminder, rendered: Sequence[Outgoing]) -> dict[str, Any]:
    roles = sorted({outgoing.role for outgoing in rendered if outgoing.role})
    return {
        "status": reminder.status,
        "step": reminder.step,
        "messages": len(rendered),
        "roles": roles,
    }


def _finish(session: Session, reminder: Reminder, status: str, reason: str) -> None:
    reminder.status = status
    reminder.reason = reason
    after = {"status": status, "reason": reason}
    audit.record(session, ACTOR, f"reminder.{status}", reminder, {"status": "pending"}, after)


def _record_finish(sessions: sessionmaker[Session], result: SweepResult) -> None:
    """Store when this sweep finished, one row per sweep name, whichever process ran it."""
    values = {
        "name": SWEEP_NAME,
        "finished_at": now_utc(),
        "as_of": result.at,
        "host": f"{socket.gethostname()}:{os.getpid()}"[:200],
        "summary": json.dumps(result.to_dict()),
    }
    with transaction(sessions) as session:
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(SweepState).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[SweepState.name],
            set_={key: value for key, value in values.items() if key != "name"},
        )
        session.execute(statement)


def get_sweep_state(session: Session, name: str = SWEEP_NAME) -> SweepState | None:
    return session.get(SweepState, name)
