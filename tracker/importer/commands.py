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


NOTHING_IMPORTED = """Nothing has been imported yet, so there are no figures to show.
Import a records file first, then run tracker stats again:
  tracker import wa-ago FILE.csv                  the Washington Attorney General's records
  tracker import maine-ag FILE.csv                the Maine Attorney General's notices
  tracker import csv FILE.csv --mapping MAP.toml  a register of your own"""


@click.command("stats")
@click.option("--source", help="The imported set, such as wa-ago; every set when left out.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--svg",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the chart of the set to this SVG file (needs --source).",
)
def stats_command(source: str | None, as_json: bool, svg: Path | None) -> None:
    """On time and late by year and industry, days to notify, and the worst delays."""
    import json

    from ..auth import access
    from ..cli import _open_database
    from ..db import transaction
    from ..errors import ValidationError
    from . import stats
    from .chart import timeliness_svg

    with _open_database() as sessions, transaction(sessions) as session:
        figures = stats.figure_sets(session, source, viewer=access.TRACKER)

    if svg is not None:
        if source is None:
            raise ValidationError("--svg draws one set: name it with --source.", {"svg": ""})
        svg.write_text(timeliness_svg(figures[0], f"Notice timeliness: {source}"), "utf-8")
    if as_json:
        click.echo(json.dumps({"sets": figures}, indent=2))
        return
    if not figures:
        click.echo(NOTHING_IMPORTED)
        return
    for figure in figures:
        click.echo(format_figures(figure))


def format_figures(figures: dict[str, Any]) -> str:
    """The figures of one set as plain text for the terminal."""
    totals = figures["totals"]
    days = figures["days_to_notify"]
    share = totals["on_time_share"]
    lines = [
        f"{figures['source']}: {figures['records']} records",
        f"  on time {totals['on_time']}, late {totals['late']}, not judged "
        f"{totals['not_judged']}" + ("" if share is None else f" ({share:.1%} on time)"),
        f"  days from awareness to notice: median {days['median']}, mean {days['mean']}, "
        f"90th percentile {days['p90']}, longest {days['max']} ({days['count']} notices)",
        "  by year:       " + _groups(figures["by_year"]),
        "  by industry:   " + _groups(figures["by_industry"]),
        "  distribution:  "
        + ", ".join(f"{row['days']} d: {row['count']}" for row in figures["distribution"]),
        "  worst delays:",
    ]
    for item in figures["worst_delays"]:
        lines.append(
            f"    {item['days']:>5} d  {item['reference'] or '-':<14} aware {item['aware_on']}, "
            f"notified {item['notified_on']}  {item['title']}"
        )
    return "\n".join(lines)


def _groups(rows: list[dict[str, Any]]) -> str:
    return "; ".join(f"{row['group']} {row['on_time']}/{row['late']}" for row in rows)


@import_group.command("maine-ag")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--all-problems", is_flag=True, help="List every problem, not the first 20.")
def import_maine(file: Path, all_problems: bool) -> None:
    """The Maine Attorney General's online breach notice forms (CSV, 2018 to 2020)."""
    from . import maine

    _run(maine.SOURCE, file, maine.read, all_problems)


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The TOML file that says which column gives which fact.",
)
@click.option("--all-problems", is_flag=True, help="List every problem, not the first 20.")
def import_csv(file: Path, mapping_file: Path, all_problems: bool) -> None:
    """An incident register of your own, read through a mapping file (see the README)."""
    from .mapping import load_mapping, reader

    mapping = load_mapping(mapping_file)
    _run(mapping.name, file, reader(mapping), all_problems)
