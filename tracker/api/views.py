"""The JSON API's routes under /api/v1.

Every route but the OpenAPI document needs a bearer token (tracker.auth.api); reads need a
read token, changes a read-write token and the role's permission. Each change runs in one
transaction, committed here after the service returns, so that a refusal stores nothing.
"""

from __future__ import annotations

import hashlib
import logging

from flask import Blueprint, Flask, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth.api import api_auth
from ..db import get_session
from ..deadline import evaluate
from ..errors import NotFound, TrackerError
from ..incident import service as incidents
from ..incident.models import Incident
from ..notice import lifecycle
from ..notice import service as notices
from ..notice.models import Obligation
from ..notice.service import obligation_document
from . import documents, parse, schemas
from .openapi import openapi_document

log = logging.getLogger(__name__)


class PreconditionFailed(TrackerError):
    status_code = 412


bp = Blueprint("api", __name__, url_prefix="/api/v1")

# The largest request body the API reads; a facts document is a few kilobytes.
BODY_LIMIT = 1024 * 1024

# Ids are 32-bit on PostgreSQL: a larger number names nothing, and is not sent to the database.
LARGEST_ID = 2_147_483_647
ID = "int"


def init_app(app: Flask) -> None:
    # These modules add their routes to bp.
    from . import accounts as _accounts  # noqa: F401
    from . import analysis as _analysis  # noqa: F401
    from . import board as _board  # noqa: F401
    from . import calendar as _calendar  # noqa: F401
    from . import custody as _custody  # noqa: F401
    from . import exercises as _exercises  # noqa: F401
    from . import holds as _holds  # noqa: F401
    from . import notices as _notices  # noqa: F401
    from . import playbooks as _playbooks  # noqa: F401
    from . import postmortems as _postmortems  # noqa: F401
    from . import reminders as _reminders  # noqa: F401

    app.register_blueprint(bp)


@bp.before_request
def _limit_body() -> None:
    request.max_content_length = BODY_LIMIT


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> ResponseReturnValue:
    limit = request.max_content_length or BODY_LIMIT
    message = f"The request body is larger than the {limit // 1024} KiB this route accepts."
    fields = {"": f"expected at most {limit} bytes"}
    return jsonify({"error": {"message": message, "fields": fields}}), 413


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API; it describes, so it needs no token."""
    return jsonify(openapi_document())


@bp.post("/deadlines")
@api_auth(permission="incident.read")
def deadlines() -> ResponseReturnValue:
    """Obligations for a facts document, as `tracker deadlines --json` prints them."""
    at = parse.query(schemas.DeadlinesQuery).at
    facts = parse.facts_body()
    hours = int(current_app.config.get("TRACKER_POLICY_TARGET_HOURS", 72))
    return jsonify(evaluate(facts, now=at, policy_target_hours=hours).to_dict())


@bp.post("/incidents")
@api_auth(permission="incident.create")
def create_incident() -> ResponseReturnValue:
    facts = parse.facts_body()
    session = get_session()
    incident = incidents.create_incident(session, facts, g.user)
    session.commit()

    log.info("Incident %s created through the API by user %s", incident.id, g.user.id)
    response = jsonify({"incident": documents.incident_detail(incident)})
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.get_incident", incident_id=incident.id, _external=True
    )
    return response


@bp.get("/incidents")
@api_auth(permission="incident.read")
def list_incidents() -> ResponseReturnValue:
    filters = parse.query(schemas.IncidentQuery)
    session = get_session()
    page = incidents.search_page(
        session,
        filters.page,
        filters.per_page,
        viewer=g.user,
        status=filters.status,
        severity=filters.severity,
        category=filters.category,
        text=filters.q,
    )
    kept = filters.model_dump(exclude={"page"}, exclude_none=True)

    def address(number: int) -> str:
        return url_for("api.list_incidents", page=number, **kept, _external=True)

    return jsonify(
        {
            "incidents": [documents.incident_summary(item) for item in page.incidents],
            "page": page.number,
            "per_page": page.size,
            "pages": page.pages,
            "total": page.total,
            "next": address(page.number + 1) if page.number < page.pages else None,
            "previous": address(page.number - 1) if page.number > 1 else None,
        }
    )


@bp.get(f"/incidents/<{ID}:incident_id>")
@api_auth(permission="incident.read")
def get_incident(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    return jsonify({"incident": documents.incident_detail(incident)})


@bp.get(f"/incidents/<{ID}:incident_id>/facts")
@api_auth(permission="incident.read")
def get_facts(incident_id: int) -> ResponseReturnValue:
    """The stored incident-facts/1 document, exactly as it was last given, with its ETag."""
    incident = _incident(incident_id)
    response = jsonify(incident.facts_document)
    response.set_etag(facts_tag(incident))
    return response


@bp.put(f"/incidents/<{ID}:incident_id>/facts")
@api_auth(permission="incident.facts")
def put_facts(incident_id: int) -> ResponseReturnValue:
    """Replace the facts; the obligations are recomputed in the same transaction.

    With If-Match, the facts are replaced only if they are still those the client read, so
    that two people editing at once cannot silently undo each other's change.
    """
    session = get_session()
    incident = _incident(incident_id, for_update=True)
    _check_if_match(incident)
    facts = parse.facts_body()
    incidents.update_facts(session, incident, facts, g.user)
    session.commit()

    rows = notices.get_obligations(session, incident)
    response = jsonify(
        {
            "facts": incident.facts_document,
            "obligations": [obligation_document(row) for row in rows],
        }
    )
    response.set_etag(facts_tag(incident))
    return response


def facts_tag(incident: Incident) -> str:
    """The entity tag of the stored facts: their SHA-256."""
    return hashlib.sha256(incident.facts_json.encode("utf-8")).hexdigest()


def _check_if_match(incident: Incident) -> None:
    check_if_match(facts_tag(incident), "The facts")


def check_if_match(tag: str, what: str) -> None:
    """Refuse a change whose If-Match names another version of `what` than the current one."""
    wanted = request.if_match
    if not wanted or wanted.contains(tag):
        return
    raise PreconditionFailed(
        f"{what} changed after the version named in If-Match was read; read the current "
        "version again and apply the change to it.",
        {"If-Match": f'expected the current ETag "{tag}"'},
    )


@bp.get(f"/incidents/<{ID}:incident_id>/obligations")
@api_auth(permission="incident.read")
def incident_obligations(incident_id: int) -> ResponseReturnValue:
    filters = parse.query(schemas.IncidentObligationsQuery)
    session = get_session()
    incident = _incident(incident_id)
    rows = notices.get_obligations(session, incident, include_withdrawn=filters.history)
    return jsonify({"obligations": [obligation_document(row) for row in rows]})


@bp.get("/obligations")
@api_auth(permission="incident.read")
def list_obligations() -> ResponseReturnValue:
    """Current obligations across incidents, soonest deadline first, one page at a time."""
    filters = parse.query(schemas.ObligationQuery)
    session = get_session()
    rows = [row for row in notices.get_all_current(session, g.user) if _matches(row, filters)]
    size = filters.per_page
    pages = max(1, -(-len(rows) // size))
    if filters.page > pages:
        raise NotFound(
            f"The obligation list has {pages} page(s) of {size}; there is no page {filters.page}.",
            {"page": f"expected a page from 1 to {pages}"},
        )
    start = (filters.page - 1) * size
    kept = filters.model_dump(exclude={"page"}, exclude_none=True, mode="json")

    def address(number: int) -> str:
        return url_for("api.list_obligations", page=number, **kept, _external=True)

    return jsonify(
        {
            "obligations": [obligation_document(row) for row in rows[start : start + size]],
            "page": filters.page,
            "per_page": size,
            "pages": pages,
            "total": len(rows),
            "next": address(filters.page + 1) if filters.page < pages else None,
            "previous": address(filters.page - 1) if filters.page > 1 else None,
        }
    )


def _matches(row: Obligation, filters: schemas.ObligationQuery) -> bool:
    if filters.status != "all" and row.is_settled != (filters.status == "settled"):
        return False
    wanted = (
        (filters.regime, row.regime),
        (filters.recipient, row.recipient),
        (filters.incident_id, row.incident_id),
    )
    if any(value is not None and value != actual for value, actual in wanted):
        return False
    if filters.due_before is None:
        return True
    return row.deadline_at is not None and row.deadline_at < filters.due_before


@bp.get(f"/obligations/<{ID}:obligation_id>")
@api_auth(permission="incident.read")
def get_obligation(obligation_id: int) -> ResponseReturnValue:
    obligation = _obligation(obligation_id)
    return jsonify({"obligation": obligation_document(obligation)})


@bp.post(f"/obligations/<{ID}:obligation_id>/notices")
@api_auth(permission="notice.record")
def record_notice(obligation_id: int) -> ResponseReturnValue:
    """Record a notice given outside the tracker: when, how, the reference, any delay."""
    session = get_session()
    obligation = _obligation(obligation_id)
    given = parse.body(schemas.NoticeRecord)
    notice = lifecycle.record_notice(
        session,
        obligation,
        g.user,
        sent_at=given.sent_at,
        channel=given.channel,
        reference=given.reference,
        delay_reason=given.delay_reason,
    )
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC

    body = {
        "notice": documents.notice_detail(notice),
        "obligation": obligation_document(obligation),
    }
    return jsonify(body), 201


@bp.patch(f"/incidents/<{ID}:incident_id>/impact")
@api_auth(permission="incident.impact")
def change_impact(incident_id: int) -> ResponseReturnValue:
    """Change the fields of the impact assessment that the body gives."""
    session = get_session()
    incident = _incident(incident_id)
    given = parse.body(schemas.ImpactChange)
    changes = {name: getattr(given, name) for name in given.model_fields_set}
    incidents.update_impact(session, incident, changes, g.user)
    session.commit()
    return jsonify({"incident": documents.incident_detail(incident)})


@bp.get(f"/incidents/<{ID}:incident_id>/timeline")
@api_auth(permission="incident.read")
def get_timeline(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    return jsonify({"timeline": [documents.timeline_entry(item) for item in incident.timeline]})


@bp.post(f"/incidents/<{ID}:incident_id>/timeline")
@api_auth(permission="incident.timeline")
def add_timeline_entry(incident_id: int) -> ResponseReturnValue:
    session = get_session()
    incident = _incident(incident_id)
    given = parse.body(schemas.TimelineEntryCreate)
    entry = incidents.add_timeline_entry(
        session, incident, given.text, g.user, at=given.at, kind=given.kind
    )
    session.commit()
    return jsonify({"entry": documents.timeline_entry(entry)}), 201


@bp.post(f"/incidents/<{ID}:incident_id>/status")
@api_auth(permission="incident.status")
def change_status(incident_id: int) -> ResponseReturnValue:
    """Move the incident along the status flow; refused moves answer 409."""
    session = get_session()
    incident = _incident(incident_id)
    given = parse.body(schemas.StatusChangeCreate)
    incidents.change_status(session, incident, given.status, g.user, given.note)
    session.commit()
    return jsonify({"incident": documents.incident_detail(incident)})


def _incident(incident_id: int, for_update: bool = False) -> Incident:
    """The incident; `for_update` locks its row on PostgreSQL until the transaction ends."""
    incident = None
    if incident_id <= LARGEST_ID:
        incident = get_session().get(Incident, incident_id, with_for_update=for_update)
    if incident is None:
        raise NotFound(f"There is no incident with the id {incident_id}.")
    return incident


def _obligation(obligation_id: int) -> Obligation:
    if obligation_id > LARGEST_ID:
        raise NotFound(f"There is no obligation with the id {obligation_id}.")
    return notices.get_obligation(get_session(), obligation_id)
