"""`tracker reminders sweep`, `/healthz` after a sweep, and the outbox pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tracker.cli import main
from tracker.reminder.models import MailMessage

from .conftest import refresh


def test_sweep_command_keeps_mail_without_smtp_and_reports_json(
    runner: Any,
    session: Any,
    make_incident: Callable[..., Any],
    make_user: Callable[..., Any],
    clock: Any,
) -> None:
    make_user("counsel", "ana@example.com")
    make_incident()

    result = runner.invoke(
        main, ["reminders", "sweep", "--at", "2026-03-07T03:30:00+01:00", "--json"]
    )

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["at"] == "2026-03-07T02:30:00+00:00"
    assert (summary["queued"], summary["messages"], summary["kept"]) == (3, 3, 3)
    refresh(session)
    assert set(session.scalars(select(MailMessage.status))) == {"kept"}


def test_sweep_command_says_what_it_did(runner: Any) -> None:
    result = runner.invoke(main, ["reminders", "sweep", "--at", "2026-03-07T02:30:00Z"])

    assert result.exit_code == 0, result.output
    assert "Swept as of 2026-03-07T02:30:00+00:00: 0 reminder(s) queued" in result.output


def test_sweep_command_refuses_an_instant_without_offset(runner: Any) -> None:
    result = runner.invoke(main, ["reminders", "sweep", "--at", "2026-03-07T02:30"])

    assert result.exit_code == 2
    assert "--at must be an ISO 8601 instant with an offset" in result.output


def test_sweep_command_refuses_a_future_instant_unless_at_future_is_given(
    runner: Any,
    session: Any,
    make_incident: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    from datetime import timedelta

    from tracker.reminder.models import Reminder

    make_user("counsel", "ana@example.com")
    make_incident()
    future = (datetime.now(UTC) + timedelta(days=400)).replace(microsecond=0)
    at = future.isoformat()
    refresh(session)
    before = sorted((r.id, r.status) for r in session.scalars(select(Reminder)))

    refused = runner.invoke(main, ["reminders", "sweep", "--at", at])

    assert refused.exit_code == 2
    assert refused.output.startswith(f"error: --at {at} is later than now (")
    assert refused.output.endswith(
        "); a sweep at a future instant sends reminders early and records them as sent. "
        "Add --at-future to do so anyway (for a scratch instance only).\n"
    )
    refresh(session)
    assert session.scalars(select(MailMessage)).all() == []
    assert sorted((r.id, r.status) for r in session.scalars(select(Reminder))) == before

    allowed = runner.invoke(main, ["reminders", "sweep", "--at", at, "--at-future", "--json"])

    assert allowed.exit_code == 0, allowed.output
    summary = json.loads(allowed.output.strip().splitlines()[-1])
    assert summary["at"] == at
    assert summary["messages"] > 0


def test_sweep_command_allows_an_instant_just_past_to_catch_up(runner: Any) -> None:
    from datetime import timedelta

    past = (datetime.now(UTC) - timedelta(minutes=5)).replace(microsecond=0).isoformat()
    result = runner.invoke(main, ["reminders", "sweep", "--at", past])

    assert result.exit_code == 0, result.output
    assert f"Swept as of {past}: 0 reminder(s) queued" in result.output


def test_healthz_reports_the_last_sweep_of_any_process(runner: Any, client: Any) -> None:
    assert client.get("/healthz").json["last_sweep"] is None
    runner.invoke(main, ["reminders", "sweep", "--at", "2026-03-07T02:30:00Z"])

    body = client.get("/healthz").json
    assert body["last_sweep"]["as_of"] == "2026-03-07T02:30:00+00:00"
    assert 0 <= body["last_sweep"]["age_seconds"] < 60
    finished = datetime.fromisoformat(body["last_sweep"]["finished_at"])
    assert abs((datetime.now(UTC) - finished).total_seconds()) < 60


def _failed_message(session: Any) -> MailMessage:
    message = MailMessage(
        recipient="ana@example.com",
        recipient_role="counsel",
        subject="[INC-2026-0001] Overdue: gdpr/supervisory_authority",
        body_text="The deadline below has passed.",
        body_html="<p>The deadline <script>alert(1)</script> has passed.</p>",
        message_id="<reminder.1@localhost>",
        status="failed",
        attempts=5,
        last_error="could not connect: ConnectionRefusedError",
    )
    session.add(message)
    session.commit()
    return message


def test_outbox_shows_messages_and_failures_to_counsel(
    client: Any, session: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    message = _failed_message(session)
    login(client, make_user("counsel"))

    page = client.get("/outbox").get_data(as_text=True)
    assert "[INC-2026-0001] Overdue: gdpr/supervisory_authority" in page
    assert "could not connect: ConnectionRefusedError" in page
    assert "No SMTP server is configured" in page

    sent = client.get("/outbox?status=sent").get_data(as_text=True)
    assert (
        '<p class="empty">No messages with the status sent. <a href="/outbox">Clear the '
        "filter</a> to see every message.</p>"
    ) in sent

    detail = client.get(f"/outbox/{message.id}").get_data(as_text=True)
    assert "&lt;reminder.1@localhost&gt;" in detail
    assert "The deadline below has passed." in detail
    html = client.get(f"/outbox/{message.id}/html")
    assert html.headers["Content-Security-Policy"].startswith("sandbox")


def test_every_page_tells_counsel_of_failed_reminders(
    client: Any, session: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    from tracker.reminder.models import Reminder

    reminder = Reminder(
        target_kind="obligation",
        target_id=1,
        step="due",
        kind="due",
        remind_at=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
        deadline_at=datetime(2026, 3, 8, 14, 30, tzinfo=UTC),
        status="queued",
        reason="",
    )
    session.add(reminder)
    session.flush()
    _failed_message(session).reminder_id = reminder.id
    session.commit()
    login(client, make_user("counsel"))

    page = client.get("/incidents").get_data(as_text=True)
    assert "1 reminder could not be delivered." in page

    client.post("/logout")
    login(client, make_user("viewer"))
    assert "could not be delivered" not in client.get("/incidents").get_data(as_text=True)


def test_a_failed_message_can_be_sent_again(
    client: Any, session: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    message = _failed_message(session)
    login(client, make_user("administrator"))

    response = client.post(f"/outbox/{message.id}/retry")

    assert response.status_code == 302
    refresh(session)
    stored = session.get(MailMessage, message.id)
    assert (stored.status, stored.attempts) == ("pending", 0)


def test_viewers_and_responders_cannot_read_the_outbox(
    client: Any, session: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    message = _failed_message(session)
    for role in ("viewer", "responder"):
        login(client, make_user(role))
        assert client.get("/outbox").status_code == 403
        assert client.get(f"/outbox/{message.id}").status_code == 403
        assert client.post(f"/outbox/{message.id}/retry").status_code == 403
        client.post("/logout")


def test_an_unknown_status_filter_is_refused_by_name(
    client: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    login(client, make_user("counsel"))
    response = client.get("/outbox?status=lost")
    assert response.status_code == 400
    assert "The status filter &#39;lost&#39; is not one of" in response.get_data(as_text=True)


def test_the_scheduler_sweeps_at_start_and_keeps_nothing_of_its_own(app: Any, client: Any) -> None:
    import time

    from tracker.reminder.tasks import JOB_ID, start_scheduler

    scheduler = start_scheduler(app)
    try:
        deadline = time.monotonic() + 20
        while client.get("/healthz").json["last_sweep"] is None and time.monotonic() < deadline:
            time.sleep(0.1)
        body = client.get("/healthz").json
        assert body["scheduler"] == "running"
        assert body["last_sweep"] is not None
        [job] = scheduler.get_jobs()
        assert job.id == JOB_ID
        assert type(scheduler._jobstores["default"]).__name__ == "MemoryJobStore"
    finally:
        scheduler.shutdown(wait=True)
    assert client.get("/healthz").json["scheduler"] == "stopped"


def test_an_administrator_sets_and_removes_a_policy(
    client: Any, session: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    from tracker.reminder.models import PolicyOverride

    login(client, make_user("administrator"))
    response = client.post(
        "/reminders/policy",
        data={"scope": "severity:SEV-2", "steps": "12h, due", "overdue": "weekly"},
    )
    assert response.status_code == 302
    refresh(session)
    [row] = session.scalars(select(PolicyOverride)).all()
    assert (row.scope, row.steps, row.overdue) == ("severity:SEV-2", ["12h", "due"], "weekly")
    page = client.get("/reminders/policy").get_data(as_text=True)
    assert "<code>severity:SEV-2</code></td><td>12h, due</td><td>weekly</td>" in page

    assert (
        client.post("/reminders/policy/delete", data={"scope": "severity:SEV-2"}).status_code == 302
    )
    refresh(session)
    assert session.scalars(select(PolicyOverride)).all() == []


def test_a_bad_policy_is_refused_beside_its_field(
    client: Any, session: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    from tracker.reminder.models import PolicyOverride

    login(client, make_user("administrator"))
    response = client.post(
        "/reminders/policy", data={"scope": "default", "steps": "half, soon", "overdue": "daily"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="steps-errors"' in page
    assert "The reminder step &#39;soon&#39; is not understood" in page

    response = client.post(
        "/reminders/policy", data={"scope": "team:red", "steps": "due", "overdue": "daily"}
    )
    assert response.status_code == 422
    assert 'id="scope-errors"' in response.get_data(as_text=True)
    refresh(session)
    assert session.scalars(select(PolicyOverride)).all() == []


def test_viewers_read_the_policy_and_cannot_change_it(
    client: Any, make_user: Callable[..., Any], login: Callable[..., Any]
) -> None:
    login(client, make_user("viewer"))
    page = client.get("/reminders/policy")
    assert page.status_code == 200
    assert "half, 24h, 4h, 1h, due" in page.get_data(as_text=True)
    assert "Save the policy" not in page.get_data(as_text=True)
    data = {"scope": "default", "steps": "due", "overdue": "none"}
    assert client.post("/reminders/policy", data=data).status_code == 403
    assert client.post("/reminders/policy/delete", data={"scope": "default"}).status_code == 403
