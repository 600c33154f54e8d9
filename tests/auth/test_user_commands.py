"""`tracker users` list, set-role, disable, enable, reset-password and unlock."""

from __future__ import annotations

from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.auth.models import LoginThrottle, User
from tracker.auth.service import create_token
from tracker.auth.throttle import account_key
from tracker.cli import main

NEW_PASSWORD = "a much longer new passphrase"


def _actions(session, user_id):
    session.rollback()
    session.expire_all()
    return [
        event.action
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
        if event.object_type == "user" and str(event.object_id) == str(user_id)
    ]


def _user(session, email):
    session.rollback()
    session.expire_all()
    return session.scalars(select(User).where(User.email == email)).one()


def test_list_shows_every_user_with_role_and_state(runner, make_user):
    make_user("counsel", "ana@example.com", name="Ana")
    make_user("viewer", "bo@example.com", name="Bo")
    runner.invoke(main, ["users", "disable", "bo@example.com"])

    result = runner.invoke(main, ["users", "list"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "1\tana@example.com\tcounsel\tactive\tAna\n2\tbo@example.com\tviewer\tdisabled\tBo\n"
    )


def test_set_role_changes_the_role_ends_sessions_and_is_audited(runner, make_user, session):
    user = make_user("viewer", "cy@example.com")
    generation = user.session_generation

    result = runner.invoke(main, ["users", "set-role", "CY@example.com", "responder"])

    assert result.exit_code == 0, result.output
    assert result.output == f"User {user.id} <cy@example.com> now has the role responder.\n"
    changed = _user(session, "cy@example.com")
    assert changed.role == "responder"
    assert changed.session_generation == generation + 1
    assert _actions(session, user.id)[-1] == "user.update"


def test_unknown_email_or_role_is_one_clear_line(runner, make_user, session):
    make_user("viewer", "cy@example.com")

    unknown = runner.invoke(main, ["users", "set-role", "nobody@example.com", "viewer"])
    assert unknown.exit_code == 2
    assert unknown.output == (
        "error: There is no user with the e-mail address 'nobody@example.com'.\n"
    )

    bad_role = runner.invoke(main, ["users", "set-role", "cy@example.com", "boss"])
    assert bad_role.exit_code == 2
    assert bad_role.output == (
        "error: The role 'boss' is not one of administrator, counsel, responder, viewer.\n"
    )
    assert _user(session, "cy@example.com").role == "viewer"

    for command in ("disable", "enable", "reset-password", "unlock"):
        result = runner.invoke(main, ["users", command, "nobody@example.com"], input="x\n")
        assert result.exit_code == 2, command
        assert "no user with the e-mail address 'nobody@example.com'" in result.output


def test_disable_refuses_the_session_and_the_token_then_enable(
    runner, make_user, session, client, login
):
    user = make_user("counsel", "di@example.com")
    _token, text = create_token(session, user, "test setup", scope="read")
    session.commit()
    headers = {"Authorization": f"Bearer {text}"}
    login(client, user)
    assert client.get("/incidents").status_code == 200
    assert client.get("/api/v1/incidents", headers=headers).status_code == 200

    result = runner.invoke(main, ["users", "disable", "di@example.com"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        f"User {user.id} <di@example.com> is disabled: sessions ended, 1 API token(s) revoked.\n"
    )
    page = client.get("/incidents")
    assert page.status_code == 302
    assert "/login" in page.headers["Location"]
    assert client.get("/api/v1/incidents", headers=headers).status_code == 401
    assert login(client, user).status_code != 302
    assert _actions(session, user.id)[-1] == "user.update"

    enabled = runner.invoke(main, ["users", "enable", "di@example.com"])
    assert enabled.exit_code == 0, enabled.output
    assert _user(session, "di@example.com").is_active is True
    assert login(client, user).status_code == 302
    # The revoked token stays revoked.
    assert client.get("/api/v1/incidents", headers=headers).status_code == 401


def test_reset_password_applies_the_rules_and_ends_sessions(runner, make_user, session, client):
    user = make_user("viewer", "pw@example.com")
    generation = user.session_generation

    short = runner.invoke(
        main, ["users", "reset-password", "pw@example.com", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 2
    assert short.output.startswith("error: ")
    assert "12" in short.output

    result = runner.invoke(
        main,
        ["users", "reset-password", "pw@example.com", "--password-stdin"],
        input=NEW_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert _user(session, "pw@example.com").session_generation == generation + 1
    assert _actions(session, user.id)[-1] == "user.password"
    signed_in = client.post("/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_unlock_clears_the_lockout_and_is_audited(runner, make_user, session, client, login):
    user = make_user("viewer", "lo@example.com")
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "wrong password!!"})
    assert login(client, user).status_code == 429

    result = runner.invoke(main, ["users", "unlock", "lo@example.com"])

    assert result.exit_code == 0, result.output
    assert result.output == f"User {user.id} <lo@example.com> may sign in again.\n"
    session.rollback()
    session.expire_all()
    key = account_key("lo@example.com")
    assert session.scalars(select(LoginThrottle).where(LoginThrottle.key == key)).all() == []
    assert _actions(session, user.id)[-1] == "user.unlock"
    assert login(client, user).status_code == 302
