"""Exercises through the API: incidents run as drills of the plan, mail to participants only."""

from __future__ import annotations

import logging
from typing import Any

from flask import g, jsonify, url_for
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session
from ..incident.models import Incident
from ..plan import exercise
from . import documents, parse, plan_schemas
from .views import bp

log = logging.getLogger(__name__)


@bp.get("/exercises")
@api_auth(permission="incident.read")
def list_exercises() -> ResponseReturnValue:
    """The exercises, newest first, with their participants."""
    found = exercise.get_exercises(get_session(), g.user)
    summaries = [{**documents.incident_summary(item), **_participants(item)} for item in found]
    return jsonify({"exercises": summaries})


@bp.post("/exercises")
@api_auth(permission="incident.create")
def create_exercise() -> ResponseReturnValue:
    """Open an exercise from a facts document; its mail goes to its participants only."""
    given = parse.body(plan_schemas.ExerciseCreate)
    session = get_session()
    people = exercise.parse_participants("\n".join(given.participants))
    incident = exercise.start_exercise(session, given.facts, people, g.user)
    session.commit()

    log.info("Exercise %s opened through the API by user %s", incident.id, g.user.id)
    body = {"exercise": {**documents.incident_detail(incident), **_participants(incident)}}
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.get_incident", incident_id=incident.id, _external=True
    )
    return response


def _participants(incident: Incident) -> dict[str, Any]:
    people = exercise.get_participants(get_session(), incident.id)
    return {"participants": [{"name": person.name, "email": person.email} for person in people]}
