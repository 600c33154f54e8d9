"""Who may do what: one table of permissions by role, and decorators for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from .models import ROLES

ALL = frozenset(ROLES)
WRITERS = frozenset({"administrator", "counsel", "responder"})
COUNSEL = frozenset({"administrator", "counsel"})
ADMINISTRATORS = frozenset({"administrator"})

# Viewers read only; responders open incidents and keep their timeline, status, facts and
# evidence, and draft notices (incident.facts); counsel may do everything about incidents,
# approving and recording notices among it (notice.record); administrators also manage users.
PERMISSIONS: dict[str, frozenset[str]] = {
    "incident.read": ALL,
    "incident.create": WRITERS,
    "incident.timeline": WRITERS,
    "incident.status": WRITERS,
    "incident.facts": WRITERS,
    "incident.impact": COUNSEL,
    # Resolve an incident while its playbook's closure criteria are open, with a reason.
    "incident.close_override": COUNSEL,
    "incident.access": COUNSEL,
    "evidence.create": WRITERS,
    "evidence.transfer": WRITERS,
    "notice.record": COUNSEL,
    "hold.manage": COUNSEL,
    "report.sign": COUNSEL,
    "audit.read": ALL,
    "user.manage": ADMINISTRATORS,
    "settings.manage": ADMINISTRATORS,
}

F = TypeVar("F", bound=Callable[..., Any])


def can(user: Any, permission: str) -> bool:
    """Whether `user` (a User, or an anonymous user) holds `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"The permission {permission!r} is not in the permission table.")
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_active) and user.role in PERMISSIONS[permission]


def require_role(*roles: str) -> Callable[[F], F]:
    """Let a view run only for a signed-in user holding one of `roles`."""
    unknown = set(roles) - ALL
    if unknown:
        raise ValueError(f"Unknown roles {sorted(unknown)}; expected some of {sorted(ALL)}.")
    return _guard(lambda user: user.role in roles)


def require_permission(permission: str) -> Callable[[F], F]:
    """Let a view run only for a signed-in user whose role holds `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"The permission {permission!r} is not in the permission table.")
    return _guard(lambda user: can(user, permission))


def _guard(allowed: Callable[[Any], bool]) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from .views import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
