"""The sweep against a real SMTP server on loopback: content, recipients, once only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from tracker.audit.models import AuditEvent
from tracker.reminder.models import MailMessage, Reminder
from tracker.reminder.service import get_failed_reminders, get_reminders
from tracker.reminder.targets import Outgoing, Skip, register_target

from .conftest import GDPR, SmtpServer, refresh


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def gdpr_rows(session: Any, incident: Any) -> list[Reminder]:
    refresh(session)
    obligation_id = next(
        row.target_id
        for row in session.scalars(select(Reminder).where(Reminder.incident_id == incident.id))
        if _key(session, row.target_id) == GDPR
    )
    return get_reminders(session, "obligation", obligation_id)


def _key(session: Any, obligation_id: int) -> str:
    from tracker.notice.models import Obligation

    return session.get(Obligation, obligation_id).key


def bodies(message: Any) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_a_due_reminder_reaches_assignee_and_counsel_with_its_deadline(
    session: Any,
    make_incident: Callable[..., Any],
    assigned_facts: dict[str, Any],
    people: dict[str, Any],
    smtp_server: SmtpServer,
    sweeper: Callable[..., Any],
    clock: Any,
) -> None:
    incident = make_incident(assigned_facts)

    result = sweeper(at("2026-03-07T14:30:00Z"), SMTP_URL=smtp_server.url)

    # Due at 14:30: the GDPR authority and individuals 24-hour reminders (their half-way
    # ones at 02:30 are superseded), and the response target's first overdue reminder.
    assert (result.queued, result.skipped, result.messages) == (3, 2, 7)
    assert result.delivery.sent == 7
    received = smtp_server.mailbox.by_recipient()
    assert sorted(received) == ["ana@example.com", "j.doe@example.com", "max@example.com"]
    [authority] = [m for m in received["ana@example.com"] if GDPR in m["Subject"]]
    assert authority["Subject"] == (
        f"[{incident.reference}] Reminder: gdpr/supervisory_authority — due in 1 day, "
        "2026-03-08 15:30 CET"
    )
    assert authority["From"] == "tracker@localhost"
    text, html = bodies(authority)
    assert "Due:         2026-03-08 15:30 CET (due in 1 day)" in text
    assert "2026-03-08 10:30 EDT in the incident's time zone (America/New_York)" in text
    assert "2026-03-08T14:30:00+00:00 UTC" in text
    assert "Art. 33" in text
    assert f"Open the notice: http://127.0.0.1:5000/incidents/{incident.id}#obligations" in text
    assert "You receive this as counsel for the incident." in text
    assert "<strong>2026-03-08 15:30 CET</strong> (due in 1 day)" in html
    assert f'href="http://127.0.0.1:5000/incidents/{incident.id}#obligations"' in html

    [assignee_copy] = [m for m in received["j.doe@example.com"] if GDPR in m["Subject"]]
    assert "Due:         2026-03-08 10:30 EDT (due in 1 day)" in bodies(assignee_copy)[0]
    # Only the overdue response target escalates to the administrator, in New York time.
    [escalation] = received["max@example.com"]
    assert escalation["Subject"].startswith(f"[{incident.reference}] Overdue: policy/internal/")
    assert "escalation contact" in bodies(escalation)[0]

    refresh(session)
    stored = session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
    assert {m.status for m in stored} == {"sent"}
    assert sorted(m.message_id for m in stored) == sorted(
        m["Message-ID"] for m in smtp_server.mailbox.messages
    )
    envelopes = sorted(recipients[0] for _sender, recipients in smtp_server.mailbox.envelopes)
    assert envelopes == sorted(m.recipient for m in stored)


def test_the_same_instant_swept_again_sends_nothing_more(
    session: Any,
    make_incident: Callable[..., Any],
    people: dict[str, Any],
    smtp_server: SmtpServer,
    sweeper: Callable[..., Any],
    clock: Any,
) -> None:
    make_incident()
    first = sweeper(at("2026-03-07T02:30:00Z"), SMTP_URL=smtp_server.url)
    second = sweeper(at("2026-03-07T02:30:00Z"), SMTP_URL=smtp_server.url)

    assert (first.queued, first.delivery.sent) == (3, 4)
    assert (second.queued, second.messages, second.delivery.sent) == (0, 0, 0)
    assert len(smtp_server.mailbox.messages) == 4


def test_reminders_missed_while_nothing_ran_go_out_once_as_the_latest(
    session: Any,
    make_incident: Callable[..., Any],
    people: dict[str, Any],
    smtp_server: SmtpServer,
    sweeper: Callable[..., Any],
    clock: Any,
) -> None:
    incident = make_incident()

    sweeper(at("2026-03-08T14:31:00Z"), SMTP_URL=smtp_server.url)

    rows = [(row.step, row.status, row.reason) for row in gdpr_rows(session, incident)]
    assert rows == [
        ("half", "skipped", "the due reminder went out in its place"),
        ("24h", "skipped", "the due reminder went out in its place"),
        ("4h", "skipped", "the due reminder went out in its place"),
        ("1h", "skipped", "the due reminder went out in its place"),
        ("due", "queued", ""),
        ("overdue-1", "pending", ""),
    ]
    gdpr = [m for m in smtp_server.mailbox.messages if GDPR in m["Subject"]]
    assert [m["Subject"].split("] ")[1].split(" —")[0] for m in gdpr] == [
        "Due now: gdpr/supervisory_authority"
    ]


def test_overdue_reminders_escalate_and_chain_daily_from_the_sweep(
    session: Any,
    make_incident: Callable[..., Any],
    people: dict[str, Any],
    smtp_server: SmtpServer,
    sweeper: Callable[..., Any],
    clock: Any,
) -> None:
    incident = make_incident()
    sweeper(at("2026-03-09T14:30:00Z"), SMTP_URL=smtp_server.url)
    overdue = [m for m in smtp_server.mailbox.messages if GDPR in m["Subject"]]

    assert sorted(str(m["To"]) for m in overdue) == ["ana@example.com", "max@example.com"]
    assert "overdue by 1 day" in overdue[0]["Subject"]

    # Nothing ran for two days: the second overdue reminder goes out once, and the chain
    # continues from the next one after the sweep's instant.
    sweeper(at("2026-03-12T10:00:00Z"), SMTP_URL=smtp_server.url)
    rows = [
        (row.step, row.remind_at.isoformat(), row.status) for row in gdpr_rows(session, incident)
    ]
    assert rows[-3:] == [
        ("overdue-1", "2026-03-09T14:30:00+00:00", "queued"),
        ("overdue-2", "2026-03-10T14:30:00+00:00", "queued"),
        ("overdue-4", "2026-03-12T14:30:00+00:00", "pending"),
    ]


def test_without_smtp_messages_are_kept_with_one_warning(
    session: Any,
    make_incident: Callable[..., Any],
    people: dict[str, Any],
    sweeper: Callable[..., Any],
    clock: Any,
    caplog: Any,
    monkeypatch: Any,
) -> None:
    from tracker.reminder import mail

    monkeypatch.setattr(mail, "_warned_no_smtp", False)
    make_incident()
    with caplog.at_level(logging.WARNING, logger="tracker.reminder.mail"):
        first = sweeper(at("2026-03-07T02:30:00Z"))
        second = sweeper(at("2026-03-07T14:30:00Z"))

    assert (first.delivery.kept, second.delivery.kept) == (4, 2)
    refresh(session)
    assert set(session.scalars(select(MailMessage.status))) == {"kept"}
    warnings = [r for r in caplog.records if "TRACKER_SMTP_URL is not set" in r.getMessage()]
    assert len(warnings) == 1


def test_a_settled_obligation_is_skipped_when_its_reminder_falls_due(
    session: Any,
    make_incident: Callable[..., Any],
    people: dict[str, Any],
    smtp_server: SmtpServer,
    sweeper: Callable[..., Any],
    clock: Any,
) -> None:
    from tracker.notice.models import Obligation

    incident = make_incident()
    [row] = [r for r in gdpr_rows(session, incident) if r.step == "half"]
    # The obligation stops applying without its reminders being recomputed (a crash between
    # the two, or rows written by an older version): the sweep still checks.
    session.get(Obligation, row.target_id).is_current = False
    session.commit()

    sweeper(at("2026-03-07T02:30:00Z"), SMTP_URL=smtp_server.url)

    [row] = [r for r in gdpr_rows(session, incident) if r.step == "half"]
    assert (row.status, row.reason) == ("skipped", "the obligation no longer applies")
    assert not [m for m in smtp_server.mailbox.messages if GDPR in m["Subject"]]


def _reminder(session: Any, kind: str, target_id: int, remind_at: datetime) -> Reminder:
    row = Reminder(
        target_kind=kind,
        target_id=target_id,
        step="due",
        kind="due",
        remind_at=remind_at,
        deadline_at=remind_at,
        status="pending",
        reason="",
    )
    session.add(row)
    session.commit()
    return row


def test_other_packages_register_their_own_target_kinds(
    session: Any, smtp_server: SmtpServer, sweeper: Callable[..., Any]
) -> None:
    def render(_session: Any, reminder: Reminder) -> Any:
        if reminder.target_id == 2:
            return Skip("the custodian acknowledged the hold")
        if reminder.target_id == 3:
            return None
        return [
            Outgoing(
                "c@example.com",
                "Hold notice",
                "Please confirm.",
                "<p>Please confirm.</p>",
                "custodian",
            )
        ]

    register_target("test-custodian", render)
    instant = at("2026-05-01T09:00:00Z")
    rows = [_reminder(session, "test-custodian", n, instant) for n in (1, 2, 3)]
    unknown = _reminder(session, "test-unregistered", 1, instant)

    sweeper(instant, SMTP_URL=smtp_server.url)

    refresh(session)
    assert [(r.status, r.reason) for r in rows] == [
        ("queued", ""),
        ("skipped", "the custodian acknowledged the hold"),
        ("skipped", "its subject needs no reminder any more"),
    ]
    assert unknown.status == "pending"
    [message] = smtp_server.mailbox.messages
    assert (message["To"], message["Subject"]) == ("c@example.com", "Hold notice")
    assert bodies(message)[0].strip() == "Please confirm."


def test_a_render_error_fails_its_reminder_alone_and_shows_it(
    session: Any, smtp_server: SmtpServer, sweeper: Callable[..., Any]
) -> None:
    def render(_session: Any, reminder: Reminder) -> Any:
        if reminder.target_id == 1:
            raise KeyError("template variable")
        if reminder.target_id == 2:
            return []
        return [Outgoing("c@example.com", "Fine", "Fine.", "<p>Fine.</p>")]

    register_target("test-fragile", render)
    instant = at("2026-05-01T09:00:00Z")
    rows = [_reminder(session, "test-fragile", n, instant) for n in (1, 2, 3)]

    result = sweeper(instant, SMTP_URL=smtp_server.url)

    refresh(session)
    assert (result.queued, result.failed) == (1, 2)
    assert [(r.status, r.reason) for r in rows] == [
        ("failed", "its message could not be made: KeyError"),
        ("failed", "there was nobody to send it to"),
        ("queued", ""),
    ]
    assert [r.id for r in get_failed_reminders(session)] == [rows[0].id, rows[1].id]
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["reminder.failed", "reminder.failed", "reminder.queue", "mail.sent"]


def test_each_reminder_is_audited_once(
    session: Any,
    make_incident: Callable[..., Any],
    people: dict[str, Any],
    smtp_server: SmtpServer,
    sweeper: Callable[..., Any],
    clock: Any,
) -> None:
    make_incident()
    sweeper(at("2026-03-07T02:30:00Z"), SMTP_URL=smtp_server.url)
    sweeper(at("2026-03-07T02:31:00Z"), SMTP_URL=smtp_server.url)

    counts = session.execute(
        select(AuditEvent.action, func.count())
        .group_by(AuditEvent.action)
        .where(AuditEvent.actor_label == "scheduler")
    ).all()
    assert dict(counts) == {"reminder.queue": 3, "mail.sent": 4}
