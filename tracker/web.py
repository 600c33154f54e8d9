"""Wire the domain packages into the application: sign-in, navigation, errors, /healthz."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from .errors import TrackerError

log = logging.getLogger(__name__)

NAV_KEY = "tracker.nav"
SCHEDULER_KEY = "tracker.scheduler"


def register(app: Flask) -> None:
    from .auth.headers import init_app as init_headers
    from .auth.views import init_app as init_auth
    from .evidence.views import init_app as init_evidence
    from .hold.views import init_app as init_holds
    from .incident.views import init_app as init_incidents

    app.extensions.setdefault(NAV_KEY, [])
    init_headers(app)
    init_auth(app)
    init_incidents(app)
    init_evidence(app)
    init_holds(app)
    _register_errors(app)
    app.context_processor(lambda: {"nav_items": _visible_nav(app)})

    app.add_url_rule("/", "index", login_required(_index))
    app.add_url_rule("/healthz", "healthz", lambda: _healthz(app))


def add_nav(app: Flask, endpoint: str, label: str, permission: str = "incident.read") -> None:
    """Add a link to the header navigation, shown to users holding `permission`."""
    app.extensions.setdefault(NAV_KEY, []).append((endpoint, label, permission))


def _visible_nav(app: Flask) -> list[tuple[str, str]]:
    from flask_login import current_user

    from .auth.permissions import can

    items = app.extensions.get(NAV_KEY, [])
    return [
        (endpoint, label) for endpoint, label, permission in items if can(current_user, permission)
    ]


def _index() -> ResponseReturnValue:
    """The home page: the first navigation entry (the incident list), else the account."""
    from flask import current_app

    for endpoint, _label, _permission in current_app.extensions.get(NAV_KEY, []):
        return redirect(url_for(endpoint))
    return redirect(url_for("auth.account"))


def _healthz(app: Flask) -> ResponseReturnValue:
    database = database_state(app)
    body = {"database": database, "scheduler": scheduler_state(app)}
    if database == "ok":
        body["last_sweep"] = last_sweep(app)
    return jsonify(body), 200 if database == "ok" else 503


def database_state(app: Flask) -> str:
    """ "ok" when the database answers a query; reads without taking SQLite's write lock."""
    engine = app.extensions["tracker.engine"]
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.fetchall()
        finally:
            connection.close()
    except (SQLAlchemyError, OSError, engine.dialect.dbapi.Error) as exc:
        log.warning("Database health check failed: %s", type(exc).__name__)
        return "unavailable"
    return "ok"


def last_sweep(app: Flask) -> dict[str, Any] | None:
    """When the reminder sweep last finished (any process) and its age in seconds."""
    from .reminder.service import sweep_health

    engine = app.extensions["tracker.engine"]
    try:
        return sweep_health(engine)
    except (SQLAlchemyError, OSError, engine.dialect.dbapi.Error) as exc:
        log.warning("Reading the last sweep failed: %s", type(exc).__name__)
        return None


def scheduler_state(app: Flask) -> str:
    """ "running" or "stopped" for the scheduler in app.extensions, "off" when there is none."""
    scheduler: Any = app.extensions.get(SCHEDULER_KEY)
    if scheduler is None:
        return "off"
    return "running" if getattr(scheduler, "running", False) else "stopped"


def _register_errors(app: Flask) -> None:
    app.register_error_handler(TrackerError, _tracker_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _tracker_error(exc: TrackerError) -> ResponseReturnValue:
    if _wants_json():
        return jsonify(exc.to_dict()), exc.status_code
    return _error_page(exc.status_code, exc.message)


def _csrf_error(exc: CSRFError) -> ResponseReturnValue:
    message = (
        "The form has expired or did not come from this site; reload the page and send it again."
    )
    return _error_page(400, message)


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    message = exc.description or exc.name
    if _wants_json():
        # Keep what the exception tells the client, such as the Allow header of a 405.
        headers = [(name, value) for name, value in exc.get_headers() if name != "Content-Type"]
        return jsonify({"error": {"message": message, "fields": {}}}), status, headers
    return _error_page(status, message)


def _error_page(status: int, message: str) -> ResponseReturnValue:
    return render_template("error.html", status=status, message=message), status
