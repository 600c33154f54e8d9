"""`tracker reminders sweep` and `tracker scheduler`."""

from __future__ import annotations

import json

import click


@click.group("reminders")
def reminders_group() -> None:
    """Reminder and escalation e-mail."""


@reminders_group.command("sweep")
@click.option(
    "--at",
    "at",
    metavar="INSTANT",
    help="Sweep as if the clock read this instant (now or earlier, to catch up).",
)
@click.option(
    "--at-future",
    is_flag=True,
    help="Allow an --at later than now. The sweep sends and records for real: reminders go "
    "out early, are used up and custodians are escalated. Meant for a scratch instance.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what the sweep did as JSON.")
def sweep_command(at: str | None, at_future: bool, as_json: bool) -> None:
    """Queue the reminders that are due, deliver the outbox, and say what happened."""
    from datetime import UTC, datetime

    from .. import create_app
    from ..deadline.command import parse_instant
    from .service import settings
    from .sweep import run_sweep

    instant = parse_instant(at) if at else None
    now = datetime.now(UTC).replace(microsecond=0)
    if instant is not None and instant > now and not at_future:
        raise click.UsageError(
            f"--at {instant.isoformat()} is later than now ({now.isoformat()}); a sweep at a "
            "future instant sends reminders early and records them as sent. Add --at-future "
            "to do so anyway (for a scratch instance only)."
        )
    app = create_app()
    try:
        with app.app_context():
            result = run_sweep(app.extensions["tracker.sessions"], settings(), instant)
    finally:
        app.extensions["tracker.engine"].dispose()

    if as_json:
        click.echo(json.dumps(result.to_dict()))
        return
    delivery = result.delivery
    click.echo(
        f"Swept as of {result.at.isoformat()}: {result.queued} reminder(s) queued, "
        f"{result.skipped} skipped, {result.failed} failed; {result.messages} message(s) "
        f"queued; {delivery.sent} sent, {delivery.kept} kept in the outbox, "
        f"{delivery.retrying} to try again, {delivery.failed} failed."
    )


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the reminder scheduler alone, for deployments with several web workers."""
    from .. import create_app
    from ..config import load_config
    from ..db import upgrade_database
    from .tasks import run_blocking

    upgrade_database(load_config()["DATABASE_URL"])
    app = create_app()
    click.echo("Reminder scheduler running; stop it with Ctrl-C.", err=True)
    run_blocking(app)
