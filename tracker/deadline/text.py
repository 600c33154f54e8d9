"""How instants and periods read in a basis sentence."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=4096)
def moment(instant: datetime, tz: ZoneInfo) -> str:
    """An instant in the rule's zone: 2026-03-06 14:00 EST."""
    local = instant.astimezone(tz)
    return (
        f"{local.year:04d}-{local.month:02d}-{local.day:02d} "
        f"{local.hour:02d}:{local.minute:02d} {local.tzname()}"
    )


@lru_cache(maxsize=4096)
def day(instant: datetime, tz: ZoneInfo) -> str:
    """The local date of an instant: 2026-03-06."""
    local = instant.astimezone(tz)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"


def weekday_date(instant: datetime, tz: ZoneInfo) -> str:
    """The local date with its weekday: Saturday 2026-04-11."""
    return instant.astimezone(tz).strftime("%A %Y-%m-%d")


def slug(text: str) -> str:
    """A contract party as it appears in an obligation key: "Acme Corp." -> "acme-corp"."""
    parts = "".join(
        char if char.isascii() and char.isalnum() else " " for char in text.lower()
    ).split()
    return "-".join(parts) or "party"
