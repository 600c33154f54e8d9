"""Across incidents through the API: the response metrics, and the caller's calendar feed."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app, g, jsonify, url_for
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session, now_utc
from ..errors import NotFound, ValidationError
from ..incident import metrics
from ..incident.forms import zone_names
from ..notice import calendar
from . import documents, parse, schemas
from .views import bp

log = logging.getLogger(__name__)


@bp.get("/metrics")
@api_auth(permission="incident.read")
def get_metrics() -> ResponseReturnValue:
    """Mean times to detect, respond and resolve and the on-time notice rate, as on the page."""
    zone = parse.query(schemas.MetricsQuery).timezone or _caller_zone()
    if zone not in zone_names():
        raise ValidationError(
            f"The time zone {zone!r} is unknown; choose an IANA zone such as Europe/Berlin.",
            {"timezone": "expected an IANA time zone"},
        )
    data = metrics.get_metrics(get_session(), now_utc(), zone, viewer=g.user)
    return jsonify(
        {
            "timezone": data.zone,
            "exercises": data.exercises,
            "overall": _summary(data.overall),
            "by_severity": [_summary(group) for group in data.by_severity],
            "by_month": [_summary(group) for group in data.by_month],
        }
    )


def _caller_zone() -> str:
    """The zone the caller reads instants in, as on the metrics page."""
    return g.user.timezone or current_app.config.get("TRACKER_DISPLAY_TIMEZONE", "UTC")


def _summary(group: metrics.Summary) -> dict[str, Any]:
    return {
        "label": group.label,
        "incidents": group.incidents,
        "time_to_detect_seconds": _seconds(group.time_to_detect),
        "time_to_respond_seconds": _seconds(group.time_to_respond),
        "time_to_resolve_seconds": _seconds(group.time_to_resolve),
        "downtime_seconds": _seconds(group.downtime),
        "outages": group.outages,
        "affected_customers": group.affected_customers,
        "notices_due": group.notices_due,
        "notices_on_time": group.notices_on_time,
        "on_time_rate": group.on_time_rate,
    }


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


@bp.post("/calendar-feed")
@api_auth
def make_feed() -> ResponseReturnValue:
    """A new secret calendar address for the caller, replacing any earlier one."""
    parse.body(schemas.Empty, optional=True)
    session = get_session()
    token = calendar.create_feed(session, g.user)
    session.commit()

    feed = calendar.get_feed(session, g.user)
    body = {
        "url": url_for("board.user_feed", token=token, _external=True),
        "token": token,
        "created_at": documents.iso(feed.created_at if feed else None),
    }
    return jsonify({"feed": body}), 201


@bp.delete("/calendar-feed")
@api_auth
def revoke_feed() -> ResponseReturnValue:
    """Revoke the caller's calendar address; calendars that use it stop updating."""
    session = get_session()
    if not calendar.revoke_feed(session, g.user):
        raise NotFound("You have no calendar address to revoke.")
    session.commit()
    return jsonify({"feed": None})
