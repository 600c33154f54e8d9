"""Playbooks attached to incidents, their steps ticked, and the closure gate on resolution.

Services never commit: the caller owns the transaction, so that a tick, its timeline entry
and its audit row are stored together or not at all.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..auth.models import User
from ..auth.permissions import COUNSEL
from ..db import now_utc
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..incident.models import Incident, TimelineEntry
from .models import ChecklistItem, IncidentPlaybook, PlaybookOverride
from .playbooks import (
    SECTION_LABELS,
    Playbook,
    PlaybookError,
    check_coverage,
    for_category,
    parse_playbook,
    shipped_playbooks,
)

log = logging.getLogger(__name__)


# Playbooks and their administrators' edits.


def get_playbooks(session: Session) -> dict[str, Playbook]:
    """The shipped playbooks, each replaced by its stored edit when there is one."""
    playbooks = dict(shipped_playbooks())
    for row in session.scalars(select(PlaybookOverride)):
        if row.playbook_id not in playbooks:
            continue
        try:
            playbooks[row.playbook_id] = parse_playbook(row.text, "database", row.playbook_id)
        except PlaybookError as exc:
            log.warning("Stored edit of playbook %s no longer loads: %s", row.playbook_id, exc)
    return playbooks


def get_playbook(session: Session, playbook_id: str) -> Playbook:
    playbook = get_playbooks(session).get(playbook_id)
    if playbook is None:
        raise NotFound(f"There is no playbook with the id {playbook_id!r}.")
    return playbook


def save_playbook(session: Session, playbook_id: str, text: str, actor: User) -> Playbook:
    """Validate an administrator's text for one playbook and store it over the shipped file."""
    before = get_playbook(session, playbook_id)
    playbook = parse_playbook(text, f"playbook {playbook_id}", expected_id=playbook_id)
    check_coverage({**get_playbooks(session), playbook_id: playbook}, f"playbook {playbook_id}")

    row = session.scalars(
        select(PlaybookOverride).where(PlaybookOverride.playbook_id == playbook_id)
    ).one_or_none()
    if row is None:
        row = PlaybookOverride(playbook_id=playbook_id)
        session.add(row)
    row.text = text
    row.updated_at = now_utc()
    row.updated_by_id = actor.id
    session.flush()

    audit.record(
        session,
        actor,
        "playbook.update",
        row,
        {"version": before.version, "origin": _origin(before)},
        {"version": playbook.version, "text": text},
    )
    log.info("Playbook %s edited by user %s", playbook_id, actor.id)
    return playbook


def reset_playbook(session: Session, playbook_id: str, actor: User) -> None:
    """Drop the stored edit of a playbook, so that the shipped file applies again."""
    row = session.scalars(
        select(PlaybookOverride).where(PlaybookOverride.playbook_id == playbook_id)
    ).one_or_none()
    if row is None:
        return
    audit.record(session, actor, "playbook.reset", row, {"text": row.text}, None)
    session.delete(row)
    log.info("Playbook %s reset to the shipped file by user %s", playbook_id, actor.id)


def _origin(playbook: Playbook) -> str:
    return "database" if playbook.origin == "database" else "shipped"


# Checklists of incidents.


def get_checklist(session: Session, incident: Incident) -> IncidentPlaybook | None:
    query = select(IncidentPlaybook).where(IncidentPlaybook.incident_id == incident.id)
    return session.scalars(query).one_or_none()


def attach_playbook(session: Session, incident: Incident, actor: User | None) -> IncidentPlaybook:
    """Give the incident the checklist of its category's playbook, unless it has one."""
    existing = get_checklist(session, incident)
    if existing is not None:
        return existing

    playbook = for_category(get_playbooks(session), incident.category)
    checklist = new_checklist(incident, playbook, now_utc())
    # Derived from the incident's category like its obligations, so no audit row of its own:
    # the ticks that follow are audited.
    session.add(checklist)
    session.flush()
    log.info("Playbook %s attached to incident %s", playbook.id, incident.reference)
    return checklist


def new_checklist(incident: Incident, playbook: Playbook, at: datetime) -> IncidentPlaybook:
    """The checklist of `playbook` for the incident (which has its id), attached at `at`."""
    values, items = checklist_values(incident.id, playbook, at)
    checklist = IncidentPlaybook(**values)
    checklist.items.extend(ChecklistItem(**item) for item in items)
    return checklist


def checklist_values(
    incident_id: int, playbook: Playbook, at: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The columns of an incident's checklist and of each of its steps, in order.

    Opening an incident builds its checklist from these; an import inserts them in bulk.
    """
    values = {
        "incident_id": incident_id,
        "playbook_id": playbook.id,
        "title": playbook.title,
        "version": playbook.version,
        "attached_at": at,
    }
    items = [
        {
            "incident_id": incident_id,
            "section": section,
            "step_id": step.id,
            "text": step.text,
            "position": position,
        }
        for position, (section, step) in enumerate(playbook.items(), start=1)
    ]
    return values, items


def follow_incident(session: Session, incident: Incident, actor: User | None) -> None:
    """After an incident is opened or changed: its checklist, and its update reminders."""
    from .reminders import sync_update_reminders

    attach_playbook(session, incident, actor)
    sync_update_reminders(session, incident, now_utc())


def get_item(session: Session, incident: Incident, item_id: int) -> ChecklistItem:
    item = session.get(ChecklistItem, item_id)
    if item is None or item.incident_id != incident.id:
        raise NotFound(f"The incident {incident.reference} has no checklist step {item_id}.")
    return item


def tick(session: Session, item: ChecklistItem, actor: User, note: str = "") -> ChecklistItem:
    """Mark a step done by `actor` now; the tick goes on the timeline and the audit trail."""
    if item.done_at is not None:
        raise Conflict(
            f"The step {item.text!r} was already ticked; untick it first to tick it again.",
            {"item": "already done"},
        )
    item.done_at = now_utc()
    item.done_by_id = actor.id
    item.note = (note or "").strip()[:2000]

    label = SECTION_LABELS[item.section]
    text = f"Playbook, {label.lower()}: {item.text}, done."
    _timeline(item, actor, f"{text} {item.note}".strip())
    audit.record(
        session, actor, "checklist.tick", item, None, {"step": item.step_id, "note": item.note}
    )
    log.info("Checklist step %s ticked by user %s", item.id, actor.id)
    return item


def untick(session: Session, item: ChecklistItem, actor: User, reason: str) -> ChecklistItem:
    """Reopen a ticked step, with the reason; the earlier tick stays in the audit trail."""
    reason = (reason or "").strip()
    if item.done_at is None:
        raise Conflict(f"The step {item.text!r} is not ticked.", {"item": "still open"})
    if not reason:
        raise ValidationError(
            "Say why the step is reopened.", {"reason": "required to reopen a step"}
        )
    before = {"done_at": item.done_at, "done_by_id": item.done_by_id, "note": item.note}
    item.done_at, item.done_by_id, item.note = None, None, ""

    _timeline(item, actor, f"Playbook step reopened: {item.text}. {reason}")
    audit.record(session, actor, "checklist.untick", item, before, {"reason": reason})
    log.info("Checklist step %s reopened by user %s", item.id, actor.id)
    return item


def _timeline(item: ChecklistItem, actor: User, text: str) -> None:
    at = item.done_at or now_utc()
    item.checklist.incident.timeline.append(
        TimelineEntry(at=at, kind="action", text=text, author_id=actor.id)
    )


# The closure gate of the status flow.


def check_closure(
    session: Session,
    incident: Incident,
    actor: User | None,
    override_reason: str | None,
    at: datetime | None = None,
) -> None:
    """Refuse resolution while a closure criterion is open, unless counsel gives a reason."""
    checklist = get_checklist(session, incident)
    open_items = [] if checklist is None else checklist.open_closure
    if not open_items:
        return

    names = "; ".join(item.text for item in open_items)
    reason = (override_reason or "").strip()
    if not reason:
        raise Conflict(
            f"The incident cannot be resolved while closure criteria are open: {names}. Tick "
            "them on the playbook, or counsel may resolve it with a reason.",
            {"status": "closure criteria are open"},
        )
    if actor is None or getattr(actor, "role", None) not in COUNSEL:
        raise Forbidden(
            "Only counsel may resolve an incident while closure criteria are open.",
            {"override_reason": "counsel only"},
        )
    _record_override(session, checklist, open_items, actor, reason, at)  # type: ignore[arg-type]


def _record_override(
    session: Session,
    checklist: IncidentPlaybook,
    open_items: list[ChecklistItem],
    actor: User,
    reason: str,
    at: datetime | None = None,
) -> None:
    checklist.override_reason = reason
    checklist.override_at = at or now_utc()
    checklist.override_by_id = actor.id
    names = "; ".join(item.text for item in open_items)
    checklist.incident.timeline.append(
        TimelineEntry(
            at=checklist.override_at,
            kind="decision",
            text=f"Resolved by counsel with closure criteria open ({names}): {reason}",
            author_id=actor.id,
        )
    )
    audit.record(
        session,
        actor,
        "checklist.override",
        checklist,
        None,
        {"open": [item.step_id for item in open_items], "reason": reason},
    )
    log.info(
        "Closure criteria of incident %s overridden by user %s", checklist.incident_id, actor.id
    )


def progress(checklist: IncidentPlaybook) -> dict[str, Any]:
    """How many steps of each section are done, for the incident page."""
    return {
        section: (
            sum(1 for item in checklist.section(section) if item.done_at is not None),
            len(checklist.section(section)),
        )
        for section in SECTION_LABELS
    }
