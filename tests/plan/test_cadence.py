"""The plan's internal update cadence: SEV-1 every 30 minutes and hourly, the rest daily."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.plan.conftest import meet_closure_criteria
from tracker.incident import service as incidents
from tracker.plan.reminders import next_update, streams_for
from tracker.reminder.models import MailMessage, Reminder


def _rows(session, incident):
    query = (
        select(Reminder)
        .where(
            Reminder.target_kind.in_(("incident_update", "incident_summary", "incident_daily")),
            Reminder.target_id == incident.id,
        )
        .order_by(Reminder.id)
    )
    return list(session.scalars(query))


def test_sev1_is_prompted_every_half_hour_and_hourly_from_detection(make_incident):
    incident = make_incident()  # SEV-1, discovered 2026-03-05 09:30 in New York (14:30 UTC)
    assert streams_for(incident) == ("update-30m", "summary-1h")
    after = datetime(2026, 3, 5, 15, 10, tzinfo=UTC)
    assert next_update(incident, "update-30m", after) == datetime(2026, 3, 5, 15, 30, tzinfo=UTC)
    assert next_update(incident, "summary-1h", after) == datetime(2026, 3, 5, 15, 30, tzinfo=UTC)
    on_the_dot = datetime(2026, 3, 5, 15, 30, tzinfo=UTC)
    assert next_update(incident, "update-30m", on_the_dot) == datetime(
        2026, 3, 5, 16, 0, tzinfo=UTC
    )
    assert next_update(incident, "summary-1h", on_the_dot) == datetime(
        2026, 3, 5, 16, 30, tzinfo=UTC
    )


def test_other_severities_get_a_daily_prompt_at_the_local_time_of_detection(make_incident, facts):
    facts["incident"]["severity"] = "SEV-2"
    facts["events"]["discovered_at"] = "2026-03-07T09:30:00-05:00"
    incident = make_incident(facts)
    assert streams_for(incident) == ("daily",)
    # 09:30 in New York each day: EST (14:30 UTC) on the 7th, EDT (13:30 UTC) from the 8th.
    after = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)
    assert next_update(incident, "daily", after) == datetime(2026, 3, 8, 13, 30, tzinfo=UTC)
    later = datetime(2026, 3, 8, 13, 30, tzinfo=UTC)
    assert next_update(incident, "daily", later) == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)


def test_opening_schedules_the_next_prompt_of_each_stream(session, make_incident):
    incident = make_incident()
    rows = _rows(session, incident)
    assert [(row.step, row.status, row.kind) for row in rows] == [
        ("update-30m", "pending", "due"),
        ("summary-1h", "pending", "due"),
    ]
    start = incident.detected_at
    assert (rows[0].remind_at - start) % timedelta(minutes=30) == timedelta(0)
    assert (rows[1].remind_at - start) % timedelta(hours=1) == timedelta(0)


def test_a_lower_severity_and_resolution_cancel_the_prompts(session, make_incident, facts):
    incident = make_incident(facts)
    facts["incident"]["severity"] = "SEV-3"
    incidents.update_facts(session, incident, facts, None)
    session.commit()
    assert [(row.step, row.status) for row in _rows(session, incident)] == [
        ("update-30m", "cancelled"),
        ("summary-1h", "cancelled"),
        ("daily", "pending"),
    ]

    meet_closure_criteria(session, incident)
    incidents.change_status(session, incident, "resolved", None)
    session.commit()
    assert {row.status for row in _rows(session, incident)} == {"cancelled"}


def test_the_sweep_prompts_the_owner_and_schedules_the_next(
    session, make_incident, facts, make_app
):
    from tracker.reminder.service import settings
    from tracker.reminder.sweep import run_sweep

    facts["incident"]["assigned_to"] = "owner@example.com"
    incident = make_incident(facts)
    first, summary = _rows(session, incident)
    at = first.remind_at
    # The hourly summary falls at the same instant every other half hour.
    expected = [
        ("owner@example.com", "[INC-2026-0001] Time for a status update: Credential stuffing")
    ]
    if summary.remind_at == at:
        expected.append(
            ("owner@example.com", "[INC-2026-0001] Time for an hourly summary: Credential stuffing")
        )

    app = make_app()
    with app.app_context():
        run_sweep(app.extensions["tracker.sessions"], settings(), at)

    session.rollback()
    messages = session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
    assert [(m.recipient, m.subject) for m in messages] == expected
    pending = [row for row in _rows(session, incident) if row.step == "update-30m"]
    assert [(row.status, row.remind_at - at) for row in pending] == [
        ("queued", timedelta(0)),
        ("pending", timedelta(minutes=30)),
    ]
