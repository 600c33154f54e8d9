"""The outbox pages: every message with its state and error, failed reminders, the last sweep.

Administrators and counsel read them; the e-mail bodies carry incident details, so viewers
and responders do not.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..auth.permissions import require_role
from ..db import get_session, now_utc
from .models import MESSAGE_STATUSES, MailMessage
from .service import get_failed_reminders, get_messages, retry_message
from .sweep import get_sweep_state
from .tasks import start_scheduler

log = logging.getLogger(__name__)

bp = Blueprint("reminder", __name__, url_prefix="/outbox")
READERS = ("administrator", "counsel")


def init_app(app: Flask) -> None:
    """Register the outbox pages, their navigation entry and the scheduler's starter."""
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "reminder.outbox", "Outbox", permission="notice.record")
    app.extensions["tracker.start_scheduler"] = start_scheduler


@bp.get("")
@require_role(*READERS)
def outbox() -> ResponseReturnValue:
    status = request.args.get("status", "")
    if status and status not in MESSAGE_STATUSES:
        abort(400, f"The status filter {status!r} is not one of {', '.join(MESSAGE_STATUSES)}.")
    session = get_session()
    return render_template(
        "reminder/outbox.html",
        messages=get_messages(session, status or None),
        failed_reminders=get_failed_reminders(session),
        sweep=get_sweep_state(session),
        statuses=MESSAGE_STATUSES,
        status=status,
        now=now_utc(),
        is_smtp_configured=bool(_config("SMTP_URL")),
    )


@bp.get("/<int:message_id>")
@require_role(*READERS)
def message(message_id: int) -> ResponseReturnValue:
    return render_template("reminder/message.html", message=_message(message_id))


@bp.get("/<int:message_id>/html")
@require_role(*READERS)
def message_html(message_id: int) -> ResponseReturnValue:
    """The HTML body alone, sandboxed: no scripts, no forms, nothing fetched from outside."""
    response = Response(_message(message_id).body_html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    )
    return response


@bp.post("/<int:message_id>/retry")
@require_role(*READERS)
def retry(message_id: int) -> ResponseReturnValue:
    session = get_session()
    retry_message(session, _message(message_id), current_user)
    session.commit()
    flash("The message will be sent again at the next sweep.", "success")
    return redirect(url_for("reminder.message", message_id=message_id))


def _message(message_id: int) -> MailMessage:
    found = get_session().get(MailMessage, message_id)
    if found is None:
        abort(404, f"There is no message {message_id} in the outbox.")
    return found


def _config(key: str) -> Any:
    from flask import current_app

    return current_app.config.get(f"TRACKER_{key}")


@bp.app_template_filter("age")
def _age(instant: datetime | None) -> str:
    from ..incident.display import format_duration

    if instant is None:
        return "never"
    return f"{format_duration(now_utc() - instant)} ago"
