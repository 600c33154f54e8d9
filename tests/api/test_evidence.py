"""Evidence and chain of custody through the API."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from sqlalchemy import func, select

from tracker.audit.models import AuditEvent
from tracker.evidence.models import CustodyTransfer

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.fixture
def item(api, counsel, created):
    body = {
        "description": "Web server access logs, 2026-02-28 to 2026-03-05",
        "incident_id": created["id"],
        "source_system": "web-01",
        "collected_by": "Dana Cruz",
        "collected_at": "2026-03-05T10:00:00-05:00",
        "location": "s3://evidence-vault/inc-1/web-01.tar",
        "sha256": SHA.upper(),
    }
    response = api.post("/api/v1/evidence", json=body, headers=counsel)
    assert response.status_code == 201
    assert response.headers["Location"].endswith(
        f"/api/v1/evidence/{response.json['evidence']['id']}"
    )
    return response.json["evidence"]


def test_an_item_is_recorded_with_its_hash_in_utc(item, created):
    assert item["sha256"] == SHA
    assert item["hash_source"] == "entered"
    assert item["collected_at"] == "2026-03-05T15:00:00+00:00"
    assert item["holder"] == "Dana Cruz"
    assert item["incident_id"] == created["id"]
    assert item["transfers"] == [] and item["checks"] == []
    assert item["hold_ids"] == []


def test_an_item_is_linked_to_legal_holds(api, counsel, created):
    hold = api.post(
        "/api/v1/holds",
        json={"name": "Inquiry", "incident_ids": [created["id"]], "timezone": "UTC"},
        headers=counsel,
    ).json["hold"]
    body = {
        "description": "Mail export",
        "collected_by": "Dana",
        "collected_at": "2026-03-05T10:00:00Z",
        "hold_ids": [hold["id"]],
    }

    made = api.post("/api/v1/evidence", json=body, headers=counsel)
    assert made.status_code == 201
    assert made.json["evidence"]["hold_ids"] == [hold["id"]]

    unknown = api.post("/api/v1/evidence", json={**body, "hold_ids": [999]}, headers=counsel)
    assert unknown.status_code == 422
    assert unknown.json["error"]["fields"] == {"hold_ids.0": "expected the id of a legal hold"}


def test_transfers_are_appended_and_read_back(api, counsel, item):
    url = f"/api/v1/evidence/{item['id']}/transfers"
    first = api.post(
        url,
        json={
            "from": "Dana Cruz",
            "to": "Forensics lab",
            "at": "2026-03-05T16:00:00Z",
            "purpose": "Analysis",
            "condition": "Encrypted archive, hash verified on receipt",
        },
        headers=counsel,
    )
    assert first.status_code == 201
    assert first.json["transfer"]["from"] == "Dana Cruz"
    assert first.json["evidence"]["holder"] == "Forensics lab"

    correction = api.post(
        url,
        json={
            "from": "Dana Cruz",
            "to": "Forensics lab (R. Okafor)",
            "at": "2026-03-05T16:00:00Z",
            "purpose": "Name the person who received it",
            "corrects": first.json["transfer"]["id"],
        },
        headers=counsel,
    )
    assert correction.status_code == 201

    read = api.get(f"/api/v1/evidence/{item['id']}", headers=counsel).json["evidence"]
    assert [row["to"] for row in read["transfers"]] == [
        "Forensics lab",
        "Forensics lab (R. Okafor)",
    ]
    assert read["transfers"][1]["corrects"] == first.json["transfer"]["id"]
    assert read["holder"] == "Forensics lab (R. Okafor)"


def test_a_transfer_from_the_wrong_holder_answers_409_and_stores_nothing(
    api, counsel, item, session
):
    response = api.post(
        f"/api/v1/evidence/{item['id']}/transfers",
        json={"from": "Mallory", "to": "Lab", "at": "2026-03-05T16:00:00Z", "purpose": "x"},
        headers=counsel,
    )

    assert response.status_code == 409
    assert response.json["error"]["fields"] == {"from": "expected 'Dana Cruz'"}
    assert session.scalar(select(func.count()).select_from(CustodyTransfer)) == 0


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"sha256": "abc"}, "sha256", "String should match pattern"),
        ({"collected_at": "2026-03-05T10:00:00"}, "collected_at", "offset"),
        ({"collected_by": ""}, "collected_by", "this field must not be empty"),
        ({"incident_id": 999}, "incident_id", "expected the id of an incident"),
        ({"holder": "x"}, "holder", "unknown field"),
    ],
)
def test_bad_items_name_the_field(api, counsel, created, change, field, problem):
    body = {
        "description": "Disk image",
        "collected_by": "Dana",
        "collected_at": "2026-03-05T10:00:00Z",
        **change,
    }
    response = api.post("/api/v1/evidence", json=body, headers=counsel)

    assert response.status_code == 422
    assert problem in response.json["error"]["fields"][field]


def test_a_viewer_reads_evidence_but_cannot_record_it(api, bearer, item):
    viewer = bearer("viewer")

    assert api.get(f"/api/v1/evidence/{item['id']}", headers=viewer).status_code == 200
    refused = api.post(
        "/api/v1/evidence",
        json={"description": "x", "collected_by": "y", "collected_at": "2026-03-05T10:00:00Z"},
        headers=viewer,
    )
    assert refused.status_code == 403
    assert api.get("/api/v1/evidence/999", headers=viewer).status_code == 404


def test_custody_history_cannot_be_edited_or_deleted_through_the_api(api, counsel, item):
    url = f"/api/v1/evidence/{item['id']}/transfers"
    api.post(
        url,
        json={"from": "Dana Cruz", "to": "Lab", "at": "2026-03-05T16:00:00Z", "purpose": "x"},
        headers=counsel,
    )

    for method in ("PUT", "PATCH", "DELETE"):
        assert api.open(url, method=method, json={}, headers=counsel).status_code == 405
        assert api.open(f"{url}/1", method=method, json={}, headers=counsel).status_code == 404


LOGS = b"web-01 access log\n"


def _upload_file(api, headers, item_id, *files, field="file"):
    data = {field: [(BytesIO(body), name) for name, body in files]}
    return api.post(
        f"/api/v1/evidence/{item_id}/file",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def _plain_item(api, headers, **given):
    body = {
        "description": "Mail export",
        "collected_by": "Dana Cruz",
        "collected_at": "2026-03-05T10:00:00Z",
        **given,
    }
    response = api.post("/api/v1/evidence", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["evidence"]


def test_an_uploaded_file_gives_an_item_without_a_hash_its_sha256(api, counsel, session):
    item = _plain_item(api, counsel)

    added = _upload_file(api, counsel, item["id"], ("mail.mbox", LOGS))

    assert added.status_code == 201, added.json
    sha = hashlib.sha256(LOGS).hexdigest()
    check = added.json["check"]
    assert (check["sha256"], check["expected"], check["matches"]) == (sha, None, True)
    assert (check["filename"], check["size"]) == ("mail.mbox", 18)
    stored = added.json["evidence"]
    assert (stored["sha256"], stored["hash_source"]) == (sha, "computed")
    assert (stored["filename"], stored["size"]) == ("mail.mbox", 18)
    assert stored["checks"] == [check]
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "evidence", AuditEvent.object_id == str(item["id"])
        )
    ).all()
    assert actions == ["evidence.create", "evidence.hash_match"]
    read = api.get(f"/api/v1/evidence/{item['id']}", headers=counsel)
    assert read.json["evidence"] == stored


def test_a_file_not_matching_the_recorded_hash_is_recorded_and_the_hash_kept(api, counsel, item):
    added = _upload_file(api, counsel, item["id"], ("web-01.tar", LOGS))

    assert added.status_code == 201
    check = added.json["check"]
    assert check["matches"] is False
    assert check["expected"] == SHA
    assert check["sha256"] == hashlib.sha256(LOGS).hexdigest()
    assert added.json["evidence"]["sha256"] == SHA
    assert added.json["evidence"]["hash_source"] == "entered"
    assert added.json["evidence"]["filename"] == ""

    matching = _upload_file(api, counsel, item["id"], ("test.txt", b"test"))
    assert matching.json["check"]["matches"] is True
    assert matching.json["evidence"]["filename"] == "test.txt"
    assert [row["matches"] for row in matching.json["evidence"]["checks"]] == [False, True]


def test_bad_evidence_uploads_name_the_field(make_app, bearer):
    app = make_app(EVIDENCE_UPLOAD_MB=1)
    api = app.test_client()
    counsel = bearer("counsel")
    item = _plain_item(api, counsel)

    too_big = _upload_file(api, counsel, item["id"], ("disk.img", b"a" * (1024 * 1024 + 1)))
    misnamed = _upload_file(api, counsel, item["id"], ("mail.mbox", LOGS), field="files")
    two = _upload_file(api, counsel, item["id"], ("a.txt", LOGS), ("b.txt", LOGS))
    none = api.post(
        f"/api/v1/evidence/{item['id']}/file",
        data={},
        headers=counsel,
        content_type="multipart/form-data",
    )
    as_json = api.post(f"/api/v1/evidence/{item['id']}/file", json={"file": ""}, headers=counsel)

    assert too_big.status_code == 413
    assert too_big.json["error"]["fields"] == {"": "expected at most 1048576 bytes"}
    assert misnamed.status_code == 422
    assert misnamed.json["error"]["fields"] == {
        "files": "unknown field; check its spelling against the API document"
    }
    assert two.status_code == 422
    assert two.json["error"]["fields"] == {"file": "expected one file"}
    assert none.status_code == 422
    assert none.json["error"]["fields"] == {"file": "expected one file"}
    assert as_json.status_code == 415
    assert as_json.json["error"]["fields"] == {"Content-Type": "expected multipart/form-data"}
    read = api.get(f"/api/v1/evidence/{item['id']}", headers=counsel)
    assert read.json["evidence"]["checks"] == []
    assert read.json["evidence"]["sha256"] is None


def test_evidence_upload_needs_a_responder_and_a_read_write_token(api, counsel, bearer, item):
    by_viewer = _upload_file(api, bearer("viewer"), item["id"], ("web-01.tar", LOGS))
    by_reader = _upload_file(api, bearer("responder", scope="read"), item["id"], ("a", LOGS))
    by_responder = _upload_file(api, bearer("responder"), item["id"], ("web-01.tar", LOGS))

    assert by_viewer.status_code == 403
    assert by_reader.status_code == 403
    assert by_responder.status_code == 201
    read = api.get(f"/api/v1/evidence/{item['id']}", headers=counsel)
    assert len(read.json["evidence"]["checks"]) == 1


def test_the_file_of_a_hidden_incidents_item_is_refused_as_unknown(api, counsel, bearer, item):
    url = f"/api/v1/incidents/{item['incident_id']}/access"
    assert api.put(url, json={"restricted": True, "members": []}, headers=counsel).status_code
    outsider = bearer("responder")

    hidden = _upload_file(api, outsider, item["id"], ("web-01.tar", LOGS))
    unknown = _upload_file(api, outsider, 999, ("web-01.tar", LOGS))

    assert hidden.status_code == 404
    assert hidden.json["error"]["message"] == f"There is no evidence item with the id {item['id']}."
    assert unknown.status_code == 404
    read = api.get(f"/api/v1/evidence/{item['id']}", headers=counsel)
    assert read.json["evidence"]["checks"] == []
