"""The post-mortem: due date from the policy obligation, the agenda, five whys, actions."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.plan.conftest import meet_closure_criteria
from tracker.audit.models import AuditEvent
from tracker.auth import access
from tracker.errors import Conflict, ValidationError
from tracker.incident import service as incidents
from tracker.plan import postmortem
from tracker.reminder.models import Reminder

ACTION = {
    "description": "Enforce MFA on the customer portal",
    "owner": "Sam.Owner@Example.com",
    "priority": "high",
    "due_on": "2026-03-07",
    "success_measure": "No password-only sign-in in 30 days of logs",
}


@pytest.fixture
def resolved(session, make_incident, facts):
    """An incident resolved on Tuesday 2026-03-10 at 12:00 in New York."""
    facts["events"]["resolved_at"] = "2026-03-10T12:00:00-04:00"
    incident = make_incident(facts)
    meet_closure_criteria(session, incident)
    incidents.change_status(session, incident, "resolved", None)
    session.commit()
    return incident


@pytest.fixture
def record(session, resolved, make_user):
    post_mortem = postmortem.open_post_mortem(session, resolved, make_user("responder"))
    session.commit()
    return post_mortem


def test_the_post_mortem_is_due_five_irish_business_days_after_resolution(session, resolved):
    # Establishment IE: Tuesday 17 March (St Patrick's Day) is skipped.
    obligation = postmortem.get_obligation(session, resolved)
    assert obligation.key == "policy/internal/post_mortem"
    assert obligation.due_at == datetime(2026, 3, 19, 3, 59, 59, 999999, tzinfo=UTC)
    assert obligation.basis == (
        "5 business days after resolution on 2026-03-10 ends 2026-03-18 23:59 EDT"
    )


def test_a_post_mortem_waits_for_resolution(session, make_incident, make_user):
    incident = make_incident()
    with pytest.raises(Conflict) as caught:
        postmortem.open_post_mortem(session, incident, make_user("responder"))
    assert caught.value.message == (
        "The post-mortem starts once the incident is resolved; it is detected."
    )


def test_opening_gives_five_empty_whys(record):
    assert [(why.position, why.answer) for why in record.whys] == [
        (1, ""),
        (2, ""),
        (3, ""),
        (4, ""),
        (5, ""),
    ]


def test_each_why_answer_is_recorded_with_its_author(session, record, make_user):
    author = make_user("responder", name="Wendy Why")
    why = postmortem.answer_why(
        session, record, 2, "Why were passwords enough?", "MFA was optional", author
    )
    session.commit()
    assert (why.question, why.answer, why.answered_by_id) == (
        "Why were passwords enough?",
        "MFA was optional",
        author.id,
    )
    assert why.answered_at is not None
    with pytest.raises(ValidationError) as caught:
        postmortem.answer_why(session, record, 3, "Why?", "  ", author)
    assert caught.value.fields == {"whys[3].answer": "required"}
    with pytest.raises(Exception, match="runs 1 to 5|they run 1 to 5"):
        postmortem.answer_why(session, record, 6, "Why?", "Because", author)


def test_the_agenda_is_audited_and_refuses_unknown_fields(session, record, make_user):
    author = make_user("responder")
    changed = postmortem.update_agenda(
        session, record, {"impact": " 1,200 accounts exposed ", "timeline": ""}, author
    )
    assert changed == {"impact": "1,200 accounts exposed"}
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.before, event.after) == (
        "post_mortem.update",
        '{"impact":""}',
        '{"impact":"1,200 accounts exposed"}',
    )
    with pytest.raises(ValidationError) as caught:
        postmortem.update_agenda(session, record, {"lessons": "x"}, author)
    assert caught.value.fields == {
        "lessons": "unknown field; expected one of timeline, impact, root_cause, "
        "response_effectiveness, improvements"
    }


def test_completion_needs_the_whole_agenda_and_five_answers(session, record, make_user):
    author = make_user("responder")
    with pytest.raises(ValidationError) as caught:
        postmortem.complete(session, record, author)
    assert list(caught.value.fields) == [
        "timeline",
        "impact",
        "root_cause",
        "response_effectiveness",
        "improvements",
        "whys[1].answer",
        "whys[2].answer",
        "whys[3].answer",
        "whys[4].answer",
        "whys[5].answer",
    ]
    postmortem.update_agenda(
        session, record, {name: "Written" for name in postmortem.AGENDA}, author
    )
    for position in range(1, 6):
        postmortem.answer_why(session, record, position, f"Why {position}?", "Because", author)
    postmortem.complete(session, record, author)
    assert record.completed_by_id == author.id


def test_an_action_is_checked_field_by_field(session, record, make_user):
    with pytest.raises(ValidationError) as caught:
        postmortem.add_action(
            session,
            record,
            {"description": "", "owner": "sam", "priority": "urgent", "due_on": "07/03/2026"},
            make_user("responder"),
        )
    assert caught.value.fields == {
        "description": "required",
        "owner": "expected the owner's e-mail address; got 'sam'",
        "priority": "expected one of high, medium, low; got 'urgent'",
        "success_measure": "required: say how success will be measured",
        "due_on": "expected a date as YYYY-MM-DD; got '07/03/2026'",
    }


def test_an_action_is_reminded_before_and_after_its_local_due_date(session, record, make_user):
    values = {**ACTION, "due_on": "2027-03-13"}
    action = postmortem.add_action(session, record, values, make_user("responder"))
    session.commit()

    assert (action.owner, action.status, action.due_on) == (
        "sam.owner@example.com",
        "pending",
        date(2027, 3, 13),
    )
    # Due by the end of Saturday 13 March 2027 in New York (EST); clocks move on 14 March.
    assert postmortem.due_at(action) == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)
    rows = session.scalars(
        select(Reminder)
        .where(Reminder.target_kind == "action", Reminder.target_id == action.id)
        .order_by(Reminder.remind_at)
    ).all()
    assert [(row.step, row.remind_at, row.status) for row in rows[:6]] == [
        ("72h", datetime(2027, 3, 11, 5, 0, tzinfo=UTC), "pending"),
        ("24h", datetime(2027, 3, 13, 5, 0, tzinfo=UTC), "pending"),
        ("due", datetime(2027, 3, 14, 5, 0, tzinfo=UTC), "pending"),
        # Midnight in New York after the change to EDT: 04:00 UTC.
        ("overdue-1", datetime(2027, 3, 15, 4, 0, tzinfo=UTC), "pending"),
        ("overdue-2", datetime(2027, 3, 16, 4, 0, tzinfo=UTC), "pending"),
        ("overdue-3", datetime(2027, 3, 17, 4, 0, tzinfo=UTC), "pending"),
    ]
    assert len(rows) == 17
    assert {row.incident_id for row in rows} == {record.incident_id}


def test_an_action_entered_late_skips_the_reminders_already_past(session, record, make_user):
    action = postmortem.add_action(session, record, ACTION, make_user("responder"))
    session.commit()
    rows = session.scalars(
        select(Reminder).where(Reminder.target_kind == "action", Reminder.target_id == action.id)
    ).all()
    # Entered after its due date: the steps before it fall before the action existed.
    assert {row.kind for row in rows} == {"overdue"}
    assert {row.status for row in rows} == {"skipped"}


def test_completing_an_action_cancels_its_pending_reminders(session, record, make_user):
    author = make_user("responder")
    values = {**ACTION, "due_on": "2999-01-31"}
    action = postmortem.add_action(session, record, values, author)
    postmortem.set_action_status(session, action, "in_progress", author)
    postmortem.set_action_status(session, action, "completed", author)
    session.commit()

    statuses = session.scalars(
        select(Reminder.status).where(Reminder.target_kind == "action").distinct()
    ).all()
    assert statuses == ["cancelled"]
    assert action.completed_at is not None
    with pytest.raises(ValidationError, match="is not one of pending, in_progress, completed"):
        postmortem.set_action_status(session, action, "done", author)


def test_overdue_actions_across_incidents_count_in_each_incidents_zone(
    session, record, make_user, make_incident, facts
):
    author = make_user("responder")
    late = postmortem.add_action(session, record, {**ACTION, "due_on": "2026-03-07"}, author)
    on_time = postmortem.add_action(session, record, {**ACTION, "due_on": "2026-03-08"}, author)
    done = postmortem.add_action(session, record, {**ACTION, "due_on": "2026-03-01"}, author)
    postmortem.set_action_status(session, done, "completed", author)
    session.commit()

    # 2026-03-08T04:30Z is still 7 March, 23:30 in New York.
    assert (
        postmortem.overdue_actions(
            session, datetime(2026, 3, 8, 4, 30, tzinfo=UTC), viewer=access.TRACKER
        )
        == []
    )
    assert postmortem.overdue_actions(
        session, datetime(2026, 3, 8, 5, 0, tzinfo=UTC), viewer=access.TRACKER
    ) == [late]
    later = postmortem.overdue_actions(
        session, datetime(2026, 3, 9, 4, 0, tzinfo=UTC), viewer=access.TRACKER
    )
    assert later == [late, on_time]


# Pages.


def test_the_post_mortem_page_shows_the_due_date_and_runs_the_review(signed_in, session, resolved):
    client, _ = signed_in("responder")
    page = client.get(f"/incidents/{resolved.id}/post-mortem").get_data(as_text=True)
    assert "No post-mortem has been opened." in page
    assert '<time datetime="2026-03-19T03:59:59.999999+00:00">' in page

    assert client.post(f"/incidents/{resolved.id}/post-mortem").status_code == 302
    client.post(
        f"/incidents/{resolved.id}/post-mortem/whys/1",
        data={"question": "Why did the attack work?", "answer": "Reused passwords"},
    )
    bad = client.post(f"/incidents/{resolved.id}/post-mortem/actions", data={**ACTION, "owner": ""})
    assert bad.status_code == 422
    assert "expected the owner&#39;s e-mail address" in bad.get_data(as_text=True)
    client.post(f"/incidents/{resolved.id}/post-mortem/actions", data=ACTION)

    page = client.get(f"/incidents/{resolved.id}/post-mortem").get_data(as_text=True)
    assert "Reused passwords" in page
    assert "Enforce MFA on the customer portal" in page
    assert "sam.owner@example.com" in page


def test_the_overdue_view_lists_late_actions(signed_in, session, record, make_user):
    postmortem.add_action(session, record, ACTION, make_user("responder"))
    session.commit()
    client, _ = signed_in("viewer")
    page = client.get("/actions/overdue").get_data(as_text=True)
    assert "1 overdue" in page
    assert "Enforce MFA on the customer portal" in page
    assert (
        client.post(
            f"/actions/{record.actions[0].id}/status", data={"status": "completed"}
        ).status_code
        == 403
    )


def test_the_signed_post_mortem_pdf(signed_in, session, record, make_user, app):
    from io import BytesIO

    from pypdf import PdfReader

    author = make_user("responder")
    postmortem.update_agenda(session, record, {"root_cause": "Optional MFA"}, author)
    postmortem.answer_why(session, record, 1, "Why?", "Passwords were reused", author)
    postmortem.add_action(session, record, ACTION, author)
    session.commit()

    client, _ = signed_in("counsel")
    response = client.post(f"/incidents/{record.incident_id}/post-mortem/report")
    assert response.status_code == 302
    pdf = client.get(response.headers["Location"])
    assert pdf.status_code == 200
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf.data)).pages
    )
    assert "Post-mortem report" in text
    assert "Optional MFA" in text
    assert "Passwords were reused" in text
    assert "Enforce MFA on the customer portal" in text
    assert "2026-03-07 (overdue)" in text
    from tracker.report.models import ReportExport

    export = session.scalars(select(ReportExport)).one()
    assert export.kind == "post_mortem"


def test_a_post_mortem_pdf_needs_a_post_mortem(signed_in, resolved):
    client, _ = signed_in("counsel")
    response = client.post(f"/incidents/{resolved.id}/post-mortem/report", follow_redirects=True)
    assert f"The incident {resolved.reference} has no post-mortem yet" in response.get_data(
        as_text=True
    )
