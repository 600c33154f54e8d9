"""Playbooks, incidents' checklists and counsel's closure override through the API."""

import hashlib

import pytest
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.plan.models import PlaybookOverride
from tracker.plan.playbooks import shipped_playbooks

SECURITY_STEPS = [
    "Revoke active sessions and tokens of the affected accounts and services",
    "Change privileged credentials (administrator, service and API keys)",
    "Isolate the affected systems from the network",
    "Turn on enhanced monitoring of the affected systems and accounts",
    "Notify the security team",
]
READ_ONLY = "This token may only read; changes need a read-write token."


def _edited_outage() -> str:
    return shipped_playbooks()["outage"].text.replace(
        'text = "Restart the failed services"', 'text = "Restart the failed services in order"'
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def admin(bearer):
    return bearer("administrator")


# Playbooks.


def test_every_playbook_is_listed_with_its_steps(api, bearer):
    response = api.get("/api/v1/playbooks", headers=bearer("viewer"))

    assert response.status_code == 200
    playbooks = {item["id"]: item for item in response.json["playbooks"]}
    assert sorted(playbooks) == ["data", "general", "outage", "security"]
    security = playbooks["security"]
    assert security["title"] == "Security breach"
    assert security["categories"] == ["security"]
    assert security["is_fallback"] is False
    assert security["is_edited"] is False
    assert security["reviewed"] == "2026-12-04"
    assert security["version"] == shipped_playbooks()["security"].version
    assert [step["text"] for step in security["steps"]] == SECURITY_STEPS
    assert security["steps"][0] == {
        "id": "revoke-sessions",
        "text": "Revoke active sessions and tokens of the affected accounts and services",
        "detail": "",
    }
    assert [step["id"] for step in security["closure"]] == [
        "symptoms-resolved",
        "stability-confirmed",
        "monitoring-normal",
        "no-recurrence",
    ]
    assert playbooks["general"]["is_fallback"] is True


def test_one_playbook_comes_with_its_text_and_etag(api, bearer):
    response = api.get("/api/v1/playbooks/outage", headers=bearer("viewer"))

    text = shipped_playbooks()["outage"].text
    assert response.status_code == 200
    assert response.json["playbook"]["text"] == text
    assert response.headers["ETag"] == f'"{_sha256(text)}"'
    missing = api.get("/api/v1/playbooks/nope", headers=bearer("viewer"))
    assert missing.status_code == 404
    assert missing.json["error"]["message"] == "There is no playbook with the id 'nope'."


def test_an_administrator_replaces_a_playbook_and_new_incidents_get_it(
    api, admin, session, facts, counsel
):
    shipped = shipped_playbooks()["outage"].text
    response = api.put(
        "/api/v1/playbooks/outage",
        json={"text": _edited_outage()},
        headers={**admin, "If-Match": f'"{_sha256(shipped)}"'},
    )

    assert response.status_code == 200
    playbook = response.json["playbook"]
    assert playbook["is_edited"] is True
    assert playbook["steps"][1]["text"] == "Restart the failed services in order"
    assert playbook["version"] == _sha256(_edited_outage())[:12]
    assert response.headers["ETag"] == f'"{_sha256(_edited_outage())}"'
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "playbook.update"

    facts["incident"]["category"] = "outage"
    created = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]
    checklist = api.get(f"/api/v1/incidents/{created['id']}/checklist", headers=counsel).json
    assert checklist["checklist"]["version"] == _sha256(_edited_outage())[:12]
    assert checklist["checklist"]["items"][1]["text"] == "Restart the failed services in order"


def test_a_stale_if_match_is_refused_and_nothing_stored(api, admin, session):
    response = api.put(
        "/api/v1/playbooks/outage",
        json={"text": _edited_outage()},
        headers={**admin, "If-Match": '"0000"'},
    )

    current = _sha256(shipped_playbooks()["outage"].text)
    assert response.status_code == 412
    assert response.json["error"]["fields"] == {
        "If-Match": f'expected the current ETag "{current}"'
    }
    assert session.scalars(select(PlaybookOverride)).first() is None


def test_an_invalid_playbook_is_refused_with_its_field(api, admin, session):
    bad = _edited_outage().replace('id = "load-balancing"', 'id = "Load Balancing"')
    response = api.put("/api/v1/playbooks/outage", json={"text": bad}, headers=admin)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "steps[4].id": "expected lower-case letters, digits and hyphens; got 'Load Balancing'"
    }
    assert session.scalars(select(PlaybookOverride)).first() is None


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"text": "this field is required"}),
        ({"text": 12}, {"text": "expected text; got 12"}),
        (
            {"text": "x", "title": "y"},
            {"title": "unknown field; check its spelling against the API document"},
        ),
    ],
)
def test_a_bad_playbook_body_names_the_field(api, admin, body, fields):
    response = api.put("/api/v1/playbooks/outage", json=body, headers=admin)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == fields


def test_only_administrators_with_a_read_write_token_edit_playbooks(api, bearer, session):
    body = {"text": _edited_outage()}
    refused = api.put("/api/v1/playbooks/outage", json=body, headers=bearer("counsel"))
    read_only = api.put(
        "/api/v1/playbooks/outage", json=body, headers=bearer("administrator", scope="read")
    )
    reset = api.post("/api/v1/playbooks/outage/reset", headers=bearer("counsel"))

    assert refused.status_code == 403
    assert refused.json["error"]["message"] == (
        "The role counsel may not do this (settings.manage)."
    )
    assert read_only.status_code == 403
    assert read_only.json["error"]["message"] == READ_ONLY
    assert reset.status_code == 403
    assert session.scalars(select(PlaybookOverride)).first() is None


def test_a_reset_brings_back_the_shipped_file(api, admin, session):
    api.put("/api/v1/playbooks/outage", json={"text": _edited_outage()}, headers=admin)

    response = api.post("/api/v1/playbooks/outage/reset", headers=admin)

    shipped = shipped_playbooks()["outage"].text
    assert response.status_code == 200
    assert response.json["playbook"]["is_edited"] is False
    assert response.json["playbook"]["text"] == shipped
    assert response.headers["ETag"] == f'"{_sha256(shipped)}"'
    session.expire_all()
    assert session.scalars(select(PlaybookOverride)).first() is None
    unknown = api.post("/api/v1/playbooks/nope/reset", headers=admin)
    assert unknown.status_code == 404


# An incident's checklist.


def _checklist(api, headers, incident_id):
    response = api.get(f"/api/v1/incidents/{incident_id}/checklist", headers=headers)
    assert response.status_code == 200
    return response.json["checklist"]


def test_an_incident_has_the_checklist_of_its_category(api, bearer, created):
    checklist = _checklist(api, bearer("viewer"), created["id"])

    assert checklist["playbook_id"] == "security"
    assert checklist["title"] == "Security breach"
    assert checklist["incident_id"] == created["id"]
    assert checklist["progress"] == {
        "steps": {"done": 0, "total": 5},
        "validation": {"done": 0, "total": 3},
        "closure": {"done": 0, "total": 4},
    }
    assert [item["text"] for item in checklist["items"][:5]] == SECURITY_STEPS
    first = checklist["items"][0]
    assert {key: first[key] for key in ("section", "step_id", "position", "done_at", "note")} == {
        "section": "steps",
        "step_id": "revoke-sessions",
        "position": 1,
        "done_at": None,
        "note": "",
    }


def test_a_responder_ticks_and_reopens_a_step(api, bearer, session, make_user, created):
    responder = bearer("responder")
    incident_id = created["id"]
    item = _checklist(api, responder, incident_id)["items"][0]
    url = f"/api/v1/incidents/{incident_id}/checklist/{item['id']}"

    ticked = api.post(f"{url}/tick", json={"note": "All 1,200 sessions"}, headers=responder)

    assert ticked.status_code == 200
    step = ticked.json["checklist"]["items"][0]
    assert step["note"] == "All 1,200 sessions"
    assert step["done_at"] is not None and step["done_at"].endswith("+00:00")
    assert ticked.json["checklist"]["progress"]["steps"] == {"done": 1, "total": 5}
    timeline = api.get(f"/api/v1/incidents/{incident_id}/timeline", headers=responder).json
    assert timeline["timeline"][-1]["text"] == (
        "Playbook, response steps: Revoke active sessions and tokens of the affected accounts "
        "and services, done. All 1,200 sessions"
    )

    again = api.post(f"{url}/tick", headers=responder)
    assert again.status_code == 409
    assert again.json["error"]["message"] == (
        "The step 'Revoke active sessions and tokens of the affected accounts and services' was "
        "already ticked; untick it first to tick it again."
    )

    no_reason = api.post(f"{url}/untick", json={"reason": " "}, headers=responder)
    assert no_reason.status_code == 422
    assert no_reason.json["error"]["fields"] == {"reason": "this field must not be empty"}
    reopened = api.post(f"{url}/untick", json={"reason": "Two were missed"}, headers=responder)
    assert reopened.status_code == 200
    assert reopened.json["checklist"]["items"][0]["done_at"] is None
    assert reopened.json["checklist"]["progress"]["steps"] == {"done": 0, "total": 5}
    actions = [row.action for row in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-2:] == ["checklist.tick", "checklist.untick"]


def test_a_viewer_and_a_read_token_may_not_tick(api, bearer, created):
    item = _checklist(api, bearer("viewer"), created["id"])["items"][0]
    url = f"/api/v1/incidents/{created['id']}/checklist/{item['id']}/tick"

    viewer = api.post(url, headers=bearer("viewer"))
    read_only = api.post(url, headers=bearer("responder", scope="read"))

    assert viewer.status_code == 403
    assert viewer.json["error"]["message"] == (
        "The role viewer may not do this (incident.timeline)."
    )
    assert read_only.status_code == 403
    assert read_only.json["error"]["message"] == READ_ONLY
    assert _checklist(api, bearer("viewer"), created["id"])["items"][0]["done_at"] is None


def test_a_bad_tick_body_names_the_field(api, bearer, created):
    item = _checklist(api, bearer("viewer"), created["id"])["items"][0]
    url = f"/api/v1/incidents/{created['id']}/checklist/{item['id']}"

    wrong = api.post(f"{url}/tick", json={"note": 5}, headers=bearer("responder"))
    missing = api.post(f"{url}/untick", json={}, headers=bearer("responder"))
    not_json = api.post(
        f"{url}/tick", data="note", content_type="application/json", headers=bearer("responder")
    )

    assert wrong.status_code == 422
    assert wrong.json["error"]["fields"] == {"note": "expected text; got 5"}
    assert missing.status_code == 422
    assert missing.json["error"]["fields"] == {"reason": "this field is required"}
    assert not_json.status_code == 400
    assert not_json.json["error"]["fields"] == {"": "expected a JSON document"}


def test_a_step_of_another_incident_is_unknown(api, bearer, created, make_incident):
    other = make_incident()
    item = _checklist(api, bearer("viewer"), other.id)["items"][0]

    response = api.post(
        f"/api/v1/incidents/{created['id']}/checklist/{item['id']}/tick",
        headers=bearer("responder"),
    )

    assert response.status_code == 404
    assert response.json["error"]["message"] == (
        f"The incident {created['reference']} has no checklist step {item['id']}."
    )
    assert _checklist(api, bearer("viewer"), other.id)["items"][0]["done_at"] is None


# Resolution with closure criteria open.


def test_resolving_is_refused_while_closure_criteria_are_open(api, bearer, created):
    response = api.post(
        f"/api/v1/incidents/{created['id']}/status",
        json={"status": "resolved"},
        headers=bearer("counsel"),
    )

    assert response.status_code == 409
    assert response.json["error"]["fields"] == {"status": "closure criteria are open"}


def test_counsel_resolves_with_open_criteria_and_the_reason_is_kept(api, bearer, created):
    url = f"/api/v1/incidents/{created['id']}/resolve-with-open-criteria"
    reason = "Regulator asked for closure; monitoring continues under INC-2"

    response = api.post(url, json={"reason": reason}, headers=bearer("counsel"))

    assert response.status_code == 200
    incident = response.json["incident"]
    assert incident["status"] == "resolved"
    assert incident["status_changes"][-1]["note"] == reason
    checklist = _checklist(api, bearer("viewer"), created["id"])
    assert checklist["override_reason"] == reason
    assert checklist["override_by_id"] is not None
    timeline = api.get(
        f"/api/v1/incidents/{created['id']}/timeline", headers=bearer("viewer")
    ).json["timeline"]
    assert timeline[-1]["text"] == f"Status changed from detected to resolved. {reason}"
    assert timeline[-2]["text"] == (
        "Resolved by counsel with closure criteria open (Symptoms resolved; Stability confirmed "
        "over an agreed observation period; Monitoring shows normal behaviour; No recurrence "
        f"observed): {reason}"
    )

    again = api.post(url, json={"reason": reason}, headers=bearer("counsel"))
    assert again.status_code == 409
    assert again.json["error"]["message"] == (
        "An incident cannot move from resolved to resolved; from resolved it can move to "
        "investigating, post_mortem."
    )


def test_only_counsel_override_and_only_with_a_reason(api, bearer, created):
    url = f"/api/v1/incidents/{created['id']}/resolve-with-open-criteria"

    responder = api.post(url, json={"reason": "Done"}, headers=bearer("responder"))
    read_only = api.post(url, json={"reason": "Done"}, headers=bearer("counsel", scope="read"))
    no_reason = api.post(url, json={}, headers=bearer("counsel"))

    assert responder.status_code == 403
    assert responder.json["error"]["message"] == (
        "The role responder may not do this (incident.close_override)."
    )
    assert read_only.status_code == 403
    assert no_reason.status_code == 422
    assert no_reason.json["error"]["fields"] == {"reason": "this field is required"}
    incident = api.get(f"/api/v1/incidents/{created['id']}", headers=bearer("viewer")).json
    assert incident["incident"]["status"] == "detected"


def test_a_restricted_incidents_checklist_is_unknown_outside_its_team(
    api, bearer, created, session, make_user
):
    from tracker.auth import access
    from tracker.incident.models import Incident

    incident = session.get(Incident, created["id"])
    access.set_access(session, incident, True, [], make_user("administrator"))
    session.commit()

    response = api.get(f"/api/v1/incidents/{created['id']}/checklist", headers=bearer("counsel"))

    assert response.status_code == 404
    assert response.json["error"]["message"] == f"There is no incident with the id {created['id']}."
