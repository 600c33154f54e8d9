"""Bar charts as SVG markup made on the server, for the metrics page and reports.

Each bar carries its label and its value in words as text, and the chart a title and a
description, so that the chart reads without colour or sight; no script or style is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
LABEL_WIDTH = 120
VALUE_WIDTH = 150
BAR = 18
GAP = 8
TOP = 30
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
COLOUR = "#1f4e9c"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its size (None when not known) and its value in words."""

    label: str
    value: float | None
    text: str


def bar_chart(title: str, bars: Sequence[Bar], id_prefix: str, colour: str = COLOUR) -> Markup:
    """A horizontal bar chart; bar lengths are in proportion to the largest value."""
    height = TOP + max(1, len(bars)) * (BAR + GAP) + GAP
    largest = max((bar.value for bar in bars if bar.value), default=0.0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="{FONT}" '
        'font-size="12">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(describe(bars))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="0" y="16" font-weight="bold" fill="#1d2330">{escape(title)}</text>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR + GAP)
        length = round(span * (bar.value or 0) / largest, 1) if largest else 0.0
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end" fill="#1d2330">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 13}" fill="#1d2330">'
            f"{escape(bar.text)}</text>"
        )
    if not bars:
        parts.append(f'<text x="0" y="{TOP + 13}" fill="#5a6272">No data yet.</text>')
    parts.append("</svg>")
    # Every text and attribute value inside was escaped above.
    return Markup("\n".join(parts))  # noqa: S704  # nosec B704


def describe(bars: Sequence[Bar]) -> str:
    """The chart's data in one sentence, for its <desc>."""
    if not bars:
        return "No data yet."
    return "; ".join(f"{bar.label}: {bar.text}" for bar in bars) + "."
