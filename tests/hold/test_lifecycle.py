"""A hold from issue to release, its mail delivered to a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

from tracker.db import now_utc
from tracker.hold import service

from .conftest import LINK


def plain_text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())


def subjects_to(mailbox, prefix: str) -> list[str]:
    return [str(m["To"]) for m in mailbox.messages if subject(m).startswith(prefix)]


def hold_mail(mailbox) -> list[str]:
    """The hold's messages (the incident's own deadline reminders go out beside them)."""
    return [subject(m) for m in mailbox.messages if subject(m).endswith("Project Falcon breach")]


def test_issue_acknowledge_remind_escalate_release_over_smtp(
    client, session, hold, owner, sweep, smtp_server
):
    mailbox = smtp_server.mailbox
    issued_at = now_utc()
    service.issue(session, hold, owner, now=issued_at)

    sweep(issued_at, SMTP_URL=smtp_server.url)
    assert subjects_to(mailbox, "Legal hold notice:") == ["jo.doe@example.com", "sam@example.com"]
    jo_notice = mailbox.by_recipient()["jo.doe@example.com"][0]
    text = plain_text(jo_notice)
    assert "LEGAL HOLD NOTICE: Project Falcon breach" in text
    assert jo_notice["Auto-Submitted"] == "auto-generated"
    path = LINK.search(text).group(1)

    answered = client.post(path, data={"answer": "Laptop and the Engineering share"})
    assert answered.status_code == 200

    sweep(issued_at + timedelta(days=3, hours=1), SMTP_URL=smtp_server.url)
    assert subjects_to(mailbox, "Reminder:") == ["sam@example.com"]

    sweep(issued_at + timedelta(days=7, hours=2), SMTP_URL=smtp_server.url)
    assert subjects_to(mailbox, "Legal hold not acknowledged") == ["ana.counsel@example.com"]
    escalation = next(m for m in mailbox.messages if "not acknowledged" in subject(m))
    assert "Sam Ops has not acknowledged" in plain_text(escalation)

    session.expire_all()
    service.release(session, hold, owner, "Matter settled", issued_at + timedelta(days=8))
    sweep(issued_at + timedelta(days=8, minutes=1), SMTP_URL=smtp_server.url)
    assert subjects_to(mailbox, "Legal hold released") == ["jo.doe@example.com", "sam@example.com"]

    delivered = hold_mail(mailbox)
    sweep(issued_at + timedelta(days=400), SMTP_URL=smtp_server.url)
    assert hold_mail(mailbox) == delivered  # no reminder and no re-notice after release
    assert len(delivered) == 6  # two notices, one reminder, one escalation, two releases
