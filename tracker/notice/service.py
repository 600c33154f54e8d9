"""Keep an incident's obligations in step with its facts, and read them for pages and the API.

Services never commit: the caller owns the transaction, so that obligations, notices and
their audit rows are stored together or not at all. The notice lifecycle lives in
tracker.notice.lifecycle; this module holds the obligations and the shared reads.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth import access
from ..auth.models import User
from ..db import now_utc
from ..deadline import Evaluation, compare, evaluate
from ..deadline import Obligation as Computed
from ..errors import NotFound
from ..facts import Facts, parse_facts
from ..incident.models import Incident
from .models import GIVEN_STATUSES, Attachment, Notice, Obligation

log = logging.getLogger(__name__)

DEFAULT_POLICY_TARGET_HOURS = 72


@dataclass(frozen=True)
class Movement:
    """One obligation that appeared, disappeared or moved in a recomputation."""

    kind: str
    key: str
    old_due: datetime | None
    new_due: datetime | None
    cause: str


def recompute_obligations(
    session: Session,
    incident: Incident,
    actor: User | str | None,
    previous: Facts | None = None,
    policy_target_hours: int | None = None,
) -> list[Movement]:
    """Evaluate the incident's facts and store the result as its obligations.

    Recorded notices are merged into the facts' `notices`, so that chained obligations get
    their dates. Obligations are matched by key; one the facts no longer give rise to is kept
    but marked not current, with its notices. Every obligation that appears, disappears or
    moves gets an audit row naming the fact that moved it; `previous` (the facts before the
    change, notices merged) lets that row name the field.
    """
    session.flush()
    hours = policy_target_hours or _policy_target_hours()
    facts = facts_with_notices(session, incident)
    evaluation = evaluate(facts, policy_target_hours=hours)
    causes = _causes(previous, evaluation, hours)

    stored = {row.key: row for row in _rows(session, incident.id)}
    movements = [
        movement
        for computed in evaluation.obligations
        if (movement := _upsert(session, incident, stored.get(computed.key), computed, causes))
    ]
    movements.extend(_withdraw(stored, evaluation, causes))

    # The first computation is recorded by the incident's own audit row, which holds the facts.
    audited = movements if stored else []
    for movement in audited:
        row = stored.get(movement.key) or _row_by_key(session, incident.id, movement.key)
        audit.record(session, actor, f"obligation.{movement.kind}", row, *_audit_pair(movement))
    _sync_reminders(session, incident)
    log.info(
        "Obligations of incident %s recomputed: %d current, %d changed",
        incident.reference,
        len(evaluation.obligations),
        len(movements),
    )
    return movements


def _sync_reminders(session: Session, incident: Incident) -> None:
    """Bring the incident's reminders in line with its obligations' dates and notices."""
    from ..reminder.service import sync_incident_reminders

    session.flush()
    sync_incident_reminders(session, incident)


def facts_with_notices(
    session: Session, incident: Incident, document: dict[str, Any] | None = None
) -> Facts:
    """The incident's facts (or proposed ones) with each recorded notice's first sending."""
    document = copy.deepcopy(document) if document is not None else incident.facts_document
    notices = dict(document.get("notices") or {})
    for key, sent_at in _first_sendings(session, incident.id).items():
        notices.setdefault(key, sent_at.isoformat())
    if notices:
        document["notices"] = notices
    return parse_facts(document)


def evaluate_incident(
    session: Session, incident: Incident, now: datetime | None = None
) -> Evaluation:
    """The engine's evaluation of the stored facts (notices merged), for pages and the API."""
    facts = facts_with_notices(session, incident)
    return evaluate(facts, now=now, policy_target_hours=_policy_target_hours())


def evaluate_document(
    session: Session, incident: Incident, document: dict[str, Any], now: datetime | None = None
) -> Evaluation:
    """The evaluation that proposed facts would give the incident; nothing is stored."""
    facts = facts_with_notices(session, incident, document)
    return evaluate(facts, now=now, policy_target_hours=_policy_target_hours())


def get_obligation(session: Session, obligation_id: int) -> Obligation:
    obligation = session.get(Obligation, obligation_id)
    if obligation is None:
        raise NotFound(f"There is no obligation with the id {obligation_id}.")
    return obligation


def get_notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(f"There is no notice with the id {notice_id}.")
    return notice


def get_attachment(session: Session, attachment_id: int) -> Attachment:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"There is no attachment with the id {attachment_id}.")
    return attachment


def get_obligations(
    session: Session, incident: Incident, include_withdrawn: bool = True
) -> list[Obligation]:
    """The incident's obligations, soonest deadline first, those without a date last."""
    query = _with_notices(select(Obligation).where(Obligation.incident_id == incident.id))
    if not include_withdrawn:
        query = query.where(Obligation.is_current.is_(True))
    return sorted(session.scalars(query), key=deadline_order)


def get_open_obligations(
    session: Session,
    due_before: datetime | None = None,
    regime: str | None = None,
    recipient: str | None = None,
    assignee: str | None = None,
    incident_id: int | None = None,
) -> list[Obligation]:
    """Current obligations across incidents that no notice has met yet, overdue first.

    `due_before` keeps those whose deadline (the legal date, else the policy target) falls
    before that instant; `assignee` matches the incident's assigned_to address.
    """
    query = _with_notices(
        select(Obligation).join(Obligation.incident).where(Obligation.is_current.is_(True))
    )
    if regime:
        query = query.where(Obligation.regime == regime)
    if recipient:
        query = query.where(Obligation.recipient == recipient)
    if incident_id is not None:
        query = query.where(Obligation.incident_id == incident_id)
    if assignee:
        query = query.where(Incident.assigned_to == assignee.strip().lower())

    rows = [row for row in session.scalars(query) if not row.is_settled]
    if due_before is not None:
        rows = [row for row in rows if row.deadline_at is not None and row.deadline_at < due_before]
    return sorted(rows, key=deadline_order)


def get_all_current(session: Session, viewer: Any) -> list[Obligation]:
    """Every current obligation of every incident `viewer` may see."""
    query = _with_notices(
        select(Obligation).where(
            Obligation.is_current.is_(True), access.visible_clause(viewer, Obligation.incident_id)
        )
    )
    return sorted(session.scalars(query), key=deadline_order)


def deadline_order(obligation: Obligation) -> tuple[bool, datetime, bool, str]:
    """Soonest deadline first; at the same instant a legal date before a policy target."""
    deadline = obligation.deadline_at
    latest = datetime.max.replace(tzinfo=UTC)
    return (deadline is None, deadline or latest, obligation.due_at is None, obligation.key)


def obligation_document(obligation: Obligation, now: datetime | None = None) -> dict[str, Any]:
    """The obligation as facts-format.md gives it, plus its id and notice status."""
    document = dict(obligation.data)
    document.update(
        id=obligation.id,
        incident_id=obligation.incident_id,
        is_current=obligation.is_current,
        notice_status=obligation.status,
        notices=[notice_summary(notice) for notice in obligation.notices],
    )
    if now is not None and obligation.due_at is not None and not obligation.is_settled:
        document["remaining_seconds"] = int((obligation.due_at - now).total_seconds())
        document["overdue"] = obligation.due_at < now
    return document


def notice_summary(notice: Notice) -> dict[str, Any]:
    """A notice as the API and audit trail show it."""
    return {
        "id": notice.id,
        "sequence": notice.sequence,
        "phase": notice.phase,
        "status": notice.status,
        "letter": notice.letter,
        "content_hash": notice.content_hash,
        "approved_by_id": notice.approved_by_id,
        "approved_at": _iso(notice.approved_at),
        "sent_at": _iso(notice.sent_at),
        "channel": notice.channel,
        "sent_by_id": notice.sent_by_id,
        "reference": notice.reference,
        "delay_reason": notice.delay_reason,
        "acknowledged_at": _iso(notice.acknowledged_at),
        "not_required_reason": notice.not_required_reason,
        "decided_by_id": notice.decided_by_id,
        "attachments": [attachment.filename for attachment in notice.attachments],
        "due_at_sending": _iso(notice.due_at_sent),
        "sent_late": sent_late(notice),
    }


def sent_late(notice: Notice) -> bool | None:
    """Whether the notice went out after the legal date it had when it was sent.

    None while it is not sent; False when it had no legal date then (without undue delay).
    """
    if notice.sent_at is None:
        return None
    return notice.due_at_sent is not None and notice.sent_at > notice.due_at_sent


def _policy_target_hours() -> int:
    from flask import current_app, has_app_context

    if has_app_context():
        return int(current_app.config.get("TRACKER_POLICY_TARGET_HOURS", 72))
    return DEFAULT_POLICY_TARGET_HOURS


def _causes(previous: Facts | None, evaluation: Evaluation, hours: int) -> dict[str, str]:
    """What moved each obligation, from the engine's comparison with the facts before."""
    if previous is None:
        return {}
    before = evaluate(previous, policy_target_hours=hours)
    return {change.key: change.cause for change in compare(before, evaluation)}


def _upsert(
    session: Session,
    incident: Incident,
    row: Obligation | None,
    computed: Computed,
    causes: dict[str, str],
) -> Movement | None:
    data = computed.to_dict()
    if row is None:
        row = Obligation(incident_id=incident.id, key=computed.key, revision=0)
        _fill(row, computed, data)
        session.add(row)
        session.flush()
        cause = causes.get(computed.key, "the facts give rise to it")
        return Movement("added", computed.key, None, computed.due, cause)

    moved = _has_moved(row, computed)
    returned = not row.is_current
    old_due = row.due_at
    old_trigger_at = row.data.get("trigger_at")
    _fill(row, computed, data)
    if returned:
        row.revision += 1
        cause = causes.get(computed.key, "the facts give rise to it again")
        return Movement("added", computed.key, old_due, computed.due, cause)
    if not moved:
        return None

    row.revision += 1
    cause = causes.get(computed.key) or _fallback_cause(old_trigger_at, data)
    return Movement("moved", computed.key, old_due, computed.due, cause)


def _fill(row: Obligation, computed: Computed, data: dict[str, Any]) -> None:
    row.regime = computed.regime
    row.recipient = computed.recipient
    row.stage = computed.stage
    row.due_at = computed.due
    row.due_kind = computed.due_kind
    row.target_at = computed.target
    row.trigger = computed.trigger
    row.basis = computed.basis
    row.citation = computed.citation
    row.rule_version = computed.rule_version
    row.data = data
    row.is_current = True
    row.computed_at = now_utc()


def _has_moved(row: Obligation, computed: Computed) -> bool:
    return (
        row.due_at != computed.due
        or row.due_kind != computed.due_kind
        or row.target_at != computed.target
    )


def _fallback_cause(old_trigger_at: str | None, data: dict[str, Any]) -> str:
    if old_trigger_at != data.get("trigger_at"):
        return f"{data['trigger']} moved from {old_trigger_at} to {data.get('trigger_at')}"
    return "the facts or the rulebook changed"


def _withdraw(
    stored: dict[str, Obligation], evaluation: Evaluation, causes: dict[str, str]
) -> list[Movement]:
    """Mark stored obligations the facts no longer give rise to as not current."""
    keys = {computed.key for computed in evaluation.obligations}
    movements = []
    for key, row in stored.items():
        if key in keys or not row.is_current:
            continue
        row.is_current = False
        row.revision += 1
        reason = evaluation.reason(key)
        cause = causes.get(key) or f"it no longer applies: {reason or 'the facts changed'}"
        movements.append(Movement("withdrawn", key, row.due_at, None, cause))
    return movements


def _audit_pair(movement: Movement) -> tuple[dict[str, Any], dict[str, Any]]:
    before = {"due": _iso(movement.old_due)}
    after = {"due": _iso(movement.new_due), "cause": movement.cause}
    return before, after


def _rows(session: Session, incident_id: int) -> list[Obligation]:
    return list(session.scalars(select(Obligation).where(Obligation.incident_id == incident_id)))


def _row_by_key(session: Session, incident_id: int, key: str) -> Obligation:
    query = select(Obligation).where(Obligation.incident_id == incident_id, Obligation.key == key)
    return session.scalars(query).one()


def _first_sendings(session: Session, incident_id: int) -> dict[str, datetime]:
    """The first instant each obligation of the incident was given a notice, by key."""
    query = (
        select(Obligation.key, Notice.sent_at)
        .join(Notice.obligation)
        .where(Notice.incident_id == incident_id, Notice.status.in_(GIVEN_STATUSES))
        .order_by(Notice.sent_at)
    )
    first: dict[str, datetime] = {}
    for key, sent_at in session.execute(query):
        if sent_at is not None:
            first.setdefault(key, sent_at)
    return first


def _with_notices(query: Any) -> Any:
    return query.options(
        selectinload(Obligation.notices).selectinload(Notice.attachments),
        selectinload(Obligation.incident),
    )


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()
