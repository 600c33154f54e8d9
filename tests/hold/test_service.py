"""Holds from issue to release: notices, links, acknowledgements, reminders, escalation."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.errors import Conflict, ValidationError
from tracker.hold import service
from tracker.hold.models import HoldLink
from tracker.hold.service import LinkRefused, Person, Scope

from .conftest import ISSUED, link_of, messages, rows


def test_issuing_queues_each_persons_notice_with_a_personal_link(session, issued):
    sent = messages(session)

    assert [(m.recipient, m.recipient_role) for m in sent] == [
        ("jo.doe@example.com", "custodian"),
        ("sam@example.com", "system_owner"),
    ]
    assert sent[0].subject == "Legal hold notice: Project Falcon breach"
    assert sent[0].status == "pending"  # the next delivery run sends it, or keeps it
    assert "login service" in sent[0].body_text and "Slack #sec-incident" in sent[0].body_text
    assert "from 2026-02-01 to 2026-03-05" in sent[0].body_text
    assert "Stop the 30-day log rotation" in sent[1].body_text
    assert "Stop the 30-day log rotation" not in sent[0].body_text
    _path, custodian_id, token = link_of(sent[0])
    assert custodian_id == issued.people[0].id
    assert len(token) >= 43
    stored = session.scalars(select(HoldLink.token_hash)).all()
    assert service.token_hash(token) in stored and token not in stored
    assert issued.status == "active" and issued.version == 1


def test_reminder_rows_count_days_in_the_holds_zone_across_the_clock_change(session, issued):
    jo = issued.people[0]
    planned = {step: (row.remind_at, row.status) for step, row in rows(session, jo).items()}

    assert planned == {
        "notice-v1": (ISSUED, "queued"),
        # 09:00 EST on 4 March plus three days: 09:00 EST on 7 March, the day before the change
        "ack-v1": (datetime(2026, 3, 7, 14, 0, tzinfo=UTC), "pending"),
        # four days after the reminder, across the change: 09:00 EDT is 13:00 UTC
        "esc-v1": (datetime(2026, 3, 11, 13, 0, tzinfo=UTC), "pending"),
        "renotice-v1-1": (datetime(2026, 6, 2, 13, 0, tzinfo=UTC), "pending"),
    }
    assert planned["esc-v1"][0] - planned["ack-v1"][0] == timedelta(days=4, hours=-1)


def test_status_moves_from_sent_to_overdue_to_escalated(session, issued, sweep):
    jo = issued.people[0]
    assert service.status_of(session, jo, ISSUED + timedelta(days=1)) == "sent"
    assert service.status_of(session, jo, datetime(2026, 3, 7, 14, 0, tzinfo=UTC)) == "overdue"

    sweep(rows(session, jo)["ack-v1"].remind_at)
    reminders = [m for m in messages(session) if m.subject.startswith("Reminder:")]
    assert [m.recipient for m in reminders] == ["jo.doe@example.com", "sam@example.com"]
    assert link_of(reminders[0])[1] == jo.id
    assert {m.status for m in messages(session)} == {"kept"}  # no SMTP server configured

    escalate_at = rows(session, jo)["esc-v1"].remind_at
    sweep(escalate_at)
    escalations = [m for m in messages(session) if "not acknowledged by Jo Doe" in m.subject]
    assert [(m.recipient, m.recipient_role) for m in escalations] == [
        ("boss@example.com", "manager"),
        ("ana.counsel@example.com", "counsel"),
    ]
    assert "Jo Doe (Engineering) has not acknowledged" in escalations[0].body_text
    session.expire_all()
    assert service.status_of(session, jo, escalate_at) == "escalated"


def test_acknowledging_stops_the_reminder_and_escalation_but_not_the_renotice(session, issued):
    jo = issued.people[0]
    _path, custodian_id, token = link_of(messages(session)[0])
    link, person = service.open_link(session, custodian_id, token, ISSUED + timedelta(hours=2))

    service.acknowledge(
        session, link, person, "Laptop and the team drive", ISSUED + timedelta(hours=2)
    )
    session.commit()

    steps = {step: row.status for step, row in rows(session, jo).items()}
    assert steps == {
        "notice-v1": "queued",
        "ack-v1": "cancelled",
        "esc-v1": "cancelled",
        "renotice-v1-1": "pending",
    }
    assert service.status_of(session, jo, ISSUED + timedelta(days=30)) == "acknowledged"
    assert jo.acknowledgements[0].answer == "Laptop and the team drive"


def test_a_due_reminder_after_acknowledgement_sends_nothing(session, issued, sweep):
    jo = issued.people[0]
    _path, custodian_id, token = link_of(messages(session)[0])
    link, person = service.open_link(session, custodian_id, token, ISSUED)
    service.acknowledge(session, link, person, "", ISSUED)
    ack = rows(session, jo)["ack-v1"]
    ack.status = "pending"  # as if it had been claimed before the acknowledgement landed

    result = sweep(ack.remind_at)

    assert result.skipped == 1, result
    assert rows(session, jo)["ack-v1"].status == "skipped"
    assert rows(session, jo)["ack-v1"].reason == "the custodian acknowledged the notice"
    assert not [m for m in messages(session) if m.recipient == "jo.doe@example.com"][1:]


def test_renotices_repeat_every_period(session, issued, sweep):
    jo = issued.people[0]

    sweep(rows(session, jo)["renotice-v1-1"].remind_at)

    second = rows(session, jo)["renotice-v1-2"]
    assert second.remind_at == datetime(2026, 8, 31, 13, 0, tzinfo=UTC)
    assert second.status == "pending"
    renotices = [m for m in messages(session) if m.subject.startswith("The legal hold still")]
    assert [m.recipient for m in renotices] == ["jo.doe@example.com", "sam@example.com"]


def test_releasing_the_hold_tells_everyone_and_cancels_every_reminder(session, issued, owner):
    service.release(session, issued, owner, "Matter settled", ISSUED + timedelta(days=1))
    session.commit()

    released = [m for m in messages(session) if m.subject.startswith("Legal hold released")]
    assert [m.recipient for m in released] == ["jo.doe@example.com", "sam@example.com"]
    for person in issued.people:
        pending = [row for row in rows(session, person).values() if row.status == "pending"]
        assert pending == []
        assert service.status_of(session, person) == "released"

    with pytest.raises(Conflict) as again:
        service.release(session, issued, owner, "again")
    assert "already released" in again.value.message


def test_a_released_hold_cannot_be_acknowledged_or_changed(session, issued, owner):
    _path, custodian_id, token = link_of(messages(session)[0])
    link, person = service.open_link(session, custodian_id, token, ISSUED)
    service.release(session, issued, owner, "Matter settled", ISSUED + timedelta(days=1))

    with pytest.raises(LinkRefused) as refused:
        service.acknowledge(session, link, person, "", ISSUED + timedelta(days=2))
    assert refused.value.reason == "released"
    with pytest.raises(Conflict):
        service.change_scope(session, issued, owner, Scope())
    with pytest.raises(Conflict):
        service.add_person(session, issued, owner, Person("New", "new@example.com"))


def test_a_scope_change_reissues_and_needs_a_new_acknowledgement(session, issued, owner):
    jo = issued.people[0]
    _path, custodian_id, old_token = link_of(messages(session)[0])
    link, person = service.open_link(session, custodian_id, old_token, ISSUED)
    service.acknowledge(session, link, person, "", ISSUED)
    later = ISSUED + timedelta(days=10)

    service.change_scope(
        session, issued, owner, Scope(subjects=("login service", "payment records")), now=later
    )
    session.commit()

    assert issued.version == 2
    assert service.status_of(session, jo, later) == "sent"
    changed = [m for m in messages(session) if "version 2" in m.subject]
    assert [m.recipient for m in changed] == ["jo.doe@example.com", "sam@example.com"]
    assert "payment records" in changed[0].body_text
    steps = {step: row.status for step, row in rows(session, jo).items()}
    assert steps["renotice-v1-1"] == "cancelled"
    assert steps["ack-v2"] == "pending" and steps["esc-v2"] == "pending"

    with pytest.raises(LinkRefused) as refused:
        service.open_link(session, custodian_id, old_token, later)
    assert refused.value.reason == "reused"  # acknowledged version 1; version 2 needs its own
    _path, _id, new_token = link_of(changed[0])
    new_link, _person = service.open_link(session, custodian_id, new_token, later)
    assert new_link.version == 2


def test_an_unacknowledged_old_version_link_is_superseded(session, issued, owner):
    _path, custodian_id, old_token = link_of(messages(session)[0])
    service.change_scope(session, issued, owner, Scope(subjects=("more",)), now=ISSUED)

    with pytest.raises(LinkRefused) as refused:
        service.open_link(session, custodian_id, old_token, ISSUED)
    assert refused.value.reason == "superseded"
    assert "most recent e-mail" in refused.value.message


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda cid, token: (cid, token[:-1] + ("A" if token[-1] != "A" else "B")), "altered"),
        (lambda cid, token: (cid, token[:20]), "altered"),
        (lambda cid, token: (cid + 1, token), "other_custodian"),
    ],
)
def test_altered_and_other_custodians_links_are_refused(session, issued, tamper, reason):
    _path, custodian_id, token = link_of(messages(session)[0])
    wrong_id, wrong_token = tamper(custodian_id, token)

    with pytest.raises(LinkRefused) as refused:
        service.open_link(session, wrong_id, wrong_token, ISSUED)
    assert refused.value.reason == reason


def test_an_expired_link_is_refused_and_says_the_hold_still_applies(session, issued):
    _path, custodian_id, token = link_of(messages(session)[0])

    with pytest.raises(LinkRefused) as refused:
        service.open_link(session, custodian_id, token, ISSUED + timedelta(days=30))
    assert refused.value.reason == "expired"
    assert "The hold still applies" in refused.value.message
    assert "ana.counsel@example.com" in refused.value.message


def test_a_refused_link_is_logged_without_personal_data_and_audited(session, issued, caplog):
    _path, custodian_id, token = link_of(messages(session)[0])
    try:
        service.open_link(session, custodian_id + 1, token, ISSUED)
    except LinkRefused as refused:
        with caplog.at_level(logging.WARNING):
            service.refuse(session, refused, custodian_id + 1)

    assert "other_custodian" in caplog.text
    assert token not in caplog.text and "example.com" not in caplog.text
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "hold.link_refused" and event.object_id == str(custodian_id)


def test_people_are_added_and_released_one_at_a_time(session, issued, owner):
    later = ISSUED + timedelta(days=2)
    added = service.add_person(
        session,
        issued,
        owner,
        Person("Kim Lee", "kim@example.com", manager_email="m@example.com"),
        later,
    )
    session.commit()
    assert messages(session)[-1].recipient == "kim@example.com"
    assert rows(session, added)["ack-v1"].remind_at == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)

    service.release_person(session, issued, added, owner, later)
    session.commit()
    assert messages(session)[-1].subject == "Legal hold released: Project Falcon breach"
    assert {
        row.status
        for step, row in rows(session, added).items()
        if step != "notice-v1" and step != "release"
    } == {"cancelled"}
    assert service.status_of(session, added) == "released"
    assert service.status_of(session, issued.people[0], later) == "sent"
    with pytest.raises(Conflict):
        service.release_person(session, issued, added, owner, later)
    with pytest.raises(Conflict):
        service.add_person(session, issued, owner, Person("Jo", "jo.doe@example.com"))


def test_bad_holds_are_refused_by_field(session, ctx, owner):
    with pytest.raises(ValidationError) as bad:
        service.create_hold(
            session,
            owner,
            name="X",
            people=[Person("Jo", "not-an-address", manager_email="also bad")],
        )
    assert set(bad.value.fields) == {"custodians.0.email", "custodians.0.manager_email"}

    with pytest.raises(ValidationError) as backwards:
        service.create_hold(
            session,
            owner,
            name="X",
            scope=Scope(starts_on=datetime(2026, 3, 1).date(), ends_on=datetime(2026, 2, 1).date()),
        )
    assert backwards.value.fields == {"scope.ends_on": "expected a date on or after the start"}


def test_a_draft_cannot_be_released_and_an_empty_hold_cannot_be_issued(session, ctx, owner):
    empty = service.create_hold(session, owner, name="Nobody yet")

    with pytest.raises(ValidationError):
        service.issue(session, empty, owner)
    with pytest.raises(Conflict):
        service.release(session, empty, owner, "no")


def test_every_change_writes_an_audit_row(session, issued, owner):
    service.release(session, issued, owner, "Matter settled", ISSUED + timedelta(days=1))
    session.commit()

    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "legal_hold")
    ).all()
    assert actions == ["hold.create", "hold.issue", "hold.release"]
    incident_ids = session.scalars(
        select(AuditEvent.incident_id).where(AuditEvent.object_type == "legal_hold")
    ).all()
    assert set(incident_ids) == {issued.incidents[0].id}
