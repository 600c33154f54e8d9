"""Read the Maine Attorney General's online breach notice forms (December 2018 to September 2020).

Every cell of the form is free text typed by the notifying organisation. Dates are read by
tracker.importer.text: a day named without doubt is taken; a range, several dates or a month
without a day give the earliest day with a flag; "Unknown", prose, a missing year or a day
after the form was filed are reported with the row and the reason and never guessed. Counts
are read the same way. Days are read in Maine's time zone (America/New_York), awareness from
the first instant of its day and notices at the last, as for Washington.

A row whose discovery date cannot be read is refused: without it no clock can start. Every
other problem is reported and the row imported with a flag. The form has no identifier, so a
row's key is a digest of its completion time and the organisation's name.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .rows import Event, GivenNotice, SourceRow, end_of_day, start_of_day
from .text import read_count, read_day

SOURCE = "maine-ag"
ZONE = "America/New_York"
COMPLETED = "Completed Date"
NAME = "Entity Name"
DISCOVERED = "Date Breach Discovered"
OCCURRED = "Date(s) Breach Occurred"
NOTIFIED = "Date(s) of consumer notification"
MAINE_COUNT = "Total number of Maine residents affected"
TOTAL_COUNT = "Total number of persons affected (including Maine residents)"
COLUMNS = (COMPLETED, NAME, DISCOVERED, OCCURRED, NOTIFIED, MAINE_COUNT)
INDIVIDUALS = "us-me/individuals"
ATTORNEY_GENERAL = "us-me/attorney_general"

# Sector boxes of the form, in order, with the industry each stands for.
SECTORS = (
    ("Educational", "Education"),
    ("Financial Services", "Finance"),
    ("Governmental Entity in Maine", "Government"),
    ("Other Governmental Entity", "Government"),
    ("Health Care", "Health"),
    ("Not-for-Profit", "Non-Profit/Charity"),
    ("POS Vendor", "POS vendor"),
    ("Other Commercial", "Business"),
)
# Data boxes of the form, with the data category each stands for.
DATA_BOXES = (
    ("Social Security Number", "ssn"),
    ("Driver's license number", "drivers_license"),
    ("Financial account number", "financial_account"),
)


def read(path: Path) -> Iterator[SourceRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        _check_columns(reader.fieldnames or [], path)
        for number, cells in enumerate(reader, start=2):
            raw = {key: (value or "").strip() for key, value in cells.items() if key}
            yield read_row(number, raw)


def _check_columns(names: list[str], path: Path) -> None:
    from ..errors import ValidationError

    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise ValidationError(
            f"The file {path.name} is not a Maine Attorney General breach notice export: it "
            f"has no column {', '.join(repr(name) for name in missing)}.",
            {"file": "expected the columns of the Maine online form"},
        )


def read_row(number: int, raw: dict[str, str]) -> SourceRow:
    key = hashlib.sha256(f"{raw.get(COMPLETED, '')}|{raw.get(NAME, '')}".encode()).hexdigest()
    row = SourceRow(number=number, key=key[:32], raw=raw, regimes=("us-me",))
    row.judged_key = INDIVIDUALS
    filed = _filed(row)
    if filed is None:
        return row

    discovered = _reading_day(row, DISCOVERED, filed, required=True)
    if discovered is None:
        row.refusal = f"{DISCOVERED} could not be read"
        return row

    occurred = _reading_day(row, OCCURRED, filed)
    notified = _reading_day(row, NOTIFIED, filed)
    residents = _reading_count(row, MAINE_COUNT)
    total = _reading_count(row, TOTAL_COUNT)
    row.facts = _facts(row, discovered, occurred, residents, total)
    row.notices = _notices(filed, notified)
    row.timeline = _timeline(occurred, notified, filed)
    row.data = _data(row, discovered, notified, residents)
    return row


def _filed(row: SourceRow) -> date | None:
    text = row.raw.get(COMPLETED, "")
    try:
        return datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p").date()
    except ValueError:
        row.report(COMPLETED, "expected the form's completion time, M/D/YYYY H:MM:SS AM")
        row.refusal = f"{COMPLETED} could not be read"
        return None


def _reading_day(row: SourceRow, column: str, filed: date, required: bool = False) -> date | None:
    text = row.raw.get(column, "")
    if not text and not required:
        return None
    reading = read_day(text, latest=filed)
    if reading.problem is not None:
        row.report(column, reading.problem)
        return None
    for flag in reading.flags:
        row.flags.append(f"{column}: {flag}")
    return reading.value  # type: ignore[return-value]


def _reading_count(row: SourceRow, column: str) -> int | None:
    text = row.raw.get(column, "")
    if not text:
        row.flags.append(f"{column}: empty")
        return None
    reading = read_count(text)
    if reading.problem is not None:
        row.report(column, reading.problem)
        return None
    for flag in reading.flags:
        row.flags.append(f"{column}: {flag}")
    return reading.value  # type: ignore[return-value]


def _facts(
    row: SourceRow,
    discovered: date,
    occurred: date | None,
    residents: int | None,
    total: int | None,
) -> dict[str, Any]:
    instant = start_of_day(discovered, ZONE).isoformat()
    events = {"discovered_at": instant, "aware_at": instant}
    if occurred is not None and occurred <= discovered:
        events["occurred_at"] = start_of_day(occurred, ZONE).isoformat()
    elif occurred is not None:
        row.flags.append(f"{OCCURRED} falls after {DISCOVERED}: not used as the occurrence")

    name = row.raw.get(NAME, "")[:300] or f"Maine AG form, row {row.number}"
    industry = _industry(row.raw)
    tags = ["source:maine-ag"] + ([f"industry:{industry}"] if industry else [])
    data: dict[str, Any] = {"categories": _categories(row.raw)}
    if total is not None:
        data["records"] = total
    facts: dict[str, Any] = {
        "format": "incident-facts/1",
        "incident": {"title": name, "description": "Maine Attorney General form.", "tags": tags},
        "timezone": ZONE,
        "events": events,
        "data": data,
    }
    if residents is not None:
        facts["affected"] = {"US-ME": residents}
    return facts


def _is_true(value: str) -> bool:
    return value.strip().lower() == "true"


def _industry(raw: dict[str, str]) -> str | None:
    for prefix, industry in SECTORS:
        if any(_is_true(value) for name, value in raw.items() if name.startswith(prefix)):
            return industry
    return None


def _categories(raw: dict[str, str]) -> list[str]:
    return [
        category
        for prefix, category in DATA_BOXES
        if any(_is_true(value) for name, value in raw.items() if name.startswith(prefix))
    ]


def _notices(filed: date, notified: date | None) -> list[GivenNotice]:
    notices = []
    if notified is not None:
        notices.append(
            GivenNotice(
                key=INDIVIDUALS,
                sent_at=end_of_day(notified, ZONE),
                reference="Maine AG form",
                description=f"Notice to Maine residents ({NOTIFIED} of the form).",
            )
        )
    notices.append(
        GivenNotice(
            key=ATTORNEY_GENERAL,
            sent_at=end_of_day(filed, ZONE),
            reference="Maine AG online form",
            description="The Maine Attorney General's online breach notice form, completed.",
        )
    )
    return notices


def _timeline(occurred: date | None, notified: date | None, filed: date) -> list[Event]:
    events = []
    if occurred is not None:
        events.append(Event(start_of_day(occurred, ZONE), "note", "The breach occurred."))
    if notified is not None:
        events.append(
            Event(end_of_day(notified, ZONE), "communication", "Maine residents notified.")
        )
    events.append(
        Event(end_of_day(filed, ZONE), "communication", "Maine Attorney General form completed.")
    )
    return events


def _data(
    row: SourceRow, discovered: date, notified: date | None, residents: int | None
) -> dict[str, Any]:
    return {
        "industry": _industry(row.raw),
        "aware_on": discovered.isoformat(),
        "notified_on": None if notified is None else notified.isoformat(),
        "affected": residents,
        "zone": ZONE,
    }
