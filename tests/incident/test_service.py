import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tracker.audit.models import AuditEvent
from tracker.auth import access
from tracker.db import now_utc
from tracker.errors import Conflict, FactsError, NotFound, ValidationError
from tracker.incident import service
from tracker.incident.models import Incident, StatusChange
from tracker.plan.service import get_checklist


def test_create_mirrors_the_facts_and_numbers_the_incident(db_session, facts):
    facts["incident"].update(
        {"affected_services": ["portal"], "tags": ["credential-stuffing"], "assigned_to": "j@x.io"}
    )
    incident = service.create_incident(db_session, facts, None)
    db_session.commit()

    year = datetime.now(UTC).year
    assert incident.reference == f"INC-{year}-0001"
    assert incident.title == "Credential stuffing"
    assert incident.severity == "SEV-1"
    assert incident.category == "security"
    assert incident.status == "detected"
    assert incident.affected_services == ["portal"]
    assert incident.tags == ["credential-stuffing"]
    assert incident.timezone == "America/New_York"
    assert incident.discovered_at == datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    assert incident.response_target == "15 minutes"
    assert incident.facts_document["incident"]["status"] == "detected"
    assert incident.facts.data.records == 15000

    second = service.create_incident(db_session, facts, None)
    assert second.reference == f"INC-{year}-0002"


def test_reference_numbers_past_9999_keep_counting(db_session, facts):
    first = service.create_incident(db_session, facts, None)
    year = first.created_at.year
    first.reference = f"INC-{year}-9999"
    db_session.flush()
    second = service.create_incident(db_session, facts, None)
    assert second.reference == f"INC-{year}-10000"
    third = service.create_incident(db_session, facts, None)
    assert third.reference == f"INC-{year}-10001"


def test_bad_facts_write_nothing(db_session, facts):
    facts["events"] = {"discovered_at": "2026-03-05T09:30"}
    with pytest.raises(FactsError) as caught:
        service.create_incident(db_session, facts, None)
    db_session.rollback()

    assert "events.discovered_at" in caught.value.fields
    assert db_session.scalar(select(func.count()).select_from(Incident)) == 0
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_status_follows_the_flow(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    service.change_status(db_session, incident, "investigating", None, note="Paged on-call")
    _meet_closure_criteria(db_session, incident)
    service.change_status(db_session, incident, "resolved", None)
    db_session.commit()

    changes = [(c.from_status, c.to_status) for c in incident.status_changes]
    assert changes == [
        (None, "detected"),
        ("detected", "investigating"),
        ("investigating", "resolved"),
    ]
    assert incident.facts_document["incident"]["status"] == "resolved"
    texts = [entry.text for entry in incident.timeline]
    assert texts == [
        "Status changed from detected to investigating. Paged on-call",
        "Status changed from investigating to resolved.",
    ]


def _meet_closure_criteria(db_session, incident):
    """Mark the playbook's closure criteria met, so that the incident may be resolved."""
    for item in get_checklist(db_session, incident).open_closure:
        item.done_at = now_utc()


def test_forbidden_transition_names_the_allowed_ones(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    with pytest.raises(Conflict) as caught:
        service.change_status(db_session, incident, "post_mortem", None)
    assert caught.value.message == (
        "An incident cannot move from detected to post_mortem; from detected it can move to "
        "investigating, mitigating, resolved."
    )
    assert incident.status == "detected"


def test_post_mortem_is_final(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    _meet_closure_criteria(db_session, incident)
    for status in ("resolved", "post_mortem"):
        service.change_status(db_session, incident, status, None)
    with pytest.raises(Conflict, match="can no longer change"):
        service.change_status(db_session, incident, "investigating", None)


def test_unknown_status_is_a_validation_error(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    with pytest.raises(ValidationError) as caught:
        service.change_status(db_session, incident, "closed", None)
    assert caught.value.fields == {
        "status": "expected one of detected, investigating, mitigating, resolved, post_mortem"
    }


def test_update_facts_replaces_document_and_columns(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    facts["incident"]["title"] = "Credential stuffing, confirmed"
    facts["incident"]["severity"] = "SEV-2"
    facts["incident"]["status"] = "investigating"
    service.update_facts(db_session, incident, json.dumps(facts), None)
    db_session.commit()

    assert incident.title == "Credential stuffing, confirmed"
    assert incident.severity == "SEV-2"
    assert incident.response_target == "1 hour"
    assert incident.status == "investigating"
    assert incident.status_changes[-1].from_status == "detected"
    assert incident.facts_document["incident"]["title"] == "Credential stuffing, confirmed"


def test_update_facts_refuses_a_forbidden_status(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    facts["incident"]["status"] = "post_mortem"
    facts["incident"]["title"] = "Changed"
    with pytest.raises(Conflict):
        service.update_facts(db_session, incident, facts, None)
    assert incident.title == "Credential stuffing"


def test_bad_facts_leave_the_incident_unchanged(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    db_session.commit()
    with pytest.raises(FactsError):
        service.update_facts(db_session, incident, {**facts, "colour": "red"}, None)
    assert incident.facts_document == json.loads(incident.facts_json)
    assert "colour" not in incident.facts_document


def test_timeline_entries_are_ordered_by_when_they_happened(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    later = datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    earlier = later - timedelta(hours=1)
    service.add_timeline_entry(db_session, incident, "Blocked the IP range", None, at=later)
    service.add_timeline_entry(db_session, incident, "Alert triaged", None, at=earlier)
    db_session.commit()
    db_session.expire(incident, ["timeline"])
    assert [entry.text for entry in incident.timeline] == ["Alert triaged", "Blocked the IP range"]


@pytest.mark.parametrize(
    ("text", "kind", "at", "field"),
    [
        ("  ", "note", None, "text"),
        ("x", "gossip", None, "kind"),
        ("x", "note", datetime(2026, 3, 5, 16, 0), "at"),
    ],
)
def test_bad_timeline_entries_name_the_field(db_session, facts, text, kind, at, field):
    incident = service.create_incident(db_session, facts, None)
    with pytest.raises(ValidationError) as caught:
        service.add_timeline_entry(db_session, incident, text, None, at=at, kind=kind)
    assert field in caught.value.fields


def test_operational_times_come_from_events_and_status(db_session, facts):
    facts["events"]["resolved_at"] = "2026-03-06T09:30:00-05:00"
    incident = service.create_incident(db_session, facts, None)
    service.change_status(db_session, incident, "investigating", None)
    incident.status_changes[-1].at = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)

    assert incident.time_to_detect == timedelta(days=3, hours=23, minutes=30)
    assert incident.time_to_respond == timedelta(minutes=30)
    assert incident.time_to_resolve == timedelta(days=1)


def test_impact_assessment_is_validated(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    service.update_impact(
        db_session,
        incident,
        {"impact_systems": ["portal"], "impact_users": 1200, "customer_impact": "degraded"},
        None,
    )
    assert incident.customer_impact == "degraded"

    with pytest.raises(ValidationError) as caught:
        service.update_impact(
            db_session, incident, {"customer_impact": "meh", "impact_users": -1, "x": 1}, None
        )
    assert set(caught.value.fields) == {"customer_impact", "impact_users", "x"}
    assert incident.impact_users == 1200


def test_get_unknown_incident_is_not_found(db_session):
    with pytest.raises(NotFound, match="no incident with the id 42"):
        service.get(db_session, 42)


def test_get_all_filters_by_status(db_session, facts):
    first = service.create_incident(db_session, facts, None)
    second = service.create_incident(db_session, facts, None)
    service.change_status(db_session, second, "investigating", None)
    db_session.commit()
    assert service.get_all(db_session, status="detected", viewer=access.TRACKER) == [first]
    assert {i.id for i in service.get_all(db_session, viewer=access.TRACKER)} == {
        first.id,
        second.id,
    }


def test_every_change_is_audited(db_session, facts):
    incident = service.create_incident(db_session, facts, None)
    service.change_status(db_session, incident, "investigating", None)
    service.add_timeline_entry(db_session, incident, "Note", None)
    service.update_facts(db_session, incident, facts, None)
    db_session.commit()

    actions = db_session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["incident.create", "incident.status", "timeline.create", "incident.facts"]
    assert db_session.scalar(select(func.count()).select_from(StatusChange)) == 2


def test_state_changes_are_logged_with_object_and_actor(db_session, facts, caplog):
    caplog.set_level("INFO", logger="tracker")
    incident = service.create_incident(db_session, facts, None)
    service.change_status(db_session, incident, "investigating", None)
    messages = [record.getMessage() for record in caplog.records]
    assert f"Incident {incident.reference} created by system" in messages
    assert f"Incident {incident.reference} moved from detected to investigating by system" in (
        messages
    )
    assert all("Credential stuffing" not in message for message in messages)
