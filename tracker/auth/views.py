"""Sign-in, sign-out, session expiry, the first administrator's setup page, the account page."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select

from ..db import get_session, now_utc
from ..errors import TrackerError
from . import throttle
from .access import access_snapshot, check_route, sees_all, set_access
from .api import api_error
from .forms import LoginForm, SetupForm
from .models import User
from .permissions import can, require_permission
from .service import authenticate, check_setup_token, complete_setup, end_sessions, get_tokens

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()

SIGNED_IN_AT = "signed_in_at"
GENERATION = "generation"


def init_app(app: Flask) -> None:
    """Install sign-in, CSRF protection for every form, and this blueprint."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.before_request(_protect_forms)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_expire_session)
    app.before_request(_check_incident_scope)

    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["incident_access"] = _access_panel
    app.jinja_env.globals["sees_every_incident"] = sees_all
    app.register_blueprint(bp)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    if session.get(GENERATION) != user.session_generation:
        return None  # ended by signing out everywhere, a new password or a role change
    return user


@login_manager.unauthorized_handler
def _unauthorized() -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return api_error(401, "Send an API token in the header Authorization: Bearer TOKEN.")
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _protect_forms() -> None:
    """Check the CSRF token of every form post; the bearer-token API under /api/ is exempt."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.path.startswith("/api/"):
        return
    csrf.protect()


def _expire_session() -> ResponseReturnValue | None:
    """End a sign-in older than PERMANENT_SESSION_LIFETIME, however active it has been."""
    if not current_user.is_authenticated or request.path.startswith("/api/"):
        return None
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    signed_in_at = session.get(SIGNED_IN_AT, 0)
    if time.time() - signed_in_at <= lifetime:
        return None

    log.info("Session of user %s expired", current_user.id)
    logout_user()
    session.clear()
    flash("Your session has expired; sign in again.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _check_incident_scope() -> None:
    """Answer 404 for a restricted incident's objects to anyone outside its team.

    The API makes the same check once the bearer token has named the user.
    """
    if request.path.startswith("/api/") or not current_user.is_authenticated:
        return
    rule = request.url_rule.rule if request.url_rule else None
    check_route(get_session(), current_user, request.view_args, rule)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("auth/login.html", form=form), status

    db = get_session()
    email = form.email.data or ""
    keys = [throttle.account_key(email), throttle.address_key(request.remote_addr)]
    until = throttle.locked_until(db, keys)
    if until is not None:
        db.rollback()
        return _locked_out(form, until)

    user = authenticate(db, email, form.password.data or "")
    if user is None:
        db.rollback()
        until = _count_failure(db, keys)
        if until is not None:
            return _locked_out(form, until)
        flash("The e-mail address or the password is wrong, or the account is disabled.", "error")
        return render_template("auth/login.html", form=form), 401
    throttle.clear(db, keys[0])
    db.commit()

    _start_session(user)
    return redirect(_safe_next(request.args.get("next")))


def _login_policy() -> throttle.Policy:
    minutes = timedelta(minutes=int(current_app.config["TRACKER_LOGIN_LOCK_MINUTES"]))
    return throttle.Policy(
        max_failures=int(current_app.config["TRACKER_LOGIN_MAX_FAILURES"]),
        window=minutes,
        lock=minutes,
    )


def _count_failure(db: Any, keys: list[str]) -> datetime | None:
    """Count a failed sign-in for the account and the address; the end of a lock it starts."""
    policy = _login_policy()
    limits = [policy.max_failures, policy.max_failures * throttle.ADDRESS_FACTOR]
    pairs = zip(keys, limits, strict=True)
    rows = [throttle.record_failure(db, key, policy, limit) for key, limit in pairs]
    db.commit()
    ends = [row.locked_until for row in rows if row.locked_until is not None]
    return max(ends) if ends else None


def _locked_out(form: LoginForm, until: datetime) -> ResponseReturnValue:
    flash(
        "Too many failed sign-ins: signing in is locked until "
        f"{until.strftime('%H:%M')} UTC. Try again then, or ask an administrator.",
        "error",
    )
    response = make_response(render_template("auth/login.html", form=form), 429)
    response.headers["Retry-After"] = str(max(1, int((until - now_utc()).total_seconds())))
    return response


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        log.info("User %s signed out", current_user.id)
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> ResponseReturnValue:
    db = get_session()
    try:
        check_setup_token(db, token)
    except TrackerError as exc:
        db.rollback()
        return render_template("auth/setup.html", form=None, problem=exc.message), 404

    form = SetupForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("auth/setup.html", form=form, problem=None), status

    try:
        user = complete_setup(
            db, token, form.email.data or "", form.name.data or "", form.password.data or ""
        )
    except TrackerError as exc:
        db.rollback()
        _attach_errors(form, exc)
        return render_template("auth/setup.html", form=form, problem=None), 400
    db.commit()

    _start_session(user)
    flash("Your administrator account is ready.", "info")
    return redirect(url_for("index"))


@bp.post("/incidents/<int:incident_id>/access")
@require_permission("incident.access")
def incident_access(incident_id: int) -> ResponseReturnValue:
    """Restrict an incident to its team, or open it again, and choose the team's members."""
    from ..incident import service as incidents

    db = get_session()
    incident = incidents.get(db, incident_id)
    members = [int(value) for value in request.form.getlist("members") if value.isdigit()]
    restricted = request.form.get("restricted") == "yes"
    target = url_for("incident.show", incident_id=incident.id, _anchor="access")
    try:
        set_access(db, incident, restricted, members, current_user)  # type: ignore[arg-type]
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(target)
    db.commit()

    flash("Restricted to its team." if restricted else "Open to every user by role.", "success")
    return redirect(target)


def _access_panel(incident_id: int) -> dict[str, Any]:
    """What the incident page shows about need-to-know access."""
    db = get_session()
    snapshot = access_snapshot(db, incident_id)
    users = db.scalars(select(User).where(User.is_active.is_(True)).order_by(User.name))
    return {**snapshot, "users": list(users)}


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """End every session of the signed-in user, on every device, this one included."""
    db = get_session()
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    end_sessions(db, user, user)
    db.commit()
    logout_user()
    session.clear()
    flash("You have signed out on every device.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    tokens = get_tokens(get_session(), current_user)  # type: ignore[arg-type]
    return render_template("auth/account.html", tokens=tokens)


def _start_session(user: User) -> None:
    session.clear()
    login_user(user)
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())
    session[GENERATION] = user.session_generation


def _safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site, never to another host."""
    if not target:
        return url_for("index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("index")
    return target


def _attach_errors(form: Any, exc: TrackerError) -> None:
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
    if not exc.fields:
        abort(400, exc.message)
