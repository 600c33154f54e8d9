"""When a rule's clock starts: an event (or its stand-in), another notice, or a year end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..facts import Facts
from . import text
from .arithmetic import local_date, year_end
from .vocabulary import (
    EVENT_LABELS,
    NOTICE_PREFIX,
    STAND_INS,
    YEAR_END_PREFIX,
)


@dataclass(frozen=True)
class Clock:
    """The start of a rule's clock, or why it has not started."""

    trigger: str
    start: datetime | None = None
    label: str = ""
    stand_in: str | None = None
    depends_on: str | None = None
    pending_kind: str | None = None
    pending_target: datetime | None = None
    version_day: date | None = None
    reason: str | None = None
    described: str | None = None
    # Phrases already written, by zone and with_time: every rule of an evaluation that counts
    # from the same event shares its clock.
    _phrases: dict[tuple[str, bool], str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def phrase(self, tz: ZoneInfo, with_time: bool) -> str:
        """The start in words: "discovery on 2026-02-09" or "awareness on 2026-03-06 14:00 EST"."""
        if self.described is not None:
            return self.described
        found = self._phrases.get((tz.key, with_time))
        if found is None:
            found = self._phrases[tz.key, with_time] = self._phrase(tz, with_time)
        return found

    def _phrase(self, tz: ZoneInfo, with_time: bool) -> str:
        if self.start is None:
            return self.label
        when = text.moment(self.start, tz) if with_time else text.day(self.start, tz)
        if self.stand_in is not None:
            return f"{self.label} (not recorded; {self.stand_in} on {when} stands for it)"
        return f"{self.label} on {when}"


def event_clock(facts: Facts, event: str, tz: ZoneInfo) -> Clock:
    """The clock of an event, using the earliest stand-in when the event is not recorded."""
    instant = getattr(facts.events, event)
    label = EVENT_LABELS[event]
    if instant is not None:
        return Clock(event, instant, label, version_day=local_date(instant, tz))

    present = [
        (getattr(facts.events, other), other)
        for other in STAND_INS.get(event, ())
        if getattr(facts.events, other) is not None
    ]
    if not present:
        return Clock(event, reason=f"{label} is not recorded yet ({event}); the clock starts then")

    instant, used = min(present)
    return Clock(
        used, instant, label, stand_in=EVENT_LABELS[used], version_day=local_date(instant, tz)
    )


def year_end_clock(facts: Facts, trigger: str, tz: ZoneInfo) -> Clock:
    base = event_clock(facts, trigger.removeprefix(YEAR_END_PREFIX), tz)
    if base.start is None:
        return Clock(trigger, reason=base.reason)

    end = year_end(base.start, tz)
    year = local_date(base.start, tz).year
    described = f"the end of {year} (the year of {base.phrase(tz, with_time=False)})"
    return Clock(
        trigger,
        end,
        "the end of the year",
        version_day=end.astimezone(tz).date(),
        described=described,
    )


def given_notice_clock(trigger: str, given_at: datetime, tz: ZoneInfo) -> Clock:
    key = trigger.removeprefix(NOTICE_PREFIX)
    return Clock(trigger, given_at, f"notice {key} given", version_day=local_date(given_at, tz))


def is_notice(trigger: str) -> bool:
    return trigger.startswith(NOTICE_PREFIX)


def is_year_end(trigger: str) -> bool:
    return trigger.startswith(YEAR_END_PREFIX)
