"""Role × route × scope for every /api/v1 route, taken from the application's URL map."""

import pytest

from tracker.auth.models import ROLES
from tracker.auth.permissions import PERMISSIONS

from .conftest import obligations_by_key
from .test_openapi import registered_operations

# The permission each operation needs; None: no token at all.
REQUIRED = {
    ("/openapi.json", "get"): None,
    ("/deadlines", "post"): "incident.read",
    ("/incidents", "post"): "incident.create",
    ("/incidents", "get"): "incident.read",
    ("/incidents/{incident_id}", "get"): "incident.read",
    ("/incidents/{incident_id}/facts", "get"): "incident.read",
    ("/incidents/{incident_id}/facts", "put"): "incident.facts",
    ("/incidents/{incident_id}/obligations", "get"): "incident.read",
    ("/incidents/{incident_id}/timeline", "get"): "incident.read",
    ("/incidents/{incident_id}/timeline", "post"): "incident.timeline",
    ("/incidents/{incident_id}/status", "post"): "incident.status",
    ("/incidents/{incident_id}/impact", "patch"): "incident.impact",
    ("/incidents/{incident_id}/reports", "post"): "report.sign",
    ("/obligations/{obligation_id}/drafts", "post"): "incident.facts",
    ("/obligations/{obligation_id}/not-required", "post"): "notice.record",
    ("/notices/{notice_id}", "get"): "incident.read",
    ("/notices/{notice_id}/content", "put"): "incident.facts",
    ("/notices/{notice_id}/approve", "post"): "notice.record",
    ("/notices/{notice_id}/send", "post"): "notice.record",
    ("/notices/{notice_id}/acknowledge", "post"): "notice.record",
    ("/notices/{notice_id}/attachments", "post"): "notice.record",
    ("/notices/{notice_id}/attachments/{attachment_id}", "get"): "incident.read",
    ("/recipients", "get"): "incident.read",
    ("/obligations", "get"): "incident.read",
    ("/obligations/{obligation_id}", "get"): "incident.read",
    ("/obligations/{obligation_id}/notices", "post"): "notice.record",
    ("/incidents/{incident_id}/audit", "get"): "audit.read",
    ("/incidents/{incident_id}/access", "get"): "incident.read",
    ("/incidents/{incident_id}/access", "put"): "incident.access",
    ("/tokens", "get"): "incident.read",
    ("/tokens/{token_id}", "delete"): "incident.read",
    ("/users", "get"): "user.manage",
    ("/metrics", "get"): "incident.read",
    ("/calendar-feed", "post"): "incident.read",
    ("/calendar-feed", "delete"): "incident.read",
    ("/reminder-policies", "get"): "incident.read",
    ("/reminder-policies/{scope}", "put"): "settings.manage",
    ("/reminder-policies/{scope}", "delete"): "settings.manage",
    ("/reports/{export_id}", "get"): "incident.read",
    ("/verify", "post"): "incident.read",
    ("/reports/{export_id}/pdf", "get"): "incident.read",
    ("/evidence", "post"): "evidence.create",
    ("/evidence/{item_id}", "get"): "incident.read",
    ("/evidence/{item_id}/transfers", "post"): "evidence.transfer",
    ("/evidence/{item_id}/file", "post"): "evidence.create",
    ("/analysis", "get"): "incident.read",
    ("/holds", "post"): "hold.manage",
    ("/holds", "get"): "incident.read",
    ("/holds/{hold_id}", "get"): "incident.read",
    ("/holds/{hold_id}/scope", "put"): "hold.manage",
    ("/holds/{hold_id}/custodians", "post"): "hold.manage",
    ("/holds/{hold_id}/custodians/{custodian_id}/release", "post"): "hold.manage",
    ("/holds/{hold_id}/issue", "post"): "hold.manage",
    ("/holds/{hold_id}/release", "post"): "hold.manage",
    ("/playbooks", "get"): "incident.read",
    ("/playbooks/{playbook_id}", "get"): "incident.read",
    ("/playbooks/{playbook_id}", "put"): "settings.manage",
    ("/playbooks/{playbook_id}/reset", "post"): "settings.manage",
    ("/incidents/{incident_id}/checklist", "get"): "incident.read",
    ("/incidents/{incident_id}/checklist/{item_id}/tick", "post"): "incident.timeline",
    ("/incidents/{incident_id}/checklist/{item_id}/untick", "post"): "incident.timeline",
    ("/incidents/{incident_id}/resolve-with-open-criteria", "post"): "incident.close_override",
    ("/incidents/{incident_id}/post-mortem", "get"): "incident.read",
    ("/incidents/{incident_id}/post-mortem", "post"): "incident.timeline",
    ("/incidents/{incident_id}/post-mortem", "patch"): "incident.timeline",
    ("/incidents/{incident_id}/post-mortem/whys/{position}", "put"): "incident.timeline",
    ("/incidents/{incident_id}/post-mortem/complete", "post"): "incident.timeline",
    ("/incidents/{incident_id}/post-mortem/actions", "post"): "incident.timeline",
    ("/actions/{action_id}/status", "post"): "incident.timeline",
    ("/actions/overdue", "get"): "incident.read",
    ("/incidents/{incident_id}/post-mortem/report", "post"): "report.sign",
    ("/exercises", "get"): "incident.read",
    ("/exercises", "post"): "incident.create",
    ("/calendar", "get"): "incident.read",
    ("/calendar/duties", "post"): "settings.manage",
    ("/calendar/duties/{duty_id}/owner", "put"): "settings.manage",
    ("/calendar/tasks/{task_id}", "get"): "incident.read",
    ("/calendar/tasks/{task_id}/complete", "post"): "incident.timeline",
    ("/calendar/tasks/{task_id}/evidence", "post"): "incident.timeline",
    ("/calendar/evidence/{evidence_id}", "get"): "incident.read",
    ("/plan-reports", "get"): "incident.read",
    ("/plan-reports/{report_id}", "get"): "incident.read",
    ("/plan-reports/{report_id}/pdf", "get"): "incident.read",
    ("/audit-packs/{year}", "get"): "report.sign",
}

# A body each write refuses as invalid once it is let in, so that nothing is stored.
INVALID_BODY = {"unknown": True}


def test_the_table_covers_every_route(app):
    assert set(REQUIRED) == registered_operations(app)


@pytest.fixture
def ids(api, counsel, created):
    obligation = obligations_by_key(api, counsel, created["id"])["gdpr/supervisory_authority"]
    return {
        "incident_id": created["id"],
        "obligation_id": obligation["id"],
        "notice_id": 1,
        "attachment_id": 1,
        "token_id": 999,
        "scope": "default",
        "item_id": 1,
        "hold_id": 1,
        "custodian_id": 1,
        "export_id": "00000000-0000-0000-0000-000000000000",
        "playbook_id": "security",
        "position": 1,
        "action_id": 1,
        "duty_id": 1,
        "task_id": 999,
        "evidence_id": 999,
        "report_id": 999,
        "year": 2026,
    }


def call(api, path, method, ids, headers):
    url = "/api/v1" + path.format(**ids)
    if method == "get":
        return api.get(url, headers=headers)
    return api.open(url, method=method.upper(), json=INVALID_BODY, headers=headers)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_what_its_permissions_allow(api, bearer, ids, role):
    headers = bearer(role)

    for (path, method), permission in REQUIRED.items():
        response = call(api, path, method, ids, headers)
        if permission is None or role in PERMISSIONS[permission]:
            assert response.status_code not in (401, 403), (role, path, method)
        else:
            assert response.status_code == 403, (role, path, method)
            assert response.json["error"]["message"] == (
                f"The role {role} may not do this ({permission})."
            )


@pytest.mark.parametrize("role", ROLES)
def test_a_read_token_only_reads(api, bearer, ids, role):
    headers = bearer(role, scope="read")

    for (path, method), permission in REQUIRED.items():
        response = call(api, path, method, ids, headers)
        if method != "get":
            assert response.status_code == 403, (role, path, method)
            assert response.json["error"]["message"] == (
                "This token may only read; changes need a read-write token."
            )
        elif permission is None or role in PERMISSIONS[permission]:
            assert response.status_code not in (401, 403), (role, path, method)
        else:
            assert response.status_code == 403, (role, path, method)


def test_without_a_token_only_the_document_answers(api, ids):
    for (path, method), permission in REQUIRED.items():
        response = call(api, path, method, ids, {})
        expected = 200 if permission is None else 401
        assert response.status_code == expected, (path, method)


def test_nothing_was_written_by_the_refused_and_invalid_calls(api, bearer, ids, counsel):
    for role in ROLES:
        headers = bearer(role)
        for path, method in REQUIRED:
            if method != "get":
                call(api, path, method, ids, headers)

    incident = api.get(f"/api/v1/incidents/{ids['incident_id']}", headers=counsel).json
    timeline = api.get(f"/api/v1/incidents/{ids['incident_id']}/timeline", headers=counsel).json
    assert incident["incident"]["status"] == "detected"
    assert timeline == {"timeline": []}
    assert api.get("/api/v1/incidents", headers=counsel).json["incidents"][0]["id"] == 1
    assert len(api.get("/api/v1/incidents", headers=counsel).json["incidents"]) == 1
