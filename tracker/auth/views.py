"""Sign-in, sign-out, session expiry, the first administrator's setup page, the account page."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect

from ..db import get_session
from ..errors import TrackerError
from .api import api_error
from .forms import LoginForm, SetupForm
from .models import User
from .permissions import can
from .service import authenticate, check_setup_token, complete_setup, get_tokens

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()

SIGNED_IN_AT = "signed_in_at"


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

    app.jinja_env.globals["can"] = can
    app.register_blueprint(bp)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    return user if user is not None and user.is_active else None


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


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("auth/login.html", form=form), status

    db = get_session()
    user = authenticate(db, form.email.data or "", form.password.data or "")
    if user is None:
        db.rollback()
        flash("The e-mail address or the password is wrong, or the account is disabled.", "error")
        return render_template("auth/login.html", form=form), 401
    db.commit()

    _start_session(user)
    return redirect(_safe_next(request.args.get("next")))


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
