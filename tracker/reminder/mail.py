"""Delivery of the outbox over SMTP, or keeping it when no SMTP server is configured.

Each message is claimed (pending to sending) in a short transaction of its own before it is
handed to the server, and its outcome is stored right after the server's reply to DATA: a
message the server accepted is sent even if the connection drops afterwards. A message whose
reply never came (a timeout, a dropped connection during DATA) may or may not have been
accepted; it is tried again with the same Message-ID, by which receiving systems can tell a
repeat. A claim older than the lease (a sweep killed while sending) is taken over.

Failures are retried with doubling delays (TRACKER_MAIL_RETRY_SECONDS, then twice that ...)
up to TRACKER_MAIL_ATTEMPTS attempts; a permanent refusal (a 5xx reply) fails at once.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .. import audit
from ..db import now_utc, transaction
from ..errors import ConfigError
from .claims import claim_rows
from .models import MailMessage

log = logging.getLogger(__name__)

CLAIM_SIZE = 10
# A claim this old belongs to a delivery run that died: ten messages at most, each bounded
# by the socket timeout on connect, greeting, NOOP and each command of the transaction.
LEASE = timedelta(minutes=15)
ACTOR = "scheduler"

_warned_no_smtp = False


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    use_ssl: bool
    starttls: bool
    username: str | None
    password: str | None
    timeout: float


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    kept: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed_messages": self.failed,
            "kept": self.kept,
        }


class DeliveryError(Exception):
    """One message's attempt failed; `permanent` when the server refused it for good."""

    def __init__(self, text: str, permanent: bool = False, connection: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.permanent = permanent
        # The server could not be reached at all: the rest of the batch would fail alike.
        self.connection = connection


def parse_smtp_url(url: str, timeout: float = 10) -> SmtpSettings:
    """Settings from smtp://[user:password@]host[:port] or smtps://..., refused by name."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(
            f"TRACKER_SMTP_URL must look like smtp://host:port or smtps://user:password@host, "
            f"not {_without_password(url)!r}."
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ConfigError("TRACKER_SMTP_URL has a port that is not a number.") from None
    options = parse_qs(parts.query)
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        use_ssl=parts.scheme == "smtps",
        starttls=options.get("starttls", ["yes"])[0].lower() not in ("no", "0", "false"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=float(timeout),
    )


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def deliver(
    sessions: sessionmaker[Session], config: Mapping[str, Any], at: datetime
) -> DeliveryResult:
    """Deliver every message due for an attempt, or keep them all when SMTP is not set."""
    result = DeliveryResult()
    url = config.get("SMTP_URL")
    if not url:
        with transaction(sessions) as session:
            result.kept = keep_pending(session)
        return result

    settings = parse_smtp_url(str(url), config.get("SMTP_TIMEOUT") or 10)
    courier = Courier(settings, str(config.get("MAIL_FROM") or "tracker@localhost"))
    try:
        while True:
            with transaction(sessions) as session:
                ids = claim_messages(session, at)
            if not ids or not _deliver_batch(sessions, courier, ids, config, at, result):
                break
    finally:
        courier.close()
    return result


def keep_pending(session: Session) -> int:
    """Keep every message waiting for delivery in the outbox; warn once per process."""
    global _warned_no_smtp
    kept = session.execute(
        update(MailMessage)
        .where(MailMessage.status == "pending")
        .values(status="kept")
        .execution_options(synchronize_session=False)
    ).rowcount
    if kept and not _warned_no_smtp:
        _warned_no_smtp = True
        log.warning(
            "TRACKER_SMTP_URL is not set: reminder e-mail stays in the outbox (/outbox) "
            "and is not delivered"
        )
    return int(kept or 0)


def claim_messages(session: Session, at: datetime, limit: int = CLAIM_SIZE) -> list[int]:
    """Mark up to `limit` messages due for an attempt as sending; return their ids."""
    due = (
        select(MailMessage.id)
        .where(
            or_(
                (MailMessage.status == "pending") & (MailMessage.next_attempt_at <= at),
                (MailMessage.status == "sending") & (MailMessage.claimed_at <= at - LEASE),
            )
        )
        .order_by(MailMessage.id)
        .limit(limit)
    )
    values = {"status": "sending", "claimed_at": at, "attempts": MailMessage.attempts + 1}
    return claim_rows(session, MailMessage, due, values)


def _deliver_batch(
    sessions: sessionmaker[Session],
    courier: Courier,
    ids: list[int],
    config: Mapping[str, Any],
    at: datetime,
    result: DeliveryResult,
) -> bool:
    """Send each claimed message; False when the server cannot be reached (stop this run)."""
    for position, message_id in enumerate(ids):
        with transaction(sessions) as session:
            message = session.get(MailMessage, message_id)
            assert message is not None
            envelope = build_email(message, courier.sender)
        try:
            courier.send(envelope, message.recipient)
        except DeliveryError as exc:
            failed = ids[position:] if exc.connection else [message_id]
            _record_failures(sessions, failed, exc, config, result)
            if exc.connection:
                return False
            continue
        _record_sent(sessions, message_id, at)
        result.sent += 1
    return True


def build_email(message: MailMessage, sender: str) -> EmailMessage:
    """The e-mail for one outbox row: text with an HTML alternative, its stored Message-ID."""
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = message.recipient
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(now_utc())
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    return email


class Courier:
    """One SMTP connection, reused across messages and reopened when it went away."""

    def __init__(self, settings: SmtpSettings, sender: str) -> None:
        self.settings = settings
        self.sender = sender
        self.client: smtplib.SMTP | None = None

    def send(self, email: EmailMessage, recipient: str) -> None:
        client = self._ready()
        try:
            client.send_message(email, from_addr=self.sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            self.close()
            raise DeliveryError(_reply(code, reply), permanent=code >= 500) from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise DeliveryError(
                _reply(exc.smtp_code, exc.smtp_error), permanent=exc.smtp_code >= 500
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(_error(exc)) from None

    def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def _ready(self) -> smtplib.SMTP:
        if self.client is not None and self._is_alive(self.client):
            return self.client
        self.close()
        try:
            self.client = self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(_reply(exc.smtp_code, exc.smtp_error), connection=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"could not connect: {_error(exc)}", connection=True) from None
        return self.client

    @staticmethod
    def _is_alive(client: smtplib.SMTP) -> bool:
        try:
            return client.noop()[0] == 250
        except (smtplib.SMTPException, OSError):
            return False

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if settings.use_ssl:
            client = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            client.ehlo()
            if not settings.use_ssl and settings.starttls and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            if settings.username:
                client.login(settings.username, settings.password or "")
        except BaseException:
            client.close()
            raise
        return client


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}".strip()


def _error(exc: BaseException) -> str:
    detail = str(exc).strip()
    name = "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__
    return f"{name}: {detail}" if detail and detail != "timed out" else name


def _record_sent(sessions: sessionmaker[Session], message_id: int, at: datetime) -> None:
    with transaction(sessions) as session:
        message = session.get(MailMessage, message_id)
        assert message is not None
        message.status, message.sent_at, message.last_error = "sent", at, ""
        message.next_attempt_at = None
        audit.record(session, ACTOR, "mail.sent", message, {"status": "sending"}, _after(message))
    log.info("Mail message %s sent after %s attempt(s)", message_id, message.attempts)


def _record_failures(
    sessions: sessionmaker[Session],
    ids: list[int],
    exc: DeliveryError,
    config: Mapping[str, Any],
    result: DeliveryResult,
) -> None:
    """Store the error; retry later with a doubling delay, or fail after the last attempt."""
    attempts = int(config.get("MAIL_ATTEMPTS") or 5)
    base = int(config.get("MAIL_RETRY_SECONDS") or 60)
    with transaction(sessions) as session:
        for message in session.scalars(select(MailMessage).where(MailMessage.id.in_(ids))):
            message.last_error = exc.text[:2000]
            if exc.permanent or message.attempts >= attempts:
                _fail(session, message)
                result.failed += 1
                continue
            delay = timedelta(seconds=base * 2 ** (message.attempts - 1))
            message.status = "pending"
            message.next_attempt_at = (message.claimed_at or now_utc()) + delay
            result.retrying += 1
            log.info("Mail message %s will be tried again in %s", message.id, delay)


def _fail(session: Session, message: MailMessage) -> None:
    message.status, message.next_attempt_at = "failed", None
    audit.record(session, ACTOR, "mail.failed", message, {"status": "sending"}, _after(message))
    log.warning("Mail message %s failed after %s attempt(s)", message.id, message.attempts)


def _after(message: MailMessage) -> dict[str, Any]:
    return {
        "status": message.status,
        "attempts": message.attempts,
        "reminder_id": message.reminder_id,
        "error": message.last_error,
    }
