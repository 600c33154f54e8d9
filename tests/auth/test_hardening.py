"""Security headers, cookie flags, sign-in throttling, password rules and ending sessions."""

import io
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.auth import throttle
from tracker.auth.headers import CONTENT_SECURITY_POLICY
from tracker.auth.models import LoginThrottle, User
from tracker.auth.passwords import check_password_rules
from tracker.auth.service import set_password, update_user
from tracker.db import now_utc
from tracker.errors import ValidationError

from ..conftest import PASSWORD

# Headers.


def test_every_answer_carries_the_security_headers(client):
    for url in ("/login", "/healthz", "/api/v1/openapi.json", "/static/tracker.css", "/nowhere"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # served over plain HTTP here


def test_the_policy_allows_nothing_inline_and_no_framing():
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_pages_of_a_signed_in_user_are_not_cached(client, make_user, login):
    login(client, make_user("viewer"))
    assert client.get("/account").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/tracker.css").headers.get("Cache-Control", "")


def test_https_adds_hsts_and_secure_cookies(make_app, make_user, login):
    client = make_app(BASE_URL="https://tracker.example.com").test_client()
    response = login(client, make_user("viewer"))

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = response.headers["Set-Cookie"]
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_plain_http_cookies_are_httponly_and_lax_but_not_secure(client, make_user, login):
    cookie = login(client, make_user("viewer")).headers["Set-Cookie"]
    assert "; HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_a_wrong_csrf_token_is_refused(make_app, make_user):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    user = make_user("viewer")
    client.get("/login")
    data = {"email": user.email, "password": PASSWORD, "csrf_token": "forged"}

    response = client.post("/login", data=data)

    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


# Sign-in throttling.


def fail(client, email, times=1):
    for _ in range(times):
        response = client.post("/login", data={"email": email, "password": "wrong password!!"})
    return response


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_user, login):
    user = make_user("viewer")
    for _ in range(4):
        assert fail(client, user.email).status_code == 401

    locked = fail(client, user.email)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    assert int(locked.headers["Retry-After"]) > 14 * 60

    response = login(client, user)
    assert response.status_code == 429
    assert client.get("/account").status_code == 302


def test_the_lock_is_kept_in_the_database_for_every_worker(make_app, make_user, session):
    user = make_user("viewer")
    first, second = make_app().test_client(), make_app().test_client()  # two workers
    fail(first, user.email, 3)
    fail(second, user.email, 2)

    rows = session.scalars(select(LoginThrottle)).all()
    assert {row.key for row in rows} == {
        throttle.account_key(user.email),
        throttle.address_key("127.0.0.1"),
    }
    assert user.email not in " ".join(row.key for row in rows)
    data = {"email": user.email, "password": PASSWORD}
    assert first.post("/login", data=data).status_code == 429


def test_the_lock_ends_after_its_time(client, make_user, login, session):
    user = make_user("viewer")
    fail(client, user.email, 5)
    row = session.get(LoginThrottle, throttle.account_key(user.email))
    row.locked_until = now_utc() - timedelta(seconds=1)
    row.first_failure_at = now_utc() - timedelta(minutes=16)
    session.commit()

    assert login(client, user).status_code == 302
    session.expire_all()
    assert session.get(LoginThrottle, throttle.account_key(user.email)) is None


def test_a_success_clears_earlier_failures(client, make_user, login, session):
    user = make_user("viewer")
    fail(client, user.email, 4)
    assert login(client, user).status_code == 302
    client.post("/logout")
    assert fail(client, user.email).status_code == 401  # counting starts again


def test_many_accounts_from_one_address_lock_the_address(make_app, make_user):
    client = make_app(LOGIN_MAX_FAILURES=2).test_client()
    user = make_user("viewer")
    for number in range(7):
        assert fail(client, f"nobody{number}@example.com").status_code == 401
    assert fail(client, "nobody7@example.com").status_code == 429
    data = {"email": user.email, "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 429


def test_unknown_accounts_are_locked_like_known_ones(client):
    assert fail(client, "nobody@example.com", 5).status_code == 429


# Password rules.


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "needs at least 12"),
        ("aaaaaaaaaaaaaaaa", "at least 5 different characters"),
        ("121212121212121", "at least 5 different characters"),
        ("ana@example.com", "must not be the account's e-mail address"),
        ("x" * 1025, "longer than 1024"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError, match=message):
        check_password_rules(password, "ana@example.com")


# Ending sessions.


def test_sign_out_everywhere_ends_the_sessions_on_other_devices(make_app, make_user, login):
    app = make_app()
    laptop, phone = app.test_client(), app.test_client()
    user = make_user("counsel")
    login(laptop, user)
    login(phone, user)

    response = laptop.post("/account/sign-out-everywhere")

    assert response.status_code == 302
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302
    login(phone, user)
    assert phone.get("/account").status_code == 200


def test_a_new_password_or_role_ends_existing_sessions(client, make_user, login, session):
    user = make_user("counsel")
    login(client, user)
    set_password(session, user, "another long passphrase", "test")
    session.commit()
    assert client.get("/account").status_code == 302

    login(client, user, password="another long passphrase")
    update_user(session, session.get(User, user.id), {"role": "viewer"}, "test")
    session.commit()
    assert client.get("/account").status_code == 302


def test_a_name_change_keeps_the_session(client, make_user, login, session):
    user = make_user("counsel")
    login(client, user)
    update_user(session, user, {"name": "Ana"}, "test")
    session.commit()
    assert client.get("/account").status_code == 200


def test_the_account_page_offers_sign_out_everywhere(client, make_user, login):
    login(client, make_user("viewer"))
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r'action="/account/sign-out-everywhere"', page)


# Logging.


def test_a_server_setting_up_logging_again_does_not_double_lines():
    script = (
        "import logging\n"
        "from tracker.logging import configure_logging\n"
        "configure_logging('INFO')\n"
        "logging.basicConfig()\n"  # what Waitress does when it starts
        "logging.getLogger('tracker.probe').info('state changed')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stderr.count("state changed") == 1
    assert "INFO tracker.probe: state changed" in result.stderr


def test_logs_carry_no_address_password_or_token(client, make_user, login, session, caplog):
    from tracker.auth.service import create_token

    caplog.set_level("DEBUG")
    user = make_user("counsel", email="ana.secret@example.com")
    _token, text = create_token(session, user, "test", scope="read-write")
    session.commit()

    fail(client, user.email, 2)
    fail(client, "nobody.secret@example.com", 5)
    login(client, user)
    client.post("/logout")
    client.get("/api/v1/incidents", headers={"Authorization": f"Bearer {text}"})
    client.get("/api/v1/incidents", headers={"Authorization": "Bearer trk_forged_token_text"})

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "signed in" in logged and "Sign-in locked" in logged
    for secret in ("ana.secret", "nobody.secret", PASSWORD, "wrong password", text, "forged"):
        assert secret not in logged


# Uploads and files.


def test_a_body_over_the_upload_limit_is_refused_with_a_page(
    make_app, make_user, make_incident, login
):
    client = make_app(MAX_UPLOAD_MB=1).test_client()
    login(client, make_user("counsel"))
    incident = make_incident()
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    response = client.post(
        f"/incidents/{incident.id}/facts/upload",
        data={"facts_file": (io.BytesIO(big), "facts.json")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 413
    assert response.mimetype == "text/html"


def test_the_instance_folder_is_not_served(client, app):
    (Path(app.instance_path) / "secret_key").write_text("do not serve")
    for url in ("/static/../instance/secret_key", "/static/%2e%2e/secret_key", "/secret_key"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"do not serve" not in response.data
