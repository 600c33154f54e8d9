"""A process killed with SIGKILL in the middle of its writes leaves nothing half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select, text

from tracker.audit.models import AuditEvent
from tracker.audit.service import verify_chain
from tracker.auth.service import create_user
from tracker.db import make_engine, make_session_factory, upgrade_database
from tracker.incident.models import Incident, TimelineEntry
from tracker.notice.models import Obligation

from .conftest import PASSWORD

# Writes as fast as it can: an incident (with its obligations and audit row), then three
# timeline entries, each change its own transaction; prints a line after each commit.
WRITER = """
import sys
from tracker.auth.models import User
from tracker.db import make_engine, make_session_factory
from tracker.incident.service import add_timeline_entry, create_incident
from tests.conftest import FACTS

factory = make_session_factory(make_engine(sys.argv[1]))
while True:
    with factory() as session:
        actor = session.get(User, 1)
        incident = create_incident(session, dict(FACTS), actor)
        session.commit()
        print("commit", flush=True)
        for number in range(3):
            add_timeline_entry(session, incident, f"step {number}", actor)
            session.commit()
            print("commit", flush=True)
"""

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def kill_mid_write(url: str, commits: int) -> int:
    """Run the writer until it has committed `commits` times and a little more, then SIGKILL."""
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = 0
    try:
        while seen < commits:
            line = process.stdout.readline()
            if not line:
                raise AssertionError(f"the writer stopped: {process.stderr.read()[-2000:]}")
            seen += 1
        time.sleep(random.uniform(0, 0.05))  # noqa: S311 - land anywhere inside a write
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return seen


@pytest.mark.parametrize("rounds", [3])
def test_sigkill_during_writes_leaves_whole_rows_only(db_url, rounds):
    upgrade_database(db_url)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with factory() as session:
        create_user(session, "writer@example.com", "responder", PASSWORD, "test")
        session.commit()

    committed = sum(kill_mid_write(db_url, commits=12) for _ in range(rounds))

    with factory() as session:
        if engine.dialect.name == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []

        incidents = session.scalar(select(func.count()).select_from(Incident))
        entries = session.scalar(select(func.count()).select_from(TimelineEntry))
        audited = dict(
            session.execute(
                select(AuditEvent.action, func.count()).group_by(AuditEvent.action)
            ).all()
        )
        without_obligations = session.scalar(
            select(func.count(Incident.id)).where(
                ~select(Obligation.id).where(Obligation.incident_id == Incident.id).exists()
            )
        )
        report = verify_chain(session)

    engine.dispose()
    assert report.is_intact, report.problem
    assert incidents + entries >= committed
    assert audited["incident.create"] == incidents
    assert audited.get("timeline.create", 0) == entries
    assert without_obligations == 0
