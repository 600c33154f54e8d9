"""Playbooks and incidents' checklists through the API, and counsel's closure override.

The plan's services check every change and say why they refuse; these routes read the
request, commit, and answer with the object as stored.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session
from ..errors import NotFound
from ..incident import service as incidents
from ..incident.models import Incident
from ..plan import service
from ..plan.models import ChecklistItem, IncidentPlaybook
from ..plan.playbooks import SECTIONS, Playbook
from . import documents, parse, plan_schemas, schemas
from .views import ID, LARGEST_ID, PreconditionFailed, _incident, bp

log = logging.getLogger(__name__)


# The playbooks and their administrators' edits.


@bp.get("/playbooks")
@api_auth(permission="incident.read")
def list_playbooks() -> ResponseReturnValue:
    """Every playbook as it applies now: the shipped file, or an administrator's edit of it."""
    playbooks = service.get_playbooks(get_session())
    return jsonify({"playbooks": [playbook_document(item) for item in playbooks.values()]})


@bp.get("/playbooks/<playbook_id>")
@api_auth(permission="incident.read")
def get_playbook(playbook_id: str) -> ResponseReturnValue:
    """One playbook with its TOML text, and the text's ETag for If-Match."""
    return _playbook_answer(service.get_playbook(get_session(), playbook_id))


@bp.put("/playbooks/<playbook_id>")
@api_auth(permission="settings.manage")
def put_playbook(playbook_id: str) -> ResponseReturnValue:
    """Store an administrator's text over the shipped file; incidents opened later get it."""
    session = get_session()
    current = service.get_playbook(session, playbook_id)
    given = parse.body(plan_schemas.PlaybookChange)
    _check_if_match(current)
    service.save_playbook(session, playbook_id, given.text, g.user)
    session.commit()
    return _playbook_answer(service.get_playbook(session, playbook_id))


@bp.post("/playbooks/<playbook_id>/reset")
@api_auth(permission="settings.manage")
def reset_playbook(playbook_id: str) -> ResponseReturnValue:
    """Drop the administrator's edit, so that the shipped file applies again."""
    session = get_session()
    service.get_playbook(session, playbook_id)
    parse.body(schemas.Empty, optional=True)
    service.reset_playbook(session, playbook_id, g.user)
    session.commit()
    return _playbook_answer(service.get_playbook(session, playbook_id))


def playbook_document(playbook: Playbook) -> dict[str, Any]:
    source = playbook.source
    document: dict[str, Any] = {
        "id": playbook.id,
        "title": playbook.title,
        "categories": list(source.categories),
        "is_fallback": source.is_fallback,
        "source": source.source,
        "reviewed": source.reviewed.isoformat(),
        "version": playbook.version,
        "is_edited": playbook.origin == "database",
    }
    for section in SECTIONS:
        document[section] = [
            {"id": step.id, "text": step.text, "detail": step.detail}
            for step in getattr(source, section)
        ]
    return document


def playbook_tag(playbook: Playbook) -> str:
    """The entity tag of a playbook: the SHA-256 of its text."""
    return hashlib.sha256(playbook.text.encode("utf-8")).hexdigest()


def _playbook_answer(playbook: Playbook) -> ResponseReturnValue:
    response = jsonify({"playbook": {**playbook_document(playbook), "text": playbook.text}})
    response.set_etag(playbook_tag(playbook))
    return response


def _check_if_match(playbook: Playbook) -> None:
    wanted = request.if_match
    if not wanted or wanted.contains(playbook_tag(playbook)):
        return
    raise PreconditionFailed(
        f"The playbook {playbook.id} changed after the version named in If-Match was read; "
        "read it again and apply the change to the current text.",
        {"If-Match": f'expected the current ETag "{playbook_tag(playbook)}"'},
    )


# An incident's checklist.


@bp.get(f"/incidents/<{ID}:incident_id>/checklist")
@api_auth(permission="incident.read")
def get_checklist(incident_id: int) -> ResponseReturnValue:
    return _checklist_answer(_incident(incident_id))


@bp.post(f"/incidents/<{ID}:incident_id>/checklist/<{ID}:item_id>/tick")
@api_auth(permission="incident.timeline")
def tick_step(incident_id: int, item_id: int) -> ResponseReturnValue:
    """Mark a step done now; the tick goes on the timeline and the audit trail."""
    incident = _incident(incident_id)
    item = _item(incident, item_id)
    given = parse.body(plan_schemas.Tick, optional=True)
    service.tick(get_session(), item, g.user, given.note)
    return _commit(incident)


@bp.post(f"/incidents/<{ID}:incident_id>/checklist/<{ID}:item_id>/untick")
@api_auth(permission="incident.timeline")
def untick_step(incident_id: int, item_id: int) -> ResponseReturnValue:
    """Reopen a ticked step, with the reason; the earlier tick stays in the audit trail."""
    incident = _incident(incident_id)
    item = _item(incident, item_id)
    given = parse.body(plan_schemas.Untick)
    service.untick(get_session(), item, g.user, given.reason)
    return _commit(incident)


@bp.post(f"/incidents/<{ID}:incident_id>/resolve-with-open-criteria")
@api_auth(permission="incident.close_override")
def resolve_override(incident_id: int) -> ResponseReturnValue:
    """Counsel resolves the incident while closure criteria are open, with the reason."""
    session = get_session()
    incident = _incident(incident_id)
    given = parse.body(plan_schemas.ClosureOverride)
    incidents.change_status(
        session, incident, "resolved", g.user, note=given.reason, closure_override=given.reason
    )
    session.commit()
    return jsonify({"incident": documents.incident_detail(incident)})


def checklist_document(checklist: IncidentPlaybook) -> dict[str, Any]:
    progress = service.progress(checklist)
    return {
        "incident_id": checklist.incident_id,
        "playbook_id": checklist.playbook_id,
        "title": checklist.title,
        "version": checklist.version,
        "attached_at": documents.iso(checklist.attached_at),
        "override_reason": checklist.override_reason or "",
        "override_at": documents.iso(checklist.override_at),
        "override_by_id": checklist.override_by_id,
        "progress": {
            section: {"done": done, "total": total} for section, (done, total) in progress.items()
        },
        "items": [item_document(item) for item in checklist.items],
    }


def item_document(item: ChecklistItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "section": item.section,
        "step_id": item.step_id,
        "text": item.text,
        "position": item.position,
        "done_at": documents.iso(item.done_at),
        "done_by_id": item.done_by_id,
        "note": item.note or "",
    }


def _item(incident: Incident, item_id: int) -> ChecklistItem:
    if item_id > LARGEST_ID:
        raise NotFound(f"The incident {incident.reference} has no checklist step {item_id}.")
    return service.get_item(get_session(), incident, item_id)


def _checklist_answer(incident: Incident) -> ResponseReturnValue:
    checklist = service.get_checklist(get_session(), incident)
    document = None if checklist is None else checklist_document(checklist)
    return jsonify({"checklist": document})


def _commit(incident: Incident) -> ResponseReturnValue:
    session = get_session()
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC
    return _checklist_answer(incident)
