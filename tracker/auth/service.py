"""Users, API tokens and setup links. Services flush; the caller commits."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db import now_utc
from ..errors import Conflict, NotFound, ValidationError
from .models import ROLES, TOKEN_SCOPES, ApiToken, SetupToken, User
from .passwords import check_password_rules, hash_password, needs_rehash, verify_password

log = logging.getLogger(__name__)

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "trk_"  # noqa: S105 - a marker that makes leaked tokens easy to find
SETUP_LINK_HOURS = 24
MAX_TOKEN_DAYS = 3650

Actor = User | str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with the id {user_id}.")
    return user


def get_user_by_email(session: Session, email: str) -> User:
    user = session.scalars(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise NotFound(f"There is no user with the e-mail address {email!r}.")
    return user


def get_all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def has_users(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create_user(
    session: Session,
    email: str,
    role: str,
    password: str | None,
    actor: Actor,
    name: str = "",
    timezone: str = "UTC",
) -> User:
    """Add a user; the password (when given) must meet the rules."""
    email = normalise_email(email)
    _check_user_fields(email, role, timezone)
    if password is not None:
        check_password_rules(password, email)
    if session.scalars(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict(
            f"A user with the e-mail address {email} already exists.",
            {"email": "already in use"},
        )

    user = User(
        email=email,
        name=(name or "").strip() or email.split("@")[0],
        role=role,
        timezone=timezone,
        is_active=True,
        password_hash=None if password is None else hash_password(password),
        created_at=now_utc(),
        session_generation=0,
    )
    session.add(user)
    session.flush()

    audit.record(session, actor, "user.create", user, None, user_snapshot(user))
    log.info("User %s created with role %s by %s", user.id, role, _label(actor))
    return user


def update_user(session: Session, user: User, changes: dict[str, Any], actor: Actor) -> User:
    """Change a user's name, role, time zone or active flag."""
    allowed = {"name", "role", "timezone", "is_active"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError(
            f"The user field {unknown[0]!r} cannot be changed here; "
            f"accepted are {', '.join(sorted(allowed))}.",
            {name: "cannot be changed here" for name in unknown},
        )
    _check_user_fields(user.email, changes.get("role", user.role), changes.get("timezone", "UTC"))

    before = user_snapshot(user)
    ends_sessions = any(
        name in ("role", "is_active") and getattr(user, name) != value
        for name, value in changes.items()
    )
    for name, value in changes.items():
        setattr(user, name, value)
    if ends_sessions:
        user.session_generation = (user.session_generation or 0) + 1
    session.flush()

    audit.record(session, actor, "user.update", user, before, user_snapshot(user))
    log.info("User %s updated by %s", user.id, _label(actor))
    return user


def set_password(session: Session, user: User, password: str, actor: Actor) -> None:
    check_password_rules(password, user.email)
    user.password_hash = hash_password(password)
    user.session_generation = (user.session_generation or 0) + 1
    session.flush()
    audit.record(session, actor, "user.password", user, None, None)
    log.info("Password of user %s set by %s", user.id, _label(actor))


def end_sessions(session: Session, user: User, actor: Actor) -> None:
    """Sign `user` out of every session, on every device."""
    user.session_generation = (user.session_generation or 0) + 1
    session.flush()
    audit.record(session, actor, "user.sessions_ended", user, None, None)
    log.info("Every session of user %s ended by %s", user.id, _label(actor))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None; records the sign-in time."""
    user = session.scalars(select(User).where(User.email == normalise_email(email))).first()
    matches = verify_password(None if user is None else user.password_hash, password)
    if user is None or not matches or not user.is_active:
        log.info("Sign-in refused for %s", "an unknown account" if user is None else user.label)
        return None

    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    user.last_login_at = now_utc()
    log.info("User %s signed in", user.id)
    return user


def create_token(
    session: Session, user: User, actor: Actor, scope: str = "read", days: int | None = 90
) -> tuple[ApiToken, str]:
    """Make an API token for `user`; the token text is returned once and stored only hashed."""
    if scope not in TOKEN_SCOPES:
        raise ValidationError(
            f"The token scope {scope!r} is not one of {', '.join(TOKEN_SCOPES)}.",
            {"scope": f"expected one of {', '.join(TOKEN_SCOPES)}"},
        )
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            f"A token lasts from 1 to {MAX_TOKEN_DAYS} days, not {days}.",
            {"days": f"expected a number from 1 to {MAX_TOKEN_DAYS}"},
        )

    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now_utc()
    token = ApiToken(
        user_id=user.id,
        token_hash=token_hash(text),
        prefix=text[: len(TOKEN_PREFIX) + 6],
        scope=scope,
        created_at=now,
        expires_at=None if days is None else now + timedelta(days=days),
    )
    session.add(token)
    session.flush()

    audit.record(session, actor, "token.create", token, None, token_snapshot(token))
    log.info("API token %s (%s) created for user %s by %s", token.id, scope, user.id, _label(actor))
    return token, text


def revoke_token(session: Session, token: ApiToken, actor: Actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now_utc()
        session.flush()
        audit.record(session, actor, "token.revoke", token, None, token_snapshot(token))
        log.info("API token %s revoked by %s", token.id, _label(actor))
    return token


def get_tokens(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(session.scalars(query))


def find_token(session: Session, text: str, at: datetime | None = None) -> ApiToken | None:
    """The usable token with this text, whose user is active; records when it was used."""
    at = at or now_utc()
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(text))).first()
    if token is None or not token.is_usable(at) or not token.user.is_active:
        return None
    token.last_used_at = at
    return token


def create_setup_token(session: Session) -> str:
    """A one-time link token for creating the first administrator, valid for 24 hours."""
    text = secrets.token_urlsafe(32)
    now = now_utc()
    session.add(
        SetupToken(
            token_hash=token_hash(text),
            created_at=now,
            expires_at=now + timedelta(hours=SETUP_LINK_HOURS),
        )
    )
    session.flush()
    log.info("Setup link created; it expires in %s hours", SETUP_LINK_HOURS)
    return text


def check_setup_token(session: Session, text: str) -> SetupToken:
    """The setup token with this text, if it is unused, unexpired and no user exists yet."""
    token = session.scalars(
        select(SetupToken).where(SetupToken.token_hash == token_hash(text))
    ).first()
    if token is None or token.used_at is not None or token.expires_at <= now_utc():
        raise NotFound(
            "This setup link is unknown, used or expired; run `tracker serve` again for a new one."
        )
    if has_users(session):
        raise Conflict("The first administrator already exists; sign in instead.")
    return token


def complete_setup(session: Session, text: str, email: str, name: str, password: str) -> User:
    """Use a setup link: create the first administrator and spend the link."""
    token = check_setup_token(session, text)
    user = create_user(session, email, "administrator", password, "setup link", name=name)
    token.used_at = now_utc()
    return user


def user_snapshot(user: User) -> dict[str, Any]:
    """A user as the audit trail records it (the e-mail, never the password hash)."""
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "timezone": user.timezone,
        "is_active": user.is_active,
    }


def token_snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "user_id": token.user_id,
        "prefix": token.prefix,
        "scope": token.scope,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


def _check_user_fields(email: str, role: str, timezone: str) -> None:
    from ..incident.forms import zone_names

    if not EMAIL_PATTERN.match(email):
        raise ValidationError(
            f"The e-mail address {email!r} is not valid; expected one such as name@example.com.",
            {"email": "expected an e-mail address"},
        )
    if role not in ROLES:
        raise ValidationError(
            f"The role {role!r} is not one of {', '.join(ROLES)}.",
            {"role": f"expected one of {', '.join(ROLES)}"},
        )
    if timezone != "UTC" and timezone not in zone_names():
        raise ValidationError(
            f"The time zone {timezone!r} is not an IANA time zone such as Europe/Berlin.",
            {"timezone": "expected an IANA time zone"},
        )


def _label(actor: Actor) -> str:
    if actor is None:
        return "system"
    return actor if isinstance(actor, str) else f"user {actor.id}"
