import hashlib

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from tracker.auth.models import ApiToken, User
from tracker.cli import main
from tracker.resources import data_path

from .conftest import PASSWORD


def test_db_upgrade_reports_the_revision(runner):
    head = ScriptDirectory(str(data_path("migrations"))).get_current_head()
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output == f"The database is at revision {head}.\n"


def test_users_create_with_password_on_stdin(runner, session):
    result = runner.invoke(
        main,
        ["users", "create", "Ana@Example.com", "--role", "counsel", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(User)).one()
    assert result.output == f"Created user {user.id} <ana@example.com> with the role counsel.\n"
    assert user.password_hash.startswith("$argon2id$")


def test_users_create_prompts_twice(runner, session):
    result = runner.invoke(
        main, ["users", "create", "bo@example.com", "--role", "viewer"], input=f"{PASSWORD}\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert session.scalars(select(User.email)).one() == "bo@example.com"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "owner"], PASSWORD, "error: The role 'owner' is not one of"),
        (["--role", "viewer"], "short", "error: The password has 5 characters; it needs at"),
        ([], PASSWORD, "error: Missing option '--role'."),
    ],
)
def test_users_create_refuses_bad_input_in_one_line(runner, session, args, stdin, message):
    result = runner.invoke(
        main, ["users", "create", "a@example.com", *args, "--password-stdin"], input=stdin + "\n"
    )
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert result.output.count("\n") == 1
    assert session.scalars(select(User)).all() == []


def test_users_create_refuses_a_duplicate(runner, make_user):
    make_user("viewer", email="ana@example.com")
    result = runner.invoke(
        main,
        ["users", "create", "ana@example.com", "--role", "viewer", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 2
    assert (
        result.output == "error: A user with the e-mail address ana@example.com already exists.\n"
    )


def test_tokens_create_prints_the_token_once(runner, make_user, session):
    user = make_user("counsel")
    result = runner.invoke(main, ["tokens", "create", user.email, "--scope", "read-write"])
    assert result.exit_code == 0, result.output

    printed = result.stdout.strip()
    token = session.scalars(select(ApiToken)).one()
    assert token.token_hash == hashlib.sha256(printed.encode()).hexdigest()
    assert (token.scope, token.user_id) == ("read-write", user.id)
    assert (token.expires_at - token.created_at).days == 90
    assert "shown only now" in result.stderr


def test_tokens_create_for_unknown_user(runner):
    result = runner.invoke(main, ["tokens", "create", "nobody@example.com"])
    assert result.exit_code == 2
    assert (
        result.output == "error: There is no user with the e-mail address 'nobody@example.com'.\n"
    )


def test_tokens_create_with_bad_days(runner, make_user):
    user = make_user("viewer")
    result = runner.invoke(main, ["tokens", "create", user.email, "--days", "0"])
    assert result.exit_code == 2
    assert result.output == "error: A token lasts from 1 to 3650 days, not 0.\n"


def test_audit_verify_intact_then_tampered(runner, make_user, make_incident, session):
    user = make_user("counsel")
    make_incident(actor=user)

    intact = runner.invoke(main, ["audit", "verify"])
    assert intact.exit_code == 0
    assert intact.output == "The audit trail is intact: 2 rows, every hash and link checked.\n"

    session.execute(text("UPDATE audit_events SET actor_label = 'someone else' WHERE seq = 2"))
    session.commit()
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert broken.output == (
        "error: The audit trail is broken: row 2 does not match its hash: altered.\n"
    )


def test_serve_migrates_and_prints_one_setup_link(tmp_path, monkeypatch, make_app):
    import waitress
    from click.testing import CliRunner

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(options))
    url = f"sqlite:///{tmp_path / 'not-yet' / 'fresh.db'}"
    runner = CliRunner(
        env={"TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE": str(tmp_path / "instance")}
    )

    result = runner.invoke(main, ["serve", "--port", "5077", "--no-scheduler"])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 5077)
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("No user exists yet: open http://127.0.0.1:5077/setup/")
    assert lines[0].endswith(" within 24 hours to create the first administrator.")

    link = lines[0].split("open http://127.0.0.1:5077")[1].split()[0]
    client = make_app(DATABASE_URL=url).test_client()
    assert client.get(link).status_code == 200


def _serve_and_capture(runner, monkeypatch, args):
    import waitress

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(options, app=app))
    result = runner.invoke(main, ["serve", *args, "--no-scheduler"])
    assert result.exit_code == 0, result.output
    return served["app"], result


def test_serve_links_point_to_the_port_served_when_base_url_is_not_set(
    runner, make_user, monkeypatch
):
    from tracker.reminder.service import settings

    monkeypatch.delenv("TRACKER_BASE_URL", raising=False)
    make_user("administrator")
    app, result = _serve_and_capture(runner, monkeypatch, ["--port", "5391"])
    assert app.config["TRACKER_BASE_URL"] == "http://127.0.0.1:5391"
    with app.app_context():
        assert settings()["BASE_URL"] == "http://127.0.0.1:5391"
    assert "Links in mail and calendars use http://127.0.0.1:5391\n" in result.stderr

    app, _ = _serve_and_capture(runner, monkeypatch, ["--host", "::1", "--port", "8443"])
    assert app.config["TRACKER_BASE_URL"] == "http://[::1]:8443"

    import socket

    app, _ = _serve_and_capture(runner, monkeypatch, ["--host", "0.0.0.0", "--port", "5391"])
    assert app.config["TRACKER_BASE_URL"] == f"http://{socket.getfqdn()}:5391"


def test_serve_keeps_a_base_url_set_in_the_environment_or_the_instance_file(
    runner, make_user, monkeypatch, tmp_path
):
    make_user("administrator")
    monkeypatch.setenv("TRACKER_BASE_URL", "https://tracker.example.com")
    app, _ = _serve_and_capture(runner, monkeypatch, ["--port", "5391"])
    assert app.config["TRACKER_BASE_URL"] == "https://tracker.example.com"

    # Set to the very default value, it is still the operator's choice and kept.
    monkeypatch.setenv("TRACKER_BASE_URL", "http://127.0.0.1:5000")
    app, _ = _serve_and_capture(runner, monkeypatch, ["--port", "5391"])
    assert app.config["TRACKER_BASE_URL"] == "http://127.0.0.1:5000"

    monkeypatch.delenv("TRACKER_BASE_URL")
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "tracker.toml").write_text('BASE_URL = "https://holds.example.org"\n')
    app, _ = _serve_and_capture(runner, monkeypatch, ["--port", "5391"])
    assert app.config["TRACKER_BASE_URL"] == "https://holds.example.org"


def test_serve_prints_no_link_once_a_user_exists(runner, make_user, monkeypatch):
    import waitress

    monkeypatch.setattr(waitress, "serve", lambda app, **options: None)
    make_user("administrator")
    result = runner.invoke(main, ["serve", "--no-scheduler"])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_unknown_command_is_one_line(runner):
    result = runner.invoke(main, ["frobnicate"])
    assert result.exit_code == 2
    assert result.output == "error: No such command 'frobnicate'.\n"
