"""Reminder rows kept in step with obligations: computed, moved, cancelled, overridden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tracker.incident.service import update_facts
from tracker.notice import lifecycle
from tracker.notice.service import get_obligations
from tracker.reminder.models import Reminder
from tracker.reminder.service import get_reminders, save_policy

from .conftest import GDPR


def reminders_of(session: Any, obligation: Any) -> list[tuple[str, str, str]]:
    return [
        (row.step, row.remind_at.isoformat(), row.status)
        for row in get_reminders(session, "obligation", obligation.id)
    ]


def find(session: Any, incident: Any, key: str) -> Any:
    return {row.key: row for row in get_obligations(session, incident)}[key]


def test_reminders_are_computed_with_the_obligations(
    session: Any, make_incident: Callable[..., Any], clock: Any
) -> None:
    incident = make_incident()

    assert reminders_of(session, find(session, incident, GDPR)) == [
        ("half", "2026-03-07T02:30:00+00:00", "pending"),
        ("24h", "2026-03-07T14:30:00+00:00", "pending"),
        ("4h", "2026-03-08T10:30:00+00:00", "pending"),
        ("1h", "2026-03-08T13:30:00+00:00", "pending"),
        ("due", "2026-03-08T14:30:00+00:00", "pending"),
        ("overdue-1", "2026-03-09T14:30:00+00:00", "pending"),
    ]


def test_reminders_already_past_when_computed_are_skipped_not_sent(
    session: Any, make_incident: Callable[..., Any], clock: Any
) -> None:
    # At 15:00 the 15-minute response target (14:45) is past: its half-way and due reminders
    # are recorded as skipped, and the overdue chain starts the next day.
    incident = make_incident()
    response = find(session, incident, "policy/internal/response")
    rows = get_reminders(session, "obligation", response.id)

    assert [(row.step, row.status) for row in rows] == [
        ("half", "skipped"),
        ("due", "skipped"),
        ("overdue-1", "pending"),
    ]
    assert rows[0].reason == "its time had passed when it was computed"
    assert rows[2].remind_at.isoformat() == "2026-03-06T14:45:00+00:00"


def test_an_obligation_entered_long_after_its_deadline_is_reminded_from_the_next_day(
    session: Any, make_incident: Callable[..., Any], clock: Any
) -> None:
    clock(datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    incident = make_incident()
    rows = get_reminders(session, "obligation", find(session, incident, GDPR).id)

    pending = [(row.step, row.remind_at.isoformat()) for row in rows if row.status == "pending"]
    assert pending == [("overdue-3", "2026-03-11T14:30:00+00:00")]


def test_a_moved_date_cancels_the_old_reminders_and_computes_new_ones(
    session: Any, make_incident: Callable[..., Any], facts: dict[str, Any], clock: Any
) -> None:
    incident = make_incident()
    facts["events"]["discovered_at"] = "2026-03-05T11:30:00-05:00"  # two hours later
    update_facts(session, incident, facts, None)
    session.commit()

    rows = get_reminders(session, "obligation", find(session, incident, GDPR).id)
    cancelled = [row for row in rows if row.status == "cancelled"]
    pending = [(row.step, row.remind_at.isoformat()) for row in rows if row.status == "pending"]

    assert len(cancelled) == 6
    assert cancelled[0].reason == "the deadline moved to 2026-03-08T16:30:00+00:00"
    assert pending == [
        ("half", "2026-03-07T04:30:00+00:00"),
        ("24h", "2026-03-07T16:30:00+00:00"),
        ("4h", "2026-03-08T12:30:00+00:00"),
        ("1h", "2026-03-08T15:30:00+00:00"),
        ("due", "2026-03-08T16:30:00+00:00"),
        ("overdue-1", "2026-03-09T16:30:00+00:00"),
    ]


def test_moving_the_date_back_revives_the_same_rows(
    session: Any, make_incident: Callable[..., Any], facts: dict[str, Any], clock: Any
) -> None:
    incident = make_incident()
    original = facts["events"]["discovered_at"]
    facts["events"]["discovered_at"] = "2026-03-05T11:30:00-05:00"
    update_facts(session, incident, facts, None)
    facts["events"]["discovered_at"] = original
    update_facts(session, incident, facts, None)
    session.commit()

    rows = get_reminders(session, "obligation", find(session, incident, GDPR).id)
    assert len(rows) == 12
    assert [row.remind_at.isoformat() for row in rows if row.status == "pending"] == [
        "2026-03-07T02:30:00+00:00",
        "2026-03-07T14:30:00+00:00",
        "2026-03-08T10:30:00+00:00",
        "2026-03-08T13:30:00+00:00",
        "2026-03-08T14:30:00+00:00",
        "2026-03-09T14:30:00+00:00",
    ]


def test_a_sent_notice_cancels_the_pending_reminders(
    session: Any, make_incident: Callable[..., Any], make_user: Callable[..., Any], clock: Any
) -> None:
    counsel = make_user("counsel")
    incident = make_incident()
    obligation = find(session, incident, GDPR)
    sent_at = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    lifecycle.record_notice(session, obligation, counsel, sent_at, "portal", "DPC-1")
    session.commit()

    rows = get_reminders(session, "obligation", obligation.id)
    assert {row.status for row in rows} == {"cancelled"}
    assert rows[0].reason == "the obligation was met (sent)"


def test_a_notice_marked_not_required_cancels_the_pending_reminders(
    session: Any, make_incident: Callable[..., Any], make_user: Callable[..., Any], clock: Any
) -> None:
    counsel = make_user("counsel")
    incident = make_incident()
    obligation = find(session, incident, GDPR)
    lifecycle.mark_not_required(session, obligation, counsel, "The data was encrypted.")
    session.commit()

    rows = get_reminders(session, "obligation", obligation.id)
    assert {(row.status, row.reason) for row in rows} == {("cancelled", "no notice is required")}


def test_a_regime_policy_wins_over_a_severity_policy(
    session: Any,
    make_incident: Callable[..., Any],
    make_user: Callable[..., Any],
    facts: dict[str, Any],
    clock: Any,
) -> None:
    admin = make_user("administrator")
    save_policy(session, "severity:SEV-1", "12h, due", "none", admin)
    save_policy(session, "regime:gdpr", "2h, due", "daily", admin)
    session.commit()
    incident = make_incident(facts)

    assert reminders_of(session, find(session, incident, GDPR)) == [
        ("2h", "2026-03-08T12:30:00+00:00", "pending"),
        ("due", "2026-03-08T14:30:00+00:00", "pending"),
        ("overdue-1", "2026-03-09T14:30:00+00:00", "pending"),
    ]
    assert reminders_of(session, find(session, incident, "us-ca/individuals")) == [
        ("12h", "2026-04-04T15:59:59.999999+00:00", "pending"),
        ("due", "2026-04-05T03:59:59.999999+00:00", "pending"),
    ]


def test_withdrawn_obligations_lose_their_reminders(
    session: Any, make_incident: Callable[..., Any], facts: dict[str, Any], clock: Any
) -> None:
    incident = make_incident(facts)
    facts["affected"] = {"US-CA": 1200}
    facts["organisation"]["main_establishment"] = "US"
    update_facts(session, incident, facts, None)
    session.commit()

    query = select(Reminder).where(
        Reminder.target_id == find(session, incident, GDPR).id, Reminder.status == "pending"
    )
    assert session.scalars(query).all() == []
