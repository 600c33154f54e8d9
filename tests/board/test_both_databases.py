"""The board, feeds and metrics queries on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from tracker.auth import access
from tracker.board import service
from tracker.incident import metrics
from tracker.incident.service import create_incident
from tracker.notice import calendar
from tracker.notice import service as notice_service
from tracker.notice.lifecycle import record_notice

NOW = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)


def test_board_feed_and_metrics_read_the_same_on_both(db_session, facts):
    from tracker.auth.service import create_user

    counsel = create_user(
        db_session, "c@example.com", "counsel", "board test passphrase", "test setup"
    )
    incident = create_incident(db_session, facts, None)
    rows = {row.key: row for row in notice_service.get_obligations(db_session, incident)}
    given = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    record_notice(db_session, rows["gdpr/supervisory_authority"], counsel, given, "portal")
    db_session.commit()

    board = service.get_board(db_session, service.Filters(), NOW)
    feed = Calendar.from_ical(
        calendar.feed_ics(calendar.open_obligations(db_session, access.TRACKER), "x", "http://t")
    )
    figures = metrics.get_metrics(
        db_session, datetime(2026, 4, 10, tzinfo=UTC), viewer=access.TRACKER
    ).overall

    assert [row.key for row in board.rows] == [
        "policy/internal/response",
        "gdpr/individuals",
        "us-ca/individuals",
        "us-ca/attorney_general",
    ]
    assert board.counts == {"overdue": 1, "day": 1, "three_days": 0, "later": 2, "undated": 0}
    assert board.rows[1].target_at == datetime(2026, 3, 8, 14, 30, tzinfo=UTC)
    assert len(feed.walk("VEVENT")) == 4
    assert (figures.notices_on_time, figures.notices_due) == (1, 2)
    assert figures.time_to_detect is not None
