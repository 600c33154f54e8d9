"""SMTP down, slow, refusing or dropping the connection: retries, failures recorded, no doubles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tracker.reminder.mail import parse_smtp_url
from tracker.reminder.models import MailMessage, Reminder
from tracker.reminder.service import get_failed_reminders
from tracker.reminder.targets import Outgoing, register_target

from .conftest import SmtpServer, free_port, refresh

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _render(_session: Any, reminder: Reminder) -> list[Outgoing]:
    n = reminder.target_id
    return [Outgoing(f"person{n}@example.com", f"Reminder {n}", f"Text {n}.", f"<p>HTML {n}</p>")]


@pytest.fixture
def three_due(session: Any) -> list[Reminder]:
    """Three reminders of a test kind, due at START, one message each."""
    register_target("test-delivery", _render)
    rows = [
        Reminder(
            target_kind="test-delivery",
            target_id=n,
            step="due",
            kind="due",
            remind_at=START,
            deadline_at=START,
            status="pending",
            reason="",
        )
        for n in (1, 2, 3)
    ]
    session.add_all(rows)
    session.commit()
    return rows


def messages(session: Any) -> list[MailMessage]:
    refresh(session)
    return list(session.scalars(select(MailMessage).order_by(MailMessage.id)))


def test_smtp_down_is_retried_with_doubling_delays_then_failed(
    session: Any, three_due: list[Reminder], sweeper: Callable[..., Any]
) -> None:
    url = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    instants = [START + timedelta(seconds=s) for s in (0, 60, 180, 420, 900)]

    first = sweeper(instants[0], SMTP_URL=url)
    rows = messages(session)
    assert first.delivery.retrying == 3
    assert [(m.status, m.attempts) for m in rows] == [("pending", 1)] * 3
    assert rows[0].last_error.startswith("could not connect: ConnectionRefusedError")
    assert rows[0].next_attempt_at == START + timedelta(seconds=60)

    # Too early for the second attempt: nothing is tried.
    early = sweeper(START + timedelta(seconds=59), SMTP_URL=url)
    assert early.delivery.retrying == 0

    for instant in instants[1:]:
        sweeper(instant, SMTP_URL=url)
    rows = messages(session)
    assert [(m.status, m.attempts, m.next_attempt_at) for m in rows] == [("failed", 5, None)] * 3
    assert [r.id for r in get_failed_reminders(session)] == [r.id for r in three_due]
    assert {r.delivery for r in get_failed_reminders(session)} == {"failed"}


def test_a_temporary_refusal_is_retried_and_then_sent_once(
    session: Any, three_due: list[Reminder], smtp_server: SmtpServer, sweeper: Callable[..., Any]
) -> None:
    smtp_server.mailbox.mode = "refuse"
    sweeper(START, SMTP_URL=smtp_server.url)
    rows = messages(session)
    assert [(m.status, m.last_error) for m in rows] == [
        ("pending", "451 4.3.0 Mailbox temporarily unavailable")
    ] * 3

    smtp_server.mailbox.mode = "accept"
    sweeper(START + timedelta(minutes=1), SMTP_URL=smtp_server.url)
    rows = messages(session)
    assert [(m.status, m.attempts, m.last_error) for m in rows] == [("sent", 2, "")] * 3
    assert sorted(str(m["To"]) for m in smtp_server.mailbox.messages) == [
        "person1@example.com",
        "person2@example.com",
        "person3@example.com",
    ]


def test_a_permanent_refusal_fails_at_once(
    session: Any, three_due: list[Reminder], smtp_server: SmtpServer, sweeper: Callable[..., Any]
) -> None:
    smtp_server.mailbox.mode = "reject"
    result = sweeper(START, SMTP_URL=smtp_server.url)

    assert result.delivery.failed == 3
    assert [(m.status, m.attempts, m.last_error) for m in messages(session)] == [
        ("failed", 1, "550 5.1.1 No such mailbox")
    ] * 3


def test_a_slow_server_times_out_and_the_retry_sends_once(
    session: Any, three_due: list[Reminder], smtp_server: SmtpServer, sweeper: Callable[..., Any]
) -> None:
    smtp_server.mailbox.rcpt_delay = 2.0
    sweeper(START, SMTP_URL=smtp_server.url, SMTP_TIMEOUT=1)
    rows = messages(session)
    # The first message times out; the connection is gone, and each message is tried alone.
    assert [m.status for m in rows] == ["pending"] * 3
    assert all("timed out" in m.last_error for m in rows)
    assert smtp_server.mailbox.messages == []

    smtp_server.mailbox.rcpt_delay = 0.0
    sweeper(START + timedelta(minutes=1), SMTP_URL=smtp_server.url, SMTP_TIMEOUT=1)
    assert [m.status for m in messages(session)] == ["sent"] * 3
    ids = Counter(m["Message-ID"] for m in smtp_server.mailbox.messages)
    assert sorted(ids.values()) == [1, 1, 1]


def test_a_connection_dropped_after_acceptance_counts_as_sent(
    session: Any, three_due: list[Reminder], smtp_server: SmtpServer, sweeper: Callable[..., Any]
) -> None:
    smtp_server.mailbox.mode = "drop"
    result = sweeper(START, SMTP_URL=smtp_server.url)

    assert result.delivery.sent == 3
    assert [(m.status, m.attempts) for m in messages(session)] == [("sent", 1)] * 3
    ids = Counter(m["Message-ID"] for m in smtp_server.mailbox.messages)
    assert sorted(ids.values()) == [1, 1, 1]
    assert set(ids) == {m.message_id for m in messages(session)}

    again = sweeper(START + timedelta(hours=1), SMTP_URL=smtp_server.url)
    assert again.delivery.sent == 0
    assert len(smtp_server.mailbox.messages) == 3


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, False, None, None)),
        (
            "smtps://mailer:s%40cret@mail.example.com",
            ("mail.example.com", 465, True, "mailer", "s@cret"),
        ),
        ("smtp://relay.example.com", ("relay.example.com", 25, False, None, None)),
    ],
)
def test_smtp_urls(url: str, expected: tuple[Any, ...]) -> None:
    settings = parse_smtp_url(url)
    assert (
        settings.host,
        settings.port,
        settings.use_ssl,
        settings.username,
        settings.password,
    ) == expected


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "smtp://host:port"])
def test_bad_smtp_urls_are_refused_by_name(url: str) -> None:
    from tracker.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_smtp_url(url)
    assert "TRACKER_SMTP_URL" in caught.value.message
