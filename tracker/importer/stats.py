"""How fast the notices of an imported set went out: on time and late, days to notify, worst delays.

Each imported record that recorded a notice is judged against the obligation the engine
computed for it: on time when the notice was given no later than the due date, late when
after, and not judged when the engine computed no such obligation (too few residents, a law
not yet in force, no awareness date). Days to notify count calendar days, in the incident's
time zone, from the day of awareness to the day the notice was given.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..auth import access
from ..errors import ValidationError
from ..notice.models import GIVEN_STATUSES, Notice, Obligation
from .models import ImportRecord

# Upper bounds (inclusive) of the buckets of the distribution of days to notify.
BUCKETS = (15, 30, 45, 60, 90, 180, 365)
WORST = 10


@dataclass(frozen=True)
class Judged:
    """One record's notice: when awareness began, when the notice went, and whether in time."""

    reference: str | None
    title: str
    industry: str
    aware_on: date | None
    notified_on: date | None
    due_on: date | None
    verdict: str  # on_time, late or not_judged

    @property
    def days(self) -> int | None:
        if self.aware_on is None or self.notified_on is None:
            return None
        return (self.notified_on - self.aware_on).days

    @property
    def days_late(self) -> int | None:
        if self.verdict != "late" or self.due_on is None or self.notified_on is None:
            return None
        return (self.notified_on - self.due_on).days


def sources(session: Session) -> list[str]:
    """The sources that have imported records, in name order."""
    query = select(ImportRecord.source).distinct().order_by(ImportRecord.source)
    return list(session.scalars(query))


def figure_sets(session: Session, source: str | None, *, viewer: Any) -> list[dict[str, Any]]:
    """The figures of the imported set `source`, or of every set when None, as `viewer` sees
    them; a source never imported is refused by name."""
    known = sources(session)
    if source is not None and source not in known:
        raise ValidationError(
            f"No records of the source {source!r} were imported; imported sources: "
            f"{', '.join(known) or 'none'}.",
            {"source": "expected an imported source"},
        )
    names = [source] if source else known
    return [compute(session, name, viewer=viewer) for name in names]


def compute(session: Session, source: str, *, viewer: Any) -> dict[str, Any]:
    """The figures of one imported set, JSON-ready, over the records of incidents `viewer`
    may see: a record of a hidden incident counts nowhere."""
    judged = judge(session, source, viewer=viewer)
    days = [item.days for item in judged if item.days is not None]
    worst = sorted(
        (item for item in judged if item.days is not None),
        key=lambda item: (-(item.days or 0), item.reference or ""),
    )[:WORST]
    return {
        "source": source,
        "records": len(judged),
        "totals": _verdicts(judged),
        "by_year": _grouped(judged, lambda item: _year(item)),
        "by_industry": _grouped(judged, lambda item: item.industry),
        "days_to_notify": _days_summary(days),
        "distribution": _distribution(days),
        "worst_delays": [_worst_entry(item) for item in worst],
    }


def judge(session: Session, source: str, *, viewer: Any) -> list[Judged]:
    """Every record of `source` that `viewer` may see, its notice judged against its
    obligation."""
    query = (
        select(ImportRecord)
        .where(
            ImportRecord.source == source, access.visible_clause(viewer, ImportRecord.incident_id)
        )
        .options(selectinload(ImportRecord.incident))
        .order_by(ImportRecord.row_number)
    )
    found = _obligations(session, source, viewer)
    return [
        _judge(record, found.get((record.incident_id, record.notice_key)))
        for record in session.scalars(query)
    ]


def _obligations(
    session: Session, source: str, viewer: Any
) -> dict[tuple[int | None, str | None], tuple[datetime | None, datetime | None]]:
    """(incident, key) to (due date, first giving) for the keys the records recorded."""
    first_sent = (
        select(Notice.obligation_id, func.min(Notice.sent_at).label("sent_at"))
        .where(Notice.status.in_(GIVEN_STATUSES))
        .group_by(Notice.obligation_id)
        .subquery()
    )
    query = (
        select(Obligation.incident_id, Obligation.key, Obligation.due_at, first_sent.c.sent_at)
        .join(ImportRecord, ImportRecord.incident_id == Obligation.incident_id)
        .outerjoin(first_sent, first_sent.c.obligation_id == Obligation.id)
        .where(
            ImportRecord.source == source,
            Obligation.key == ImportRecord.notice_key,
            access.visible_clause(viewer, Obligation.incident_id),
        )
    )
    return {(row[0], row[1]): (row[2], row[3]) for row in session.execute(query)}


def _judge(record: ImportRecord, found: tuple[datetime | None, datetime | None] | None) -> Judged:
    incident = record.incident
    zone = ZoneInfo(incident.timezone if incident is not None else record.data.get("zone", "UTC"))
    aware_on = _local(incident.discovered_at, zone) if incident is not None else None
    notified_on = _iso_day(record.data.get("notified_on"))
    due_on, verdict = None, "not_judged"
    if found is not None and found[0] is not None and found[1] is not None:
        due_at, sent_at = found
        due_on, notified_on = _local(due_at, zone), _local(sent_at, zone)
        verdict = "on_time" if sent_at <= due_at else "late"
    return Judged(
        reference=None if incident is None else incident.reference,
        title=incident.title if incident is not None else record.raw.get("Name", ""),
        industry=record.data.get("industry") or "Unknown",
        aware_on=aware_on,
        notified_on=notified_on,
        due_on=due_on,
        verdict=verdict,
    )


def _local(instant: datetime | None, zone: ZoneInfo) -> date | None:
    return None if instant is None else instant.astimezone(zone).date()


def _iso_day(text: str | None) -> date | None:
    return None if not text else date.fromisoformat(text)


def _year(item: Judged) -> str:
    day = item.notified_on or item.aware_on
    return "unknown" if day is None else str(day.year)


def _verdicts(items: list[Judged]) -> dict[str, Any]:
    counts = Counter(item.verdict for item in items)
    judged = counts["on_time"] + counts["late"]
    share = None if not judged else round(counts["on_time"] / judged, 3)
    return {
        "on_time": counts["on_time"],
        "late": counts["late"],
        "not_judged": counts["not_judged"],
        "on_time_share": share,
    }


def _grouped(items: list[Judged], key: Any) -> list[dict[str, Any]]:
    groups: dict[str, list[Judged]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return [
        {"group": name, **_verdicts(group), "median_days": _median(group)}
        for name, group in sorted(groups.items())
    ]


def _median(items: list[Judged]) -> float | None:
    days = [item.days for item in items if item.days is not None]
    return None if not days else statistics.median(days)


def _days_summary(days: list[int]) -> dict[str, Any]:
    if not days:
        return {"count": 0, "median": None, "mean": None, "p90": None, "max": None}
    ordered = sorted(days)
    return {
        "count": len(ordered),
        "median": statistics.median(ordered),
        "mean": round(statistics.fmean(ordered), 1),
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "max": ordered[-1],
    }


def _distribution(days: list[int]) -> list[dict[str, Any]]:
    counts = Counter(_bucket(value) for value in days)
    labels = [_label(index) for index in range(len(BUCKETS) + 1)]
    return [{"days": label, "count": counts[label]} for label in labels]


def _bucket(value: int) -> str:
    for index, upper in enumerate(BUCKETS):
        if value <= upper:
            return _label(index)
    return _label(len(BUCKETS))


def _label(index: int) -> str:
    if index == len(BUCKETS):
        return f"over {BUCKETS[-1]}"
    low = 0 if index == 0 else BUCKETS[index - 1] + 1
    return f"{low}-{BUCKETS[index]}"


def _worst_entry(item: Judged) -> dict[str, Any]:
    entry = asdict(item)
    for name in ("aware_on", "notified_on", "due_on"):
        value = entry[name]
        entry[name] = None if value is None else value.isoformat()
    entry["days"] = item.days
    entry["days_late"] = item.days_late
    return entry
