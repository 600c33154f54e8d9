"""Reminder policies through the API: everyone reads them, administrators set and remove them."""

from __future__ import annotations

import logging
from typing import Any

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session
from ..errors import NotFound
from ..reminder.models import PolicyOverride
from ..reminder.service import (
    configured_policies,
    delete_policy,
    get_policy_overrides,
    save_policy,
    settings,
)
from . import documents, parse, schemas
from .views import bp

log = logging.getLogger(__name__)


@bp.get("/reminder-policies")
@api_auth(permission="incident.read")
def list_reminder_policies() -> ResponseReturnValue:
    """The configured policies, and the stored ones that administrators set over them."""
    return jsonify(_policies())


@bp.put("/reminder-policies/<scope>")
@api_auth(permission="settings.manage")
def save_reminder_policy(scope: str) -> ResponseReturnValue:
    """Store the policy of one scope; it applies to reminders computed from now on."""
    given = parse.body(schemas.PolicyChange)
    session = get_session()
    row = save_policy(session, scope, given.steps, given.overdue, g.user)
    session.commit()
    return jsonify({"policy": _stored(row)})


@bp.delete("/reminder-policies/<scope>")
@api_auth(permission="settings.manage")
def delete_reminder_policy(scope: str) -> ResponseReturnValue:
    """Remove the stored policy of one scope, so that the configured one applies again."""
    session = get_session()
    if not delete_policy(session, scope, g.user):
        raise NotFound(f"There is no stored reminder policy for the scope {scope!r}.")
    session.commit()
    return jsonify(_policies())


def _policies() -> dict[str, Any]:
    configured = configured_policies(settings())
    return {
        "configured": [
            {"scope": scope, **policy.to_dict()} for scope, policy in configured.items()
        ],
        "stored": [_stored(row) for row in get_policy_overrides(get_session())],
    }


def _stored(row: PolicyOverride) -> dict[str, Any]:
    return {
        "scope": row.scope,
        "steps": list(row.steps),
        "overdue": row.overdue,
        "updated_at": documents.iso(row.updated_at),
        "updated_by_id": row.updated_by_id,
    }
