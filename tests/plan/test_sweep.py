"""The plan's reminders go out through the reminder sweep, and an exercise's stay among its
participants."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests.plan.conftest import meet_closure_criteria
from tracker.incident import service as incidents
from tracker.plan import exercise, postmortem
from tracker.reminder.models import MailMessage, Reminder

ACTION = {
    "description": "Enforce MFA on the customer portal",
    "owner": "sam@example.com",
    "priority": "high",
    "due_on": "2027-03-13",
    "success_measure": "No password-only sign-in in 30 days of logs",
}


def _action(session, incident, author):
    meet_closure_criteria(session, incident)
    incidents.change_status(session, incident, "resolved", author)
    record = postmortem.open_post_mortem(session, incident, author)
    action = postmortem.add_action(session, record, ACTION, author)
    session.commit()
    return action


def _sweep(make_app, at):
    from tracker.reminder.service import settings
    from tracker.reminder.sweep import run_sweep

    app = make_app()
    with app.app_context():
        return run_sweep(app.extensions["tracker.sessions"], settings(), at)


def test_the_owner_is_reminded_three_days_before(session, make_incident, make_user, make_app):
    action = _action(session, make_incident(), make_user("responder"))

    result = _sweep(make_app, datetime(2027, 3, 11, 5, 0, tzinfo=UTC))

    assert (result.queued, result.messages) == (1, 1)
    session.expire_all()
    message = session.scalars(select(MailMessage)).one()
    assert (message.recipient, message.recipient_role, message.status) == (
        "sam@example.com",
        "owner",
        "kept",
    )
    assert message.subject == (
        "[INC-2026-0001] Action coming due: Enforce MFA on the customer portal"
    )
    assert "Due:             2027-03-13, by the end of the day in America/New_York" in (
        message.body_text
    )
    assert "(due in 3 days)" in message.body_text
    reminder = session.get(Reminder, message.reminder_id)
    assert (reminder.target_kind, reminder.target_id, reminder.step) == ("action", action.id, "72h")


def test_a_completed_action_sends_nothing(session, make_incident, make_user, make_app):
    author = make_user("responder")
    action = _action(session, make_incident(), author)
    # Completed behind the service's back: the sweep still checks before sending.
    action.status = "completed"
    session.commit()

    result = _sweep(make_app, datetime(2027, 3, 11, 5, 0, tzinfo=UTC))

    # The incident's overdue obligations, the post-mortem's among them, fall due in the same
    # sweep and find nobody to write to; the action's own reminder is skipped.
    assert result.queued == 0
    session.expire_all()
    swept = select(Reminder).where(Reminder.target_kind == "action", Reminder.status != "pending")
    reminder = session.scalars(swept).one()
    assert (reminder.step, reminder.status, reminder.reason) == (
        "72h",
        "skipped",
        "the action was completed",
    )
    assert session.scalars(select(MailMessage)).first() is None


def test_an_exercises_action_owner_outside_it_gets_no_mail(session, facts, make_user, make_app):
    drill = exercise.start_exercise(session, facts, [("", "pat@example.com")], None)
    session.commit()
    _action(session, drill, make_user("responder"))

    _sweep(make_app, datetime(2027, 3, 11, 5, 0, tzinfo=UTC))

    session.expire_all()
    message = session.scalars(select(MailMessage)).one()
    assert (message.recipient, message.status, message.attempts) == ("sam@example.com", "kept", 0)
    assert message.last_error.startswith("Not sent: the incident is an exercise")
