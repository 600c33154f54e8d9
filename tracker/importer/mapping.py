"""Import an organisation's own incident register (CSV) through a small mapping file.

The mapping is TOML. It names the set, the column that identifies a row, the time zone of
dates written without a time, and which column gives which fact:

    source = "acme-register"
    key = "Ref"
    timezone = "Europe/London"
    date_format = "%d/%m/%Y"          # optional; ISO 8601 dates when left out
    regimes = ["gdpr", "uk-gdpr"]     # optional; every regime the facts give rise to if left out

    [columns]
    title = "Summary"
    discovered_at = "Found"
    occurred_at = "Started"
    severity = "Severity"
    tags = ["Business unit"]
    "affected.GB" = "UK people"
    "data.categories" = "Data"        # a comma-separated list of facts categories

    [notices]
    "uk-gdpr/supervisory_authority" = "ICO notified"

    [facts]                           # optional; facts every row shares
    organisation = { roles = ["controller"] }

A date without a time is read as that day in the mapping's zone: events from its first
instant, notices at its last (every doubt against the organisation, as for the public
registers). A row whose facts are not valid is refused with the facts format's own message.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import FactsError, ValidationError
from ..facts import EVENTS, parse_facts
from .rows import Event, GivenNotice, SourceRow, end_of_day, start_of_day
from .text import read_count

INCIDENT_FIELDS = ("title", "description", "severity", "category", "cause", "status")
KNOWN_KEYS = {"source", "key", "timezone", "date_format", "regimes", "columns", "notices", "facts"}


@dataclass(frozen=True)
class Mapping:
    """A validated mapping file."""

    source: str
    key: str
    timezone: str
    columns: dict[str, Any]
    notices: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    date_format: str | None = None
    regimes: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        return f"csv:{self.source}"

    def needed_columns(self) -> list[str]:
        names = [self.key]
        for value in self.columns.values():
            names.extend(value if isinstance(value, list) else [value])
        names.extend(self.notices.values())
        return names


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; every mistake is named with its key."""
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(
            f"The mapping {path.name} cannot be read: {exc}.", {"mapping": "expected TOML"}
        ) from None

    unknown = sorted(set(document) - KNOWN_KEYS)
    if unknown:
        raise _mapping_error(
            path, unknown[0], f"is not a mapping key ({', '.join(sorted(KNOWN_KEYS))})"
        )
    for name in ("source", "key", "timezone"):
        if not isinstance(document.get(name), str) or not document[name].strip():
            raise _mapping_error(path, name, "is required and must be text")
    _check_zone(path, document["timezone"])
    columns = document.get("columns") or {}
    _check_columns(path, columns)
    notices = document.get("notices") or {}
    if not isinstance(notices, dict) or not all(isinstance(v, str) for v in notices.values()):
        raise _mapping_error(path, "notices", "must map obligation keys to column names")
    regimes = document.get("regimes")
    return Mapping(
        source=document["source"].strip(),
        key=document["key"],
        timezone=document["timezone"],
        columns=columns,
        notices=notices,
        facts=document.get("facts") or {},
        date_format=document.get("date_format"),
        regimes=None if regimes is None else tuple(regimes),
    )


def _mapping_error(path: Path, key: str, problem: str) -> ValidationError:
    return ValidationError(f"The mapping {path.name}: {key} {problem}.", {key: problem})


def _check_zone(path: Path, zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _mapping_error(path, "timezone", f"{zone!r} is not an IANA time zone") from None


def _check_columns(path: Path, columns: Any) -> None:
    if not isinstance(columns, dict) or "title" not in columns:
        raise _mapping_error(path, "columns", "must be a table naming at least the title column")
    for fact, column in columns.items():
        if not _is_known_fact(fact):
            raise _mapping_error(
                path,
                f"columns.{fact}",
                "is not a fact this import fills (incident fields, tags, events such as "
                "discovered_at, affected.CODE, data.records, data.categories)",
            )
        wanted_list = fact == "tags"
        if wanted_list != isinstance(column, list):
            shape = "a list of column names" if wanted_list else "one column name"
            raise _mapping_error(path, f"columns.{fact}", f"must be {shape}")


def _is_known_fact(fact: str) -> bool:
    return (
        fact in INCIDENT_FIELDS
        or fact in EVENTS
        or fact in ("tags", "data.records", "data.categories")
        or fact.startswith("affected.")
    )


def reader(mapping: Mapping) -> Callable[[Path], Iterator[SourceRow]]:
    """A reader of CSV files laid out as `mapping` says."""

    def read(path: Path) -> Iterator[SourceRow]:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = csv.DictReader(handle)
            missing = [
                name for name in mapping.needed_columns() if name not in (rows.fieldnames or [])
            ]
            if missing:
                raise ValidationError(
                    f"The file {path.name} has no column {missing[0]!r}, which the mapping names.",
                    {"file": f"expected the column {missing[0]!r}"},
                )
            for number, cells in enumerate(rows, start=2):
                raw = {key: (value or "").strip() for key, value in cells.items() if key}
                yield read_row(mapping, number, raw)

    return read


def read_row(mapping: Mapping, number: int, raw: dict[str, str]) -> SourceRow:
    row = SourceRow(number=number, key=raw.get(mapping.key, ""), raw=raw)
    row.regimes = mapping.regimes or ()
    if not row.key:
        row.report(mapping.key, "empty: the row has no key", flag=False)
        row.refusal = "no key"
        return row
    try:
        document = _facts(mapping, row)
        row.notices = _notices(mapping, row)
        parse_facts(document)
    except (ValueError, FactsError) as exc:
        row.refusal = str(getattr(exc, "message", exc))
        row.report("facts", row.refusal, flag=False)
        return row

    row.facts = document
    row.judged_key = next(iter(mapping.notices), None)
    row.timeline = [
        Event(given.sent_at, "communication", given.description) for given in row.notices
    ]
    row.data = {
        "industry": None,
        "aware_on": None,
        "notified_on": None if not row.notices else row.notices[0].sent_at.date().isoformat(),
        "zone": mapping.timezone,
    }
    return row


def _facts(mapping: Mapping, row: SourceRow) -> dict[str, Any]:
    document: dict[str, Any] = {
        **mapping.facts,
        "format": "incident-facts/1",
        "timezone": mapping.timezone,
        "incident": dict(mapping.facts.get("incident", {})),
        "events": dict(mapping.facts.get("events", {})),
    }
    for fact, column in mapping.columns.items():
        _fill(document, mapping, row, fact, column)
    document["incident"].setdefault("tags", [])
    document["incident"]["tags"] = [f"source:{mapping.name}", *document["incident"]["tags"]]
    return document


def _fill(
    document: dict[str, Any], mapping: Mapping, row: SourceRow, fact: str, column: Any
) -> None:
    if fact == "tags":
        tags = [f"{name}:{row.raw[name]}" for name in column if row.raw.get(name)]
        document["incident"]["tags"] = tags
        return
    value = row.raw.get(column, "")
    if not value:
        return
    if fact in INCIDENT_FIELDS:
        document["incident"][fact] = value
    elif fact in EVENTS:
        document["events"][fact] = _instant(mapping, column, value, end=False).isoformat()
    elif fact.startswith("affected."):
        document.setdefault("affected", {})[fact.removeprefix("affected.")] = _count(column, value)
    elif fact == "data.records":
        document.setdefault("data", {})["records"] = _count(column, value)
    elif fact == "data.categories":
        categories = [part.strip() for part in value.split(",") if part.strip()]
        document.setdefault("data", {})["categories"] = categories


def _count(column: str, value: str) -> int:
    reading = read_count(value)
    if reading.problem is not None or reading.flags:
        raise ValueError(f"{column}: {reading.problem or 'an approximate count'} in {value!r}")
    return int(reading.value)  # type: ignore[arg-type]


def _notices(mapping: Mapping, row: SourceRow) -> list[GivenNotice]:
    notices = []
    for key, column in mapping.notices.items():
        value = row.raw.get(column, "")
        if value:
            notices.append(
                GivenNotice(
                    key=key,
                    sent_at=_instant(mapping, column, value, end=True),
                    reference=f"{mapping.source} {row.key}",
                    description=f"Notice given ({column} of the register).",
                )
            )
    return notices


def _instant(mapping: Mapping, column: str, value: str, end: bool) -> datetime:
    """An instant from a cell: a day in the mapping's zone, or a time with or without offset."""
    try:
        if mapping.date_format:
            parsed = datetime.strptime(value, mapping.date_format)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        expected = mapping.date_format or "an ISO 8601 date such as 2024-03-05"
        raise ValueError(f"{column}: {value!r} is not a date as {expected}") from None

    if parsed.tzinfo is not None:
        return parsed
    if _is_day_only(value, mapping.date_format):
        day = date(parsed.year, parsed.month, parsed.day)
        return end_of_day(day, mapping.timezone) if end else start_of_day(day, mapping.timezone)
    return parsed.replace(tzinfo=ZoneInfo(mapping.timezone))


def _is_day_only(value: str, date_format: str | None) -> bool:
    if date_format:
        return not any(code in date_format for code in ("%H", "%I", "%M", "%S"))
    return "T" not in value and " " not in value.strip()
