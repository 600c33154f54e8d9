"""Tokens, users and the audit history through the API.

A user sees and revokes their own tokens; an administrator may revoke anyone's and list the
users. A token of someone else is answered as unknown, so that ids cannot be probed.
"""

from __future__ import annotations

import json
from typing import Any

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from .. import audit
from ..audit.models import AuditEvent
from ..auth import access
from ..auth.api import api_auth
from ..auth.models import ApiToken, User
from ..auth.permissions import can
from ..auth.service import get_all_users, get_tokens, revoke_token
from ..db import get_session
from ..errors import NotFound
from . import parse, schemas
from .documents import iso
from .views import ID, LARGEST_ID, _incident, bp


@bp.get("/tokens")
@api_auth
def list_tokens() -> ResponseReturnValue:
    """The calling user's tokens, with when each was last used."""
    tokens = get_tokens(get_session(), g.user)
    return jsonify({"tokens": [token_document(token) for token in tokens]})


@bp.delete(f"/tokens/<{ID}:token_id>")
@api_auth
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke a token at once; revoking one already revoked changes nothing."""
    session = get_session()
    token = _token(token_id)
    revoke_token(session, token, g.user)
    session.commit()
    return jsonify({"token": token_document(token)})


@bp.get("/users")
@api_auth(permission="user.manage")
def list_users() -> ResponseReturnValue:
    users = get_all_users(get_session())
    return jsonify({"users": [user_document(user) for user in users]})


@bp.get(f"/incidents/<{ID}:incident_id>/audit")
@api_auth(permission="audit.read")
def incident_audit(incident_id: int) -> ResponseReturnValue:
    """The audit rows about the incident, oldest first, with their place in the hash chain."""
    incident = _incident(incident_id)
    events = audit.get_incident_history(get_session(), incident.id)
    return jsonify({"events": [event_document(event) for event in events]})


@bp.get(f"/incidents/<{ID}:incident_id>/access")
@api_auth(permission="incident.read")
def get_access(incident_id: int) -> ResponseReturnValue:
    """Whether the incident is restricted to its team, and who is on the team."""
    incident = _incident(incident_id)
    return jsonify({"access": access.access_snapshot(get_session(), incident.id)})


@bp.put(f"/incidents/<{ID}:incident_id>/access")
@api_auth(permission="incident.access")
def put_access(incident_id: int) -> ResponseReturnValue:
    """Restrict the incident to its team (the caller joins it) or open it, and set the team."""
    session = get_session()
    incident = _incident(incident_id)
    given = parse.body(schemas.AccessChange)
    access.set_access(session, incident, given.restricted, given.members, g.user)
    session.commit()
    return jsonify({"access": access.access_snapshot(session, incident.id)})


def _token(token_id: int) -> ApiToken:
    token = None if token_id > LARGEST_ID else get_session().get(ApiToken, token_id)
    if token is None or not (token.user_id == g.user.id or can(g.user, "user.manage")):
        raise NotFound(f"There is no token with the id {token_id}.")
    return token


def token_document(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "user_id": token.user_id,
        "prefix": token.prefix,
        "scope": token.scope,
        "created_at": iso(token.created_at),
        "expires_at": iso(token.expires_at),
        "revoked_at": iso(token.revoked_at),
        "last_used_at": iso(token.last_used_at),
    }


def user_document(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "timezone": user.timezone,
        "is_active": user.is_active,
        "created_at": iso(user.created_at),
        "last_login_at": iso(user.last_login_at),
    }


def event_document(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": iso(event.at),
        "actor_id": event.actor_id,
        "actor": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": None if event.before is None else json.loads(event.before),
        "after": None if event.after is None else json.loads(event.after),
        "hash": event.hash,
    }
