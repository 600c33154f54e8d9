"""The indexes the list, the board and the incident page read through, and that they are used."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, select

from tracker.board import service
from tracker.incident.service import _search_query
from tracker.notice.models import Obligation

NOW = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)


def indexes(session, table):
    found = inspect(session.get_bind()).get_indexes(table)
    return {index["name"]: index["column_names"] for index in found}


def test_the_migrations_make_the_reading_indexes(db_session):
    obligations = indexes(db_session, "obligations")

    assert indexes(db_session, "incidents")["ix_incidents_list"] == ["created_at", "id"]
    assert obligations["ix_obligations_current"] == ["incident_id", "is_current"]
    assert obligations["ix_obligations_open"] == [
        "is_current",
        "due_at",
        "target_at",
        "incident_id",
    ]
    # A boolean alone picks out half the table: the two above serve what it served.
    assert "ix_obligations_is_current" not in obligations


def plan(session, query):
    """SQLite's plan for `query`, one line per step."""
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    rows = session.execute(select(1)).connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
    return [row[-1] for row in rows]


def test_sqlite_reads_through_them_without_table_statistics(session, make_incident, facts):
    incident = make_incident(facts)
    current = select(Obligation).where(
        Obligation.incident_id == incident.id, Obligation.is_current.is_(True)
    )
    # What the board's counts read of each current obligation: the two dates.
    counts = select(Obligation.due_at, Obligation.target_at).where(
        *service.current_conditions(service.Filters())
    )

    assert any("USING INDEX ix_obligations_current" in step for step in plan(session, current))
    assert any("USING COVERING INDEX ix_obligations_open" in step for step in plan(session, counts))
    listed = plan(session, _search_query(None, None, None, None).limit(50))
    assert listed == ["SCAN incidents USING INDEX ix_incidents_list"]
