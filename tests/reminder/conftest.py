"""Fixtures for reminders: a frozen clock for the services, and a real SMTP server on loopback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

DISCOVERED = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
GDPR_DUE = datetime(2026, 3, 8, 14, 30, tzinfo=UTC)
GDPR = "gdpr/supervisory_authority"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the instant the reminder services read as now (the sweep takes its own `at`)."""
    from tracker.reminder import service

    def set_now(instant: datetime) -> None:
        monkeypatch.setattr(service, "now_utc", lambda: instant)

    set_now(datetime(2026, 3, 5, 15, 0, tzinfo=UTC))
    return set_now


@dataclass
class Mailbox:
    """What the loopback SMTP server received, and how it should behave next."""

    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    # "accept", "refuse" (a 451 reply), "reject" (a 550 reply) or "drop" (accept, then
    # close the connection).
    mode: str = "accept"
    # Seconds the server waits before answering each RCPT (a slow server), and how many
    # RCPT commands it has begun to answer.
    rcpt_delay: float = 0.0
    rcpt_seen: int = 0

    def by_recipient(self) -> dict[str, list[Message]]:
        found: dict[str, list[Message]] = {}
        for message in self.messages:
            found.setdefault(str(message["To"]), []).append(message)
        return found


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.mailbox.rcpt_seen += 1
        if self.mailbox.rcpt_delay:
            await asyncio.sleep(self.mailbox.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.mailbox.mode == "refuse":
            return "451 4.3.0 Mailbox temporarily unavailable"
        if self.mailbox.mode == "reject":
            return "550 5.1.1 No such mailbox"
        self.mailbox.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.mailbox.messages.append(message_from_bytes(envelope.content, policy=default))
        if self.mailbox.mode == "drop":
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 2.0.0 Accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(
            _Handler(self.mailbox), hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port, collecting what it accepts."""
    server = SmtpServer(port=free_port(), mailbox=Mailbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sweeper(make_app: Callable[..., Any]) -> Callable[..., Any]:
    """Run one sweep in this process as of an instant, with settings overridden."""
    from tracker.reminder.service import settings
    from tracker.reminder.sweep import run_sweep

    apps: dict[str, Any] = {}

    def sweep(at: datetime, **overrides: Any) -> Any:
        key = repr(sorted(overrides.items()))
        if key not in apps:
            apps[key] = make_app(**overrides)
        app = apps[key]
        with app.app_context():
            return run_sweep(app.extensions["tracker.sessions"], settings(), at)

    return sweep


@pytest.fixture
def people(make_user: Callable[..., Any]) -> dict[str, Any]:
    """Counsel reading in Berlin, an administrator (the escalation contact) in New York."""
    return {
        "counsel": make_user("counsel", "ana@example.com", timezone="Europe/Berlin"),
        "admin": make_user("administrator", "max@example.com", timezone="America/New_York"),
    }


@pytest.fixture
def assigned_facts(facts: dict[str, Any]) -> dict[str, Any]:
    facts["incident"]["assigned_to"] = "j.doe@example.com"
    return facts


def refresh(session: Any) -> None:
    """End the test session's read transaction and forget what it loaded, to see new commits."""
    session.rollback()
    session.expire_all()
