"""The incident's events and deadlines on one time axis, drawn as SVG on the server.

`timeline_svg` takes marks (an instant, a label, a kind) and returns SVG markup that needs no
script, stylesheet or font download, so that the incident page and the PDF report can both
embed it. Each mark has its own row with its time and label written out, so that nothing
overlaps and a screen reader finds every label in the text; the picture carries a title and
a description that say what it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from ..notice.models import Obligation
from .display import format_instant, zone_of
from .forms import EVENT_SHORT_LABELS, STATUS_LABELS
from .models import Incident, StatusChange

WIDTH = 960
MARGIN = 16
AXIS_Y = 44
ROW = 22
LEGEND = 40
MAX_MARKS = 80
LABEL_LIMIT = 70
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

COLOURS = {
    "event": "#1f4e9c",
    "status": "#5a6272",
    "entry": "#5a6272",
    "notice": "#1b6b3a",
    "open": "#c85a00",
    "overdue": "#a4161a",
    "met": "#1b6b3a",
    "policy": "#8a5a00",
}
LEGEND_ITEMS = (
    ("event", "Event of the facts"),
    ("status", "Status change or timeline entry"),
    ("open", "Deadline"),
    ("overdue", "Deadline passed without notice"),
    ("met", "Deadline met"),
    ("notice", "Notice given"),
)
# Tick spacings, smallest first, each with its rough length; the first that keeps the axis
# under nine ticks is used. Ticks of a day or more fall on local midnights, of a month or
# more on the first of the month.
STEPS = (
    (relativedelta(hours=1), timedelta(hours=1)),
    (relativedelta(hours=3), timedelta(hours=3)),
    (relativedelta(hours=6), timedelta(hours=6)),
    (relativedelta(hours=12), timedelta(hours=12)),
    (relativedelta(days=1), timedelta(days=1)),
    (relativedelta(days=2), timedelta(days=2)),
    (relativedelta(weeks=1), timedelta(days=7)),
    (relativedelta(weeks=2), timedelta(days=14)),
    (relativedelta(months=1), timedelta(days=30)),
    (relativedelta(months=3), timedelta(days=91)),
    (relativedelta(months=6), timedelta(days=182)),
    (relativedelta(years=1), timedelta(days=365)),
    (relativedelta(years=5), timedelta(days=1826)),
)


@dataclass(frozen=True)
class Mark:
    """One thing on the axis: an event, a status change, an entry, a deadline or a notice.

    `kind` picks the shape (event, status, entry, deadline, notice); `state` colours a
    deadline: open, overdue, met or policy.
    """

    at: datetime
    label: str
    kind: str
    state: str = ""

    @property
    def colour(self) -> str:
        return COLOURS.get(self.state or self.kind, COLOURS["event"])


def incident_marks(
    incident: Incident, obligations: Iterable[Obligation], now: datetime
) -> list[Mark]:
    """The marks of an incident: its facts' events, status changes, entries and deadlines."""
    events = incident.facts.events
    marks = [
        Mark(instant, EVENT_SHORT_LABELS.get(name, name), "event")
        for name in EVENT_SHORT_LABELS
        if (instant := getattr(events, name, None)) is not None
    ]
    marks += [_status_mark(change) for change in incident.status_changes]
    marks += [Mark(entry.at, _short(entry.text), "entry") for entry in incident.timeline]
    for obligation in obligations:
        marks += _obligation_marks(obligation, now)
    return sorted(marks, key=lambda mark: mark.at)


def _status_mark(change: StatusChange) -> Mark:
    to_status = STATUS_LABELS.get(change.to_status, change.to_status)
    words = f"Status: {to_status}" if change.from_status else f"Opened as {to_status.lower()}"
    return Mark(change.at, words, "status")


def _obligation_marks(obligation: Obligation, now: datetime) -> list[Mark]:
    marks = [
        Mark(notice.sent_at, f"Notice given: {obligation.key}", "notice")
        for notice in obligation.given_notices
        if notice.sent_at is not None
    ]
    deadline = obligation.deadline_at
    if deadline is None:
        return marks
    if obligation.is_settled:
        state = "met"
    elif deadline < now:
        state = "overdue"
    else:
        state = "policy" if obligation.due_at is None else "open"
    what = "Policy target" if obligation.due_at is None else "Due"
    return [*marks, Mark(deadline, f"{what}: {obligation.key}", "deadline", state)]


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= LABEL_LIMIT else line[: LABEL_LIMIT - 1].rstrip() + "…"


def incident_timeline_svg(
    incident: Incident, obligations: Iterable[Obligation], now: datetime, zone: str | None = None
) -> Markup:
    """The incident's timeline picture, times in `zone` (the incident's legal zone by default)."""
    zone = zone or incident.timezone
    marks = incident_marks(incident, obligations, now)
    title = f"Timeline of {incident.reference}: events and deadlines"
    return timeline_svg(marks, zone, title, now=now, id_prefix=f"timeline-{incident.id}")


def timeline_svg(
    marks: Sequence[Mark],
    zone: str,
    title: str,
    now: datetime | None = None,
    id_prefix: str = "timeline",
) -> Markup:
    """SVG markup of `marks` on one time axis, each labelled with its time in `zone`."""
    shown = sorted(marks, key=lambda mark: mark.at)[:MAX_MARKS]
    height = AXIS_Y + ROW * max(1, len(shown)) + LEGEND
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="{FONT}" '
        'font-size="12">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(describe(marks, zone))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    if shown:
        scale = _Scale(shown[0].at, shown[-1].at)
        parts += _axis(scale, zone, height - LEGEND)
        parts += _now_line(scale, now, height - LEGEND)
        parts += [_row(mark, index, scale, zone) for index, mark in enumerate(shown)]
    else:
        parts.append(f'<text x="{MARGIN}" y="{AXIS_Y}" fill="#5a6272">Nothing to show yet.</text>')
    parts += _legend(height - LEGEND + 14)
    parts.append("</svg>")
    # Every text and attribute value inside was escaped above.
    return Markup("\n".join(parts))  # noqa: S704  # nosec B704


def describe(marks: Sequence[Mark], zone: str) -> str:
    """The picture in one sentence, for its <desc>."""
    if not marks:
        return "No events or deadlines are recorded yet."
    ordered = sorted(marks, key=lambda mark: mark.at)
    deadlines = sum(1 for mark in ordered if mark.kind == "deadline")
    overdue = sum(1 for mark in ordered if mark.state == "overdue")
    first = format_instant(ordered[0].at, zone)
    last = format_instant(ordered[-1].at, zone)
    sentence = (
        f"{len(ordered) - deadlines} events and {deadlines} deadlines from {first} to {last}, "
        f"times in {zone}"
    )
    if overdue:
        sentence += f"; {overdue} deadline{'s' if overdue != 1 else ''} passed without notice"
    if len(ordered) > MAX_MARKS:
        sentence += f"; the first {MAX_MARKS} are drawn"
    return sentence + "."


class _Scale:
    """Map instants between `start` and `end` to x positions inside the margins."""

    def __init__(self, start: datetime, end: datetime) -> None:
        span = end - start
        pad = max(span * 0.04, timedelta(minutes=30))
        self.start, self.end = start - pad, end + pad
        self.left, self.right = MARGIN, WIDTH - MARGIN

    def x(self, instant: datetime) -> float:
        fraction = (instant - self.start) / (self.end - self.start)
        return round(self.left + fraction * (self.right - self.left), 1)

    def holds(self, instant: datetime) -> bool:
        return self.start <= instant <= self.end


def ticks(start: datetime, end: datetime, zone: str) -> list[datetime]:
    """Round instants between `start` and `end` in `zone`: hours, midnights, months, years."""
    step, length = next(
        ((step, length) for step, length in STEPS if (end - start) / length <= 8), STEPS[-1]
    )
    first = _round_down(start.astimezone(zone_of(zone)), step)
    found = []
    count = 0
    tick = first
    while tick <= end:
        if tick >= start:
            found.append(tick)
        count += 1
        # Counting from the first tick keeps month ends and wall-clock times from drifting.
        tick = first + step * count
    return found


def _round_down(local: datetime, step: relativedelta) -> datetime:
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if step.years:
        return midnight.replace(month=1, day=1, year=local.year - local.year % step.years)
    if step.months:
        return midnight.replace(day=1, month=local.month - (local.month - 1) % step.months)
    if step.days or step.weeks:
        return midnight
    hour = local.hour - local.hour % (step.hours or 1)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _axis(scale: _Scale, zone: str, bottom: float) -> list[str]:
    parts = [
        f'<line x1="{MARGIN}" y1="{AXIS_Y - 8}" x2="{WIDTH - MARGIN}" y2="{AXIS_Y - 8}" '
        'stroke="#1d2330" stroke-width="1"/>'
    ]
    found = ticks(scale.start, scale.end, zone)
    pattern = _tick_pattern(found)
    for tick in found:
        x = scale.x(tick)
        label = tick.strftime(pattern)
        parts.append(
            f'<line x1="{x}" y1="{AXIS_Y - 12}" x2="{x}" y2="{bottom}" stroke="#d5dae2" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x}" y="{AXIS_Y - 16}" text-anchor="middle" fill="#1d2330">'
            f"{escape(label)}</text>"
        )
    parts.append(f'<text x="{MARGIN}" y="12" fill="#5a6272">Times in {escape(zone)}</text>')
    return parts


def _tick_pattern(found: list[datetime]) -> str:
    gap = found[1] - found[0] if len(found) > 1 else timedelta(days=1)
    if gap < timedelta(days=1):
        return "%m-%d %H:%M"
    if gap < timedelta(days=28):
        return "%Y-%m-%d"
    return "%Y-%m" if gap < timedelta(days=365) else "%Y"


def _now_line(scale: _Scale, now: datetime | None, bottom: float) -> list[str]:
    if now is None or not scale.holds(now):
        return []
    x = scale.x(now)
    return [
        f'<line x1="{x}" y1="{AXIS_Y - 8}" x2="{x}" y2="{bottom}" stroke="#a4161a" '
        'stroke-width="1.5" stroke-dasharray="4 3"/>',
        f'<text x="{x}" y="12" text-anchor="middle" fill="#a4161a">now</text>',
    ]


def _row(mark: Mark, index: int, scale: _Scale, zone: str) -> str:
    x = scale.x(mark.at)
    y = AXIS_Y + ROW * index + ROW / 2
    words = f"{format_instant(mark.at, zone)} · {mark.label}"
    before = x > WIDTH * 0.6
    text_x = round(x - 10 if before else x + 10, 1)
    anchor = "end" if before else "start"
    weight = ' font-weight="bold"' if mark.kind == "deadline" else ""
    return (
        f"<g><title>{escape(words)}</title>"
        f'<line x1="{x}" y1="{AXIS_Y - 8}" x2="{x}" y2="{y}" stroke="{mark.colour}" '
        'stroke-width="0.75" stroke-dasharray="1 3"/>'
        f"{_shape(mark, x, y)}"
        f'<text x="{text_x}" y="{y + 4}" text-anchor="{anchor}" fill="#1d2330"{weight}>'
        f"{escape(words)}</text></g>"
    )


def _shape(mark: Mark, x: float, y: float) -> str:
    colour = mark.colour
    if mark.kind == "deadline":
        points = f"{x},{y - 7} {x + 7},{y} {x},{y + 7} {x - 7},{y}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if mark.kind == "notice":
        return f'<rect x="{x - 5}" y="{y - 5}" width="10" height="10" fill="{colour}"/>'
    if mark.kind in ("status", "entry"):
        return (
            f'<circle cx="{x}" cy="{y}" r="4" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
        )
    return f'<circle cx="{x}" cy="{y}" r="5" fill="{colour}"/>'


def _legend(y: float) -> list[str]:
    parts = []
    x = float(MARGIN)
    for key, words in LEGEND_ITEMS:
        kind = key if key in ("event", "status", "notice") else "deadline"
        sample = Mark(datetime.min, words, kind, "" if kind != "deadline" else key)
        parts.append(_shape(sample, x + 6, y))
        parts.append(f'<text x="{x + 16}" y="{y + 4}" fill="#1d2330">{escape(words)}</text>')
        x += 26 + 6.6 * len(words)
    return parts
