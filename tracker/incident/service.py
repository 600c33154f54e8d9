"""Create and change incidents. Every change is validated first, logged and audited.

Services never commit: the caller (a view, a command, the API) owns the transaction, so that a
change, its status history and its audit row are stored together or not at all.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .. import audit
from ..auth import access
from ..auth.models import User
from ..db import lock_for_writing, now_utc
from ..errors import Conflict, NotFound, ValidationError
from ..facts import STATUSES, Facts, check_not_future, parse_facts
from ..notice.service import facts_with_notices, recompute_obligations
from .display import zone_of
from .models import (
    CUSTOMER_IMPACT,
    DATA_LOSS,
    TIMELINE_KINDS,
    Incident,
    StatusChange,
    TimelineEntry,
)

log = logging.getLogger(__name__)

REFERENCE_LOCK = "tracker.incident_reference"

# Incidents on one page of the list; a page number is at most nine digits.
PAGE_SIZE = 50
LARGEST_PAGE = 999_999_999

# The moves the status flow allows; a resolved incident can be reopened before its post-mortem.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "detected": ("investigating", "mitigating", "resolved"),
    "investigating": ("mitigating", "resolved"),
    "mitigating": ("investigating", "resolved"),
    "resolved": ("investigating", "post_mortem"),
    "post_mortem": (),
}

# Impact fields that update_impact() accepts, with the values each allows (None: free).
IMPACT_FIELDS: dict[str, tuple[str, ...] | None] = {
    "impact_systems": None,
    "impact_users": None,
    "impact_data_compromised": None,
    "impact_data_loss": DATA_LOSS,
    "revenue_impact": None,
    "customer_impact": CUSTOMER_IMPACT,
    "brand_impact": None,
    "regulatory_impact": None,
}

# Columns copied from the facts' `incident` section.
MIRRORED = (
    "title",
    "description",
    "severity",
    "category",
    "cause",
    "affected_services",
    "affected_customers",
    "detected_by",
    "assigned_to",
    "tags",
)


def get(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"There is no incident with the id {incident_id}.")
    return incident


def get_by_reference(session: Session, reference: str) -> Incident:
    incident = session.scalars(select(Incident).where(Incident.reference == reference)).first()
    if incident is None:
        raise NotFound(f"There is no incident with the reference {reference!r}.")
    return incident


def get_all(
    session: Session,
    status: str | None = None,
    severity: str | None = None,
    *,
    viewer: Any,
    include_imported: bool = False,
) -> list[Incident]:
    """The incidents `viewer` may see, newest first, optionally of one status or severity.

    The incidents imported from public registers are left out unless `include_imported`:
    the pickers that read this list are for the organisation's own incidents.
    """
    query = (
        select(Incident)
        .where(
            access.visible_clause(viewer, Incident.id),
            access.own_clause(Incident.id, include_imported),
        )
        .order_by(Incident.created_at.desc(), Incident.id.desc())
    )
    if status is not None:
        query = query.where(Incident.status == status)
    if severity is not None:
        query = query.where(Incident.severity == severity)
    return list(session.scalars(query))


def search(
    session: Session,
    status: str | None = None,
    severity: str | None = None,
    category: str | None = None,
    text: str | None = None,
    *,
    viewer: Any,
) -> list[Incident]:
    """The incidents `viewer` may see, newest first, filtered; `text` matches the title or
    the reference."""
    query = _search_query(status, severity, category, text)
    return list(session.scalars(query.where(access.visible_clause(viewer, Incident.id))))


@dataclass(frozen=True)
class IncidentPage:
    """One page of the incident list, with what a pager needs."""

    incidents: list[Incident]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_position(self) -> int:
        """The position in the whole list of the page's first incident (1 for the first)."""
        return (self.number - 1) * self.size + 1 if self.incidents else 0

    @property
    def last_position(self) -> int:
        return (self.number - 1) * self.size + len(self.incidents)


def search_page(
    session: Session,
    page: int,
    size: int = PAGE_SIZE,
    *,
    viewer: Any,
    status: str | None = None,
    severity: str | None = None,
    category: str | None = None,
    text: str | None = None,
) -> IncidentPage:
    """One page of the filtered list, newest first, of the incidents `viewer` may see.

    The order (creation instant, then id, both descending) is total, so that each incident
    is on exactly one page while nothing is added. A page past the last is refused.
    """
    query = _search_query(status, severity, category, text)
    query = query.where(access.visible_clause(viewer, Incident.id))
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = IncidentPage([], page, size, int(total or 0))
    if page > found.pages:
        raise NotFound(
            f"The incident list has {found.pages} page(s) of {size}; there is no page {page}.",
            {"page": f"expected a page from 1 to {found.pages}"},
        )
    rows = session.scalars(query.limit(size).offset((page - 1) * size))
    return IncidentPage(list(rows), page, size, found.total)


def parse_page(text: str | None) -> int:
    """A page number from a query string; anything but a whole number of 1 or more is refused."""
    given = (text or "1").strip()
    digits = given.isascii() and given.isdigit() and len(given) <= len(str(LARGEST_PAGE))
    if not digits or int(given) < 1:
        raise ValidationError(
            f"The page {given[:40]!r} is not a whole number from 1 to {LARGEST_PAGE}.",
            {"page": f"expected a whole number from 1 to {LARGEST_PAGE}"},
        )
    return int(given)


def _search_query(
    status: str | None, severity: str | None, category: str | None, text: str | None
) -> Select[tuple[Incident]]:
    query = select(Incident).order_by(Incident.created_at.desc(), Incident.id.desc())
    for column, value in (
        (Incident.status, status),
        (Incident.severity, severity),
        (Incident.category, category),
    ):
        if value:
            query = query.where(column == value)
    if text:
        pattern = f"%{_escape_like(text.strip().lower())}%"
        query = query.where(
            func.lower(Incident.title).like(pattern, escape="\\")
            | func.lower(Incident.reference).like(pattern, escape="\\")
        )
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def create_incident(session: Session, facts: Any, actor: User | None) -> Incident:
    """Create an incident from a facts document (dict, JSON text or Facts)."""
    parsed = _parse(facts)
    check_not_future(parsed, now_utc())

    lock_for_writing(session, REFERENCE_LOCK)
    now = now_utc()
    actor_id = None if actor is None else actor.id
    incident = Incident(
        reference=_next_reference(session, now.year),
        created_at=now,
        updated_at=now,
        created_by_id=actor_id,
        updated_by_id=actor_id,
    )
    status = parsed.incident.status or "detected"
    _apply_facts(incident, parsed, status)
    incident.status_changes.append(StatusChange(to_status=status, at=now, actor_id=actor_id))
    session.add(incident)

    audit.record(session, actor, "incident.create", incident, None, snapshot(incident))
    recompute_obligations(session, incident, actor)
    _follow_plan(session, incident, actor)
    log.info("Incident %s created by %s", incident.reference, _actor_id(actor))
    return incident


def update_facts(session: Session, incident: Incident, facts: Any, actor: User | None) -> Incident:
    """Replace the incident's facts; a change of status in them follows the status flow."""
    parsed = _parse(facts)
    check_not_future(parsed, now_utc())
    status = parsed.incident.status or incident.status
    if status != incident.status:
        _check_transition(incident.status, status)
        _check_closure(session, incident, status, actor, None)
    if status == "resolved" and parsed.events.resolved_at is None:
        document = parsed.to_document()
        document["events"] = resolution_events(
            document["events"], incident.status, status, now_utc(), parsed.timezone
        )
        parsed = _parse(document)

    before = incident.facts_document
    previous_facts = facts_with_notices(session, incident)
    previous_status = incident.status
    _apply_facts(incident, parsed, status)
    _touch(incident, actor)
    if status != previous_status:
        _log_status(incident, previous_status, status, actor, "")

    audit.record(
        session,
        actor,
        "incident.facts",
        incident,
        {"facts": before},
        {"facts": incident.facts_document},
    )
    recompute_obligations(session, incident, actor, previous=previous_facts)
    _follow_plan(session, incident, actor)
    log.info("Facts of incident %s replaced by %s", incident.reference, _actor_id(actor))
    return incident


def change_status(
    session: Session,
    incident: Incident,
    status: str,
    actor: User | None,
    note: str = "",
    closure_override: str | None = None,
    at: datetime | None = None,
) -> Incident:
    """Move the incident along the status flow, refusing moves the flow does not allow.

    Resolution waits for the playbook's closure criteria; counsel may resolve with open
    criteria by giving `closure_override`, the reason, which is recorded. Resolving and
    reopening change the facts' resolved_at (see `resolution_events`), stored as a facts
    change with its own audit row, and the obligations are recomputed. `at` is the instant
    of the change (default: now).
    """
    if status not in STATUSES:
        raise ValidationError(
            f"The status {status!r} is not one of {', '.join(STATUSES)}.",
            {"status": f"expected one of {', '.join(STATUSES)}"},
        )
    _check_transition(incident.status, status)
    now = at or now_utc()
    _check_closure(session, incident, status, actor, closure_override, now)

    previous = incident.status
    before = incident.facts_document
    previous_facts = facts_with_notices(session, incident)
    document = copy.deepcopy(before)
    document["incident"]["status"] = status
    events = document.get("events") or {}
    document["events"] = resolution_events(events, previous, status, now, incident.timezone)
    _apply_facts(incident, _parse(document), status)
    _touch(incident, actor, now)
    _log_status(incident, previous, status, actor, _status_note(before, document, note), now)

    audit.record(
        session, actor, "incident.status", incident, {"status": previous}, {"status": status}
    )
    if _events_of(before) != _events_of(document):
        audit.record(
            session,
            actor,
            "incident.facts",
            incident,
            {"facts": before},
            {"facts": incident.facts_document},
        )
        recompute_obligations(session, incident, actor, previous=previous_facts)
    _follow_plan(session, incident, actor)
    log.info(
        "Incident %s moved from %s to %s by %s",
        incident.reference,
        previous,
        status,
        _actor_id(actor),
    )
    return incident


def resolution_events(
    events: Mapping[str, Any], previous: str, status: str, at: datetime, zone: str
) -> dict[str, Any]:
    """The facts' events after a move from `previous` to `status` made at `at`.

    Resolving records `at` as resolved_at, unless the facts already say when the incident was
    resolved (a person entered it). Reopening (resolved back to investigating) clears it: the
    incident is open again, so an outage still lasts and the post-mortem waits for the next
    resolution. The cleared instant stays in the status history and the facts audit trail.
    """
    changed = dict(events)
    if status == "resolved" and not changed.get("resolved_at"):
        local = at.astimezone(zone_of(zone)).replace(microsecond=0)
        changed["resolved_at"] = local.isoformat()
    elif previous == "resolved" and status not in ("resolved", "post_mortem"):
        changed["resolved_at"] = None
    return changed


def _events_of(document: Mapping[str, Any]) -> Any:
    return document.get("events") or {}


def _status_note(before: Mapping[str, Any], after: Mapping[str, Any], note: str) -> str:
    """The note of a status change, saying which resolution a reopening clears."""
    cleared = _events_of(before).get("resolved_at")
    if not cleared or _events_of(after).get("resolved_at"):
        return note
    return f"{note} Resolution of {cleared} cleared from the facts.".strip()


def add_timeline_entry(
    session: Session,
    incident: Incident,
    text: str,
    actor: User | None,
    at: datetime | None = None,
    kind: str = "note",
) -> TimelineEntry:
    """Add an entry to the incident's timeline; `at` is when it happened (default: now)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("A timeline entry needs some text.", {"text": "required"})
    if kind not in TIMELINE_KINDS:
        raise ValidationError(
            f"The timeline entry kind {kind!r} is not one of {', '.join(TIMELINE_KINDS)}.",
            {"kind": f"expected one of {', '.join(TIMELINE_KINDS)}"},
        )
    if at is not None and (at.tzinfo is None or at.utcoffset() is None):
        raise ValidationError(
            f"The time {at.isoformat()} has no offset; give one, such as -05:00 or Z.",
            {"at": "expected an instant with an offset"},
        )

    entry = TimelineEntry(
        at=at or now_utc(), kind=kind, text=text, author_id=None if actor is None else actor.id
    )
    incident.timeline.append(entry)
    session.flush()

    audit.record(session, actor, "timeline.create", entry, None, _entry_snapshot(entry))
    log.info(
        "Timeline entry %s added to incident %s by %s",
        entry.id,
        incident.reference,
        _actor_id(actor),
    )
    return entry


def update_impact(
    session: Session, incident: Incident, changes: Mapping[str, Any], actor: User | None
) -> Incident:
    """Change fields of the impact assessment; unknown fields and values are refused."""
    errors = _impact_errors(changes)
    if errors:
        first = next(iter(errors.items()))
        raise ValidationError(
            f"The impact assessment is not valid: {first[0]}: {first[1]}.", errors
        )

    before = {name: getattr(incident, name) for name in changes}
    for name, value in changes.items():
        setattr(incident, name, value)
    _touch(incident, actor)

    audit.record(session, actor, "incident.impact", incident, before, dict(changes))
    log.info("Impact of incident %s updated by %s", incident.reference, _actor_id(actor))
    return incident


def snapshot(incident: Incident) -> dict[str, Any]:
    """The incident as the audit trail records it: facts, status and impact."""
    values = {name: getattr(incident, name) for name in IMPACT_FIELDS}
    return {
        "reference": incident.reference,
        "status": incident.status,
        "facts": incident.facts_document,
        **values,
    }


def _parse(facts: Any) -> Facts:
    if isinstance(facts, Facts):
        return facts
    return parse_facts(facts)


def _apply_facts(incident: Incident, facts: Facts, status: str) -> None:
    """Store the facts document and copy its `incident` section into the columns."""
    document = facts.to_document()
    document["incident"]["status"] = status
    incident.facts_json = json.dumps(document, ensure_ascii=False)

    for name in MIRRORED:
        value = getattr(facts.incident, name)
        setattr(incident, name, list(value) if isinstance(value, list) else value)
    incident.description = facts.incident.description or ""
    incident.status = status
    incident.timezone = facts.timezone
    incident.discovered_at = facts.event("discovered_at")


def _check_transition(current: str, status: str) -> None:
    allowed = TRANSITIONS.get(current, ())
    if status in allowed:
        return
    if not allowed:
        raise Conflict(
            f"The incident is in {current} and its status can no longer change.",
            {"status": f"no change is allowed from {current}"},
        )
    raise Conflict(
        f"An incident cannot move from {current} to {status}; from {current} it can move to "
        f"{', '.join(allowed)}.",
        {"status": f"expected one of {', '.join(allowed)}"},
    )


def _follow_plan(session: Session, incident: Incident, actor: User | None) -> None:
    """Keep the response plan in step: the playbook checklist and the update reminders."""
    from ..plan.service import follow_incident

    follow_incident(session, incident, actor)


def _check_closure(
    session: Session,
    incident: Incident,
    status: str,
    actor: User | None,
    reason: str | None,
    at: datetime | None = None,
) -> None:
    if status != "resolved":
        return
    from ..plan.service import check_closure

    check_closure(session, incident, actor, reason, at)


def _log_status(
    incident: Incident,
    previous: str,
    status: str,
    actor: User | None,
    note: str,
    at: datetime | None = None,
) -> None:
    """Add the status change to the incident's history and to its timeline."""
    now = at or now_utc()
    actor_id = None if actor is None else actor.id
    incident.status_changes.append(
        StatusChange(from_status=previous, to_status=status, at=now, actor_id=actor_id, note=note)
    )
    text = f"Status changed from {previous} to {status}."
    incident.timeline.append(
        TimelineEntry(
            at=now,
            kind="status",
            text=f"{text} {note}".strip(),
            author_id=actor_id,
        )
    )


def _touch(incident: Incident, actor: User | None, at: datetime | None = None) -> None:
    incident.updated_at = at or now_utc()
    incident.updated_by_id = None if actor is None else actor.id


def _next_reference(session: Session, year: int) -> str:
    """The next INC-YYYY-NNNN of the year; the caller holds the reference lock."""
    prefix = f"INC-{year}-"
    query = (
        select(Incident.reference)
        .where(Incident.reference.like(f"{prefix}%"))
        .order_by(func.length(Incident.reference).desc(), Incident.reference.desc())
        .limit(1)
    )
    last = session.scalar(query)
    number = 1 if last is None else int(last.removeprefix(prefix)) + 1
    return f"{prefix}{number:04d}"


def _impact_errors(changes: Mapping[str, Any]) -> dict[str, str]:
    errors = {name: _impact_error(name, value) for name, value in changes.items()}
    return {name: error for name, error in errors.items() if error is not None}


def _impact_error(name: str, value: Any) -> str | None:
    if name not in IMPACT_FIELDS:
        return f"unknown field; expected one of {', '.join(IMPACT_FIELDS)}"

    allowed = IMPACT_FIELDS[name]
    if allowed is not None:
        ok = value is None or value in allowed
        return None if ok else f"expected one of {', '.join(allowed)}; got {value!r}"
    if name == "impact_users":
        ok = value is None or (type(value) is int and value >= 0)
        return None if ok else f"expected a whole number of 0 or more; got {value!r}"
    if name == "impact_systems":
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return None if ok else f"expected a list of system names; got {value!r}"
    return None if isinstance(value, str) else f"expected text; got {value!r}"


def _entry_snapshot(entry: TimelineEntry) -> dict[str, Any]:
    return {"at": entry.at, "kind": entry.kind, "text": entry.text}


def _actor_id(actor: User | None) -> str:
    return "system" if actor is None else f"user {actor.id}"
