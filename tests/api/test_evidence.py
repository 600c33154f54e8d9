"""Evidence and chain of custody through the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

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
