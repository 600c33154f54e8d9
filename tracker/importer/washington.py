"""Read the Washington Attorney General's breach notification records.

The file ("Data Breach Notifications Affecting Washington Residents") has one row per notice
received under RCW 19.255.010(7). Its dates carry a time of 12:00:00 AM that means only "that
day". Each day is read in Washington's time zone (America/Los_Angeles), and every doubt about
the hour is resolved against the organisation:

- the day of awareness (DateAware) is taken from its first instant, 00:00, so that a clock
  starts no later than the record allows and a deadline is never later than the law's;
- the day the notice reached the Attorney General (DateSubmitted) is taken at its last
  instant, 23:59:59.999999, so that a notice never counts as given earlier than it could
  have been.

For day-counted periods (Washington's 45 and 30 days) the choice of hour changes no date:
such a period ends at the end of a day, and a notice given on the last day is on time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .rows import Event, GivenNotice, SourceRow, end_of_day, start_of_day

SOURCE = "wa-ago"
ZONE = "America/Los_Angeles"
NOTICE_KEY = "us-wa/attorney_general"
DATE_FORMAT = "%m/%d/%Y %I:%M:%S %p"
COLUMNS = ("Id", "Name", "DateAware", "DateSubmitted", "WashingtoniansAffected")
CAUSES = {"Cyberattack": "external_attack"}


def read(path: Path) -> Iterator[SourceRow]:
    """Every row of the file as a SourceRow, line numbers counting the header as line 1."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        _check_columns(reader.fieldnames or [], path)
        for number, cells in enumerate(reader, start=2):
            yield read_row(number, {key: (value or "").strip() for key, value in cells.items()})


def _check_columns(names: list[str], path: Path) -> None:
    from ..errors import ValidationError

    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise ValidationError(
            f"The file {path.name} is not a Washington Attorney General export: it has no "
            f"column {', '.join(missing)}.",
            {"file": f"expected the columns {', '.join(COLUMNS)}"},
        )


def read_row(number: int, raw: dict[str, str]) -> SourceRow:
    row = SourceRow(number=number, key=raw.get("Id") or f"line-{number}", raw=raw)
    row.regimes = ("us-wa",)
    if not raw.get("Id"):
        row.refusal = "no Id"
        row.report("Id", "empty: the row has no identity in the file", flag=False)
        return row

    aware = _day(row, "DateAware")
    submitted = _day(row, "DateSubmitted")
    count = _count(row)
    row.data = _data(raw, aware, submitted, count)
    if aware is None:
        row.flags.append("no awareness date (DateAware is empty): no clock can start")
        return row

    row.facts = _facts(raw, aware, count, _window(row, aware))
    row.timeline = _timeline(row, submitted)
    if submitted is not None:
        row.notices.append(
            GivenNotice(
                key=NOTICE_KEY,
                sent_at=end_of_day(submitted, ZONE),
                reference=f"WA AGO record {raw['Id']}",
                description="Received by the Washington Attorney General (DateSubmitted).",
            )
        )
    return row


def _day(row: SourceRow, column: str) -> date | None:
    text = row.raw.get(column, "")
    if not text:
        return None
    try:
        return datetime.strptime(text, DATE_FORMAT).date()
    except ValueError:
        row.report(column, "expected MM/DD/YYYY 12:00:00 AM")
        return None


def _count(row: SourceRow) -> int | None:
    text = row.raw.get("WashingtoniansAffected", "")
    if not text:
        row.flags.append("WashingtoniansAffected is empty: no Washington count to apply")
        return None
    if not text.isdigit():
        row.report("WashingtoniansAffected", "expected a whole number")
        return None
    return int(text)


def _window(row: SourceRow, aware: date) -> tuple[date | None, date | None]:
    start = _day(row, "DateStart")
    end = _day(row, "DateEnd")
    if start is not None and start > aware:
        row.flags.append("DateStart falls after DateAware: not used as the occurrence")
    if start is not None and end is not None and end < start:
        row.flags.append("DateEnd falls before DateStart")
    return start, end


def _facts(
    raw: dict[str, str], aware: date, count: int | None, window: tuple[date | None, date | None]
) -> dict[str, Any]:
    instant = start_of_day(aware, ZONE).isoformat()
    events = {"discovered_at": instant, "aware_at": instant}
    start = window[0]
    if start is not None and start <= aware:
        events["occurred_at"] = start_of_day(start, ZONE).isoformat()

    incident: dict[str, Any] = {
        "title": raw["Name"][:300] or f"Washington AG record {raw['Id']}",
        "description": _description(raw),
        "tags": _tags(raw),
    }
    cause = CAUSES.get(raw.get("DataBreachCause", ""))
    if cause:
        incident["cause"] = cause
    facts: dict[str, Any] = {
        "format": "incident-facts/1",
        "incident": incident,
        "timezone": ZONE,
        "events": events,
    }
    if count is not None:
        facts["affected"] = {"US-WA": count}
    return facts


def _description(raw: dict[str, str]) -> str:
    parts = [f"Washington Attorney General record {raw['Id']}."]
    if raw.get("DataBreachCause"):
        attack = f" ({raw['CyberattackType']})" if raw.get("CyberattackType") else ""
        parts.append(f"Cause: {raw['DataBreachCause']}{attack}.")
    if raw.get("WashingtoniansAffected"):
        parts.append(f"Washingtonians affected: {raw['WashingtoniansAffected']}.")
    return " ".join(parts)


def _tags(raw: dict[str, str]) -> list[str]:
    tags = ["source:wa-ago"]
    for prefix, column in (
        ("industry", "IndustryType"),
        ("business", "BusinessType"),
        ("cause", "DataBreachCause"),
        ("attack", "CyberattackType"),
    ):
        if raw.get(column):
            tags.append(f"{prefix}:{raw[column]}")
    return tags


def _timeline(row: SourceRow, submitted: date | None) -> list[Event]:
    events = []
    for column, text in (
        ("DateStart", "The breach began (DateStart of the Attorney General's record)."),
        ("DateEnd", "The breach ended (DateEnd of the Attorney General's record)."),
    ):
        day = _day(row, column)
        if day is not None:
            events.append(Event(start_of_day(day, ZONE), "note", text))
    if submitted is not None:
        text = "Notice received by the Washington Attorney General (DateSubmitted)."
        events.append(Event(end_of_day(submitted, ZONE), "communication", text))
    return events


def _data(
    raw: dict[str, str], aware: date | None, submitted: date | None, count: int | None
) -> dict[str, Any]:
    published = raw.get("DaysElapsedBeforeNotification", "")
    return {
        "industry": raw.get("IndustryType") or None,
        "attack": raw.get("CyberattackType") or None,
        "cause": raw.get("DataBreachCause") or None,
        "aware_on": None if aware is None else aware.isoformat(),
        "notified_on": None if submitted is None else submitted.isoformat(),
        "affected": count,
        "published_days": int(published) if published.lstrip("-").isdigit() else None,
        "zone": ZONE,
    }
