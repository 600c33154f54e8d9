"""The deadline board: open obligations of every incident, soonest first, in urgency bands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from tracker.board import service
from tracker.board.service import Filters, urgency
from tracker.errors import ValidationError
from tracker.notice.lifecycle import mark_not_required, record_notice
from tracker.reminder.models import MailMessage, Reminder

# The default facts: discovered 2026-03-05 09:30 in New York (14:30 UTC).
NOW = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)
INTERNAL_DUE = datetime(2026, 3, 5, 14, 45, tzinfo=UTC)
GDPR_DUE = datetime(2026, 3, 8, 14, 30, tzinfo=UTC)
CA_INDIVIDUALS_DUE = datetime(2026, 4, 5, 3, 59, 59, 999999, tzinfo=UTC)
CA_AG_DUE = datetime(2026, 4, 20, 3, 59, 59, 999999, tzinfo=UTC)


def board(session, **filters):
    return service.get_board(session, Filters(**filters), NOW)


def keys(result):
    return [row.key for row in result.rows]


@pytest.mark.parametrize(
    ("deadline", "band"),
    [
        (NOW - timedelta(microseconds=1), "overdue"),
        (NOW, "day"),
        (NOW + timedelta(hours=24) - timedelta(microseconds=1), "day"),
        (NOW + timedelta(hours=24), "three_days"),
        (NOW + timedelta(hours=72) - timedelta(microseconds=1), "three_days"),
        (NOW + timedelta(hours=72), "later"),
        (None, "undated"),
    ],
)
def test_urgency_bands_have_exact_edges(deadline, band):
    assert urgency(deadline, NOW) == band


def test_open_obligations_soonest_first_with_counts_by_urgency(session, incident):
    result = board(session)

    assert [(row.key, row.deadline_at) for row in result.rows] == [
        ("policy/internal/response", INTERNAL_DUE),
        ("gdpr/supervisory_authority", GDPR_DUE),
        ("gdpr/individuals", GDPR_DUE),
        ("us-ca/individuals", CA_INDIVIDUALS_DUE),
        ("us-ca/attorney_general", CA_AG_DUE),
    ]
    assert result.counts == {"overdue": 1, "day": 2, "three_days": 0, "later": 2, "undated": 0}
    assert result.total == 5
    assert result.pages == 1
    individuals = result.rows[2]
    assert (individuals.due_at, individuals.target_at) == (None, GDPR_DUE)
    assert [row.urgency(NOW) for row in result.rows] == ["overdue", "day", "day", "later", "later"]


def test_a_met_obligation_leaves_the_board(session, incident, obligation, counsel):
    record_notice(
        session,
        obligation("gdpr/supervisory_authority"),
        counsel,
        datetime(2026, 3, 6, 12, 0, tzinfo=UTC),
        "portal",
        reference="DPC-1",
    )
    mark_not_required(session, obligation("policy/internal/response"), counsel, "Handled by IT")
    session.commit()

    result = board(session)

    assert "gdpr/supervisory_authority" not in keys(result)
    assert "policy/internal/response" not in keys(result)
    assert result.counts == {"overdue": 0, "day": 1, "three_days": 0, "later": 2, "undated": 0}


def test_filters_by_regime_recipient_assignee_and_incident(session, incident, make_incident, facts):
    facts["incident"]["assigned_to"] = "eli@example.com"
    other = make_incident(facts)

    assert board(session).total == 10
    assert keys(board(session, regime="us-ca", incident=incident.reference)) == [
        "us-ca/individuals",
        "us-ca/attorney_general",
    ]
    assert board(session, recipient="individuals").total == 4
    assert board(session, assignee="dana@example.com").total == 5
    assert board(session, assignee="nobody@example.com").total == 0
    assert {row.incident_id for row in board(session, incident=str(other.id)).rows} == {other.id}
    lower = board(session, incident=incident.reference.lower())
    assert {row.reference for row in lower.rows} == {incident.reference}


def test_parse_filters_reads_the_query_and_refuses_a_bad_page():
    filters = service.parse_filters({"regime": " gdpr ", "assignee": "Dana@Example.com"})
    assert filters == Filters(regime="gdpr", assignee="dana@example.com", page=1)

    for page in ("0", "²", "1" * 4400):
        with pytest.raises(ValidationError) as caught:
            service.parse_filters({"page": page})
        assert caught.value.fields == {"page": "expected a whole number from 1 to 999999999"}


def test_undated_obligations_come_last_across_pages(session, incident, obligation, monkeypatch):
    held = obligation("us-ca/individuals")
    held.due_at, held.target_at, held.due_kind = None, None, "tolled"
    session.commit()
    monkeypatch.setattr(service, "PAGE_SIZE", 2)

    pages = [board(session, page=page) for page in (1, 2, 3)]

    assert [keys(page) for page in pages] == [
        ["policy/internal/response", "gdpr/supervisory_authority"],
        ["gdpr/individuals", "us-ca/attorney_general"],
        ["us-ca/individuals"],
    ]
    assert pages[0].counts["undated"] == 1
    assert pages[0].pages == 3


def test_failed_reminder_deliveries_are_flagged(session, incident, obligation):
    target = obligation("gdpr/supervisory_authority")
    reminder = session.scalars(
        select(Reminder).where(
            Reminder.target_kind == "obligation", Reminder.target_id == target.id
        )
    ).first()
    reminder.status = "queued"
    for number, status in enumerate(("failed", "failed", "sent")):
        session.add(
            MailMessage(
                reminder_id=reminder.id,
                recipient="dana@example.com",
                subject="Deadline",
                body_text="",
                body_html="",
                message_id=f"<m{number}@tracker>",
                status=status,
                last_error="550 mailbox unavailable",
            )
        )
    unmade = session.scalars(
        select(Reminder).where(
            Reminder.target_kind == "obligation",
            Reminder.target_id == obligation("us-ca/individuals").id,
        )
    ).first()
    unmade.status = "failed"
    session.commit()

    result = board(session)

    assert {row.key: row.failed_reminders for row in result.rows} == {
        "policy/internal/response": 0,
        "gdpr/supervisory_authority": 1,
        "gdpr/individuals": 0,
        "us-ca/individuals": 1,
        "us-ca/attorney_general": 0,
    }
    assert result.failed == 2


def test_the_page_costs_the_same_queries_however_many_incidents(session, make_incident, facts):
    make_incident(facts)
    one = _statements(session)
    for _ in range(4):
        make_incident(facts)

    assert _statements(session) == one
    # Two for the counts (current obligations, then the settled ones to take away), one for
    # the rows, two for the filter lists.
    assert one == 5


def _statements(session) -> int:
    seen = []
    engine = session.get_bind()

    def count(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        board(session)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)
