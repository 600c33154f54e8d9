"""Several processes sweeping one database, and a sweep killed mid-run: each message once.

The sweeps run as real `tracker reminders sweep --at` processes against a real SMTP server
on loopback; the test then compares what the server received with what the database holds.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.audit.models import AuditEvent
from tracker.auth.service import create_user
from tracker.db import make_engine, make_session_factory, upgrade_database
from tracker.incident.service import create_incident
from tracker.reminder.models import MailMessage, Reminder

from .conftest import SmtpServer

TRACKER = Path(sys.executable).with_name("tracker")
AT = "2026-03-07T14:30:00Z"


def sweep_process(url: str, instance: Path, smtp: str, at: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_INSTANCE": str(instance),
        "TRACKER_SECRET_KEY": "test-secret-key",
        "TRACKER_SMTP_URL": smtp,
        "TRACKER_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [str(TRACKER), "reminders", "sweep", "--at", at, "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def summary(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def populated(clock: Any, facts: dict[str, Any]) -> Callable[[str, int], None]:
    """Put `count` incidents (five obligations each) and their reminder recipients in a database."""

    def populate(url: str, count: int) -> None:
        engine = make_engine(url)
        try:
            with make_session_factory(engine)() as session:
                create_user(session, "ana@example.com", "counsel", None, "test setup")
                create_user(session, "max@example.com", "administrator", None, "test setup")
                for number in range(count):
                    document = copy.deepcopy(facts)
                    document["incident"]["assigned_to"] = f"owner{number}@example.com"
                    create_incident(session, document, None)
                session.commit()
        finally:
            engine.dispose()

    return populate


def check_exactly_once(url: str, server: SmtpServer, expected_reminders: int) -> list[MailMessage]:
    """Every due reminder queued once, every message sent once, nothing else received."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            messages = list(session.scalars(select(MailMessage)))
            queued = session.scalar(
                select(func.count()).select_from(Reminder).where(Reminder.status == "queued")
            )
            audits = Counter(
                session.scalars(
                    select(AuditEvent.object_id).where(AuditEvent.action == "reminder.queue")
                )
            )
            pairs = Counter((m.reminder_id, m.recipient) for m in messages)
    finally:
        engine.dispose()

    assert queued == expected_reminders
    assert len(audits) == expected_reminders and set(audits.values()) == {1}
    assert set(pairs.values()) == {1}
    assert {m.status for m in messages} == {"sent"}
    received = Counter(str(m["Message-ID"]) for m in server.mailbox.messages)
    assert set(received.values()) == {1}
    assert set(received) == {m.message_id for m in messages}
    return messages


def run_concurrently(url: str, tmp_path: Path, server: SmtpServer, processes: int) -> int:
    started = [sweep_process(url, tmp_path / f"i{n}", server.url, AT) for n in range(processes)]
    results = [summary(process) for process in started]
    return sum(result["queued"] for result in results)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    upgrade_database(url)
    yield url


def test_two_processes_on_sqlite_send_each_reminder_once(
    sqlite_url: str, tmp_path: Path, populated: Callable[..., None], smtp_server: SmtpServer
) -> None:
    populated(sqlite_url, 8)

    queued = run_concurrently(sqlite_url, tmp_path, smtp_server, 2)

    # Per incident at 14:30 on 7 March: two 24-hour reminders and an overdue response target,
    # to the assignee and counsel (and the administrator for the overdue one): 7 messages.
    assert queued == 24
    assert len(check_exactly_once(sqlite_url, smtp_server, 24)) == 56


@pytest.mark.postgres
def test_four_processes_on_postgresql_send_each_reminder_once(
    postgres_url: str, tmp_path: Path, populated: Callable[..., None], smtp_server: SmtpServer
) -> None:
    upgrade_database(postgres_url)
    populated(postgres_url, 12)

    queued = run_concurrently(postgres_url, tmp_path, smtp_server, 4)

    assert queued == 36
    assert len(check_exactly_once(postgres_url, smtp_server, 36)) == 84


def test_a_sweep_killed_while_sending_loses_nothing_and_doubles_nothing(
    sqlite_url: str, tmp_path: Path, populated: Callable[..., None], smtp_server: SmtpServer
) -> None:
    populated(sqlite_url, 2)
    smtp_server.mailbox.rcpt_delay = 0.5
    process = sweep_process(sqlite_url, tmp_path / "i", smtp_server.url, AT)

    # Messages go one after the other: once the server answers the third RCPT, the first two
    # are accepted and recorded, and the third is in the middle of its transaction.
    deadline = time.monotonic() + 120
    while smtp_server.mailbox.rcpt_seen < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert len(smtp_server.mailbox.messages) == 2

    engine = make_engine(sqlite_url)
    try:
        with Session(engine) as session:
            states = Counter(session.scalars(select(MailMessage.status)))
    finally:
        engine.dispose()
    # Delivery claims ten messages at a time: two went out, eight are claimed, four wait.
    assert states == {"sent": 2, "sending": 8, "pending": 4}

    # A restart at once sends what nobody had claimed; the claimed messages wait for their
    # claim to expire (15 minutes), then go out once, beside the six messages of the response
    # targets' second overdue reminders, due at 14:45.
    smtp_server.mailbox.rcpt_delay = 0.0
    assert summary(sweep_process(sqlite_url, tmp_path / "i", smtp_server.url, AT))["sent"] == 4
    later = "2026-03-07T14:46:00Z"
    assert summary(sweep_process(sqlite_url, tmp_path / "i", smtp_server.url, later))["sent"] == 14
    assert len(check_exactly_once(sqlite_url, smtp_server, 8)) == 20


def test_a_sweep_killed_while_queueing_loses_nothing(
    sqlite_url: str, tmp_path: Path, populated: Callable[..., None], smtp_server: SmtpServer
) -> None:
    populated(sqlite_url, 4)
    for delay in (0.8, 1.0, 1.2, 1.4):
        process = sweep_process(sqlite_url, tmp_path / "i", "smtp://127.0.0.1:1", AT)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    # Whatever the kills interrupted, a complete sweep leaves every reminder queued once and
    # its messages delivered once (the SMTP address above refused every connection).
    later = "2026-03-07T15:30:00Z"
    summary(sweep_process(sqlite_url, tmp_path / "i", smtp_server.url, later))
    assert len(check_exactly_once(sqlite_url, smtp_server, 12)) == 28
