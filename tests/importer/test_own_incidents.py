"""Imported incidents are history: the board, metrics, feeds and pickers leave them out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tracker.auth import access
from tracker.auth.service import create_token
from tracker.board import service as board_service
from tracker.errors import ValidationError
from tracker.incident import metrics
from tracker.incident import service as incidents
from tracker.notice import calendar

from .conftest import write_csv
from .test_washington import HEADER, run_import, wa_row

NOW = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)
# Row 1 was never reported (both of its notices are owed since 2021-04-01); row 2 was reported
# to the Attorney General in time, so only its notice to individuals is still open.
ROWS = [wa_row("1", "03/01/2021", ""), wa_row("2", "02/29/2020", "04/14/2020")]


@pytest.fixture
def own(make_incident):
    """The organisation's own incident: the default facts, five open obligations."""
    return make_incident()


@pytest.fixture
def imported(tmp_path, runner, session, own):
    run_import(runner, write_csv(tmp_path / "wa.csv", HEADER, ROWS))
    session.expire_all()
    return set(session.scalars(access.imported_query()))


def counts(session, **filters):
    board = board_service.get_board(session, board_service.Filters(**filters), NOW)
    return board.counts, board.total, [row.incident_id for row in board.rows]


def test_the_board_counts_only_own_incidents_unless_asked(session, own, imported):
    assert imported == {2, 3}
    assert counts(session) == (
        {"overdue": 1, "day": 2, "three_days": 0, "later": 2, "undated": 0},
        5,
        [1, 1, 1, 1, 1],
    )
    everything, total, rows = counts(session, imported=True)
    assert everything == {"overdue": 4, "day": 2, "three_days": 0, "later": 2, "undated": 0}
    assert total == 8
    assert sorted(set(rows)) == [1, 2, 3]


def test_the_imported_filter_is_read_from_the_query_string():
    assert board_service.parse_filters({"imported": "1"}).imported is True
    assert board_service.parse_filters({"imported": "on"}).imported is True
    assert board_service.parse_filters({}).imported is False
    assert board_service.parse_filters({"imported": "1"}).as_args() == {"imported": "1"}
    with pytest.raises(ValidationError) as refused:
        board_service.parse_filters({"imported": "yes please"})
    assert refused.value.fields == {"imported": "expected 1 to include imported records, or 0"}


def test_the_board_page_has_a_plain_form_box_for_imported_records(
    client, make_user, login, own, imported
):
    login(client, make_user("viewer"))

    own_only = client.get("/board").get_data(as_text=True)
    everything = client.get("/board?imported=1").get_data(as_text=True)

    assert "5 open obligations" in own_only
    assert "us-wa/individuals" not in own_only
    assert 'name="imported" value="1">' in own_only
    assert "8 open obligations matching the filters" in everything
    assert "us-wa/individuals" in everything
    assert 'name="imported" value="1" checked>' in everything


def test_an_import_leaves_the_metrics_as_they_were(session, runner, tmp_path, own):
    # By May the authority notice under GDPR and both Californian notices are due, none given.
    at = datetime(2026, 5, 1, tzinfo=UTC)
    before = metrics.get_metrics(session, at, viewer=access.TRACKER).overall
    session.rollback()
    run_import(runner, write_csv(tmp_path / "wa.csv", HEADER, ROWS))
    assert len(set(session.scalars(access.imported_query()))) == 2
    after = metrics.get_metrics(session, at, viewer=access.TRACKER).overall

    assert (after.incidents, after.notices_due, after.notices_on_time) == (1, 3, 0)
    assert after == before


def test_the_api_metrics_leave_imported_incidents_out(client, session, make_user, own, imported):
    _token, text = create_token(session, make_user("viewer"), "test setup", scope="read")
    session.commit()

    body = client.get("/api/v1/metrics", headers={"Authorization": f"Bearer {text}"}).get_json()

    assert (body["overall"]["incidents"], body["overall"]["notices_due"]) == (1, 3)
    assert body["overall"]["notices_on_time"] == 0


def test_the_calendar_feed_and_the_pickers_leave_imported_incidents_out(session, own, imported):
    feed = calendar.open_obligations(session, access.TRACKER)
    picked = incidents.get_all(session, viewer=access.TRACKER)
    every = incidents.get_all(session, viewer=access.TRACKER, include_imported=True)

    assert {row.incident_id for row in feed} == {1}
    assert len(feed) == 5
    assert [row.id for row in picked] == [1]
    assert sorted(row.id for row in every) == [1, 2, 3]


def test_evidence_and_hold_forms_offer_only_own_incidents(client, make_user, login, own, imported):
    login(client, make_user("administrator"))

    for address in ("/evidence/new", "/holds/new"):
        html = client.get(address).get_data(as_text=True)
        assert own.reference in html, address
        assert "Entity 1" not in html, address
        assert "Entity 2" not in html, address


def test_the_incident_list_marks_imported_incidents(client, make_user, login, own, imported):
    login(client, make_user("viewer"))

    html = client.get("/incidents").get_data(as_text=True)

    assert html.count(">Imported</span>") == 2
    assert "Entity 1" in html and own.reference in html


def test_the_board_count_query_still_reads_its_covering_index(session, own, imported):
    query = select(board_service.Obligation.due_at).where(
        *board_service.current_conditions(board_service.Filters())
    )
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    connection = session.execute(select(1)).connection
    steps = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]

    assert any("USING COVERING INDEX ix_obligations_open" in step for step in steps), steps
    assert any("ix_import_records_incident_id" in step for step in steps), steps
    assert not any(step.startswith("SCAN import_records") and "INDEX" not in step for step in steps)
