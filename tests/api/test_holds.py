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


def _made(api, headers, **given):
    response = api.post("/api/v1/holds", json={**BODY, **given}, headers=headers)
    assert response.status_code == 201
    return response.json["hold"]


def _restrict(api, headers, incident_id):
    url = f"/api/v1/incidents/{incident_id}/access"
    response = api.put(url, json={"restricted": True, "members": []}, headers=headers)
    assert response.status_code == 200


def test_holds_are_listed_newest_first_and_by_incident(api, counsel, bearer, created, facts):
    other = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]
    first = _made(api, counsel, name="First", incident_ids=[created["id"]])
    second = _made(api, counsel, name="Second", incident_ids=[other["id"]])
    viewer = bearer("viewer", scope="read")

    listed = api.get("/api/v1/holds", headers=viewer)
    of_first = api.get(f"/api/v1/holds?incident_id={created['id']}", headers=viewer)

    assert listed.status_code == 200
    assert [hold["name"] for hold in listed.json["holds"]] == ["Second", "First"]
    assert [hold["id"] for hold in of_first.json["holds"]] == [first["id"]]
    assert of_first.json["holds"][0]["incident_ids"] == [created["id"]]
    assert second["incident_ids"] == [other["id"]]
    bad = api.get("/api/v1/holds?incident_id=first", headers=viewer)
    assert bad.status_code == 422
    assert bad.json["error"]["fields"] == {"incident_id": "expected a whole number; got 'first'"}


def test_holds_of_a_restricted_incident_are_left_out_and_unknown(api, counsel, bearer, created):
    hold = _made(api, counsel, name="Hidden", incident_ids=[created["id"]])
    _restrict(api, counsel, created["id"])
    outsider = bearer("counsel")
    url = f"/api/v1/holds/{hold['id']}"
    person = hold["custodians"][0]["id"]

    assert api.get("/api/v1/holds", headers=outsider).json == {"holds": []}
    assert api.get("/api/v1/holds", headers=counsel).json["holds"][0]["name"] == "Hidden"
    for method, path, body in (
        ("PUT", "/scope", {"scope": {}}),
        ("POST", "/custodians", {"name": "Al", "email": "al@example.com"}),
        ("POST", f"/custodians/{person}/release", None),
    ):
        response = api.open(url + path, method=method, json=body, headers=outsider)
        assert response.status_code == 404, path
        assert (
            response.json["error"]["message"] == f"There is no legal hold with the id {hold['id']}."
        )


def test_the_scope_is_replaced_with_if_match_and_reissued_when_active(api, counsel, session):
    hold = _made(api, counsel)
    url = f"/api/v1/holds/{hold['id']}"
    tag = api.get(url, headers=counsel).headers["ETag"]
    scope = {
        "starts_on": "2026-01-15",
        "ends_on": "2026-03-31",
        "subjects": ["payroll export"],
        "data_sources": ["HR share", "payroll mailbox"],
    }

    changed = api.put(
        f"{url}/scope",
        json={"scope": scope, "description": "Payroll too."},
        headers={**counsel, "If-Match": tag},
    )
    stale = api.put(f"{url}/scope", json={"scope": {}}, headers={**counsel, "If-Match": tag})

    assert changed.status_code == 200
    assert changed.json["hold"]["scope"] == scope
    assert changed.json["hold"]["description"] == "Payroll too."
    assert changed.json["hold"]["version"] == 0  # a draft: nobody was told yet
    assert changed.headers["ETag"] != tag
    assert stale.status_code == 412
    assert stale.json["error"]["fields"] == {
        "If-Match": f"expected the current ETag {changed.headers['ETag']}"
    }

    assert api.post(f"{url}/issue", headers=counsel).status_code == 200
    reissued = api.put(f"{url}/scope", json={"scope": {"subjects": ["all"]}}, headers=counsel)
    assert reissued.status_code == 200
    assert reissued.json["hold"]["version"] == 2
    assert reissued.json["hold"]["scope"] == {
        "starts_on": None,
        "ends_on": None,
        "subjects": ["all"],
        "data_sources": [],
    }
    assert reissued.json["hold"]["description"] == "Payroll too."
    recipients = session.scalars(select(MailMessage.recipient).order_by(MailMessage.id)).all()
    assert recipients == ["jo@example.com", "sam@example.com"] * 2


def test_bad_scopes_name_the_field(api, counsel, bearer):
    hold = _made(api, counsel)
    url = f"/api/v1/holds/{hold['id']}/scope"

    backwards = api.put(
        url, json={"scope": {"starts_on": "2026-03-01", "ends_on": "2026-02-01"}}, headers=counsel
    )
    not_a_day = api.put(url, json={"scope": {"starts_on": "March"}}, headers=counsel)
    missing = api.put(url, json={"description": "x"}, headers=counsel)

    assert backwards.status_code == 422
    assert backwards.json["error"]["fields"] == {
        "scope.ends_on": "expected a date on or after the start"
    }
    assert list(not_a_day.json["error"]["fields"]) == ["scope.starts_on"]
    assert missing.json["error"]["fields"] == {"scope": "this field is required"}
    assert api.put(url, json={"scope": {}}, headers=bearer("responder")).status_code == 403
    read = bearer("counsel", scope="read")
    assert api.put(url, json={"scope": {}}, headers=read).status_code == 403


def test_a_custodian_is_added_and_released(api, counsel, session):
    hold = _made(api, counsel)
    url = f"/api/v1/holds/{hold['id']}"
    api.post(f"{url}/issue", headers=counsel)
    person = {"name": "Ana Lee", "email": "Ana@Example.com", "department": "Finance"}

    added = api.post(f"{url}/custodians", json=person, headers=counsel)

    assert added.status_code == 201
    row = added.json["hold"]["custodians"][-1]
    assert (row["name"], row["email"], row["department"], row["role"]) == (
        "Ana Lee",
        "ana@example.com",
        "Finance",
        "custodian",
    )
    assert row["status"] == "sent"
    assert session.scalars(select(MailMessage.recipient).order_by(MailMessage.id)).all()[-1] == (
        "ana@example.com"
    )
    twice = api.post(f"{url}/custodians", json=person, headers=counsel)
    assert twice.status_code == 409
    assert twice.json["error"]["fields"] == {"email": "expected someone not yet on the hold"}

    released = api.post(f"{url}/custodians/{row['id']}/release", headers=counsel)
    assert released.status_code == 200
    statuses = [(item["name"], item["status"]) for item in released.json["hold"]["custodians"]]
    assert statuses == [("Jo Doe", "sent"), ("Sam Ops", "sent"), ("Ana Lee", "released")]
    again = api.post(f"{url}/custodians/{row['id']}/release", headers=counsel)
    assert again.status_code == 409
    assert again.json["error"]["fields"] == {
        "custodian": "expected someone still bound by the hold"
    }


def test_bad_custodians_name_the_field_and_foreign_ids_are_unknown(api, counsel, bearer):
    hold = _made(api, counsel)
    other = _made(api, counsel, name="Other")
    url = f"/api/v1/holds/{hold['id']}"

    no_address = api.post(f"{url}/custodians", json={"name": "Al", "email": "al"}, headers=counsel)
    no_name = api.post(f"{url}/custodians", json={"email": "al@example.com"}, headers=counsel)
    foreign = other["custodians"][0]["id"]
    elsewhere = api.post(f"{url}/custodians/{foreign}/release", headers=counsel)

    assert no_address.status_code == 422
    assert no_address.json["error"]["fields"] == {"email": "expected at least 3 characters"}
    assert no_name.json["error"]["fields"] == {"name": "this field is required"}
    assert elsewhere.status_code == 404
    assert elsewhere.json["error"]["message"] == (
        f"The hold {hold['id']} has no custodian with the id {foreign}."
    )
    person = {"name": "Al", "email": "al@example.com"}
    assert api.post(f"{url}/custodians", json=person, headers=bearer("viewer")).status_code == 403
    read = bearer("counsel", scope="read")
    assert api.post(f"{url}/custodians", json=person, headers=read).status_code == 403
    released = hold["custodians"][0]["id"]
    refused = api.post(f"{url}/custodians/{released}/release", headers=bearer("responder"))
    assert refused.status_code == 403
