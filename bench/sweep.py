"""Time the sweep's selection and claim: 100,000 pending reminders of which 1,000 are due.

    python bench/sweep.py [--postgres URL] [--pending 100000] [--due 1000] [--repeat 5]

Prints one JSON line per database (SQLite always, PostgreSQL when a URL is given): the
median wall time of claiming every due reminder (the sweep's UPDATE ... RETURNING in batches,
each committed) beside a bare SELECT of the same rows through the same index, measured in
this process, and their ratio. Rendering and sending are left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import make_engine, make_session_factory, upgrade_database
from tracker.reminder.models import Reminder
from tracker.reminder.sweep import BATCH_SIZE, claim_due

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
KINDS = ["obligation"]


def populate(sessions: sessionmaker[Session], pending: int, due: int) -> None:
    """`pending` reminders, the first `due` of them due at AT and the rest within 60 days."""
    rows: list[dict[str, Any]] = []
    for number in range(pending):
        if number < due:
            remind_at = AT - timedelta(minutes=number % 50)
        else:
            remind_at = AT + timedelta(minutes=1 + (number * 7) % 86_400)
        rows.append(
            {
                "target_kind": "obligation",
                "target_id": number + 1,
                "step": "due",
                "kind": "due",
                "remind_at": remind_at,
                "deadline_at": remind_at,
                "status": "pending",
                "reason": "",
                "created_at": AT,
            }
        )
    with sessions() as session:
        for start in range(0, len(rows), 10_000):
            session.execute(insert(Reminder), rows[start : start + 10_000])
        session.commit()
        if session.get_bind().dialect.name == "postgresql":
            # What autovacuum does shortly after a bulk load; planning without statistics
            # would measure a table scan that a running database does not do.
            session.execute(text("ANALYZE reminders"))
            session.commit()


def bare_select(sessions: sessionmaker[Session]) -> float:
    """The same rows as the claim, read without claiming them."""
    query = (
        select(Reminder.id)
        .where(Reminder.status == "pending", Reminder.remind_at <= AT)
        .where(Reminder.target_kind.in_(KINDS))
        .order_by(Reminder.remind_at, Reminder.id)
    )
    started = time.perf_counter()
    with sessions() as session:
        ids = list(session.scalars(query))
        session.commit()
    elapsed = time.perf_counter() - started
    assert ids, "no due reminders to read"
    return elapsed


def claim_all(sessions: sessionmaker[Session]) -> tuple[float, int]:
    """Claim every due reminder in the sweep's batches, each in its own transaction."""
    claimed = 0
    started = time.perf_counter()
    while True:
        with sessions() as session:
            ids = claim_due(session, AT, KINDS)
            session.commit()
        claimed += len(ids)
        if len(ids) < BATCH_SIZE:
            break
    return time.perf_counter() - started, claimed


def release(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        session.execute(
            update(Reminder)
            .where(Reminder.status == "queued")
            .values(status="pending", queued_at=None)
        )
        session.commit()


def measure(url: str, name: str, pending: int, due: int, repeat: int) -> dict[str, Any]:
    upgrade_database(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        populate(sessions, pending, due)
        with sessions() as session:
            total = session.scalar(select(func.count()).select_from(Reminder))
        selects, claims = [], []
        for _ in range(repeat):
            selects.append(bare_select(sessions))
            elapsed, claimed = claim_all(sessions)
            assert claimed == due, f"claimed {claimed} of {due}"
            claims.append(elapsed)
            release(sessions)
    finally:
        engine.dispose()

    select_ms = statistics.median(selects) * 1000
    claim_ms = statistics.median(claims) * 1000
    return {
        "database": name,
        "reminders": total,
        "due": due,
        "repeat": repeat,
        "select_ms": round(select_ms, 2),
        "claim_ms": round(claim_ms, 2),
        "claim_over_select": round(claim_ms / select_ms, 2),
        "target_ms": 200,
    }


def postgres_database(base: str) -> tuple[str, str]:
    """A fresh database beside the one `base` names, and the admin URL to drop it with."""
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"tracker_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(admin).set(database=name).render_as_string(hide_password=False), admin


def drop_postgres(admin: str, url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", help="a PostgreSQL server URL whose user may create databases"
    )
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        print(json.dumps(measure(url, "sqlite", args.pending, args.due, args.repeat)))

    if args.postgres:
        url, admin = postgres_database(args.postgres)
        try:
            print(json.dumps(measure(url, "postgresql", args.pending, args.due, args.repeat)))
        finally:
            drop_postgres(admin, url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
