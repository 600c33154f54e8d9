"""Legal holds through the API: create, list, issue, change the scope, add and release people,
release the hold, and read it with each custodian's status.

A hold's entity tag is the SHA-256 of what a scope change replaces (the scope, the description,
the status and version), so that a scope change with If-Match cannot undo another one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from flask import Response, g, jsonify, url_for
from flask.typing import ResponseReturnValue

from ..auth import access
from ..auth.api import api_auth
from ..db import get_session, now_utc
from ..errors import NotFound
from ..hold import service as holds
from ..hold.models import LegalHold
from ..hold.service import Person, Scope
from . import parse, schemas
from .views import ID, LARGEST_ID, bp, check_if_match

log = logging.getLogger(__name__)


@bp.post("/holds")
@api_auth(permission="hold.manage")
def create_hold() -> ResponseReturnValue:
    given = parse.body(schemas.HoldCreate)
    session = get_session()
    for incident_id in given.incident_ids:
        access.check_incident(session, g.user, incident_id)
    hold = holds.create_hold(
        session,
        g.user,
        name=given.name,
        description=given.description,
        incident_ids=given.incident_ids,
        scope=_scope(given.scope),
        people=[Person(**person.model_dump()) for person in given.custodians],
        timezone=given.timezone,
        days={
            "reminder_days": given.reminder_days,
            "escalation_days": given.escalation_days,
            "renotice_days": given.renotice_days,
        },
    )
    session.commit()

    response = jsonify({"hold": hold_document(hold)})
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_hold", hold_id=hold.id, _external=True)
    return response


@bp.get("/holds")
@api_auth(permission="incident.read")
def list_holds() -> ResponseReturnValue:
    """The holds the caller may see, newest first; those of one incident with incident_id."""
    filters = parse.query(schemas.HoldQuery)
    found = holds.get_all(get_session(), filters.incident_id, viewer=g.user)
    return jsonify({"holds": [hold_document(hold) for hold in found]})


@bp.get(f"/holds/<{ID}:hold_id>")
@api_auth(permission="incident.read")
def get_hold(hold_id: int) -> ResponseReturnValue:
    hold = _hold(hold_id)
    response = jsonify({"hold": hold_document(hold)})
    response.set_etag(hold_tag(hold))
    return response


@bp.put(f"/holds/<{ID}:hold_id>/scope")
@api_auth(permission="hold.manage")
def change_scope(hold_id: int) -> ResponseReturnValue:
    """Replace the scope; an active hold's changed notice goes to everyone still bound."""
    hold = _hold(hold_id)
    check_if_match(hold_tag(hold), "The hold")
    given = parse.body(schemas.HoldScopeChange)
    holds.change_scope(get_session(), hold, g.user, _scope(given.scope), given.description)
    response = _answer(hold)
    response.set_etag(hold_tag(hold))
    return response


@bp.post(f"/holds/<{ID}:hold_id>/custodians")
@api_auth(permission="hold.manage")
def add_custodian(hold_id: int) -> ResponseReturnValue:
    """Bind one more custodian or system owner; on an active hold the notice goes out now."""
    hold = _hold(hold_id)
    given = parse.body(schemas.HoldPerson)
    holds.add_person(get_session(), hold, g.user, Person(**given.model_dump()))
    return _answer(hold), 201


@bp.post(f"/holds/<{ID}:hold_id>/custodians/<{ID}:custodian_id>/release")
@api_auth(permission="hold.manage")
def release_custodian(hold_id: int, custodian_id: int) -> ResponseReturnValue:
    """Release one person: their reminders stop and, if they were told, they are told so."""
    hold = _hold(hold_id)
    person = holds.get_person(hold, custodian_id)
    parse.body(schemas.Empty, optional=True)
    holds.release_person(get_session(), hold, person, g.user)
    return _answer(hold)


@bp.post(f"/holds/<{ID}:hold_id>/issue")
@api_auth(permission="hold.manage")
def issue_hold(hold_id: int) -> ResponseReturnValue:
    hold = _hold(hold_id)
    parse.body(schemas.Empty, optional=True)
    holds.issue(get_session(), hold, g.user)
    return _answer(hold)


@bp.post(f"/holds/<{ID}:hold_id>/release")
@api_auth(permission="hold.manage")
def release_hold(hold_id: int) -> ResponseReturnValue:
    hold = _hold(hold_id)
    given = parse.body(schemas.HoldRelease)
    holds.release(get_session(), hold, g.user, given.reason)
    return _answer(hold)


def hold_document(hold: LegalHold) -> dict[str, Any]:
    session = get_session()
    now = now_utc()
    return {
        "id": hold.id,
        "name": hold.name,
        "description": hold.description,
        "status": hold.status,
        "incident_ids": [row.id for row in hold.incidents],
        "scope": holds.scope_document(hold),
        "owner_id": hold.owner_id,
        "timezone": hold.timezone,
        "version": hold.version,
        "reminder_days": hold.reminder_days,
        "escalation_days": hold.escalation_days,
        "renotice_days": hold.renotice_days,
        "issued_at": _iso(hold.issued_at),
        "released_at": _iso(hold.released_at),
        "release_reason": hold.release_reason,
        "custodians": [
            {
                "id": person.id,
                "role": person.role,
                "name": person.name,
                "email": person.email,
                "department": person.department,
                "manager_email": person.manager_email,
                "status": holds.status_of(session, person, now),
                "notified_version": person.notified_version,
                "notified_at": _iso(person.notified_at),
                "acknowledged_at": _iso(_acknowledged_at(person)),
                "escalated_at": _iso(person.escalated_at),
                "released_at": _iso(person.released_at),
            }
            for person in hold.people
        ],
    }


def hold_tag(hold: LegalHold) -> str:
    """The entity tag of what a scope change replaces."""
    record = {**holds.hold_record(hold), "description": hold.description}
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _scope(given: schemas.HoldScope) -> Scope:
    return Scope(
        starts_on=given.starts_on,
        ends_on=given.ends_on,
        subjects=tuple(given.subjects),
        data_sources=tuple(given.data_sources),
    )


def _acknowledged_at(person: Any) -> Any:
    row = person.acknowledgement_of(person.hold.version)
    return None if row is None else row.acknowledged_at


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _answer(hold: LegalHold) -> Response:
    session = get_session()
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC
    return jsonify({"hold": hold_document(hold)})


def _hold(hold_id: int) -> LegalHold:
    if hold_id > LARGEST_ID:
        raise NotFound(f"There is no legal hold with the id {hold_id}.")
    return holds.get(get_session(), hold_id)
