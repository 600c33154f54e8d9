"""`tracker deadlines FACTS.json`: the obligations of a facts file, with no database."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from ..errors import ValidationError
from ..facts import check_year, parse_facts
from . import text
from .arithmetic import zone
from .engine import evaluate
from .model import Evaluation, Obligation


@click.command("deadlines")
@click.argument("facts_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the obligations as JSON.")
@click.option("--at", "at", metavar="INSTANT", help="Count down from this instant (with offset).")
def deadlines_command(facts_file: Path, as_json: bool, at: str | None) -> None:
    """Print who must be notified and by when, with the legal basis of each date."""
    now = parse_instant(at) if at is not None else None
    facts = parse_facts(facts_file.read_text(encoding="utf-8"))
    evaluation = evaluate(facts, now=now)

    if as_json:
        click.echo(json.dumps(evaluation.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_table(evaluation))


def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant with an offset, or a ValidationError naming --at."""
    try:
        instant = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        instant = None
    if instant is None or instant.utcoffset() is None:
        raise ValidationError(
            f"--at must be an ISO 8601 instant with an offset, such as "
            f"2026-03-10T09:00:00-05:00; got {value!r}.",
            {"--at": "expected an instant with an offset"},
        )
    try:
        check_year(instant, value)
    except ValueError as exc:
        raise ValidationError(f"--at {exc}.", {"--at": str(exc)}) from None
    return instant


def render_table(evaluation: Evaluation) -> str:
    """The obligations as readable text: due locally and in UTC, countdown and basis."""
    tz = zone(evaluation.facts.timezone)
    lines = [f"Obligations (times in {tz.key} and UTC)", ""]
    for obligation in evaluation.obligations:
        lines.extend(_obligation_lines(obligation, tz))
        lines.append("")

    if not evaluation.obligations:
        lines.extend(["No notification obligation follows from these facts.", ""])

    lines.append("Not applicable")
    for entry in evaluation.not_applicable:
        lines.append(f"  {entry.key or entry.regime}: {entry.reason}")
    return "\n".join(lines)


def _obligation_lines(obligation: Obligation, tz: object) -> list[str]:
    lines = [f"{obligation.key}  [{obligation.citation}]"]
    lines.append(f"  due:    {_due(obligation, tz)}")
    status = _status(obligation)
    if status:
        lines.append(f"  status: {status}")
    lines.append(f"  basis:  {obligation.basis}")
    if obligation.target_basis:
        lines.append(f"  target: {obligation.target_basis}")
    if obligation.depends_on:
        lines.append(f"  after:  notice {obligation.depends_on} (not given yet)")
    return lines


def _due(obligation: Obligation, tz: object) -> str:
    if obligation.due is None:
        labels = {"tolled": "held (law-enforcement delay)", "without_undue_delay": "no legal date"}
        return f"{labels.get(obligation.due_kind, obligation.due_kind)}; without undue delay"
    local = text.moment(obligation.due, tz)  # type: ignore[arg-type]
    return f"{local}  ({obligation.due.strftime('%Y-%m-%d %H:%M UTC')})"


def _status(obligation: Obligation) -> str:
    if obligation.given_at is not None:
        return f"given {obligation.given_at.isoformat()}"
    if obligation.remaining_seconds is None:
        return ""
    span = _span(abs(obligation.remaining_seconds))
    return f"overdue by {span}" if obligation.is_overdue else f"{span} left"


def _span(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours:02d}h"
    return f"{hours}h {minutes:02d}m"
