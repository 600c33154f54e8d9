import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.errors import Conflict, Forbidden, ValidationError
from tracker.notice import lifecycle, service

from .conftest import GDPR_DUE

ON_TIME = GDPR_DUE - timedelta(hours=2)


def _fill(notice):
    return {name: value or f"{name} text" for name, value in notice.content.items()}


@pytest.fixture
def draft(session, counsel, obligation):
    notice = lifecycle.create_notice(session, obligation("gdpr/supervisory_authority"), counsel)
    session.commit()
    return notice


@pytest.fixture
def approved(session, counsel, draft):
    lifecycle.update_content(session, draft, _fill(draft), counsel)
    lifecycle.approve(session, draft, counsel)
    session.commit()
    return draft


def test_a_draft_is_prefilled_from_the_facts_with_the_fitting_letter(draft):
    assert draft.status == "draft"
    assert draft.letter == "gdpr-art33"
    assert draft.sequence == 1
    assert draft.phase == "initial"
    assert draft.content["controller"] == "Example Corp"
    assert draft.content["nature"] == "Attackers reused leaked passwords on the portal."
    assert draft.content["subject_count"] == "40"  # the EEA residents, not the Californians
    assert draft.content["record_categories"] == "name, ssn"
    assert draft.content["record_count"] == "15000"
    assert draft.content["dpo_contact"] == ""


def test_approval_is_refused_while_required_elements_are_empty(session, counsel, draft):
    with pytest.raises(ValidationError) as caught:
        lifecycle.approve(session, draft, counsel)
    assert "Supervisory authority" in caught.value.message
    assert "Data protection officer or other contact point" in caught.value.message
    assert set(caught.value.fields) == {
        "authority",
        "subject_categories",
        "dpo_contact",
        "consequences",
        "measures",
    }
    assert draft.status == "draft"


def test_approval_freezes_the_content_with_its_hash(approved, counsel):
    assert approved.status == "approved"
    assert approved.approved_by_id == counsel.id
    assert approved.content_hash == lifecycle.content_hash(approved.content)
    assert len(approved.content_hash) == 64


def test_only_counsel_may_approve(session, make_user, draft, counsel):
    lifecycle.update_content(session, draft, _fill(draft), counsel)
    responder = make_user("responder")
    with pytest.raises(Forbidden) as caught:
        lifecycle.approve(session, draft, responder)
    assert caught.value.message == (
        "A user with the role responder cannot approve a notice; counsel or an administrator can."
    )


def test_a_viewer_cannot_draft(session, viewer, obligation):
    with pytest.raises(Forbidden):
        lifecycle.create_notice(session, obligation("gdpr/supervisory_authority"), viewer)


def test_an_edit_after_approval_sends_the_notice_back_to_draft(session, approved, counsel):
    content = dict(approved.content, measures="Passwords reset for every account.")
    lifecycle.update_content(session, approved, content, counsel)
    assert approved.status == "draft"
    assert approved.content_hash is None
    assert approved.approved_by_id is None


def test_an_unknown_field_is_refused(session, draft, counsel):
    with pytest.raises(ValidationError) as caught:
        lifecycle.update_content(session, draft, {"colour": "red"}, counsel)
    assert caught.value.fields == {"colour": "unknown field"}


def test_a_draft_cannot_be_sent(session, draft, counsel):
    with pytest.raises(Conflict) as caught:
        lifecycle.send(session, draft, counsel, ON_TIME, "portal")
    assert caught.value.message == (
        "The notice is still a draft; counsel must approve it before it is sent."
    )


def test_sending_records_when_how_by_whom_and_reference(session, approved, counsel):
    lifecycle.send(session, approved, counsel, ON_TIME, "portal", reference="DPC-2026-0042")
    session.commit()
    assert approved.status == "sent"
    assert approved.sent_at == ON_TIME
    assert (approved.channel, approved.sent_by_id) == ("portal", counsel.id)
    assert approved.reference == "DPC-2026-0042"


def test_a_notice_cannot_be_sent_twice(session, approved, counsel):
    lifecycle.send(session, approved, counsel, ON_TIME, "portal")
    with pytest.raises(Conflict) as caught:
        lifecycle.send(session, approved, counsel, ON_TIME, "email")
    assert caught.value.message == (
        "The notice is already sent on 2026-03-08 12:30 UTC; it cannot be sent again."
    )


def test_a_late_notice_needs_the_reason_for_the_delay(session, approved, counsel):
    late = GDPR_DUE + timedelta(hours=5)
    with pytest.raises(ValidationError) as caught:
        lifecycle.send(session, approved, counsel, late, "portal")
    assert caught.value.fields == {
        "delay_reason": "required when the notice is sent after its due date"
    }
    lifecycle.send(session, approved, counsel, late, "portal", delay_reason="Forensics pending.")
    assert approved.delay_reason == "Forensics pending."


def test_an_unknown_channel_and_a_future_time_are_refused(session, approved, counsel):
    with pytest.raises(ValidationError) as caught:
        lifecycle.send(session, approved, counsel, ON_TIME, "pigeon")
    assert caught.value.message == (
        "The channel 'pigeon' is not one of portal, email, letter, courier, phone."
    )
    future = datetime.now(UTC) + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        lifecycle.send(session, approved, counsel, future, "portal")
    assert caught.value.fields == {"sent_at": "expected an instant in the past"}


def test_content_altered_after_approval_is_not_sent(session, approved, counsel):
    approved.content = dict(approved.content, measures="changed behind the form")
    with pytest.raises(Conflict) as caught:
        lifecycle.send(session, approved, counsel, ON_TIME, "portal")
    assert caught.value.fields == {"content": "changed since approval"}


def test_acknowledgement_follows_sending(session, approved, counsel):
    with pytest.raises(Conflict):
        lifecycle.acknowledge(session, approved, counsel)
    lifecycle.send(session, approved, counsel, ON_TIME, "portal")
    lifecycle.acknowledge(session, approved, counsel, ON_TIME + timedelta(hours=1), "R-1")
    assert approved.status == "acknowledged"
    assert approved.reference == "R-1"


def test_phased_law_allows_a_further_notice_after_the_first_is_sent(
    session, approved, counsel, obligation
):
    gdpr = obligation("gdpr/supervisory_authority")
    with pytest.raises(Conflict):
        lifecycle.create_notice(session, gdpr, counsel)
    lifecycle.send(session, approved, counsel, ON_TIME, "portal")
    second = lifecycle.create_notice(session, gdpr, counsel)
    assert (second.sequence, second.phase) == (2, "supplement")


def test_a_law_without_phases_takes_one_notice(session, counsel, obligation):
    individuals = obligation("us-ca/individuals")
    lifecycle.record_notice(session, individuals, counsel, ON_TIME, "letter")
    with pytest.raises(Conflict) as caught:
        lifecycle.create_notice(session, individuals, counsel)
    assert "this law does not provide for further phases" in caught.value.message


def test_not_required_needs_a_reason_and_names_who_decided(session, counsel, obligation):
    row = obligation("gdpr/individuals")
    with pytest.raises(ValidationError):
        lifecycle.mark_not_required(session, row, counsel, "  ")
    notice = lifecycle.mark_not_required(session, row, counsel, "Data were encrypted.")
    assert notice.status == "not_required"
    assert (notice.not_required_reason, notice.decided_by_id) == (
        "Data were encrypted.",
        counsel.id,
    )
    assert row.status == "not_required"


def test_a_sent_obligation_cannot_become_not_required(session, approved, counsel):
    lifecycle.send(session, approved, counsel, ON_TIME, "portal")
    with pytest.raises(Conflict):
        lifecycle.mark_not_required(session, approved.obligation, counsel, "Changed our mind.")


def test_record_notice_checks_lateness_and_role(session, counsel, responder, obligation):
    row = obligation("gdpr/supervisory_authority")
    with pytest.raises(Forbidden):
        lifecycle.record_notice(session, row, responder, ON_TIME, "portal")
    with pytest.raises(ValidationError):
        lifecycle.record_notice(session, row, counsel, GDPR_DUE + timedelta(minutes=1), "portal")
    notice = lifecycle.record_notice(session, row, counsel, ON_TIME, "portal", "DPC-1")
    assert (notice.status, notice.approved_by_id, notice.reference) == ("sent", counsel.id, "DPC-1")


def test_every_change_writes_an_audit_row(session, approved, counsel):
    lifecycle.send(session, approved, counsel, ON_TIME, "portal")
    session.commit()
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_type == "notice", AuditEvent.object_id == str(approved.id))
        .order_by(AuditEvent.seq)
    )
    rows = list(session.scalars(query))
    assert [row.action for row in rows] == [
        "notice.create",
        "notice.edit",
        "notice.approve",
        "notice.send",
    ]
    assert all(row.incident_id == approved.incident_id for row in rows)
    assert json.loads(rows[-1].after)["channel"] == "portal"


def test_every_phased_obligation_is_a_key_of_the_rulebook():
    from tracker.deadline.rulebook import load_rulebook

    assert load_rulebook().keys >= lifecycle.PHASED_KEYS
    assert {"gdpr/supervisory_authority", "nis2/csirt/final", "dora/regulator/intermediate"} <= (
        lifecycle.PHASED_KEYS
    )


def test_a_sending_before_the_incident_began_is_refused(session, approved, counsel):
    # The facts' earliest event is the occurrence on 2026-03-01 10:00 EST.
    with pytest.raises(ValidationError) as caught:
        lifecycle.send(session, approved, counsel, datetime(2020, 1, 1, tzinfo=UTC), "portal")
    assert caught.value.fields == {
        "sent_at": (
            "expected an instant on or after the occurrence on 2026-03-01 10:00 EST; "
            "got 2020-01-01T00:00:00+00:00"
        )
    }
    assert approved.status == "approved"
    at_occurrence = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    lifecycle.send(session, approved, counsel, at_occurrence, "portal")
    assert approved.sent_at == at_occurrence


def test_a_notice_recorded_as_given_cannot_precede_the_discovery(
    session, counsel, make_incident, facts
):
    del facts["events"]["occurred_at"]
    incident = make_incident(facts)
    rows = {row.key: row for row in service.get_obligations(session, incident)}
    obligation = rows["gdpr/supervisory_authority"]
    with pytest.raises(ValidationError) as caught:
        lifecycle.record_notice(
            session, obligation, counsel, datetime(2026, 3, 5, 14, 29, tzinfo=UTC), "email"
        )
    assert caught.value.fields == {
        "sent_at": (
            "expected an instant on or after the discovery on 2026-03-05 09:30 EST; "
            "got 2026-03-05T14:29:00+00:00"
        )
    }


def test_an_acknowledgement_before_the_sending_is_refused(session, approved, counsel):
    lifecycle.send(session, approved, counsel, ON_TIME, "portal")
    with pytest.raises(ValidationError) as caught:
        lifecycle.acknowledge(session, approved, counsel, ON_TIME - timedelta(minutes=1))
    assert caught.value.fields == {
        "acknowledged_at": (
            "expected an instant on or after the sending at 2026-03-08T12:30:00+00:00; "
            "got 2026-03-08T12:29:00+00:00"
        )
    }
    assert approved.status == "sent"
