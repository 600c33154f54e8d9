"""Completing the post-mortem meets the policy obligation: the board, reminders and record."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.plan.conftest import meet_closure_criteria
from tracker.audit.models import AuditEvent
from tracker.auth import access
from tracker.board.service import Filters, get_board
from tracker.incident import service as incidents
from tracker.notice import lifecycle
from tracker.plan import postmortem
from tracker.reminder.models import Reminder

DUE = datetime(2026, 3, 19, 3, 59, 59, 999999, tzinfo=UTC)
KEY = "policy/internal/post_mortem"


@pytest.fixture
def resolve(session, make_incident, facts, clock):
    """Resolve a new incident on Tuesday 2026-03-10 at 12:00 in New York, reminders planned then."""
    clock(datetime(2026, 3, 10, 16, 30, tzinfo=UTC))

    def build():
        facts["events"]["resolved_at"] = "2026-03-10T12:00:00-04:00"
        facts["incident"]["assigned_to"] = "j.doe@example.com"
        incident = make_incident(facts)
        meet_closure_criteria(session, incident)
        incidents.change_status(session, incident, "resolved", None)
        session.commit()
        return incident

    return build


def _complete(session, incident, author, monkeypatch, at):
    record = postmortem.open_post_mortem(session, incident, author)
    postmortem.update_agenda(
        session, record, {name: "Written" for name in postmortem.AGENDA}, author
    )
    for position in range(1, 6):
        postmortem.answer_why(session, record, position, "Why?", f"Because {position}", author)
    monkeypatch.setattr(postmortem, "now_utc", lambda: at)
    postmortem.complete(session, record, author)
    session.commit()
    return postmortem.get_obligation(session, incident)


def _open_keys(session, now):
    board = get_board(session, Filters(viewer=access.TRACKER), now)
    return sorted((row.reference, row.key) for row in board.rows if row.key == KEY)


def _post_mortem_mail(smtp_server):
    return sorted(
        (message["Subject"].split("]")[0][1:], message["Subject"])
        for message in smtp_server.mailbox.messages
        if KEY in message["Subject"]
    )


def test_completing_before_the_due_date_meets_it_and_stops_its_reminders(
    session,
    resolve,
    make_user,
    monkeypatch,
    smtp_server,
    sweeper,
):
    make_user("counsel", "ana@example.com")
    done, waiting = resolve(), resolve()
    author = make_user("responder", name="Rita Review")
    assert postmortem.get_obligation(session, done).due_at == DUE
    assert _open_keys(session, datetime(2026, 3, 16, 14, 0, tzinfo=UTC)) == [
        (done.reference, KEY),
        (waiting.reference, KEY),
    ]

    obligation = _complete(
        session, done, author, monkeypatch, datetime(2026, 3, 16, 14, 0, tzinfo=UTC)
    )

    assert obligation.is_settled
    notice = obligation.notices[-1]
    assert (notice.status, notice.sent_at, notice.sent_by_id, notice.due_at_sent) == (
        "sent",
        datetime(2026, 3, 16, 14, 0, tzinfo=UTC),
        author.id,
        DUE,
    )
    assert not lifecycle.is_late(obligation, notice.sent_at)
    assert _open_keys(session, datetime(2026, 3, 20, 15, 0, tzinfo=UTC)) == [
        (waiting.reference, KEY)
    ]

    # Past the due date, only the review still waiting is chased.
    sweeper(datetime(2026, 3, 20, 15, 0, tzinfo=UTC), SMTP_URL=smtp_server.url)
    assert {reference for reference, _ in _post_mortem_mail(smtp_server)} == {waiting.reference}
    session.expire_all()
    rows = session.scalars(
        select(Reminder).where(
            Reminder.target_kind == "obligation", Reminder.target_id == obligation.id
        )
    ).all()
    assert rows and {row.status for row in rows} <= {"cancelled", "skipped"}


def test_completing_after_the_due_date_is_recorded_late_and_ends_the_escalation(
    session,
    resolve,
    make_user,
    monkeypatch,
    smtp_server,
    sweeper,
):
    make_user("counsel", "ana@example.com")
    incident = resolve()
    author = make_user("responder", name="Rita Review")
    sweeper(datetime(2026, 3, 19, 15, 0, tzinfo=UTC), SMTP_URL=smtp_server.url)
    chased = _post_mortem_mail(smtp_server)
    due_now = f"[{incident.reference}] Due now: {KEY} — due now, "
    assert chased == [
        (incident.reference, due_now + "2026-03-18 23:59:59 EDT"),
        (incident.reference, due_now + "2026-03-19 03:59:59 UTC"),
    ]

    obligation = _complete(
        session, incident, author, monkeypatch, datetime(2026, 3, 20, 14, 0, tzinfo=UTC)
    )

    notice = obligation.notices[-1]
    assert (notice.sent_at, notice.due_at_sent) == (datetime(2026, 3, 20, 14, 0, tzinfo=UTC), DUE)
    assert lifecycle.is_late(obligation, notice.sent_at)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "notice.met")).one()
    after = json.loads(event.after)
    assert (event.actor_id, after["late"], after["sent_at"]) == (
        author.id,
        True,
        "2026-03-20T14:00:00+00:00",
    )
    assert _open_keys(session, datetime(2026, 3, 23, 15, 0, tzinfo=UTC)) == []

    sweeper(datetime(2026, 3, 27, 15, 0, tzinfo=UTC), SMTP_URL=smtp_server.url)
    assert _post_mortem_mail(smtp_server) == chased
