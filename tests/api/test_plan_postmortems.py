"""An incident's post-mortem, its five whys, follow-up actions and signed report, by the API."""

from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.plan.conftest import meet_closure_criteria
from tracker.audit.models import AuditEvent
from tracker.incident import service as incidents
from tracker.plan.models import Action

ACTION = {
    "description": "Enforce MFA on the customer portal",
    "owner": "Sam.Owner@Example.com",
    "priority": "high",
    "due_on": "2026-03-07",
    "success_measure": "No password-only sign-in in 30 days of logs",
}
AGENDA = {
    "timeline": "Stuffing from 10:00, blocked at 14:00",
    "impact": "1,200 accounts exposed",
    "root_cause": "Optional MFA",
    "response_effectiveness": "Detection took four days",
    "improvements": "Mandatory MFA",
}
READ_ONLY = "This token may only read; changes need a read-write token."


@pytest.fixture
def resolved(session, make_incident, facts):
    """An incident resolved on Tuesday 2026-03-10 at 12:00 in New York."""
    facts["events"]["resolved_at"] = "2026-03-10T12:00:00-04:00"
    incident = make_incident(facts)
    meet_closure_criteria(session, incident)
    incidents.change_status(session, incident, "resolved", None)
    session.commit()
    return incident


@pytest.fixture
def responder(bearer):
    return bearer("responder")


@pytest.fixture
def opened(api, responder, resolved):
    """The resolved incident's post-mortem URL, once opened."""
    url = f"/api/v1/incidents/{resolved.id}/post-mortem"
    assert api.post(url, headers=responder).status_code == 200
    return url


def _user_id(api, headers):
    return api.get("/api/v1/tokens", headers=headers).json["tokens"][0]["user_id"]


def test_before_opening_only_the_due_date_is_known(api, bearer, resolved):
    response = api.get(f"/api/v1/incidents/{resolved.id}/post-mortem", headers=bearer("viewer"))

    assert response.status_code == 200
    # Five Irish business days after resolution, St Patrick's Day skipped.
    assert response.json == {"post_mortem": None, "due_at": "2026-03-19T03:59:59.999999+00:00"}
    assert "ETag" not in response.headers


def test_opening_gives_five_empty_whys_once(api, responder, resolved):
    url = f"/api/v1/incidents/{resolved.id}/post-mortem"

    first = api.post(url, headers=responder)
    second = api.post(url, json={}, headers=responder)

    assert first.status_code == 200
    record = first.json["post_mortem"]
    assert record["incident_id"] == resolved.id
    assert record["created_by_id"] == _user_id(api, responder)
    assert [(why["position"], why["answer"]) for why in record["whys"]] == [
        (1, ""),
        (2, ""),
        (3, ""),
        (4, ""),
        (5, ""),
    ]
    assert (record["root_cause"], record["completed_at"], record["actions"]) == ("", None, [])
    assert second.json["post_mortem"]["id"] == record["id"]
    assert "ETag" in first.headers


def test_a_post_mortem_waits_for_resolution(api, responder, created):
    response = api.post(f"/api/v1/incidents/{created['id']}/post-mortem", headers=responder)

    assert response.status_code == 409
    assert response.json["error"]["message"] == (
        "The post-mortem starts once the incident is resolved; it is detected."
    )
    assert response.json["error"]["fields"] == {"status": "expected resolved or post_mortem"}


def test_a_viewer_and_a_read_token_may_not_open_one(api, bearer, resolved):
    url = f"/api/v1/incidents/{resolved.id}/post-mortem"

    viewer = api.post(url, headers=bearer("viewer"))
    read_only = api.post(url, headers=bearer("responder", scope="read"))

    assert viewer.status_code == 403
    assert viewer.json["error"]["message"] == (
        "The role viewer may not do this (incident.timeline)."
    )
    assert read_only.status_code == 403
    assert read_only.json["error"]["message"] == READ_ONLY
    assert api.get(url, headers=bearer("viewer")).json["post_mortem"] is None


def test_the_agenda_changes_only_the_fields_given(api, responder, opened, session):
    etag = api.get(opened, headers=responder).headers["ETag"]

    response = api.patch(
        opened,
        json={"impact": " 1,200 accounts exposed "},
        headers={**responder, "If-Match": etag},
    )

    assert response.status_code == 200
    record = response.json["post_mortem"]
    assert record["impact"] == "1,200 accounts exposed"
    assert (record["timeline"], record["root_cause"]) == ("", "")
    assert response.headers["ETag"] != etag
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.before, event.after) == (
        "post_mortem.update",
        '{"impact":""}',
        '{"impact":"1,200 accounts exposed"}',
    )

    stale = api.patch(
        opened, json={"impact": "Overwritten"}, headers={**responder, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json["error"]["fields"] == {
        "If-Match": f"expected the current ETag {response.headers['ETag']}"
    }
    assert api.get(opened, headers=responder).json["post_mortem"]["impact"] == (
        "1,200 accounts exposed"
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"lessons": "x"},
            {"lessons": "unknown field; check its spelling against the API document"},
        ),
        ({"impact": "x" * 20_001}, {"impact": "expected at most 20000 characters"}),
        ({"impact": 3}, {"impact": "expected text; got 3"}),
    ],
)
def test_a_bad_agenda_names_the_field(api, responder, opened, body, fields):
    response = api.patch(opened, json=body, headers=responder)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == fields


def test_the_agenda_of_an_incident_without_a_post_mortem_is_unknown(api, responder, resolved):
    response = api.patch(
        f"/api/v1/incidents/{resolved.id}/post-mortem", json={"impact": "x"}, headers=responder
    )

    assert response.status_code == 404
    assert response.json["error"]["message"] == (
        f"The incident {resolved.reference} has no post-mortem yet."
    )


def test_each_why_is_recorded_with_its_author(api, responder, opened):
    response = api.put(
        f"{opened}/whys/2",
        json={"question": "Why were passwords enough?", "answer": "MFA was optional"},
        headers=responder,
    )

    assert response.status_code == 200
    why = response.json["post_mortem"]["whys"][1]
    assert (why["position"], why["question"], why["answer"]) == (
        2,
        "Why were passwords enough?",
        "MFA was optional",
    )
    assert why["answered_by_id"] == _user_id(api, responder)
    assert why["answered_at"].endswith("+00:00")

    empty = api.put(f"{opened}/whys/3", json={"answer": " "}, headers=responder)
    assert empty.status_code == 422
    assert empty.json["error"]["fields"] == {"answer": "this field must not be empty"}
    sixth = api.put(f"{opened}/whys/6", json={"answer": "Because"}, headers=responder)
    assert sixth.status_code == 404
    assert sixth.json["error"]["message"] == (
        "The post-mortem has no why number 6; they run 1 to 5."
    )


def test_completion_needs_the_whole_agenda_and_five_answers(api, responder, opened):
    url = f"{opened}/complete"

    early = api.post(url, headers=responder)

    assert early.status_code == 422
    assert early.json["error"]["message"] == (
        "The post-mortem cannot be completed yet; still empty: timeline, impact, root_cause, "
        "response_effectiveness, improvements, whys[1].answer, whys[2].answer, whys[3].answer, "
        "whys[4].answer, whys[5].answer."
    )
    api.patch(opened, json=AGENDA, headers=responder)
    for position in range(1, 6):
        api.put(
            f"{opened}/whys/{position}", json={"answer": f"Cause {position}"}, headers=responder
        )

    done = api.post(url, headers=responder)

    assert done.status_code == 200
    assert done.json["post_mortem"]["completed_by_id"] == _user_id(api, responder)
    assert done.json["post_mortem"]["root_cause"] == "Optional MFA"
    again = api.post(url, headers=responder)
    assert again.status_code == 409
    assert again.json["error"]["message"] == "The post-mortem was already completed."


# Actions.


def test_an_action_is_added_with_its_due_instant(api, responder, opened, resolved):
    response = api.post(f"{opened}/actions", json=ACTION, headers=responder)

    assert response.status_code == 201
    action = response.json["action"]
    assert {key: action[key] for key in ACTION} == {**ACTION, "owner": "sam.owner@example.com"}
    assert action["incident_id"] == resolved.id
    assert action["incident_reference"] == resolved.reference
    # Saturday 7 March ends at midnight in New York, still on standard time (UTC-5).
    assert action["due_at"] == "2026-03-08T05:00:00+00:00"
    assert (action["status"], action["completed_at"]) == ("pending", None)
    record = api.get(opened, headers=responder).json["post_mortem"]
    assert [item["id"] for item in record["actions"]] == [action["id"]]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"owner": ""}, {"owner": "expected the owner's e-mail address; got ''"}),
        (
            {"priority": "urgent"},
            {"priority": "expected one of 'high', 'medium' or 'low'; got 'urgent'"},
        ),
        ({"due_on": "next week"}, {"due_on": "expected a date as YYYY-MM-DD; got 'next week'"}),
        ({"success_measure": ""}, {"success_measure": "this field must not be empty"}),
        ({"cost": 5}, {"cost": "unknown field; check its spelling against the API document"}),
    ],
)
def test_a_bad_action_names_the_field_and_stores_nothing(
    api, responder, opened, session, change, fields
):
    response = api.post(f"{opened}/actions", json={**ACTION, **change}, headers=responder)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == fields
    assert session.scalars(select(Action)).first() is None


def test_an_actions_status_moves_and_overdue_lists_it_until_done(api, bearer, responder, opened):
    action = api.post(f"{opened}/actions", json=ACTION, headers=responder).json["action"]
    url = f"/api/v1/actions/{action['id']}/status"

    overdue = api.get("/api/v1/actions/overdue", headers=bearer("viewer"))
    assert overdue.status_code == 200
    assert [
        (item["id"], item["description"], item["is_overdue"]) for item in overdue.json["actions"]
    ] == [(action["id"], "Enforce MFA on the customer portal", True)]

    viewer = api.post(url, json={"status": "completed"}, headers=bearer("viewer"))
    assert viewer.status_code == 403
    wrong = api.post(url, json={"status": "done"}, headers=responder)
    assert wrong.status_code == 422
    assert wrong.json["error"]["fields"] == {
        "status": "expected one of 'pending', 'in_progress' or 'completed'; got 'done'"
    }

    moved = api.post(url, json={"status": "completed"}, headers=responder)

    assert moved.status_code == 200
    assert moved.json["action"]["status"] == "completed"
    assert moved.json["action"]["completed_at"] is not None
    assert moved.json["action"]["is_overdue"] is False
    assert api.get("/api/v1/actions/overdue", headers=bearer("viewer")).json == {"actions": []}
    missing = api.post("/api/v1/actions/999/status", json={"status": "pending"}, headers=responder)
    assert missing.status_code == 404
    assert missing.json["error"]["message"] == "There is no action with the id 999."


def test_a_restricted_incidents_actions_are_unknown_outside_its_team(
    api, bearer, responder, opened, resolved, session, make_user
):
    from tracker.auth import access

    action = api.post(f"{opened}/actions", json=ACTION, headers=responder).json["action"]
    access.set_access(session, resolved, True, [], make_user("administrator"))
    session.commit()
    outsider = bearer("counsel")

    listed = api.get("/api/v1/actions/overdue", headers=outsider)
    moved = api.post(
        f"/api/v1/actions/{action['id']}/status", json={"status": "completed"}, headers=outsider
    )

    assert listed.json == {"actions": []}
    assert moved.status_code == 404
    assert moved.json["error"]["message"] == f"There is no action with the id {action['id']}."
    admin = api.get("/api/v1/actions/overdue", headers=bearer("administrator")).json
    assert [item["id"] for item in admin["actions"]] == [action["id"]]


# The signed report.


def test_counsel_exports_the_signed_post_mortem_report(api, bearer, responder, opened, resolved):
    api.patch(opened, json={"root_cause": "Optional MFA"}, headers=responder)
    api.put(f"{opened}/whys/1", json={"answer": "Passwords were reused"}, headers=responder)
    api.post(f"{opened}/actions", json=ACTION, headers=responder)
    counsel = bearer("counsel")

    response = api.post(f"{opened}/report", headers=counsel)

    assert response.status_code == 201
    export = response.json["export"]
    assert (export["kind"], export["incident_id"]) == ("post_mortem", resolved.id)
    pdf = api.get(response.json["download_url"].removeprefix("http://localhost"), headers=counsel)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf.data)).pages
    )
    assert "Post-mortem report" in text
    assert "Passwords were reused" in text
    assert "2026-03-07 (overdue)" in text


def test_the_report_needs_counsel_and_a_post_mortem(api, bearer, resolved):
    url = f"/api/v1/incidents/{resolved.id}/post-mortem/report"

    responder = api.post(url, headers=bearer("responder"))
    missing = api.post(url, headers=bearer("counsel"))

    assert responder.status_code == 403
    assert responder.json["error"]["message"] == (
        "The role responder may not do this (report.sign)."
    )
    assert missing.status_code == 409
    assert missing.json["error"]["message"] == (
        f"The incident {resolved.reference} has no post-mortem yet; open it first."
    )
