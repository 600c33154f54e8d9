"""The pages across incidents: the deadline board, calendar feeds, metrics, the timeline picture."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup

from ..auth import access
from ..auth.permissions import require_permission
from ..db import get_session, now_utc
from ..downloads import send_download
from ..errors import ValidationError
from ..incident import metrics
from ..incident import service as incident_service
from ..incident.charts import Bar, bar_chart
from ..incident.display import format_duration, format_instant
from ..incident.models import Incident
from ..incident.obligations import RECIPIENT_LABELS
from ..incident.timeline_svg import incident_timeline_svg
from ..incident.views import viewer_zone
from ..notice import calendar
from ..notice import service as notice_service
from . import service
from .service import URGENCY_LABELS, Row

log = logging.getLogger(__name__)

bp = Blueprint("board", __name__)


def init_app(app: Flask) -> None:
    """Register the board, its navigation entry and the incident timeline picture."""
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "board.index", "Deadlines")
    add_nav(app, "board.metrics_page", "Metrics")
    app.jinja_env.globals["incident_timeline"] = incident_timeline
    app.jinja_env.globals["calendar_feed_of"] = calendar_feed_of


def incident_timeline(incident: Incident, obligations: list[Any] | None = None) -> Markup:
    """The incident's timeline picture as of now, for templates.

    `obligations` are the incident's current ones when the page has read them already.
    """
    if obligations is None:
        obligations = notice_service.get_obligations(
            get_session(), incident, include_withdrawn=False
        )
    return incident_timeline_svg(incident, obligations, now_utc())


@bp.get("/board")
@require_permission("incident.read")
def index() -> ResponseReturnValue:
    try:
        filters = replace(service.parse_filters(request.args), viewer=current_user)
    except ValidationError as exc:
        abort(400, exc.message)

    now = now_utc()
    board = service.get_board(get_session(), filters, now)
    if filters.page > board.pages:
        abort(404, f"The board has {board.pages} page(s); there is no page {filters.page}.")
    zone = viewer_zone()
    context = {
        "board": board,
        "items": [_item(row, now, zone) for row in board.rows],
        "urgency_labels": URGENCY_LABELS,
        "recipient_label": recipient_label,
        "viewer": zone,
    }
    return render_template("board/index.html", **context)


def recipient_label(recipient: str) -> str:
    return RECIPIENT_LABELS.get(recipient, recipient.replace("_", " "))


def _item(row: Row, now: datetime, zone: str) -> dict[str, Any]:
    """A board row with its dates in the incident's zone and the viewer's, and its countdown."""
    deadline = row.deadline_at
    return {
        "row": row,
        "urgency": row.urgency(now),
        "is_policy": row.due_at is None and row.target_at is not None,
        "legal": format_instant(deadline, row.timezone) if deadline else "",
        "viewer": format_instant(deadline, zone) if deadline else "",
        "countdown": countdown(row, now),
        "recipient": recipient_label(row.recipient),
    }


def countdown(row: Row, now: datetime) -> str:
    """Time left until the row's deadline, or how long it is overdue, in words."""
    if row.due_kind == "tolled" and row.deadline_at is None:
        return "Clock held by a law-enforcement delay"
    deadline = row.deadline_at
    if deadline is None:
        return "Without undue delay: no date to count down to"
    what = "policy target" if row.due_at is None else "deadline"
    if deadline < now:
        return f"Overdue by {format_duration(now - deadline)}"
    return f"{format_duration(deadline - now)} left until the {what}"


# Calendar feeds: secret addresses for calendar clients, and the account page's controls.


@bp.get("/calendar/<token>.ics")
def user_feed(token: str) -> ResponseReturnValue:
    db = get_session()
    user = calendar.user_for_token(db, token)
    if user is None:
        return _unknown_feed()
    shown = calendar.open_obligations(db, user)
    body = calendar.feed_ics(shown, "Breach-notification deadlines", _base())
    return _ics(body, "deadlines.ics")


@bp.get("/calendar/<token>/incidents/<int:incident_id>.ics")
def incident_feed(token: str, incident_id: int) -> ResponseReturnValue:
    db = get_session()
    user = calendar.user_for_token(db, token)
    if user is None:
        return _unknown_feed()
    access.check_route(db, user, {"incident_id": incident_id})
    incident = incident_service.get(db, incident_id)
    return _incident_ics(incident, user)


@bp.get("/incidents/<int:incident_id>/deadlines.ics")
@require_permission("incident.read")
def incident_download(incident_id: int) -> ResponseReturnValue:
    return _incident_ics(incident_service.get(get_session(), incident_id), current_user)


@bp.post("/account/calendar")
@login_required
def make_feed() -> ResponseReturnValue:
    db = get_session()
    token = calendar.create_feed(db, current_user)  # type: ignore[arg-type]
    db.commit()
    address = url_for("board.user_feed", token=token, _external=True)
    return render_template("board/calendar_made.html", address=address, token=token)


@bp.post("/account/calendar/revoke")
@login_required
def revoke_feed() -> ResponseReturnValue:
    db = get_session()
    if calendar.revoke_feed(db, current_user):  # type: ignore[arg-type]
        db.commit()
        flash("Your calendar address was revoked; calendars that use it stop updating.", "success")
    else:
        flash("You have no calendar address to revoke.", "info")
    return redirect(url_for("auth.account", _anchor="calendar"))


def calendar_feed_of(user: Any) -> Any:
    """The user's calendar feed row, for the account page; None when there is none."""
    if not getattr(user, "is_authenticated", False):
        return None
    return calendar.get_feed(get_session(), user)


def _incident_ics(incident: Incident, viewer: Any) -> ResponseReturnValue:
    obligations = calendar.open_obligations(get_session(), viewer, incident.id)
    body = calendar.feed_ics(obligations, calendar.incident_feed_name(incident), _base())
    return _ics(body, f"deadlines-{incident.reference}.ics")


def _ics(body: bytes, filename: str) -> Response:
    return send_download(body, filename, "text/calendar")


def _unknown_feed() -> Response:
    message = (
        "This calendar address is not known or was revoked; make a new one on your account page."
    )
    return Response(message + "\n", status=404, mimetype="text/plain")


def _base() -> str:
    return str(current_app.config.get("TRACKER_BASE_URL") or request.host_url)


# Response metrics.


@bp.get("/metrics")
@require_permission("incident.read")
def metrics_page() -> ResponseReturnValue:
    zone = viewer_zone()
    data = metrics.get_metrics(get_session(), now_utc(), zone, viewer=current_user)
    return render_template("metrics/index.html", metrics=data, charts=metric_charts(data))


def metric_charts(data: metrics.Metrics) -> dict[str, Markup]:
    """The metrics page's charts: times by severity, notices and incidents by month."""
    severity, month = data.by_severity, data.by_month
    charts = {
        name: bar_chart(
            f"{title} by severity",
            [_duration_bar(group.label, getattr(group, name)) for group in severity],
            f"chart-{name}",
        )
        for name, title in (
            ("time_to_detect", "Mean time to detect"),
            ("time_to_respond", "Mean time to respond"),
            ("time_to_resolve", "Mean time to resolve"),
        )
    }
    charts["on_time"] = bar_chart(
        "On-time notice rate by month",
        [_rate_bar(group) for group in month],
        "chart-on-time",
        colour="#1b6b3a",
    )
    charts["incidents"] = bar_chart(
        "Incidents by month",
        [Bar(group.label, group.incidents, str(group.incidents)) for group in month],
        "chart-incidents",
    )
    charts["customers"] = bar_chart(
        "Affected customers by severity",
        [Bar(g.label, g.affected_customers, f"{g.affected_customers:,}") for g in severity],
        "chart-customers",
        colour="#c85a00",
    )
    return charts


def _duration_bar(label: str, value: timedelta | None) -> Bar:
    hours = None if value is None else value.total_seconds() / 3600
    return Bar(label, hours, format_duration(value) if value is not None else "not known")


def _rate_bar(group: metrics.Summary) -> Bar:
    rate = group.on_time_rate
    if rate is None:
        return Bar(group.label, None, "no notice due")
    words = f"{rate:.0%} ({group.notices_on_time} of {group.notices_due})"
    return Bar(group.label, rate * 100, words)
