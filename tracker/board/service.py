"""The deadline board: every open obligation of every incident, soonest deadline first.

An obligation is open while it is current and no notice has met it (sent, acknowledged or
closed as not required). Its deadline is the legal date, else the organisation's policy
target. The board reads one page of rows and one row of counts, each in a single query, so
that it stays fast however many incidents are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from ..auth import access
from ..errors import ValidationError
from ..incident.models import Incident
from ..incident.service import parse_page
from ..notice.models import SETTLED_STATUSES, Notice, Obligation
from ..reminder.models import MailMessage, Reminder

PAGE_SIZE = 50
# The urgency bands, in the board's order: each deadline falls in the first that holds it.
URGENCIES = ("overdue", "day", "three_days", "later", "undated")
URGENCY_LABELS = {
    "overdue": "Overdue",
    "day": "Due within 24 hours",
    "three_days": "Due within 72 hours",
    "later": "Due later",
    "undated": "No date",
}
BANDS = (("day", timedelta(hours=24)), ("three_days", timedelta(hours=72)))
IN_PROGRESS = ("draft", "approved")


@dataclass(frozen=True)
class Filters:
    """What the board is narrowed to; every field is optional."""

    regime: str | None = None
    recipient: str | None = None
    assignee: str | None = None
    incident: str | None = None
    # Whether the incidents imported from public registers of other breaches are shown too.
    imported: bool = False
    page: int = 1
    # Who reads the board: it shows only the obligations of incidents they may see (nobody
    # signed in, when not given: no restricted incident).
    viewer: Any = field(default=None, compare=False)

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments, without the page."""
        names = ("regime", "recipient", "assignee", "incident")
        found = {name: value for name in names if (value := getattr(self, name))}
        if self.imported:
            found["imported"] = "1"
        return found


@dataclass(frozen=True)
class Row:
    """One open obligation as the board lists it."""

    obligation_id: int
    incident_id: int
    reference: str
    title: str
    timezone: str
    assigned_to: str | None
    key: str
    regime: str
    recipient: str
    due_kind: str
    due_at: datetime | None
    target_at: datetime | None
    notice_in_progress: bool
    failed_reminders: int
    # A drill of the response plan: its deadlines are practice, not law.
    is_exercise: bool

    @property
    def deadline_at(self) -> datetime | None:
        return self.due_at or self.target_at

    def urgency(self, now: datetime) -> str:
        return urgency(self.deadline_at, now)


@dataclass(frozen=True)
class Board:
    rows: list[Row]
    total: int
    counts: dict[str, int]
    failed: int
    page: int
    now: datetime
    filters: Filters
    page_size: int = PAGE_SIZE
    options: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def urgency(deadline_at: datetime | None, now: datetime) -> str:
    """The band of a deadline as of `now`: overdue, within 24 h, within 72 h, later, undated."""
    if deadline_at is None:
        return "undated"
    if deadline_at < now:
        return "overdue"
    for band, width in BANDS:
        if deadline_at < now + width:
            return band
    return "later"


def parse_filters(args: Any) -> Filters:
    """Read the board's filters from query arguments; a bad page number is refused by name."""
    text = {
        name: (args.get(name) or "").strip()[:320] or None
        for name in ("regime", "recipient", "assignee", "incident")
    }
    page = parse_page(args.get("page"))
    if text["assignee"]:
        text["assignee"] = text["assignee"].lower()
    return Filters(page=page, imported=_parse_imported(args.get("imported")), **text)


def _parse_imported(value: Any) -> bool:
    """The "include imported records" box: 1 (or on, as a browser sends it), else absent."""
    text = (value or "").strip().lower()
    if text in ("", "0"):
        return False
    if text in ("1", "on"):
        return True
    raise ValidationError(
        f"The imported filter must be 1 or 0, not {text[:40]!r}.",
        {"imported": "expected 1 to include imported records, or 0"},
    )


def get_board(session: Session, filters: Filters, now: datetime) -> Board:
    """One page of the board and its counts by urgency, as of `now`."""
    counts, failed = _counts(session, filters, now)
    total = sum(counts.values())
    dated = total - counts["undated"]
    return Board(
        rows=_page(session, filters, dated, counts["undated"]),
        total=total,
        counts=counts,
        failed=failed,
        page=filters.page,
        now=now,
        filters=filters,
        options=get_options(session, filters.viewer),
        page_size=PAGE_SIZE,
    )


def deadline_expression() -> ColumnElement[Any]:
    """The obligation's deadline in SQL: the legal date, else the policy target.

    The index ix_obligations_board holds this very expression, so that the board reads its
    page in deadline order without sorting every open obligation.
    """
    return func.coalesce(Obligation.due_at, Obligation.target_at)


def open_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The WHERE clauses of an open obligation narrowed by the filters."""
    settled = exists().where(
        Notice.obligation_id == Obligation.id, Notice.status.in_(SETTLED_STATUSES)
    )
    return [*current_conditions(filters), ~settled]


def current_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a current obligation narrowed by the filters, settled or not."""
    conditions: list[ColumnElement[bool]] = [
        Obligation.is_current.is_(True),
        access.visible_clause(filters.viewer, Obligation.incident_id),
        access.own_clause(Obligation.incident_id, filters.imported),
    ]
    if filters.regime:
        conditions.append(Obligation.regime == filters.regime)
    if filters.recipient:
        conditions.append(Obligation.recipient == filters.recipient)
    if filters.assignee:
        conditions.append(Incident.assigned_to == filters.assignee)
    if filters.incident:
        conditions.append(_incident_condition(filters.incident))
    return conditions


def _unindexed_deadline() -> ColumnElement[Any]:
    """The same deadline written so that no index matches it.

    XXX: one incident has a handful of rows, best read through its incident_id index and
    sorted; without table statistics SQLite would walk the whole deadline index instead.
    """
    return func.coalesce(Obligation.due_at, Obligation.target_at, Obligation.due_at)


def _needs_incident(filters: Filters) -> bool:
    return bool(filters.assignee or (filters.incident and not filters.incident.isdigit()))


def _incident_condition(text: str) -> ColumnElement[bool]:
    if text.isdigit():
        return Obligation.incident_id == int(text)
    return Incident.reference == text.upper()


def _failed_reminders() -> Any:
    """Reminders of obligations that failed: no message could be made, or one was refused."""
    failed_message = select(MailMessage.reminder_id).where(MailMessage.status == "failed")
    return and_(
        Reminder.target_kind == "obligation",
        or_(Reminder.status == "failed", Reminder.id.in_(failed_message)),
    )


def _failed_count() -> Any:
    """How many of the obligation's reminders failed."""
    return (
        select(func.count(Reminder.id))
        .where(Reminder.target_id == Obligation.id, _failed_reminders())
        .correlate(Obligation)
        .scalar_subquery()
    )


def _page(session: Session, filters: Filters, dated: int, undated: int) -> list[Row]:
    """The rows of the page: dated obligations by deadline, then the undated ones."""
    offset = (filters.page - 1) * PAGE_SIZE
    rows = _rows(session, filters, offset, dated=True, limit=PAGE_SIZE) if offset < dated else []
    if undated and len(rows) < PAGE_SIZE and offset + PAGE_SIZE > dated:
        undated_offset = max(0, offset - dated)
        rows += _rows(session, filters, undated_offset, dated=False, limit=PAGE_SIZE - len(rows))
    return rows


def _rows(session: Session, filters: Filters, offset: int, dated: bool, limit: int) -> list[Row]:
    deadline = deadline_expression()
    in_progress = exists().where(
        Notice.obligation_id == Obligation.id, Notice.status.in_(IN_PROGRESS)
    )
    query = (
        select(
            Obligation.id,
            Obligation.incident_id,
            Incident.reference,
            Incident.title,
            Incident.timezone,
            Incident.assigned_to,
            Obligation.key,
            Obligation.regime,
            Obligation.recipient,
            Obligation.due_kind,
            Obligation.due_at,
            Obligation.target_at,
            in_progress,
            _failed_count(),
            Incident.is_exercise,
        )
        .join(Incident, Incident.id == Obligation.incident_id)
        .where(*open_conditions(filters))
        .limit(limit)
        .offset(offset)
    )
    if dated:
        order = _unindexed_deadline() if filters.incident else deadline
        query = query.where(deadline.is_not(None)).order_by(order, Obligation.id)
    else:
        query = query.where(deadline.is_(None)).order_by(Obligation.id)
    return [Row(*values) for values in session.execute(query)]


def _counts(session: Session, filters: Filters, now: datetime) -> tuple[dict[str, int], int]:
    """The open obligations in each urgency band, and how many have a failed reminder.

    The current obligations are counted by band in one pass over ix_obligations_open, which
    holds every column the bands read; the few settled ones (a notice met them) are counted
    apart, from the notices, and taken away. Asking of each current obligation whether a
    notice settled it would read every row of the table instead.
    """
    deadline = deadline_expression()
    day, three_days = (now + width for _band, width in BANDS)
    bands = {
        "overdue": deadline < now,
        "day": and_(deadline >= now, deadline < day),
        "three_days": and_(deadline >= day, deadline < three_days),
        "later": deadline >= three_days,
        "undated": deadline.is_(None),
    }
    columns = [func.coalesce(func.sum(case((test, 1), else_=0)), 0) for test in bands.values()]
    current = current_conditions(filters)
    values = session.execute(
        _narrowed(select(*columns, _failed_total(filters)), filters, current)
    ).one()
    settled_ids = (
        select(Notice.obligation_id)
        .where(Notice.status.in_(SETTLED_STATUSES))
        .distinct()
        .subquery("settled")
    )
    settled_query = (
        select(*columns)
        .select_from(settled_ids)
        .join(Obligation, Obligation.id == settled_ids.c.obligation_id)
    )
    settled = session.execute(_narrowed(settled_query, filters, current, joined=True)).one()

    counts = {
        band: int(every) - int(met)
        for band, every, met in zip(bands, values[:-1], settled, strict=True)
    }
    return counts, int(values[-1])


def _failed_total(filters: Filters) -> Any:
    """Open obligations with a failed reminder, read from the few failed reminders."""
    failed = select(Reminder.target_id).where(_failed_reminders())
    query = (
        select(func.count(Obligation.id)).select_from(Obligation).where(Obligation.id.in_(failed))
    )
    return _narrowed(query, filters, joined=True).correlate(None).scalar_subquery()


def _narrowed(
    query: Any,
    filters: Filters,
    conditions: list[ColumnElement[bool]] | None = None,
    joined: bool = False,
) -> Any:
    """`query` over obligations (open ones unless `conditions` are given), joined to incidents
    only when a filter needs them."""
    if not joined:
        query = query.select_from(Obligation)
    if _needs_incident(filters):
        query = query.join(Incident, Incident.id == Obligation.incident_id)
    return query.where(*(open_conditions(filters) if conditions is None else conditions))


def get_options(session: Session, viewer: Any) -> dict[str, list[str]]:
    """The regimes and recipients that the obligations `viewer` may see name, for the filters."""
    seen = access.visible_clause(viewer, Obligation.incident_id)
    return {
        "regime": _distinct_values(session, Obligation.regime, seen),
        "recipient": _distinct_values(session, Obligation.recipient, seen),
    }


def _distinct_values(session: Session, column: Any, seen: ColumnElement[bool]) -> list[str]:
    """The column's distinct values among the rows `seen` keeps, in order, one index probe
    per value.

    A recursive query asks for the smallest value greater than the last one found, so that
    its cost grows with the few distinct values, not with the many rows.
    """
    skip = select(func.min(column).label("value")).where(seen).cte("skip", recursive=True)
    following = select(func.min(column)).where(column > skip.c.value, seen).scalar_subquery()
    skip = skip.union_all(select(following).where(skip.c.value.is_not(None)))
    query = select(skip.c.value).where(skip.c.value.is_not(None)).order_by(skip.c.value)
    return list(session.scalars(query))
