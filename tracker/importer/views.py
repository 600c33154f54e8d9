"""The analysis page of imported sets: on time and late, days to notify, the worst delays."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from ..auth.permissions import require_permission
from ..db import get_session
from . import stats
from .chart import timeliness_svg

bp = Blueprint("stats", __name__, url_prefix="/analysis")


def init_app(app: Flask) -> None:
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "stats.index", "Analysis")


@bp.get("")
@require_permission("incident.read")
def index() -> ResponseReturnValue:
    session = get_session()
    known = stats.sources(session)
    source = _source(known)
    figures = None if source is None else stats.compute(session, source, viewer=current_user)
    # Every text in the chart is escaped where the SVG is drawn (tracker.importer.chart).
    svg = None if figures is None else timeliness_svg(figures, _title(source))
    chart = None if svg is None else Markup(svg)  # noqa: S704  # nosec B704
    return render_template(
        "stats/index.html", sources=known, source=source, figures=figures, chart=chart
    )


@bp.get("/chart.svg")
@require_permission("incident.read")
def chart_svg() -> ResponseReturnValue:
    session = get_session()
    source = _source(stats.sources(session))
    if source is None:
        abort(404, "No records were imported yet.")
    svg = timeliness_svg(stats.compute(session, source, viewer=current_user), _title(source))
    return Response(svg, mimetype="image/svg+xml")


def _source(known: list[str]) -> str | None:
    """The set asked for in ?source=, else the first imported one; an unknown name is a 404."""
    asked = request.args.get("source", "").strip()
    if asked and asked not in known:
        abort(404, f"No records of the source {asked!r} were imported.")
    return asked or (known[0] if known else None)


def _title(source: str | None) -> str:
    return f"Notice timeliness: {source}"
