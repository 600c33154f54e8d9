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
from sqlalchemy.exc import SQLAlchemyError

from ..auth import access
from ..auth.permissions import can, require_permission, require_role
from ..db import get_session, now_utc
from ..errors import ValidationError
from .forms import SCOPE_EXAMPLES, DeleteForm, PolicyForm
from .models import MESSAGE_STATUSES, MailMessage
from .service import (
    configured_policies,
    count_failed_reminders,
    delete_policy,
    get_failed_reminders,
    get_messages,
    get_policy_overrides,
    retry_message,
    save_policy,
    settings,
)
from .sweep import get_sweep_state
from .tasks import start_scheduler

log = logging.getLogger(__name__)

bp = Blueprint("reminder", __name__, url_prefix="/outbox")
policy_bp = Blueprint("reminder_policy", __name__, url_prefix="/reminders")
READERS = ("administrator", "counsel")


def init_app(app: Flask) -> None:
    """Register the outbox pages, their navigation entry and the scheduler's starter."""
    from ..web import add_nav

    app.register_blueprint(bp)
    app.register_blueprint(policy_bp)
    add_nav(app, "reminder.outbox", "Outbox", permission="notice.record")
    app.extensions["tracker.start_scheduler"] = start_scheduler


@bp.get("")
@require_role(*READERS)
def outbox() -> ResponseReturnValue:
    status = request.args.get("status", "")
    if status and status not in MESSAGE_STATUSES:
        abort(400, f"The status filter {status!r} is not one of {', '.join(MESSAGE_STATUSES)}.")
    session = get_session()
    messages = access.visible(
        session, current_user, get_messages(session, status or None), _incident_of
    )
    failed = access.visible(session, current_user, get_failed_reminders(session), _incident_of)
    return render_template(
        "reminder/outbox.html",
        messages=messages,
        failed_reminders=failed,
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


@policy_bp.route("/policy", methods=["GET", "POST"])
@require_permission("incident.read")
def policy() -> ResponseReturnValue:
    """Every signed-in user reads the policies; administrators change them."""
    session = get_session()
    form = PolicyForm()
    if request.method == "POST":
        if not can(current_user, "settings.manage"):
            abort(403)
        if form.validate_on_submit():
            try:
                save_policy(
                    session,
                    form.scope.data.strip(),
                    form.steps.data,
                    form.overdue.data,
                    current_user,
                )
            except ValidationError as exc:
                session.rollback()
                _field_errors(form, exc)
            else:
                session.commit()
                flash(
                    f"The reminder policy for {form.scope.data.strip()} is saved; it applies to "
                    "reminders computed from now on.",
                    "success",
                )
                return redirect(url_for("reminder_policy.policy"))
    return render_template(
        "reminder/policy.html",
        form=form,
        delete_form=DeleteForm(),
        configured=configured_policies(settings()),
        stored=get_policy_overrides(session),
        examples=SCOPE_EXAMPLES,
        can_manage=can(current_user, "settings.manage"),
    ), 422 if form.errors else 200


@policy_bp.post("/policy/delete")
@require_permission("settings.manage")
def delete_policy_view() -> ResponseReturnValue:
    form = DeleteForm()
    scope = request.form.get("scope", "")
    if not form.validate_on_submit() or not scope:
        abort(400, "The form to remove a policy needs the policy's scope.")
    session = get_session()
    if delete_policy(session, scope, current_user):
        session.commit()
        flash(f"The stored reminder policy for {scope} is removed.", "success")
    else:
        flash(f"There is no stored reminder policy for {scope} to remove.", "info")
    return redirect(url_for("reminder_policy.policy"))


def _field_errors(form: PolicyForm, exc: ValidationError) -> None:
    for path in exc.fields:
        name = "scope" if path == "scope" else "overdue" if path.endswith("overdue") else "steps"
        getattr(form, name).errors = [*getattr(form, name).errors, exc.message]


def _incident_of(item: Any) -> int | None:
    """The incident a message (through its reminder) or a reminder is about, if any."""
    if isinstance(item, MailMessage):
        return None if item.reminder is None else item.reminder.incident_id
    return item.incident_id


def _message(message_id: int) -> MailMessage:
    found = get_session().get(MailMessage, message_id)
    if found is None:
        abort(404, f"There is no message {message_id} in the outbox.")
    return found


def _config(key: str) -> Any:
    from flask import current_app

    return current_app.config.get(f"TRACKER_{key}")


@bp.app_context_processor
def _failure_count() -> dict[str, Any]:
    return {"reminder_failures": reminder_failures}


def reminder_failures() -> int:
    """How many reminders failed, for the banner that administrators and counsel see."""
    if not getattr(current_user, "is_authenticated", False) or current_user.role not in READERS:
        return 0
    try:
        return count_failed_reminders(get_session())
    except SQLAlchemyError as exc:
        # An error page for a request whose transaction failed still renders, without it.
        log.warning("Counting failed reminders failed: %s", type(exc).__name__)
        return 0


@bp.app_template_filter("age")
def _age(instant: datetime | None) -> str:
    from ..incident.display import format_duration

    if instant is None:
        return "never"
    return f"{format_duration(now_utc() - instant)} ago"
