"""The application factory proper: configuration, database, extensions, blueprints."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, g

from .config import ensure_secret_key, load_config
from .db import make_engine, make_session_factory
from .logging import configure_logging
from .resources import data_path

log = logging.getLogger(__name__)


def build_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    config = load_config(overrides=overrides)
    configure_logging(config["LOG_LEVEL"])
    Path(config["INSTANCE"]).mkdir(parents=True, exist_ok=True)

    app = Flask(
        "tracker",
        instance_path=config["INSTANCE"],
        template_folder=str(data_path("templates")),
        static_folder=str(Path(__file__).parent / "static"),
    )
    app.config.update({f"TRACKER_{key}": value for key, value in config.items()})
    app.config["SECRET_KEY"] = ensure_secret_key(config)
    app.config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_MB"] * 1024 * 1024
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=config["SESSION_HOURS"])
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = str(config["BASE_URL"]).startswith("https://")
    for key in ("TESTING", "WTF_CSRF_ENABLED"):
        if overrides and key in overrides:
            app.config[key] = overrides[key]

    engine = make_engine(config["DATABASE_URL"])
    app.extensions["tracker.engine"] = engine
    app.extensions["tracker.sessions"] = make_session_factory(engine)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    _register_parts(app)
    _load_rules()
    log.info("Application ready on %s", engine.url.get_backend_name())
    return app


def _load_rules() -> None:
    """Load and compile the rule files when the app is built, once per process.

    A bad rule file then stops the start with its path and problem, and the first request of
    each worker process does not pay for reading the 84 files.
    """
    from .deadline.rulebook import load_rulebook

    for regime in load_rulebook().regimes:
        _ = regime.compiled


def _register_parts(app: Flask) -> None:
    """Register each domain's blueprints and hooks; each part is added here as it lands."""
    from .api.views import init_app as init_api
    from .board.views import init_app as init_board
    from .importer.views import init_app as init_stats
    from .notice.views import init_app as init_notices
    from .plan.views import init_app as init_plan
    from .regimes.views import init_app as init_regimes
    from .reminder.views import init_app as init_reminders
    from .report.views import init_app as init_reports
    from .web import register

    register(app)
    init_notices(app)
    init_board(app)
    init_reports(app)
    init_reminders(app)
    init_api(app)
    init_stats(app)
    init_plan(app)
    init_regimes(app)
