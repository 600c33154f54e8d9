"""Daily overdue reminders through the sweep across daylight-saving changes, Europe and US."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tracker.notice.service import get_obligations
from tracker.reminder.service import get_reminders

from .conftest import GDPR, SmtpServer, refresh


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("zone", "discovered", "sweeps", "chain", "first"),
    [
        # Berlin moves to CEST on 2026-03-29: the deadline's 10:00 stays 10:00 local.
        (
            "Europe/Berlin",
            "2026-03-24T10:00:00+01:00",
            ["2026-03-28T09:00:00Z", "2026-03-29T08:00:00Z"],
            [
                ("overdue-1", "2026-03-28T09:00:00+00:00"),
                ("overdue-2", "2026-03-29T08:00:00+00:00"),
                ("overdue-3", "2026-03-30T08:00:00+00:00"),
            ],
            "overdue by 1 day, 2026-03-27 10:00 CET",
        ),
        # Berlin back to CET on 2026-10-25.
        (
            "Europe/Berlin",
            "2026-10-21T10:00:00+02:00",
            ["2026-10-25T09:00:00Z", "2026-10-26T09:00:00Z"],
            [
                ("overdue-1", "2026-10-25T09:00:00+00:00"),
                ("overdue-2", "2026-10-26T09:00:00+00:00"),
                ("overdue-3", "2026-10-27T09:00:00+00:00"),
            ],
            "overdue by 1 day 1 h, 2026-10-24 10:00 CEST",
        ),
        # New York to EDT on 2026-03-08.
        (
            "America/New_York",
            "2026-03-04T10:00:00-05:00",
            ["2026-03-08T14:00:00Z", "2026-03-09T14:00:00Z"],
            [
                ("overdue-1", "2026-03-08T14:00:00+00:00"),
                ("overdue-2", "2026-03-09T14:00:00+00:00"),
                ("overdue-3", "2026-03-10T14:00:00+00:00"),
            ],
            "overdue by 23 h, 2026-03-07 10:00 EST",
        ),
        # New York back to EST on 2026-11-01.
        (
            "America/New_York",
            "2026-10-28T10:00:00-04:00",
            ["2026-11-01T15:00:00Z", "2026-11-02T15:00:00Z"],
            [
                ("overdue-1", "2026-11-01T15:00:00+00:00"),
                ("overdue-2", "2026-11-02T15:00:00+00:00"),
                ("overdue-3", "2026-11-03T15:00:00+00:00"),
            ],
            "overdue by 1 day 1 h, 2026-10-31 10:00 EDT",
        ),
    ],
)
def test_daily_overdue_reminders_keep_the_local_hour_across_dst(
    session: Any,
    make_incident: Callable[..., Any],
    make_user: Callable[..., Any],
    facts: dict[str, Any],
    smtp_server: SmtpServer,
    sweeper: Callable[..., Any],
    clock: Any,
    zone: str,
    discovered: str,
    sweeps: list[str],
    chain: list[tuple[str, str]],
    first: str,
) -> None:
    make_user("counsel", "ana@example.com", timezone=zone)
    facts["timezone"] = zone
    facts["events"] = {"discovered_at": discovered}
    clock(utc(discovered))
    incident = make_incident(facts)

    for instant in sweeps:
        sweeper(utc(instant), SMTP_URL=smtp_server.url)

    refresh(session)
    obligation = {row.key: row for row in get_obligations(session, incident)}[GDPR]
    rows = get_reminders(session, "obligation", obligation.id)
    overdue = [(row.step, row.remind_at.isoformat()) for row in rows if row.kind == "overdue"]
    assert overdue == chain
    statuses = [row.status for row in rows if row.kind == "overdue"]
    assert statuses == ["queued", "queued", "pending"]
    subjects = [str(m["Subject"]) for m in smtp_server.mailbox.messages if GDPR in m["Subject"]]
    # The first overdue reminder falls a local day after the deadline; the time since the
    # deadline is real time, one hour more or less on the day the clocks change.
    assert len(subjects) == 2
    assert subjects[0].endswith(first)
