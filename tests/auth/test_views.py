import re
import time

import pytest

from tracker.auth.models import User
from tracker.auth.service import create_setup_token
from tracker.auth.views import SIGNED_IN_AT

from ..conftest import PASSWORD


def test_login_page_has_labelled_fields(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">E-mail address</label>' in page
    assert '<label for="password">Password</label>' in page
    assert 'autocomplete="current-password"' in page


def test_pages_need_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/account")


def test_login_then_logout(client, make_user, login):
    user = make_user("counsel", name="Ana Counsel")
    response = login(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"

    page = client.get("/account").get_data(as_text=True)
    assert "Ana Counsel" in page
    assert "counsel" in page

    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_login_records_last_login(client, make_user, login, session):
    user = make_user("viewer")
    assert user.last_login_at is None
    login(client, user)
    session.expire_all()
    assert session.get(User, user.id).last_login_at is not None


def test_wrong_password_is_refused_without_saying_which_part(client, make_user, login):
    user = make_user("viewer")
    response = login(client, user, password="not the password at all")
    assert response.status_code == 401
    assert "The e-mail address or the password is wrong" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_inactive_user_cannot_sign_in(client, make_user, login, session):
    user = make_user("viewer")
    user.is_active = False
    session.commit()
    assert login(client, user).status_code == 401


def test_deactivating_a_user_ends_their_session(client, make_user, login, session):
    user = make_user("viewer")
    login(client, user)
    user.is_active = False
    session.commit()
    assert client.get("/account").status_code == 302


def test_next_is_followed_only_within_the_site(client, make_user):
    user = make_user("viewer")
    form = {"email": user.email, "password": PASSWORD}
    inside = client.post("/login?next=/account", data=form)
    assert inside.headers["Location"] == "/account"
    client.post("/logout")
    outside = client.post("/login?next=https://evil.example/", data=form)
    assert outside.headers["Location"] == "/"


def test_session_expires_after_its_lifetime(client, make_user, login, app):
    user = make_user("viewer")
    login(client, user)
    lifetime = app.permanent_session_lifetime.total_seconds()
    with client.session_transaction() as cookie:
        assert cookie.permanent
        cookie[SIGNED_IN_AT] = int(time.time() - lifetime - 1)

    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/account").status_code == 302


def test_session_within_its_lifetime_stays(client, make_user, login, app):
    user = make_user("viewer")
    login(client, user)
    lifetime = app.permanent_session_lifetime.total_seconds()
    with client.session_transaction() as cookie:
        cookie[SIGNED_IN_AT] = int(time.time() - lifetime + 60)
    assert client.get("/account").status_code == 200


@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def test_form_post_without_csrf_token_is_refused(csrf_client, make_user):
    user = make_user("viewer")
    response = csrf_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


def test_form_post_with_csrf_token_is_accepted(csrf_client, make_user):
    user = make_user("viewer")
    page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_logout_without_csrf_token_is_refused(csrf_client, make_user):
    make_user("viewer")
    assert csrf_client.post("/logout").status_code == 400


def test_setup_link_creates_the_first_administrator(client, session):
    token = create_setup_token(session)
    session.commit()

    page = client.get(f"/setup/{token}")
    assert page.status_code == 200
    assert "Create the first administrator" in page.get_data(as_text=True)

    response = client.post(
        f"/setup/{token}",
        data={
            "email": "Admin@Example.com",
            "name": "Ada Admin",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200

    session.expire_all()
    admin = session.query(User).one()
    assert (admin.email, admin.role) == ("admin@example.com", "administrator")
    assert client.get(f"/setup/{token}").status_code == 404


def test_setup_link_checks_the_password(client, session):
    token = create_setup_token(session)
    session.commit()
    response = client.post(
        f"/setup/{token}",
        data={"email": "a@example.com", "name": "A", "password": "short", "confirm": "short"},
    )
    assert response.status_code == 400
    assert "at least 12 characters" in response.get_data(as_text=True)
    assert session.query(User).count() == 0


def test_unknown_setup_link_is_refused(client):
    response = client.get("/setup/not-a-token")
    assert response.status_code == 404
    assert "unknown, used or expired" in response.get_data(as_text=True)


def test_setup_link_is_void_once_a_user_exists(client, session, make_user):
    token = create_setup_token(session)
    session.commit()
    make_user("viewer")
    assert client.get(f"/setup/{token}").status_code == 404


def test_expired_setup_link_is_refused(client, session):
    from datetime import timedelta

    from tracker.auth.models import SetupToken

    token = create_setup_token(session)
    row = session.query(SetupToken).one()
    row.expires_at = row.created_at - timedelta(seconds=1)
    session.commit()
    assert client.get(f"/setup/{token}").status_code == 404
