import copy
import json
from datetime import UTC, datetime

from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.incident import service as incidents
from tracker.notice import lifecycle, service
from tracker.notice.models import Obligation

from .conftest import GDPR_DUE


def _keys(session, incident, current=True):
    rows = service.get_obligations(session, incident)
    return [row.key for row in rows if row.is_current == current]


def _audit(session, action):
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
    return list(session.scalars(query))


def test_creating_an_incident_stores_its_obligations_sorted_by_deadline(session, incident):
    assert _keys(session, incident) == [
        "policy/internal/response",
        "gdpr/supervisory_authority",
        "gdpr/individuals",
        "us-ca/individuals",
        "us-ca/attorney_general",
    ]
    gdpr = service.get_obligations(session, incident)[1]
    assert gdpr.due_at == GDPR_DUE
    assert gdpr.due_kind == "fixed"
    assert gdpr.citation == "GDPR Art. 33(1)"
    assert gdpr.rule_version == "2018-05-25"
    assert gdpr.data["key"] == "gdpr/supervisory_authority"
    assert gdpr.revision == 0


def test_without_undue_delay_keeps_the_policy_target_beside_no_legal_date(session, obligation):
    row = obligation("gdpr/individuals")
    assert row.due_at is None
    assert row.due_kind == "without_undue_delay"
    assert row.target_at == GDPR_DUE
    assert row.deadline_at == GDPR_DUE


def test_a_moved_discovery_moves_the_date_and_audits_old_new_and_cause(
    session, incident, facts, counsel, obligation
):
    changed = copy.deepcopy(incident.facts_document)
    changed["events"]["discovered_at"] = "2026-03-06T09:30:00-05:00"
    incidents.update_facts(session, incident, changed, counsel)
    session.commit()

    row = obligation("gdpr/supervisory_authority")
    assert row.due_at == datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
    assert row.revision == 1
    moved = [e for e in _audit(session, "obligation.moved") if e.object_id == str(row.id)]
    assert len(moved) == 1
    assert json.loads(moved[0].before) == {"due": "2026-03-08T14:30:00+00:00"}
    after = json.loads(moved[0].after)
    assert after["due"] == "2026-03-09T14:30:00+00:00"
    assert "discovered_at" in after["cause"]
    assert moved[0].actor_id == counsel.id


def test_unchanged_facts_write_no_obligation_rows(session, incident, counsel):
    incidents.update_facts(session, incident, incident.facts_document, counsel)
    session.commit()
    assert _audit(session, "obligation.moved") == []
    assert _audit(session, "obligation.withdrawn") == []


def test_vanished_obligation_is_kept_not_current_with_its_sent_notice(
    session, incident, counsel, obligation
):
    sent_at = datetime(2026, 3, 20, 16, 0, tzinfo=UTC)
    lifecycle.record_notice(session, obligation("us-ca/individuals"), counsel, sent_at, "letter")
    session.commit()

    changed = copy.deepcopy(incident.facts_document)
    changed["affected"] = {"DE": 40}
    incidents.update_facts(session, incident, changed, counsel)
    session.commit()

    assert "us-ca/individuals" in _keys(session, incident, current=False)
    row = obligation("us-ca/individuals")
    assert [notice.status for notice in row.notices] == ["sent"]
    assert row.notices[0].sent_at == sent_at
    withdrawn = _audit(session, "obligation.withdrawn")
    assert {e.object_id for e in withdrawn} == {
        str(obligation("us-ca/individuals").id),
        str(obligation("us-ca/attorney_general").id),
    }
    assert "no affected residents of US-CA" in json.loads(withdrawn[0].after)["cause"]


def test_an_obligation_that_returns_is_current_again(session, incident, counsel, obligation):
    original = incident.facts_document
    changed = copy.deepcopy(original)
    changed["affected"] = {"DE": 40}
    incidents.update_facts(session, incident, changed, counsel)
    incidents.update_facts(session, incident, original, counsel)
    session.commit()

    row = obligation("us-ca/individuals")
    assert row.is_current
    assert row.revision == 2
    assert len(session.scalars(select(Obligation).where(Obligation.key == row.key)).all()) == 1


def test_a_recorded_notice_gives_the_chained_obligation_its_date(
    session, incident, counsel, obligation
):
    attorney_general = obligation("us-ca/attorney_general")
    assert "notice" in attorney_general.trigger

    sent_at = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    lifecycle.record_notice(session, obligation("us-ca/individuals"), counsel, sent_at, "letter")
    session.commit()

    row = obligation("us-ca/attorney_general")
    # 15 calendar days after 2026-03-10 ends 2026-03-25 23:59:59 EDT.
    assert row.due_at == datetime(2026, 3, 26, 3, 59, 59, 999999, tzinfo=UTC)
    assert "given on 2026-03-10" in row.basis
    moved = _audit(session, "obligation.moved")
    assert [e.object_id for e in moved] == [str(row.id)]
    assert "notices.us-ca/individuals" in json.loads(moved[0].after)["cause"]


def test_facts_with_notices_leaves_notices_given_in_the_facts(session, make_incident, facts):
    facts["notices"] = {"us-ca/individuals": "2026-03-12T12:00:00+00:00"}
    incident = make_incident(facts)
    merged = service.facts_with_notices(session, incident)
    assert merged.notices["us-ca/individuals"] == datetime(2026, 3, 12, 12, tzinfo=UTC)


def test_open_obligations_across_incidents_with_filters(session, incident, make_incident, facts):
    facts["affected"] = {"DE": 40}
    facts["events"]["discovered_at"] = "2026-03-10T09:30:00-05:00"
    other = make_incident(facts)

    gdpr = service.get_open_obligations(session, regime="gdpr", recipient="supervisory_authority")
    assert [(row.incident_id, row.due_at) for row in gdpr] == [
        (incident.id, GDPR_DUE),
        (other.id, datetime(2026, 3, 13, 14, 30, tzinfo=UTC)),
    ]
    before = service.get_open_obligations(session, due_before=datetime(2026, 3, 9, tzinfo=UTC))
    assert {row.key for row in before} == {
        "policy/internal/response",
        "gdpr/supervisory_authority",
        "gdpr/individuals",
    }
    assert all(row.incident_id == incident.id for row in before)
    only = service.get_open_obligations(session, incident_id=other.id)
    assert {row.incident_id for row in only} == {other.id}


def test_settled_obligations_leave_the_open_list(session, incident, counsel, obligation):
    lifecycle.mark_not_required(session, obligation("gdpr/individuals"), counsel, "Low risk.")
    session.commit()
    keys = [row.key for row in service.get_open_obligations(session, incident_id=incident.id)]
    assert "gdpr/individuals" not in keys
    assert "gdpr/supervisory_authority" in keys


def test_obligation_document_carries_id_and_notice_status(session, obligation):
    row = obligation("gdpr/supervisory_authority")
    document = service.obligation_document(row, now=datetime(2026, 3, 8, 14, 0, tzinfo=UTC))
    assert document["id"] == row.id
    assert document["notice_status"] == "open"
    assert document["due"] == "2026-03-08T14:30:00+00:00"
    assert document["remaining_seconds"] == 1800
    assert document["overdue"] is False
