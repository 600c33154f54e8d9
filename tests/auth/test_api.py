import time
from datetime import timedelta

import pytest
from flask import Blueprint, g

from tracker.auth.api import api_auth
from tracker.auth.service import create_token, revoke_token
from tracker.db import now_utc


@pytest.fixture
def api_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    bp = Blueprint("probe_api", __name__, url_prefix="/api/probe")

    @bp.get("")
    @api_auth
    def read():
        return {"user": g.user.id, "token": g.api_token.id}

    @bp.post("")
    @api_auth
    def write():
        return {"written": True}, 201

    @bp.post("/users")
    @api_auth(permission="user.manage")
    def manage_users():
        return {"ok": True}

    app.register_blueprint(bp)
    return app


@pytest.fixture
def api(api_app):
    return api_app.test_client()


def _bearer(text):
    return {"Authorization": f"Bearer {text}"}


def test_read_with_a_token(api, make_user, session):
    user = make_user("viewer")
    token, text = create_token(session, user, "test", scope="read")
    session.commit()

    response = api.get("/api/probe", headers=_bearer(text))
    assert response.status_code == 200
    assert response.json == {"user": user.id, "token": token.id}
    session.expire_all()
    assert session.get(type(token), token.id).last_used_at is not None


def test_missing_token_is_401_with_json(api):
    response = api.get("/api/probe")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="tracker"'
    assert response.json == {
        "error": {
            "message": "Send an API token in the header Authorization: Bearer TOKEN.",
            "fields": {},
        }
    }


def test_cookie_session_is_not_accepted(api, make_user):
    user = make_user("administrator")
    with api.session_transaction() as cookie:
        cookie["_user_id"] = str(user.id)
        cookie["_fresh"] = True
        cookie["signed_in_at"] = int(time.time())
        cookie["generation"] = 0
    assert api.get("/account").status_code == 200  # the cookie signs in the web pages ...
    assert api.get("/api/probe").status_code == 401  # ... and means nothing to the API


def test_write_needs_a_read_write_token(api, make_user, session):
    user = make_user("counsel")
    _, read_only = create_token(session, user, "test", scope="read")
    _, read_write = create_token(session, user, "test", scope="read-write")
    session.commit()

    refused = api.post("/api/probe", headers=_bearer(read_only))
    assert refused.status_code == 403
    assert "read-write" in refused.json["error"]["message"]
    assert api.post("/api/probe", headers=_bearer(read_write)).status_code == 201


def test_api_posts_need_no_csrf_token(api, make_user, session):
    _, text = create_token(session, make_user("counsel"), "test", scope="read-write")
    session.commit()
    assert api.post("/api/probe", headers=_bearer(text)).status_code == 201


def test_permission_is_checked_for_the_tokens_user(api, make_user, session):
    _, counsel = create_token(session, make_user("counsel"), "test", scope="read-write")
    _, admin = create_token(session, make_user("administrator"), "test", scope="read-write")
    session.commit()
    assert api.post("/api/probe/users", headers=_bearer(counsel)).status_code == 403
    assert api.post("/api/probe/users", headers=_bearer(admin)).status_code == 200


def test_revoked_expired_and_unknown_tokens_are_refused(api, make_user, session):
    user = make_user("viewer")
    revoked, revoked_text = create_token(session, user, "test")
    revoke_token(session, revoked, "test")
    expired, expired_text = create_token(session, user, "test", days=1)
    expired.expires_at = now_utc() - timedelta(seconds=1)
    session.commit()

    for text in (revoked_text, expired_text, "trk_unknown"):
        response = api.get("/api/probe", headers=_bearer(text))
        assert response.status_code == 401
        assert response.json["error"]["message"] == "The API token is unknown, expired or revoked."


def test_token_of_an_inactive_user_is_refused(api, make_user, session):
    user = make_user("viewer")
    _, text = create_token(session, user, "test")
    user.is_active = False
    session.commit()
    assert api.get("/api/probe", headers=_bearer(text)).status_code == 401
