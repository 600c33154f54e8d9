"""How the incident pages show instants, durations and the audit history."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..audit.models import AuditEvent

ACTION_LABELS = {
    "incident.create": "Incident opened",
    "incident.facts": "Facts changed",
    "incident.status": "Status changed",
    "incident.impact": "Impact assessment changed",
    "timeline.create": "Timeline entry added",
}
# Paths that the audit snapshot holds but that say nothing to a reader.
QUIET_PREFIXES = ("facts.format",)


@dataclass(frozen=True)
class Change:
    path: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str
    what: str
    changes: list[Change]


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_instant(instant: datetime | None, zone_name: str | None) -> str:
    """An instant as wall time in a zone with the zone's abbreviation: 2026-03-05 09:30 EST."""
    if instant is None:
        return "not given"
    local = instant.astimezone(zone_of(zone_name))
    pattern = "%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M"
    return f"{local.strftime(pattern)} {local.strftime('%Z')}"


def format_duration(duration: timedelta | None) -> str:
    """A duration in days, hours and minutes, such as 4 days 4 h 30 min."""
    if duration is None:
        return "not known yet"
    sign = "minus " if duration < timedelta(0) else ""
    minutes = int(abs(duration).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes or not parts else []
    return sign + " ".join(parts)


def history(events: Iterable[AuditEvent], names: Mapping[int, str], zone: str) -> list[HistoryRow]:
    """The audit rows of an incident as readable lines: who, when, what, before and after.

    Instants among the values are shown as wall time in `zone`, with its abbreviation.
    """
    rows = []
    for event in events:
        name = names.get(event.actor_id) if event.actor_id is not None else None
        who = f"{name} · {event.actor_label}" if name else event.actor_label
        rows.append(
            HistoryRow(
                at=event.at,
                who=who,
                what=ACTION_LABELS.get(event.action, event.action),
                changes=changes(_load(event.before), _load(event.after), zone),
            )
        )
    return rows


def changes(before: Any, after: Any, zone: str = "UTC") -> list[Change]:
    """Every path whose value differs between two snapshots, with both values in words;
    an empty string stands for a value that was not set."""
    old, new = flatten(before), flatten(after)
    paths = list(old) + [path for path in new if path not in old]
    return [
        Change(
            _readable_path(path),
            _in_zone(old.get(path, ""), zone),
            _in_zone(new.get(path, ""), zone),
        )
        for path in paths
        if old.get(path) != new.get(path) and not path.startswith(QUIET_PREFIXES)
    ]


def _in_zone(text: str, zone: str) -> str:
    """An ISO 8601 instant as wall time in `zone`; any other text as it is."""
    if len(text) < 16 or text[4:5] != "-" or "T" not in text:
        return text
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if instant.tzinfo is None:
        return text
    return format_instant(instant, zone)


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A snapshot as dotted paths to words; lists of plain values become one line."""
    if isinstance(value, Mapping):
        flat: dict[str, str] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list) and any(isinstance(item, Mapping | list) for item in value):
        flat = {}
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}.{index + 1}"))
        return flat
    if value is None or value == [] or value == "":
        return {}
    return {prefix: _words(value)}


def _words(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _readable_path(path: str) -> str:
    return path.removeprefix("facts.").replace("_", " ").replace(".", " › ")


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)
