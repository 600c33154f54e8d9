"""Bearer-token authentication for the JSON API; the cookie session is never accepted there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from flask import Response, g, jsonify, request

from ..db import get_session
from .access import check_route
from .permissions import can
from .service import find_token

F = TypeVar("F", bound=Callable[..., Any])

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@overload
def api_auth(view: F) -> F: ...
@overload
def api_auth(*, permission: str | None = None) -> Callable[[F], F]: ...


def api_auth(view: F | None = None, *, permission: str | None = None) -> Any:
    """Require `Authorization: Bearer TOKEN`; set g.user and g.api_token.

    Writes (any method but GET, HEAD, OPTIONS) need a read-write token; `permission` names
    an entry of the permission table that the token's user must also hold.
    """

    def decorate(inner: F) -> F:
        @wraps(inner)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            refusal = authenticate_request(permission)
            if refusal is not None:
                return refusal
            return inner(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate if view is None else decorate(view)


def authenticate_request(permission: str | None = None) -> Response | None:
    """Check the request's bearer token; None when it may proceed, else the refusal."""
    text = _bearer_token()
    if text is None:
        return api_error(401, "Send an API token in the header Authorization: Bearer TOKEN.")

    session = get_session()
    token = find_token(session, text)
    if token is None:
        session.rollback()
        return api_error(401, "The API token is unknown, expired or revoked.")
    session.commit()  # keeps last_used_at even when the view only reads

    if request.method not in READ_METHODS and token.scope != "read-write":
        return api_error(403, "This token may only read; changes need a read-write token.")
    if permission is not None and not can(token.user, permission):
        return api_error(403, f"The role {token.user.role} may not do this ({permission}).")

    g.user = token.user
    g.api_token = token
    check_route(session, token.user, request.view_args, _rule())
    return None


def api_error(status: int, message: str, fields: dict[str, str] | None = None) -> Response:
    response = jsonify({"error": {"message": message, "fields": dict(fields or {})}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _rule() -> str | None:
    return request.url_rule.rule if request.url_rule else None
