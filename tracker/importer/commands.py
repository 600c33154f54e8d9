"""The `tracker import` commands: one per source format, and one for a mapping file."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from .rows import SourceRow

SHOWN_PROBLEMS = 20


@click.group("import")
def import_group() -> None:
    """Import breach records: public registers, or your own register through a mapping."""


@import_group.command("wa-ago")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--all-problems", is_flag=True, help="List every problem, not the first 20.")
def import_washington(file: Path, all_problems: bool) -> None:
    """The Washington Attorney General's breach notification export (CSV)."""
    from . import washington

    _run(washington.SOURCE, file, washington.read, all_problems)


def _run(
    source: str, file: Path, reader: Callable[[Path], Iterator[SourceRow]], all_problems: bool
) -> None:
    from ..cli import _open_database
    from ..db import transaction
    from .service import file_digest, import_rows

    started = time.perf_counter()
    with _open_database() as sessions, transaction(sessions) as session:
        summary = import_rows(session, source, file.name, file_digest(str(file)), reader(file))
        batch_id = summary.batch.id
    elapsed = time.perf_counter() - started

    _print_problems(summary.problems, all_problems)
    click.echo(
        f"Import {batch_id} of {file.name} ({source}): {summary.batch.rows} rows; "
        f"{summary.imported} imported, of which {summary.flagged} flagged"
        f"{_without(summary.without_incident)}; {summary.refused} refused; "
        f"{summary.duplicates} already imported; {elapsed:.1f} s."
    )


def _without(count: int) -> str:
    if not count:
        return ""
    return f" and {count} kept without an incident (no awareness date)"


def _print_problems(problems: list[Any], everything: bool) -> None:
    shown = problems if everything else problems[:SHOWN_PROBLEMS]
    for problem in shown:
        click.echo(f"  {problem}", err=True)
    if len(problems) > len(shown):
        click.echo(
            f"  ... and {len(problems) - len(shown)} more (--all-problems lists them)", err=True
        )
