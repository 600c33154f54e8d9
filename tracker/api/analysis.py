"""The analysis of imported public breach records through the API: the figures of the
analysis page, the same as `tracker stats --json`, over the incidents the token's user may see.
"""

from __future__ import annotations

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session
from ..importer import stats
from . import parse, schemas
from .views import bp


@bp.get("/analysis")
@api_auth(permission="incident.read")
def get_analysis() -> ResponseReturnValue:
    """The figures of every imported set, or with source of that one set."""
    given = parse.query(schemas.AnalysisQuery)
    return jsonify({"sets": stats.figure_sets(get_session(), given.source, viewer=g.user)})
