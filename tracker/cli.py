"""The `tracker` command line: one program, one subcommand per job."""

from __future__ import annotations

import sys

import click

from .errors import TrackerError


class TrackerGroup(click.Group):
    """Turn the product's own errors into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)


@click.group(cls=TrackerGroup)
def main() -> None:
    """Breach-notification deadline tracker."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Leave the reminder scheduler out.")
def serve(host: str, port: int, no_scheduler: bool) -> None:
    """Migrate the database if needed and serve the web application."""
    from . import create_app

    app = create_app()
    app.run(host=host, port=port)


from .report.commands import keys_group, verify_command  # noqa: E402

main.add_command(keys_group)
main.add_command(verify_command)
