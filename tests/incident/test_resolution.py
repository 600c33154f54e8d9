"""Resolution records the facts' resolved_at, and the post-mortem obligation follows from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.plan.conftest import meet_closure_criteria
from tracker.audit.models import AuditEvent
from tracker.incident import service
from tracker.plan import postmortem

POST_MORTEM = "policy/internal/post_mortem"


def resolve(session, incident, at, actor=None):
    meet_closure_criteria(session, incident)
    service.change_status(session, incident, "resolved", actor, at=at)
    session.commit()


@pytest.mark.parametrize(
    ("resolved", "due"),
    [
        # Friday 2026-03-06: Mon 9, Tue 10, Wed 11, Thu 12, Fri 13; end of day in New York (EDT).
        (datetime(2026, 3, 6, 15, 0, tzinfo=UTC), "2026-03-14T03:59:59.999999+00:00"),
        # Friday 2026-03-13, main establishment IE: St Patrick's Day, Tuesday 03-17, is no
        # business day: Mon 16, Wed 18, Thu 19, Fri 20, Mon 23.
        (datetime(2026, 3, 13, 15, 0, tzinfo=UTC), "2026-03-24T03:59:59.999999+00:00"),
    ],
    ids=["friday", "across-st-patricks-day"],
)
def test_resolving_on_a_friday_brings_the_post_mortem_five_business_days_on(
    session, make_incident, resolved, due
):
    incident = make_incident()
    assert postmortem.get_obligation(session, incident) is None

    resolve(session, incident, resolved)

    local = resolved.astimezone(ZoneInfo("America/New_York"))
    assert incident.facts_document["events"]["resolved_at"] == local.isoformat()
    obligation = postmortem.get_obligation(session, incident)
    assert obligation.due_at.isoformat() == due
    assert obligation.data["trigger"] == "resolved_at"


def test_resolution_is_a_facts_change_with_its_audit_row(session, make_incident):
    incident = make_incident()
    at = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)

    resolve(session, incident, at)

    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    facts = [event for event in events if event.action == "incident.facts"][-1]
    assert json.loads(facts.before)["facts"]["events"].get("resolved_at") is None
    assert json.loads(facts.after)["facts"]["events"]["resolved_at"] == "2026-03-06T10:00:00-05:00"
    assert incident.status_changes[-1].at == at
    assert [event.action for event in events][-3:] == [
        "incident.status",
        "incident.facts",
        "obligation.added",
    ]


def test_a_resolution_time_the_facts_already_give_is_kept(session, make_incident, facts):
    facts["events"]["resolved_at"] = "2026-03-06T09:30:00-05:00"
    incident = make_incident(facts)

    resolve(session, incident, datetime(2026, 3, 6, 17, 0, tzinfo=UTC))

    assert incident.facts_document["events"]["resolved_at"] == "2026-03-06T09:30:00-05:00"


def test_reopening_clears_the_resolution_and_the_next_one_sets_the_date(session, make_incident):
    incident = make_incident()
    resolve(session, incident, datetime(2026, 3, 6, 15, 0, tzinfo=UTC))
    first = postmortem.get_obligation(session, incident)

    service.change_status(
        session,
        incident,
        "investigating",
        None,
        "Errors are back",
        at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
    )
    session.commit()

    assert incident.facts_document["events"]["resolved_at"] is None
    assert postmortem.get_obligation(session, incident) is None
    session.refresh(first)
    assert first.is_current is False
    assert incident.timeline[-1].text == (
        "Status changed from resolved to investigating. Errors are back Resolution of "
        "2026-03-06T10:00:00-05:00 cleared from the facts."
    )
    reopened = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "incident.facts").order_by(AuditEvent.seq)
    ).all()[-1]
    assert json.loads(reopened.before)["facts"]["events"]["resolved_at"] == (
        "2026-03-06T10:00:00-05:00"
    )

    resolve(session, incident, datetime(2026, 3, 10, 15, 0, tzinfo=UTC))

    # Tuesday 03-10: Wed 11, Thu 12, Fri 13, Mon 16, (St Patrick's Day) Wed 18.
    again = postmortem.get_obligation(session, incident)
    assert again.due_at.isoformat() == "2026-03-19T03:59:59.999999+00:00"


def test_the_post_mortem_move_keeps_the_resolution(session, make_incident):
    incident = make_incident()
    resolve(session, incident, datetime(2026, 3, 6, 15, 0, tzinfo=UTC))

    service.change_status(session, incident, "post_mortem", None)
    session.commit()

    assert incident.facts_document["events"]["resolved_at"] == "2026-03-06T10:00:00-05:00"
    assert postmortem.get_obligation(session, incident).due_at.isoformat() == (
        "2026-03-14T03:59:59.999999+00:00"
    )


def test_the_status_button_and_counsels_override_record_the_resolution(
    app, session, make_incident, make_user
):
    from tests.conftest import login

    client = app.test_client()
    login(client, make_user("counsel"))
    button = make_incident()
    meet_closure_criteria(session, button)
    override = make_incident()

    client.post(f"/incidents/{button.id}/status", data={"status": "resolved"})
    client.post(
        f"/incidents/{override.id}/resolve-with-open-criteria", data={"reason": "Risk accepted"}
    )

    session.expire_all()
    for incident in (button, override):
        incident = service.get(session, incident.id)
        assert incident.status == "resolved"
        resolved_at = datetime.fromisoformat(incident.facts_document["events"]["resolved_at"])
        assert resolved_at == incident.status_changes[-1].at.replace(microsecond=0)
        assert postmortem.get_obligation(session, incident) is not None


def test_facts_that_resolve_the_incident_without_a_time_get_the_moment_of_saving(
    session, make_incident, facts
):
    incident = make_incident()
    meet_closure_criteria(session, incident)
    facts["incident"]["status"] = "resolved"
    before = datetime.now(UTC).replace(microsecond=0)

    service.update_facts(session, incident, facts, None)
    session.commit()

    resolved_at = datetime.fromisoformat(incident.facts_document["events"]["resolved_at"])
    assert before <= resolved_at <= datetime.now(UTC)
    # Written in the incident's zone, as a person would enter it.
    local = resolved_at.astimezone(ZoneInfo("America/New_York"))
    assert incident.facts_document["events"]["resolved_at"] == local.isoformat()
    assert postmortem.get_obligation(session, incident) is not None
