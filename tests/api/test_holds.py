"""Legal holds through the API: create, issue, read statuses, release."""

from __future__ import annotations

from sqlalchemy import select

from tracker.reminder.models import MailMessage

BODY = {
    "name": "Regulator inquiry",
    "description": "Preserve the breach records.",
    "scope": {
        "starts_on": "2026-02-01",
        "subjects": ["credential stuffing"],
        "data_sources": ["auth logs"],
    },
    "custodians": [
        {"name": "Jo Doe", "email": "jo@example.com", "manager_email": "boss@example.com"},
        {
            "name": "Sam Ops",
            "email": "sam@example.com",
            "role": "system_owner",
            "systems": "auth-db",
            "instructions": "Keep the backups.",
        },
    ],
    "timezone": "America/New_York",
}


def test_a_hold_is_created_issued_read_and_released(api, counsel, created, session):
    made = api.post(
        "/api/v1/holds", json={**BODY, "incident_ids": [created["id"]]}, headers=counsel
    )
    assert made.status_code == 201
    hold = made.json["hold"]
    assert made.headers["Location"].endswith(f"/api/v1/holds/{hold['id']}")
    assert hold["status"] == "draft" and hold["version"] == 0
    assert [c["status"] for c in hold["custodians"]] == ["not_sent", "not_sent"]
    assert (hold["reminder_days"], hold["escalation_days"], hold["renotice_days"]) == (3, 4, 90)

    issued = api.post(f"/api/v1/holds/{hold['id']}/issue", headers=counsel)
    assert issued.status_code == 200
    assert issued.json["hold"]["status"] == "active"
    assert [c["status"] for c in issued.json["hold"]["custodians"]] == ["sent", "sent"]
    recipients = session.scalars(select(MailMessage.recipient)).all()
    assert recipients == ["jo@example.com", "sam@example.com"]

    again = api.post(f"/api/v1/holds/{hold['id']}/issue", headers=counsel)
    assert again.status_code == 409

    released = api.post(
        f"/api/v1/holds/{hold['id']}/release", json={"reason": "Inquiry closed"}, headers=counsel
    )
    assert released.status_code == 200
    assert released.json["hold"]["release_reason"] == "Inquiry closed"
    assert [c["status"] for c in released.json["hold"]["custodians"]] == ["released", "released"]

    twice = api.post(
        f"/api/v1/holds/{hold['id']}/release", json={"reason": "again"}, headers=counsel
    )
    assert twice.status_code == 409
    read = api.get(f"/api/v1/holds/{hold['id']}", headers=counsel)
    assert read.json["hold"]["status"] == "released"


def test_bad_holds_name_the_field(api, counsel):
    bad = {**BODY, "custodians": [{"name": "Jo", "email": "nobody"}]}
    response = api.post("/api/v1/holds", json=bad, headers=counsel)
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "custodians.0.email": "expected an e-mail address; got 'nobody'"
    }

    zone = api.post("/api/v1/holds", json={**BODY, "timezone": "Mars/Base"}, headers=counsel)
    assert zone.status_code == 422
    assert zone.json["error"]["fields"] == {"timezone": "expected an IANA time zone"}


def test_a_responder_cannot_run_holds(api, bearer):
    responder = bearer("responder")

    assert api.post("/api/v1/holds", json=BODY, headers=responder).status_code == 403
    assert api.get("/api/v1/holds/1", headers=responder).status_code == 404
