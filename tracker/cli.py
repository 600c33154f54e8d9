"""The `tracker` command line: one program, one subcommand per job."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from .errors import TrackerError


class TrackerGroup(click.Group):
    """Turn the product's own errors into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)
        except click.UsageError as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(2)
        except SQLAlchemyError as exc:
            first_line = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            click.echo(
                f"error: The database did not answer or refused the operation: {first_line}",
                err=True,
            )
            sys.exit(2)


@click.group(cls=TrackerGroup)
def main() -> None:
    """Breach-notification deadline tracker."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Leave the reminder scheduler out.")
def serve(host: str, port: int, no_scheduler: bool) -> None:
    """Migrate the database if needed and serve the web application.

    The server is Waitress: a pure-Python, multi-threaded production WSGI server that needs
    no compiler and runs the same on every platform, which suits a single-machine tool.
    Larger deployments run `tracker scheduler` on its own and any WSGI server of their
    choice in front of `tracker:create_app()`.
    """
    import waitress

    from . import create_app
    from .config import load_config, served_base_url
    from .db import upgrade_database

    upgrade_database(load_config()["DATABASE_URL"])
    base_url = served_base_url(host, port)
    app = create_app({"BASE_URL": base_url} if base_url else None)
    _announce_setup_link(app)

    start_scheduler = app.extensions.get("tracker.start_scheduler")
    if start_scheduler is not None and not no_scheduler:
        start_scheduler(app)

    click.echo(f"Serving on http://{host}:{port}", err=True)
    click.echo(f"Links in mail and calendars use {app.config['TRACKER_BASE_URL']}", err=True)
    waitress.serve(app, host=host, port=port, threads=8, ident="tracker")


def _announce_setup_link(app: Any) -> None:
    """When no user exists, print one line with a one-time link to create the administrator."""
    from .auth.service import SETUP_LINK_HOURS, create_setup_token, has_users
    from .db import transaction

    with transaction(app.extensions["tracker.sessions"]) as session:
        if has_users(session):
            return
        token = create_setup_token(session)

    base_url = str(app.config["TRACKER_BASE_URL"])
    click.echo(
        f"No user exists yet: open {base_url.rstrip('/')}/setup/{token} within "
        f"{SETUP_LINK_HOURS} hours to create the first administrator."
    )


@main.group(cls=TrackerGroup)
def db() -> None:
    """The database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    from .config import load_config
    from .db import upgrade_database

    revision = upgrade_database(load_config()["DATABASE_URL"])
    click.echo(f"The database is at revision {revision}.")


@main.group(cls=TrackerGroup)
def users() -> None:
    """User accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, help="administrator, counsel, responder or viewer.")
@click.option("--name", default="", help="The name shown in the application.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Add a user with a role; asks for the password twice unless --password-stdin."""
    from .auth.passwords import check_password_rules
    from .auth.service import create_user
    from .db import transaction

    password = _read_password(password_stdin)
    check_password_rules(password, email)

    with _open_database() as sessions, transaction(sessions) as session:
        user = create_user(session, email, role, password, "command line", name=name)
    click.echo(f"Created user {user.id} <{user.email}> with the role {user.role}.")


@users.command("list")
def users_list() -> None:
    """Every user: id, e-mail, role, whether active, and name."""
    from .auth.service import get_all_users
    from .db import transaction

    with _open_database() as sessions, transaction(sessions) as session:
        rows = [
            (u.id, u.email, u.role, "active" if u.is_active else "disabled", u.name)
            for u in get_all_users(session)
        ]
    if not rows:
        click.echo("No users yet.")
    for row in rows:
        click.echo("\t".join(str(value) for value in row))


@users.command("set-role")
@click.argument("email")
@click.argument("role")
def users_set_role(email: str, role: str) -> None:
    """Give the user another role (administrator, counsel, responder or viewer); ends sessions."""
    from .auth.service import get_user_by_email, update_user
    from .db import transaction

    with _open_database() as sessions, transaction(sessions) as session:
        user = get_user_by_email(session, email)
        update_user(session, user, {"role": role}, "command line")
        click.echo(f"User {user.id} <{user.email}> now has the role {user.role}.")


@users.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Disable the account: its sessions end and its API tokens are revoked."""
    from .auth.service import get_tokens, get_user_by_email, revoke_token, update_user
    from .db import transaction

    with _open_database() as sessions, transaction(sessions) as session:
        user = get_user_by_email(session, email)
        update_user(session, user, {"is_active": False}, "command line")
        revoked = [t for t in get_tokens(session, user) if t.revoked_at is None]
        for token in revoked:
            revoke_token(session, token, "command line")
        click.echo(
            f"User {user.id} <{user.email}> is disabled: sessions ended, "
            f"{len(revoked)} API token(s) revoked."
        )


@users.command("enable")
@click.argument("email")
def users_enable(email: str) -> None:
    """Enable a disabled account again (its revoked tokens stay revoked)."""
    from .auth.service import get_user_by_email, update_user
    from .db import transaction

    with _open_database() as sessions, transaction(sessions) as session:
        user = get_user_by_email(session, email)
        update_user(session, user, {"is_active": True}, "command line")
        click.echo(f"User {user.id} <{user.email}> is enabled.")


@users.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_reset_password(email: str, password_stdin: bool) -> None:
    """Set a new password (asked twice unless --password-stdin); ends every session."""
    from .auth.passwords import check_password_rules
    from .auth.service import get_user_by_email, set_password
    from .db import transaction

    with _open_database() as sessions, transaction(sessions) as session:
        user = get_user_by_email(session, email)
    password = _read_password(password_stdin)
    check_password_rules(password, user.email)
    with _open_database() as sessions, transaction(sessions) as session:
        user = get_user_by_email(session, email)
        set_password(session, user, password, "command line")
        click.echo(f"The password of user {user.id} <{user.email}> is set; sessions ended.")


@users.command("unlock")
@click.argument("email")
def users_unlock(email: str) -> None:
    """Clear the sign-in lockout after too many failed attempts."""
    from . import audit as audit_trail
    from .auth.service import get_user_by_email
    from .auth.throttle import account_key, clear
    from .db import transaction

    with _open_database() as sessions, transaction(sessions) as session:
        user = get_user_by_email(session, email)
        clear(session, account_key(user.email))
        audit_trail.record(session, "command line", "user.unlock", user, None, None)
        click.echo(f"User {user.id} <{user.email}> may sign in again.")


@main.group(cls=TrackerGroup)
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--scope", default="read", show_default=True, help="read or read-write.")
@click.option("--days", default=90, show_default=True, type=int, help="Days until it expires.")
def tokens_create(email: str, scope: str, days: int) -> None:
    """Print a new API token for the user; it is shown this once only."""
    from .auth.service import create_token, get_user_by_email
    from .db import transaction

    with _open_database() as sessions, transaction(sessions) as session:
        user = get_user_by_email(session, email)
        token, text = create_token(session, user, "command line", scope=scope, days=days)

    expires = token.expires_at.date().isoformat() if token.expires_at else "never"
    click.echo(
        f"Token {token.prefix}… ({scope}) expires {expires}; it is shown only now.", err=True
    )
    click.echo(text)


@main.group(cls=TrackerGroup)
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 0 only when no row was altered, inserted or deleted."""
    from .audit.service import verify_chain
    from .db import transaction

    with _open_database(migrate=False) as sessions, transaction(sessions) as session:
        report = verify_chain(session)

    if not report.is_intact:
        click.echo(f"error: The audit trail is broken: {report.problem}.", err=True)
        sys.exit(1)
    rows = "1 row" if report.rows == 1 else f"{report.rows} rows"
    click.echo(f"The audit trail is intact: {rows}, every hash and link checked.")


@contextmanager
def _open_database(migrate: bool = True) -> Iterator[Any]:
    """The configured database's session factory, migrated first unless told otherwise."""
    from .config import load_config
    from .db import make_engine, make_session_factory, upgrade_database

    url = load_config()["DATABASE_URL"]
    if migrate:
        upgrade_database(url)
    engine = make_engine(url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise TrackerError("No password arrived on standard input.")
        return password
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


from .report.commands import keys_group, report_command, verify_command  # noqa: E402

main.add_command(keys_group)
main.add_command(report_command)
main.add_command(verify_command)

from .deadline.command import deadlines_command  # noqa: E402

main.add_command(deadlines_command)

from .reminder.commands import reminders_group, scheduler_command  # noqa: E402

main.add_command(reminders_group)
main.add_command(scheduler_command)

from .importer.commands import import_group  # noqa: E402

main.add_command(import_group)

from .importer.commands import stats_command  # noqa: E402

main.add_command(stats_command)

from .backup import register_commands as register_backup_commands  # noqa: E402

register_backup_commands(main)
