"""An incident's post-mortem through the API: the agenda, the five whys, actions, the report.

The plan's services check every change and say why they refuse; these routes read the
request, commit, and answer with the post-mortem as stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from flask import g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session, now_utc
from ..errors import NotFound
from ..incident.models import Incident
from ..plan import postmortem
from ..plan.models import Action, PostMortem
from ..report import service as reports
from ..report.views import tracker_config
from . import documents, parse, plan_schemas, schemas
from .views import ID, LARGEST_ID, PreconditionFailed, _incident, bp

log = logging.getLogger(__name__)


@bp.get(f"/incidents/<{ID}:incident_id>/post-mortem")
@api_auth(permission="incident.read")
def get_post_mortem(incident_id: int) -> ResponseReturnValue:
    """The post-mortem (None until opened) and when it is due, with its ETag once opened."""
    return _answer(_incident(incident_id))


@bp.post(f"/incidents/<{ID}:incident_id>/post-mortem")
@api_auth(permission="incident.timeline")
def open_post_mortem(incident_id: int) -> ResponseReturnValue:
    """Open the post-mortem with five empty whys; the one already open is returned as it is."""
    incident = _incident(incident_id)
    parse.body(schemas.Empty, optional=True)
    postmortem.open_post_mortem(get_session(), incident, g.user)
    return _commit(incident)


@bp.patch(f"/incidents/<{ID}:incident_id>/post-mortem")
@api_auth(permission="incident.timeline")
def save_agenda(incident_id: int) -> ResponseReturnValue:
    """Change the agenda fields that the body gives."""
    incident = _incident(incident_id)
    record = postmortem.get_existing(get_session(), incident)
    given = parse.body(plan_schemas.AgendaChange)
    _check_if_match(record)
    changes = {name: getattr(given, name) for name in given.model_fields_set}
    postmortem.update_agenda(get_session(), record, changes, g.user)
    return _commit(incident)


@bp.put(f"/incidents/<{ID}:incident_id>/post-mortem/whys/<{ID}:position>")
@api_auth(permission="incident.timeline")
def answer_why(incident_id: int, position: int) -> ResponseReturnValue:
    """Record the question and answer of one of the five whys."""
    incident = _incident(incident_id)
    record = postmortem.get_existing(get_session(), incident)
    given = parse.body(plan_schemas.WhyAnswer)
    _check_if_match(record)
    postmortem.answer_why(get_session(), record, position, given.question, given.answer, g.user)
    return _commit(incident)


@bp.post(f"/incidents/<{ID}:incident_id>/post-mortem/complete")
@api_auth(permission="incident.timeline")
def complete_post_mortem(incident_id: int) -> ResponseReturnValue:
    """Declare the review complete: every agenda field filled and the five whys answered."""
    incident = _incident(incident_id)
    record = postmortem.get_existing(get_session(), incident)
    parse.body(schemas.Empty, optional=True)
    postmortem.complete(get_session(), record, g.user)
    return _commit(incident)


@bp.post(f"/incidents/<{ID}:incident_id>/post-mortem/actions")
@api_auth(permission="incident.timeline")
def add_action(incident_id: int) -> ResponseReturnValue:
    """Add a follow-up action; its owner is reminded before and after its due date."""
    session = get_session()
    record = postmortem.get_existing(session, _incident(incident_id))
    given = parse.body(plan_schemas.ActionCreate)
    action = postmortem.add_action(session, record, given.model_dump(), g.user)
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC
    return jsonify({"action": action_document(action)}), 201


@bp.post(f"/actions/<{ID}:action_id>/status")
@api_auth(permission="incident.timeline")
def action_status(action_id: int) -> ResponseReturnValue:
    """Move an action to pending, in progress or completed."""
    session = get_session()
    action = _action(action_id)
    given = parse.body(plan_schemas.ActionStatusChange)
    postmortem.set_action_status(session, action, given.status, g.user)
    session.commit()
    session.expire_all()
    return jsonify({"action": action_document(action)})


@bp.get("/actions/overdue")
@api_auth(permission="incident.read")
def overdue_actions() -> ResponseReturnValue:
    """Actions across incidents not completed after their due date, oldest first."""
    actions = postmortem.overdue_actions(get_session(), now_utc(), viewer=g.user)
    return jsonify({"actions": [action_document(action) for action in actions]})


@bp.post(f"/incidents/<{ID}:incident_id>/post-mortem/report")
@api_auth(permission="report.sign")
def post_mortem_report(incident_id: int) -> ResponseReturnValue:
    """Export the signed post-mortem report; 201 with its record and where to download it."""
    session = get_session()
    incident = _incident(incident_id)
    parse.body(schemas.Empty, optional=True)
    export = reports.export_report(
        session,
        incident,
        g.user,
        tracker_config(),
        kind="post_mortem",
        reason=postmortem.REPORT_REASON,
    )
    session.commit()

    download = url_for("report.api_download", export_id=export.id, _external=True)
    return jsonify({"export": export.to_dict(), "download_url": download}), 201


def post_mortem_document(record: PostMortem) -> dict[str, Any]:
    document: dict[str, Any] = {"id": record.id, "incident_id": record.incident_id}
    document.update({name: getattr(record, name) or "" for name in postmortem.AGENDA})
    document.update(
        {
            "created_at": documents.iso(record.created_at),
            "created_by_id": record.created_by_id,
            "updated_at": documents.iso(record.updated_at),
            "updated_by_id": record.updated_by_id,
            "completed_at": documents.iso(record.completed_at),
            "completed_by_id": record.completed_by_id,
            "whys": [
                {
                    "position": why.position,
                    "question": why.question or "",
                    "answer": why.answer or "",
                    "answered_at": documents.iso(why.answered_at),
                    "answered_by_id": why.answered_by_id,
                }
                for why in record.whys
            ],
            "actions": [action_document(action) for action in record.actions],
        }
    )
    return document


def action_document(action: Action) -> dict[str, Any]:
    return {
        "id": action.id,
        "incident_id": action.incident_id,
        "incident_reference": action.incident.reference,
        "description": action.description,
        "owner": action.owner,
        "priority": action.priority,
        "due_on": action.due_on.isoformat(),
        "due_at": documents.iso(postmortem.due_at(action)),
        "status": action.status,
        "is_overdue": postmortem.is_overdue(action, now_utc()),
        "success_measure": action.success_measure,
        "completed_at": documents.iso(action.completed_at),
        "created_at": documents.iso(action.created_at),
        "created_by_id": action.created_by_id,
        "updated_at": documents.iso(action.updated_at),
    }


def post_mortem_tag(record: PostMortem) -> str:
    """The entity tag of what people write in a post-mortem: its agenda and its whys."""
    written = {
        "agenda": {name: getattr(record, name) or "" for name in postmortem.AGENDA},
        "whys": [[why.question or "", why.answer or ""] for why in record.whys],
    }
    text = json.dumps(written, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_if_match(record: PostMortem) -> None:
    wanted = request.if_match
    if not wanted or wanted.contains(post_mortem_tag(record)):
        return
    raise PreconditionFailed(
        "The post-mortem changed after the version named in If-Match was read; read it again "
        "and apply the change to the current version.",
        {"If-Match": f'expected the current ETag "{post_mortem_tag(record)}"'},
    )


def _action(action_id: int) -> Action:
    if action_id > LARGEST_ID:
        raise NotFound(f"There is no action with the id {action_id}.")
    return postmortem.get_action(get_session(), action_id)


def _answer(incident: Incident) -> ResponseReturnValue:
    session = get_session()
    record = postmortem.get_post_mortem(session, incident)
    obligation = postmortem.get_obligation(session, incident)
    response = jsonify(
        {
            "post_mortem": None if record is None else post_mortem_document(record),
            "due_at": None if obligation is None else documents.iso(obligation.deadline_at),
        }
    )
    if record is not None:
        response.set_etag(post_mortem_tag(record))
    return response


def _commit(incident: Incident) -> ResponseReturnValue:
    session = get_session()
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC
    return _answer(incident)
