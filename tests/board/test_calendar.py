"""Calendar feeds: secret addresses, events in UTC with alarms, stable UIDs, SEQUENCE on moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.incident.service import update_facts
from tracker.notice import calendar
from tracker.notice.lifecycle import record_notice
from tracker.notice.models import CalendarFeed

GDPR_DUE = datetime(2026, 3, 8, 14, 30, tzinfo=UTC)


@pytest.fixture
def token(session, counsel):
    token = calendar.create_feed(session, counsel)
    session.commit()
    return token


def events(body: bytes) -> dict[str, object]:
    """The feed's events by summary."""
    parsed = Calendar.from_ical(body)
    return {str(item["summary"]): item for item in parsed.walk("VEVENT")}


def test_the_user_feed_holds_every_open_deadline_in_utc_with_alarms(client, token, incident):
    answer = client.get(f"/calendar/{token}.ics")

    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    parsed = Calendar.from_ical(answer.data)
    assert str(parsed["x-wr-calname"]) == "Breach-notification deadlines"
    found = events(answer.data)
    assert sorted(found) == [
        "Deadline: gdpr/supervisory_authority · INC-2026-0001",
        "Deadline: policy/internal/response · INC-2026-0001",
        "Deadline: us-ca/attorney_general · INC-2026-0001",
        "Deadline: us-ca/individuals · INC-2026-0001",
        "Policy target: gdpr/individuals · INC-2026-0001",
    ]
    gdpr = found["Deadline: gdpr/supervisory_authority · INC-2026-0001"]
    assert gdpr["dtstart"].dt == GDPR_DUE
    assert b"DTSTART:20260308T143000Z" in answer.data
    assert gdpr["sequence"] == 0
    assert str(gdpr["url"]) == f"http://127.0.0.1:5000/incidents/{incident.id}"
    assert "in America/New_York: 2026-03-08 10:30 EDT" in str(gdpr["description"])
    triggers = [alarm["trigger"].dt for alarm in gdpr.walk("VALARM")]
    assert triggers == [-timedelta(hours=24), -timedelta(hours=1)]
    ca = found["Deadline: us-ca/individuals · INC-2026-0001"]
    assert ca["dtstart"].dt == datetime(2026, 4, 5, 3, 59, 59, 999999, tzinfo=UTC).replace(
        microsecond=0
    )


def test_uids_are_stable_and_sequence_grows_when_a_deadline_moves(
    client, session, token, incident, facts
):
    first = events(client.get(f"/calendar/{token}.ics").data)
    key = "Deadline: gdpr/supervisory_authority · INC-2026-0001"
    uid = str(first[key]["uid"])

    facts["events"]["discovered_at"] = "2026-03-06T09:30:00-05:00"
    update_facts(session, incident, facts, None)
    session.commit()
    moved = events(client.get(f"/calendar/{token}.ics").data)[key]

    assert uid == f"obligation-{first[key]['uid'].split('-')[1].split('@')[0]}@127.0.0.1"
    assert str(moved["uid"]) == uid
    assert moved["sequence"] == 1
    assert moved["dtstart"].dt == datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
    again = events(client.get(f"/calendar/{token}.ics").data)[key]
    assert (str(again["uid"]), again["sequence"]) == (uid, 1)


def test_a_met_obligation_leaves_the_feed(client, session, token, incident, obligation, counsel):
    record_notice(
        session,
        obligation("gdpr/supervisory_authority"),
        counsel,
        datetime(2026, 3, 6, 12, 0, tzinfo=UTC),
        "portal",
    )
    session.commit()

    found = events(client.get(f"/calendar/{token}.ics").data)

    assert "Deadline: gdpr/supervisory_authority · INC-2026-0001" not in found
    assert len(found) == 4


def test_the_incident_feed_holds_only_that_incident(
    client, session, token, incident, make_incident, facts
):
    facts["incident"]["title"] = "Second incident"
    other = make_incident(facts)

    answer = client.get(f"/calendar/{token}/incidents/{other.id}.ics")

    parsed = Calendar.from_ical(answer.data)
    assert str(parsed["x-wr-calname"]) == "Deadlines of INC-2026-0002"
    assert {str(item["summary"]).split(" · ")[1] for item in parsed.walk("VEVENT")} == {
        "INC-2026-0002"
    }
    assert len(events(client.get(f"/calendar/{token}.ics").data)) == 10


def test_only_the_hash_is_stored_and_regenerating_retires_the_old_address(
    client, session, counsel, token, incident
):
    stored = session.scalars(select(CalendarFeed)).one()
    assert stored.token_hash == calendar.hash_token(token)
    assert token not in stored.token_hash

    newer = calendar.create_feed(session, counsel)
    session.commit()

    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{newer}.ics").status_code == 200
    assert session.scalars(select(CalendarFeed)).one().token_hash == calendar.hash_token(newer)


def test_a_revoked_or_unknown_address_answers_404(client, session, counsel, token, incident):
    calendar.revoke_feed(session, counsel)
    session.commit()

    gone = client.get(f"/calendar/{token}.ics")

    assert gone.status_code == 404
    assert "not known or was revoked" in gone.get_data(as_text=True)
    assert client.get("/calendar/guess.ics").status_code == 404
    assert client.get(f"/calendar/{token}/incidents/{incident.id}.ics").status_code == 404
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert [action for action in actions if action.startswith("calendar")] == [
        "calendar_feed.create",
        "calendar_feed.revoke",
    ]


def test_a_disabled_user_s_address_stops_answering(client, session, counsel, token, incident):
    counsel.is_active = False
    session.commit()

    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_account_page_makes_shows_once_and_revokes(client, session, login, counsel, incident):
    login(client, counsel)
    assert "Make my calendar address" in client.get("/account").get_data(as_text=True)

    made = client.post("/account/calendar").get_data(as_text=True)

    address = made.split('id="feed-address" value="')[1].split('"')[0]
    assert address.startswith("http://localhost/calendar/")
    path = address.removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    account = client.get("/account").get_data(as_text=True)
    assert "Make a new address" in account
    assert path not in account

    client.post("/account/calendar/revoke")
    assert client.get(path).status_code == 404


def test_the_incident_download_needs_a_sign_in(client, login, make_user, incident):
    assert client.get(f"/incidents/{incident.id}/deadlines.ics").status_code == 302

    login(client, make_user("viewer"))
    answer = client.get(f"/incidents/{incident.id}/deadlines.ics")

    assert answer.status_code == 200
    assert len(events(answer.data)) == 5
    assert 'filename="deadlines-INC-2026-0001.ics"' in answer.headers["Content-Disposition"]
