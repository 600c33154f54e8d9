"""Response metrics from the incident response plan, by severity and by month.

Mean time to detect (occurrence to discovery), to respond (detection to the first move out
of `detected`) and to resolve (detection to resolution), the on-time notice rate, the mean
downtime of outages and the customers affected. The figures follow the Incident model's
time_to_* definitions, read in three queries straight from stored columns and facts, so
that the page does not build and validate every incident's facts. Exercises of the plan
(incidents with is_exercise set) are left out: their figures would distort the real ones.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ..auth import access
from ..facts import SEVERITIES
from ..notice.models import GIVEN_STATUSES, Notice, Obligation
from .display import zone_of
from .models import Incident, StatusChange

# Obligations of the organisation's own policy are targets, not notices the law requires.
POLICY_REGIME = "policy"
NO_SEVERITY = "none"


@dataclass(frozen=True)
class Figures:
    """One incident's measures; None where the facts or the history do not tell."""

    incident_id: int
    severity: str
    month: str
    time_to_detect: timedelta | None
    time_to_respond: timedelta | None
    time_to_resolve: timedelta | None
    downtime: timedelta | None
    affected_customers: int | None
    notices_due: int
    notices_on_time: int


@dataclass(frozen=True)
class Summary:
    """The measures of a group of incidents: all of them, one severity, or one month."""

    label: str
    incidents: int
    time_to_detect: timedelta | None
    time_to_respond: timedelta | None
    time_to_resolve: timedelta | None
    downtime: timedelta | None
    outages: int
    affected_customers: int
    notices_due: int
    notices_on_time: int

    @property
    def on_time_rate(self) -> float | None:
        """The share of notices due that were given by their legal date, 0 to 1."""
        return None if not self.notices_due else self.notices_on_time / self.notices_due


@dataclass(frozen=True)
class Metrics:
    overall: Summary
    by_severity: list[Summary]
    by_month: list[Summary]
    exercises: int
    zone: str


def get_metrics(session: Session, now: datetime, zone: str = "UTC", *, viewer: Any) -> Metrics:
    """The metrics of every incident `viewer` may see that is not an exercise, months counted
    in `zone`. Incidents hidden from the viewer count nowhere, exercises included."""
    incidents, exercises = _incidents(session, viewer)
    changes = _status_changes(session, viewer)
    notices = _notice_counts(session, now, viewer)
    figures = [
        figures_of(row, changes.get(row["id"], []), notices.get(row["id"], (0, 0)), zone)
        for row in incidents
    ]
    return Metrics(
        overall=summarise("All incidents", figures),
        by_severity=_grouped(figures, lambda item: item.severity, [*SEVERITIES, NO_SEVERITY]),
        by_month=_grouped(figures, lambda item: item.month),
        exercises=exercises,
        zone=zone,
    )


def figures_of(
    row: dict[str, Any],
    changes: Sequence[tuple[str | None, str, datetime]],
    notices: Any,
    zone: str,
) -> Figures:
    """One incident's figures from its stored row, status changes (in order) and notices."""
    events = (json.loads(row["facts"]).get("events") or {}) if row["facts"] else {}
    occurred_at = _instant(events.get("occurred_at"))
    resolved_at = _instant(events.get("resolved_at")) or next(
        (at for _from, to, at in changes if to == "resolved"), None
    )
    detected_at = row["discovered_at"] or row["created_at"]
    responded_at = next((at for from_, _to, at in changes if from_ == "detected"), None)
    return Figures(
        incident_id=row["id"],
        severity=row["severity"] or NO_SEVERITY,
        month=detected_at.astimezone(zone_of(zone)).strftime("%Y-%m"),
        time_to_detect=_between(occurred_at, row["discovered_at"]),
        time_to_respond=_between(detected_at, responded_at),
        time_to_resolve=_between(detected_at, resolved_at),
        downtime=_between(occurred_at or detected_at, resolved_at) if _is_outage(row) else None,
        affected_customers=row["affected_customers"],
        notices_due=notices[0],
        notices_on_time=notices[1],
    )


def summarise(label: str, figures: Sequence[Figures]) -> Summary:
    outages = [item.downtime for item in figures if item.downtime is not None]
    return Summary(
        label=label,
        incidents=len(figures),
        time_to_detect=_mean(item.time_to_detect for item in figures),
        time_to_respond=_mean(item.time_to_respond for item in figures),
        time_to_resolve=_mean(item.time_to_resolve for item in figures),
        downtime=_mean(outages),
        outages=len(outages),
        affected_customers=sum(item.affected_customers or 0 for item in figures),
        notices_due=sum(item.notices_due for item in figures),
        notices_on_time=sum(item.notices_on_time for item in figures),
    )


def _grouped(
    figures: Sequence[Figures], key: Any, order: Sequence[str] | None = None
) -> list[Summary]:
    groups: dict[str, list[Figures]] = defaultdict(list)
    for item in figures:
        groups[key(item)].append(item)
    labels = [label for label in order if label in groups] if order else sorted(groups)
    return [summarise(label, groups[label]) for label in labels]


def _is_outage(row: dict[str, Any]) -> bool:
    """An incident that took a service down: an outage, or one that left customers without it."""
    return row["category"] == "outage" or row["customer_impact"] == "unavailable"


def _incidents(session: Session, viewer: Any) -> tuple[list[dict[str, Any]], int]:
    columns = (
        Incident.id,
        Incident.severity,
        Incident.category,
        Incident.customer_impact,
        Incident.affected_customers,
        Incident.discovered_at,
        Incident.created_at,
        Incident.facts_json.label("facts"),
    )
    seen = and_(access.visible_clause(viewer, Incident.id), access.own_clause(Incident.id))
    query = select(*columns).where(Incident.is_exercise.is_(False), seen)
    rows = [dict(row._mapping) for row in session.execute(query)]
    exercises = select(func.count(Incident.id)).where(Incident.is_exercise.is_(True), seen)
    return rows, int(session.scalar(exercises) or 0)


def _status_changes(
    session: Session, viewer: Any
) -> dict[int, list[tuple[str | None, str, datetime]]]:
    query = (
        select(
            StatusChange.incident_id,
            StatusChange.from_status,
            StatusChange.to_status,
            StatusChange.at,
        )
        .where(
            access.visible_clause(viewer, StatusChange.incident_id),
            access.own_clause(StatusChange.incident_id),
        )
        .order_by(StatusChange.id)
    )
    changes: dict[int, list[tuple[str | None, str, datetime]]] = defaultdict(list)
    for incident_id, from_status, to_status, at in session.execute(query):
        changes[incident_id].append((from_status, to_status, at))
    return changes


def _notice_counts(session: Session, now: datetime, viewer: Any) -> dict[int, tuple[int, int]]:
    """Per incident: legal notices due so far, and how many were given by their date.

    A notice is due once its legal date has passed or it was given; an obligation closed as
    not required, or one without a legal date, is not counted.
    """
    first_given = func.min(case((Notice.status.in_(GIVEN_STATUSES), Notice.sent_at)))
    waived = func.max(case((Notice.status == "not_required", 1), else_=0))
    query = (
        select(Obligation.incident_id, Obligation.due_at, first_given, waived)
        .outerjoin(Notice, Notice.obligation_id == Obligation.id)
        .where(
            and_(
                Obligation.is_current.is_(True),
                Obligation.due_at.is_not(None),
                Obligation.regime != POLICY_REGIME,
                access.visible_clause(viewer, Obligation.incident_id),
                access.own_clause(Obligation.incident_id),
            )
        )
        .group_by(Obligation.id, Obligation.incident_id, Obligation.due_at)
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for incident_id, due_at, given_at, not_required in session.execute(query):
        if not_required and given_at is None:
            continue
        if given_at is None and due_at >= now:
            continue
        counts[incident_id][0] += 1
        counts[incident_id][1] += int(given_at is not None and given_at <= due_at)
    return {key: (due, on_time) for key, (due, on_time) in counts.items()}


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _between(start: datetime | None, end: datetime | None) -> timedelta | None:
    return None if start is None or end is None else end - start


def _mean(values: Iterable[timedelta | None]) -> timedelta | None:
    known = [value for value in values if value is not None]
    return None if not known else sum(known, timedelta(0)) / len(known)
