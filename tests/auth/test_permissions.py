import pytest
from flask import Blueprint

from tracker.auth.permissions import PERMISSIONS, can, require_permission, require_role

ROLES = ("viewer", "responder", "counsel", "administrator")

# The permission table as the product promises it, written out by role.
EXPECTED = {
    "viewer": {"incident.read", "audit.read"},
    "responder": {
        "incident.read",
        "audit.read",
        "incident.create",
        "incident.timeline",
        "incident.status",
        "incident.facts",
        "evidence.create",
        "evidence.transfer",
    },
    "counsel": {
        "incident.read",
        "audit.read",
        "incident.create",
        "incident.timeline",
        "incident.status",
        "incident.facts",
        "incident.impact",
        "incident.close_override",
        "incident.access",
        "evidence.create",
        "evidence.transfer",
        "notice.record",
        "hold.manage",
        "report.sign",
    },
}
EXPECTED["administrator"] = EXPECTED["counsel"] | {"user.manage", "settings.manage"}


@pytest.mark.parametrize("role", ROLES)
def test_permission_table_by_role(role, make_user):
    user = make_user(role)
    granted = {permission for permission in PERMISSIONS if can(user, permission)}
    assert granted == EXPECTED[role]


def test_inactive_user_holds_nothing(make_user):
    user = make_user("administrator")
    user.is_active = False
    assert not any(can(user, permission) for permission in PERMISSIONS)


def test_unknown_permission_is_a_programming_error(make_user):
    with pytest.raises(KeyError, match="incident.destroy"):
        can(make_user("viewer"), "incident.destroy")
    with pytest.raises(ValueError, match="Unknown roles"):
        require_role("owner")


@pytest.fixture
def guarded_client(make_app):
    app = make_app()
    bp = Blueprint("probe", __name__)

    @bp.post("/probe/facts")
    @require_permission("incident.facts")
    def edit_facts():
        return "edited"

    @bp.get("/probe/users")
    @require_role("administrator")
    def list_users():
        return "users"

    app.register_blueprint(bp)
    return app.test_client()


@pytest.mark.parametrize(
    ("role", "facts_status", "users_status"),
    [
        ("viewer", 403, 403),
        ("responder", 200, 403),
        ("counsel", 200, 403),
        ("administrator", 200, 200),
    ],
)
def test_views_enforce_roles(guarded_client, make_user, login, role, facts_status, users_status):
    login(guarded_client, make_user(role))
    assert guarded_client.post("/probe/facts").status_code == facts_status
    assert guarded_client.get("/probe/users").status_code == users_status


def test_guarded_view_sends_anonymous_users_to_sign_in(guarded_client):
    response = guarded_client.get("/probe/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
