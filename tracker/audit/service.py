"""Write and check the audit trail.

`record()` is the one way a row enters the trail: every service that changes something calls
it in the same transaction as the change, so that the change and its record stand or fall
together. Each row's hash covers its content and the hash of the row before it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session

from ..db import lock_for_writing, now_utc
from .models import GENESIS_HASH, AuditEvent

log = logging.getLogger(__name__)

LOCK_NAME = "tracker.audit_chain"


class Actor(Protocol):
    id: int

    @property
    def label(self) -> str: ...


def canonical_json(value: Any) -> str | None:
    """JSON with sorted keys and no spaces, so that the same content always hashes alike."""
    if value is None:
        return None
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_value
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    raise TypeError(f"The value {value!r} cannot be written to the audit trail as JSON.")


def row_hash(event: AuditEvent) -> str:
    """The SHA-256 that `event` must carry: its content and the previous row's hash."""
    content = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "incident_id": event.incident_id,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()  # type: ignore[union-attr]


def record(
    session: Session,
    actor: Actor | str | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row to the audit trail for a change to `obj`, within the caller's transaction.

    `actor` is a user, or a label such as "command line" or "scheduler" for the system.
    `obj` is a mapped object (flushed here so that it has its id); its type is its table name
    in the singular unless the class sets `audit_type`.
    """
    if obj is not None and inspect(obj).pending:
        session.flush()

    lock_for_writing(session, LOCK_NAME)
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    event = _chained(last, actor, action, obj, before, after)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class Change:
    """One change for `record_many`: what `record` takes after the actor."""

    action: str
    obj: Any
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record_many(session: Session, actor: Actor | str | None, changes: list[Change]) -> int:
    """Append one row per change, chained in order exactly as `record` would, in one insert.

    For a bulk change such as an import: the chain's lock is taken and its last row read
    once, the hashes are chained here, and the rows go to the database as one statement.
    Returns the sequence number of the last row written (0 when there were no changes).
    """
    if not changes:
        return 0
    if any(change.obj is not None and inspect(change.obj).pending for change in changes):
        session.flush()

    lock_for_writing(session, LOCK_NAME)
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    rows = []
    for change in changes:
        last = _chained(last, actor, change.action, change.obj, change.before, change.after)
        rows.append({name: getattr(last, name) for name in _COLUMNS})
    session.execute(insert(AuditEvent), rows)
    return rows[-1]["seq"]


_COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "incident_id",
    "before",
    "after",
    "prev_hash",
    "hash",
)


def _chained(
    last: AuditEvent | None,
    actor: Actor | str | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEvent:
    """The row that follows `last` in the chain (the first when None), its hash set."""
    event = AuditEvent(
        seq=1 if last is None else last.seq + 1,
        at=now_utc(),
        actor_id=getattr(actor, "id", None),
        actor_label=_actor_label(actor),
        action=action,
        object_type=object_type(obj),
        object_id=None if obj is None else str(inspect(obj).identity[0]),
        incident_id=_incident_id(obj),
        before=canonical_json(before),
        after=canonical_json(after),
        prev_hash=GENESIS_HASH if last is None else last.hash,
    )
    event.hash = row_hash(event)
    return event


def object_type(obj: Any) -> str:
    if obj is None:
        return "system"
    explicit = getattr(type(obj), "audit_type", None)
    if explicit:
        return str(explicit)
    return type(obj).__name__.lower()


def _actor_label(actor: Actor | str | None) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.label


def _incident_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if type(obj).__tablename__ == "incidents":
        return int(obj.id)
    value = getattr(obj, "incident_id", None)
    return None if value is None else int(value)


def get_incident_history(session: Session, incident_id: int) -> list[AuditEvent]:
    """The audit rows about one incident, oldest first, for the incident page."""
    query = select(AuditEvent).where(AuditEvent.incident_id == incident_id).order_by(AuditEvent.seq)
    return list(session.scalars(query))


def get_all(session: Session, limit: int = 200) -> list[AuditEvent]:
    """The most recent audit rows, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    return list(session.scalars(query))


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain: intact, or the first place where it breaks."""

    rows: int
    problem: str | None = None
    seq: int | None = None

    @property
    def is_intact(self) -> bool:
        return self.problem is None


def verify_chain(session: Session, batch_size: int = 1000) -> ChainReport:
    """Walk the whole chain in order and report the first altered, inserted or deleted row."""
    previous: AuditEvent | None = None
    before_previous_hash = GENESIS_HASH
    count = 0

    for event in _in_order(session, batch_size):
        problem = _check_link(event, previous, before_previous_hash)
        if problem is not None:
            return ChainReport(rows=count, problem=problem, seq=event.seq)

        count += 1
        before_previous_hash = GENESIS_HASH if previous is None else previous.hash
        previous = event

    return ChainReport(rows=count)


def _check_link(
    event: AuditEvent, previous: AuditEvent | None, before_previous_hash: str
) -> str | None:
    expected_seq = 1 if previous is None else previous.seq + 1
    expected_prev = GENESIS_HASH if previous is None else previous.hash

    if event.seq > expected_seq:
        missing = _span(expected_seq, event.seq - 1)
        return f"{missing} missing before row {event.seq}: deleted"
    if event.prev_hash != expected_prev:
        if previous is not None and event.prev_hash == before_previous_hash:
            return f"row {previous.seq} does not belong in the chain: inserted"
        return f"row {event.seq} is not chained to the row before it: inserted or rewritten"
    if row_hash(event) != event.hash:
        return f"row {event.seq} does not match its hash: altered"
    return None


def _span(first: int, last: int) -> str:
    return f"row {first} is" if first == last else f"rows {first} to {last} are"


def _in_order(session: Session, batch_size: int) -> Iterator[AuditEvent]:
    after = 0
    while True:
        query = (
            select(AuditEvent)
            .where(AuditEvent.seq > after)
            .order_by(AuditEvent.seq)
            .limit(batch_size)
        )
        batch = list(session.scalars(query))
        if not batch:
            return
        yield from batch
        after = batch[-1].seq
        for event in batch:
            session.expunge(event)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
