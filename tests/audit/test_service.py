import json

import pytest
from sqlalchemy import select, text

from tracker.audit.models import GENESIS_HASH, AuditEvent
from tracker.audit.service import (
    Change,
    get_incident_history,
    record,
    record_many,
    row_hash,
    verify_chain,
)
from tracker.auth.service import create_user
from tracker.incident import service as incidents


@pytest.fixture
def chain(db_session, facts):
    """Five audited changes: an incident, its status, a timeline entry, a user, facts."""
    incident = incidents.create_incident(db_session, facts, None)
    incidents.change_status(db_session, incident, "investigating", None)
    incidents.add_timeline_entry(db_session, incident, "Reset all sessions", None)
    create_user(db_session, "ana@example.com", "viewer", None, "command line")
    incidents.update_facts(db_session, incident, facts, None)
    db_session.commit()
    return incident


def _rows(session):
    return session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def test_rows_are_chained_from_genesis(db_session, chain):
    rows = _rows(db_session)
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS_HASH
    for previous, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == previous.hash
    assert all(row.hash == row_hash(row) for row in rows)
    assert verify_chain(db_session).is_intact
    assert verify_chain(db_session).rows == 5


def test_record_names_actor_object_and_incident(db_session, chain):
    user = create_user(db_session, "bo@example.com", "counsel", None, "command line")
    event = record(db_session, user, "incident.note", chain, {"a": 1}, {"a": 2})
    assert event.actor_id == user.id
    assert event.actor_label == f"user {user.id} (counsel)"
    assert (event.object_type, event.object_id, event.incident_id) == (
        "incident",
        str(chain.id),
        chain.id,
    )
    assert json.loads(event.after) == {"a": 2}


def test_edited_row_is_reported(db_session, chain):
    db_session.execute(text("UPDATE audit_events SET after = '{}' WHERE seq = 3"))
    db_session.commit()
    db_session.expire_all()

    report = verify_chain(db_session)
    assert not report.is_intact
    assert report.seq == 3
    assert report.problem == "row 3 does not match its hash: altered"


def test_deleted_row_is_reported(db_session, chain):
    db_session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    db_session.commit()

    report = verify_chain(db_session)
    assert report.problem == "row 2 is missing before row 3: deleted"
    assert report.rows == 1


def test_deleted_first_rows_are_reported(db_session, chain):
    db_session.execute(text("DELETE FROM audit_events WHERE seq <= 2"))
    db_session.commit()
    assert verify_chain(db_session).problem == "rows 1 to 2 are missing before row 3: deleted"


def test_inserted_row_is_reported(db_session, chain):
    """A forged row slipped in after row 2, its hash correctly computed, the rest renumbered."""
    db_session.execute(text("UPDATE audit_events SET seq = -seq WHERE seq >= 3"))
    db_session.execute(text("UPDATE audit_events SET seq = 1 - seq WHERE seq < 0"))
    second = db_session.scalars(select(AuditEvent).where(AuditEvent.seq == 2)).one()
    forged = AuditEvent(
        seq=3,
        at=second.at,
        actor_id=None,
        actor_label="system",
        action="incident.status",
        object_type="incident",
        object_id=str(chain.id),
        incident_id=chain.id,
        before='{"status":"investigating"}',
        after='{"status":"resolved"}',
        prev_hash=second.hash,
    )
    forged.hash = row_hash(forged)
    db_session.add(forged)
    db_session.commit()

    report = verify_chain(db_session)
    assert report.problem == "row 3 does not belong in the chain: inserted"


def test_row_with_a_broken_link_is_reported(db_session, chain):
    db_session.execute(
        text("UPDATE audit_events SET prev_hash = :h WHERE seq = 4"), {"h": "f" * 64}
    )
    db_session.commit()
    report = verify_chain(db_session)
    assert report.problem == "row 4 is not chained to the row before it: inserted or rewritten"


def test_verification_walks_in_batches(db_session, chain):
    assert verify_chain(db_session, batch_size=2).rows == 5


def test_incident_history_lists_its_rows_in_order(db_session, chain):
    history = get_incident_history(db_session, chain.id)
    assert [event.action for event in history] == [
        "incident.create",
        "incident.status",
        "timeline.create",
        "incident.facts",
    ]


def test_empty_trail_is_intact(db_session):
    report = verify_chain(db_session)
    assert report.is_intact
    assert report.rows == 0


def test_concurrent_writers_do_not_fork_the_chain(db_url):
    from concurrent.futures import ThreadPoolExecutor

    from tracker.db import make_engine, make_session_factory, transaction, upgrade_database

    upgrade_database(db_url)
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)

    def write(worker: int) -> None:
        for step in range(5):
            with transaction(sessions) as session:
                record(session, f"worker {worker}", "test.write", None, None, {"step": step})

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(write, range(4)))
        with transaction(sessions) as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    assert report.is_intact
    assert report.rows == 20


def test_record_many_chains_rows_as_record_would(db_session, chain, facts):
    second = incidents.create_incident(db_session, facts, None)
    changes = [
        Change("incident.note", chain, None, {"n": 1}),
        Change("incident.note", second, {"n": 1}, {"n": 2}),
        Change("system.check", None),
    ]

    last = record_many(db_session, "command line import", changes)
    after = record(db_session, None, "incident.note", chain, None, {"n": 3})
    db_session.commit()

    rows = _rows(db_session)
    assert last == 9
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    many = rows[6:9]
    assert [(row.action, row.object_type, row.object_id, row.incident_id) for row in many] == [
        ("incident.note", "incident", str(chain.id), chain.id),
        ("incident.note", "incident", str(second.id), second.id),
        ("system.check", "system", None, None),
    ]
    assert [row.after for row in many] == ['{"n":1}', '{"n":2}', None]
    assert [row.before for row in many] == [None, '{"n":1}', None]
    assert {row.actor_label for row in many} == {"command line import"}
    assert many[0].prev_hash == rows[5].hash
    assert after.prev_hash == many[2].hash
    assert all(row.hash == row_hash(row) for row in rows)
    assert verify_chain(db_session).rows == 10


def test_a_row_written_in_bulk_and_then_edited_is_reported(db_session, chain):
    record_many(db_session, None, [Change("a.one", chain), Change("a.two", chain)])
    db_session.commit()
    db_session.execute(text("UPDATE audit_events SET action = 'a.three' WHERE seq = 7"))
    db_session.commit()
    db_session.expire_all()

    report = verify_chain(db_session)

    assert (report.seq, report.problem) == (7, "row 7 does not match its hash: altered")


def test_record_many_of_nothing_writes_nothing(db_session, chain):
    assert record_many(db_session, None, []) == 0
    assert len(_rows(db_session)) == 5
