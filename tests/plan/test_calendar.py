"""The compliance calendar: the plan's duties, their dated tasks, reminders and evidence."""

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tracker.errors import ValidationError
from tracker.plan import calendar
from tracker.plan.models import Duty, DutyTask
from tracker.reminder.models import Reminder

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cadence", "today", "expected"),
    [
        ("monthly", date(2026, 12, 4), date(2026, 12, 31)),
        ("monthly", date(2027, 2, 1), date(2027, 2, 28)),
        ("quarterly", date(2026, 11, 30), date(2026, 12, 31)),
        ("quarterly", date(2027, 4, 1), date(2027, 6, 30)),
        ("annually", date(2027, 1, 1), date(2027, 12, 31)),
    ],
)
def test_a_builtin_duty_first_falls_at_the_end_of_its_period(cadence, today, expected):
    assert calendar.first_due(cadence, today) == expected


def test_month_end_duties_stay_on_month_ends_and_others_on_their_day():
    assert [calendar.nth_due(date(2026, 12, 31), "monthly", n) for n in range(4)] == [
        date(2026, 12, 31),
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]
    assert [calendar.nth_due(date(2027, 1, 15), "quarterly", n) for n in range(3)] == [
        date(2027, 1, 15),
        date(2027, 4, 15),
        date(2027, 7, 15),
    ]
    assert calendar.nth_due(date(2028, 2, 29), "annually", 1) == date(2029, 2, 28)


def test_the_migration_adds_the_plans_duties(session):
    duties = {duty.key: duty.cadence for duty in session.scalars(select(Duty))}
    assert duties == {
        "tabletop-exercise": "quarterly",
        "failover-test": "monthly",
        "disaster-recovery-test": "monthly",
        "communication-systems-test": "monthly",
        "escalation-procedure-test": "monthly",
        "full-simulation": "annually",
        "plan-review": "annually",
        "contact-list-update": "quarterly",
    }


@pytest.fixture
def drill_duty(session, make_user):
    admin = make_user("administrator")
    duty = calendar.add_duty(
        session,
        {
            "key": "backup-restore",
            "title": "Backup restore test",
            "cadence": "monthly",
            "first_due_on": "2027-01-31",
            "timezone": "Europe/Dublin",
            "owner": "Ops@Example.com",
        },
        admin,
    )
    session.commit()
    return duty


def test_laying_out_makes_a_years_tasks_once(session, drill_duty):
    calendar.lay_out(session, NOW)
    session.commit()
    dues = [task.due_on for task in drill_duty.tasks]
    assert dues[:3] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    assert dues[-1] == date(2027, 11, 30)
    assert len(dues) == 11
    assert calendar.lay_out(session, NOW) == 0
    assert {task.owner for task in drill_duty.tasks} == {"ops@example.com"}


def test_a_tasks_reminders_are_local_dates_in_its_zone(session, drill_duty):
    calendar.lay_out(session, NOW)
    session.commit()
    task = drill_duty.tasks[0]
    rows = session.scalars(
        select(Reminder)
        .where(Reminder.target_kind == "duty_task", Reminder.target_id == task.id)
        .order_by(Reminder.remind_at)
    ).all()
    # Due by the end of 31 January 2027 in Dublin (GMT, UTC+0).
    assert [(row.step, row.remind_at) for row in rows[:4]] == [
        ("7d", datetime(2027, 1, 25, 0, 0, tzinfo=UTC)),
        ("1d", datetime(2027, 1, 31, 0, 0, tzinfo=UTC)),
        ("due", datetime(2027, 2, 1, 0, 0, tzinfo=UTC)),
        ("overdue-1", datetime(2027, 2, 2, 0, 0, tzinfo=UTC)),
    ]
    # The April task ends at midnight Irish Summer Time, 23:00 UTC the day before.
    april = next(t for t in drill_duty.tasks if t.due_on == date(2027, 4, 30))
    due = session.scalars(
        select(Reminder.remind_at).where(
            Reminder.target_kind == "duty_task",
            Reminder.target_id == april.id,
            Reminder.step == "due",
        )
    ).one()
    assert due == datetime(2027, 4, 30, 23, 0, tzinfo=UTC)


def test_a_duty_is_checked_field_by_field(session, make_user):
    with pytest.raises(ValidationError) as caught:
        calendar.add_duty(
            session,
            {
                "key": "Bad Key",
                "cadence": "weekly",
                "first_due_on": "soon",
                "timezone": "Mars/Base",
            },
            make_user("administrator"),
        )
    assert caught.value.fields == {
        "key": "expected lower-case letters, digits and hyphens; got 'Bad Key'",
        "title": "required",
        "cadence": "expected one of monthly, quarterly, annually; got 'weekly'",
        "timezone": "expected an IANA time zone such as Europe/Dublin; got 'Mars/Base'",
        "first_due_on": "expected a date as YYYY-MM-DD; got 'soon'",
    }


def test_completing_a_task_needs_evidence_and_records_who_took_part(
    session, drill_duty, make_user, tmp_path
):
    responder = make_user("responder")
    calendar.lay_out(session, NOW)
    task = drill_duty.tasks[0]
    with pytest.raises(ValidationError, match="Record the evidence of completion"):
        calendar.complete_task(session, task, " ", [], responder)

    evidence = calendar.add_evidence(
        session,
        task,
        tmp_path,
        "../restore log.txt",
        "text/plain",
        io.BytesIO(b"restored"),
        responder,
    )
    calendar.complete_task(session, task, "", ["Ops team", " ", "DBA on call"], responder)
    session.commit()

    assert (evidence.filename, evidence.size) == ("restore log.txt", 8)
    assert evidence.sha256 == "eb00bf0aba491c620ddf47bf68068be4cc52c39bf3b8b554e2c51ff74e5e915e"
    assert (tmp_path / evidence.stored_name).read_bytes() == b"restored"
    assert (task.status, task.completed_by_id, task.participants) == (
        "done",
        responder.id,
        ["Ops team", "DBA on call"],
    )
    pending = session.scalars(
        select(Reminder.status).where(
            Reminder.target_kind == "duty_task", Reminder.target_id == task.id
        )
    ).all()
    assert set(pending) == {"cancelled"}


def test_the_calendar_page_lists_tasks_and_records_one(signed_in, session):
    client, _ = signed_in("responder")
    page = client.get("/calendar").get_data(as_text=True)
    assert "Tabletop exercise" in page
    assert "Technical test: failover" in page
    session.rollback()
    task = session.scalars(
        select(DutyTask).join(Duty).where(Duty.key == "failover-test").order_by(DutyTask.due_on)
    ).first()
    assert client.get(f"/calendar/tasks/{task.id}").status_code == 200
    upload = client.post(
        f"/calendar/tasks/{task.id}/evidence",
        data={"file": (io.BytesIO(b"failover ok"), "failover.txt")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    response = client.post(
        f"/calendar/tasks/{task.id}/complete",
        data={"notes": "Failed over to the second region in 4 minutes", "participants": "Ana\nBo"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "recorded as done" in page
    assert "Failed over to the second region in 4 minutes" in page
    assert "Ana, Bo" in page
    assert "failover.txt" in page


def test_only_administrators_add_duties(signed_in):
    client, _ = signed_in("counsel")
    assert client.post("/calendar/duties", data={"key": "x"}).status_code == 403
    viewer, _ = signed_in("viewer")
    assert viewer.get("/calendar").status_code == 200


def test_an_administrator_adds_a_duty_from_the_page(signed_in, session):
    client, _ = signed_in("administrator")
    bad = client.post("/calendar/duties", data={"key": "x", "cadence": "weekly"})
    assert bad.status_code == 422
    assert "expected one of monthly, quarterly, annually" in bad.get_data(as_text=True)
    good = client.post(
        "/calendar/duties",
        data={
            "key": "vendor-review",
            "title": "Vendor contact review",
            "cadence": "quarterly",
            "first_due_on": "2027-03-31",
            "timezone": "Europe/Dublin",
        },
    )
    assert good.status_code == 302
    session.rollback()
    duty = session.scalars(select(Duty).where(Duty.key == "vendor-review")).one()
    assert [task.due_on for task in duty.tasks][:2] == [date(2027, 3, 31), date(2027, 6, 30)]
