"""The analysis chart as SVG drawn on the server: notices on time and late by year, and the
distribution of days to notify. No script and no external file: the page, the README and a
printed report show the same picture."""

from __future__ import annotations

from html import escape
from typing import Any

WIDTH = 720
PANEL_HEIGHT = 220
MARGIN = 48
ON_TIME = "#2e7d4f"
LATE = "#b3261e"
NEUTRAL = "#3b5b92"


def timeliness_svg(figures: dict[str, Any], title: str) -> str:
    """Both panels in one SVG document, titled and described for screen readers."""
    years = [row for row in figures["by_year"] if row["on_time"] + row["late"]]
    totals = figures["totals"]
    description = (
        f"{totals['on_time']} notices on time and {totals['late']} late; "
        f"median {figures['days_to_notify']['median']} days from awareness to notice."
    )
    height = 2 * PANEL_HEIGHT + 3 * MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    parts += _stacked_years(years, MARGIN)
    parts += _histogram(figures["distribution"], 2 * MARGIN + PANEL_HEIGHT)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _stacked_years(years: list[dict[str, Any]], top: int) -> list[str]:
    parts = [_heading("Notices by year of notice: on time and late", top - 18)]
    parts += _legend(top - 18)
    if not years:
        return parts
    peak = max(row["on_time"] + row["late"] for row in years)
    slot = (WIDTH - 2 * MARGIN) / len(years)
    bar = slot * 0.7
    bottom = top + PANEL_HEIGHT - 20
    scale = (PANEL_HEIGHT - 40) / peak
    parts.append(_axis(bottom))
    for index, row in enumerate(years):
        x = MARGIN + index * slot + (slot - bar) / 2
        late_h = row["late"] * scale
        on_h = row["on_time"] * scale
        parts.append(
            _rect(x, bottom - on_h, bar, on_h, ON_TIME, f"{row['group']}: {row['on_time']} on time")
        )
        parts.append(
            _rect(
                x, bottom - on_h - late_h, bar, late_h, LATE, f"{row['group']}: {row['late']} late"
            )
        )
        total = row["on_time"] + row["late"]
        parts.append(_text(x + bar / 2, bottom - on_h - late_h - 4, str(total), "middle"))
        parts.append(_text(x + bar / 2, bottom + 14, escape(str(row["group"])), "middle"))
    return parts


def _histogram(buckets: list[dict[str, Any]], top: int) -> list[str]:
    parts = [_heading("Days from awareness to notice", top - 18)]
    peak = max((bucket["count"] for bucket in buckets), default=0)
    if not peak:
        return parts
    slot = (WIDTH - 2 * MARGIN) / len(buckets)
    bar = slot * 0.8
    bottom = top + PANEL_HEIGHT - 20
    scale = (PANEL_HEIGHT - 40) / peak
    parts.append(_axis(bottom))
    for index, bucket in enumerate(buckets):
        x = MARGIN + index * slot + (slot - bar) / 2
        h = bucket["count"] * scale
        label = f"{bucket['days']} days: {bucket['count']}"
        parts.append(_rect(x, bottom - h, bar, h, NEUTRAL, label))
        parts.append(_text(x + bar / 2, bottom - h - 4, str(bucket["count"]), "middle"))
        parts.append(_text(x + bar / 2, bottom + 14, escape(bucket["days"]), "middle"))
    return parts


def _legend(y: float) -> list[str]:
    x = WIDTH - MARGIN - 170
    return [
        _rect(x, y - 10, 12, 12, ON_TIME, "on time"),
        _text(x + 16, y, "on time", "start"),
        _rect(x + 80, y - 10, 12, 12, LATE, "late"),
        _text(x + 96, y, "late", "start"),
    ]


def _heading(text: str, y: float) -> str:
    return f'<text x="{MARGIN}" y="{y:.1f}" font-size="14" font-weight="bold">{escape(text)}</text>'


def _axis(y: float) -> str:
    return f'<line x1="{MARGIN}" y1="{y:.1f}" x2="{WIDTH - MARGIN}" y2="{y:.1f}" stroke="#444"/>'


def _rect(x: float, y: float, width: float, height: float, fill: str, label: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{fill}"><title>{escape(label)}</title></rect>'
    )


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{text}</text>'
