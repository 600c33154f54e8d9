"""Proof files of a notice through the API, the notice's due date as sent, and the directory."""

from __future__ import annotations

import hashlib
from io import BytesIO

from .conftest import obligations_by_key
from .test_notices import FILLED, GDPR

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
TEXT = b"Receipt DPC-9 for the notification.\n"
CONTRACT = {"party": "Acme Corp", "notify_within": "48h", "trigger": "discovered_at"}


def _sent_notice(api, headers, incident_id, sent_at="2026-03-07T10:00:00+01:00", **given):
    obligation_id = obligations_by_key(api, headers, incident_id)[GDPR]["id"]
    notice_id = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=headers).json[
        "notice"
    ]["id"]
    api.put(f"/api/v1/notices/{notice_id}/content", json={"content": FILLED}, headers=headers)
    api.post(f"/api/v1/notices/{notice_id}/approve", headers=headers)
    sent = api.post(
        f"/api/v1/notices/{notice_id}/send",
        json={"sent_at": sent_at, "channel": "portal", **given},
        headers=headers,
    )
    assert sent.status_code == 200, sent.json
    return sent.json["notice"]


def _upload(api, headers, notice_id, *files, field="attachments"):
    data = {field: [(BytesIO(body), name) for name, body in files]}
    return api.post(
        f"/api/v1/notices/{notice_id}/attachments",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def test_proof_is_uploaded_listed_and_downloaded(api, counsel, created):
    notice = _sent_notice(api, counsel, created["id"])

    added = _upload(api, counsel, notice["id"], ("receipt.pdf", PDF), ("Quittung ü.txt", TEXT))

    assert added.status_code == 201
    proof = added.json["notice"]["proof"]
    assert [(row["filename"], row["content_type"], row["size"]) for row in proof] == [
        ("receipt.pdf", "application/pdf", 36),
        ("Quittung ü.txt", "text/plain", 36),
    ]
    assert proof[0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert added.json["notice"]["attachments"] == ["receipt.pdf", "Quittung ü.txt"]
    assert proof[0]["download_url"] == (
        f"http://localhost/api/v1/notices/{notice['id']}/attachments/{proof[0]['id']}"
    )

    pdf = api.get(proof[0]["download_url"], headers=counsel)
    text = api.get(proof[1]["download_url"], headers=counsel)

    assert pdf.status_code == 200
    assert pdf.data == PDF
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == (
        "attachment; filename=\"receipt.pdf\"; filename*=UTF-8''receipt.pdf"
    )
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert text.data == TEXT
    assert text.headers["Content-Disposition"] == (
        "attachment; filename=\"Quittung u.txt\"; filename*=UTF-8''Quittung%20%C3%BC.txt"
    )
    read = api.get(f"/api/v1/notices/{notice['id']}", headers=counsel)
    assert read.json["notice"]["proof"] == proof


def test_bad_uploads_name_the_field(make_app, bearer, facts):
    app = make_app(ATTACHMENT_MAX_MB=1, MAX_UPLOAD_MB=2)
    api = app.test_client()
    counsel = bearer("counsel")
    incident = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]
    notice = _sent_notice(api, counsel, incident["id"])
    notice_id = notice["id"]

    wrong_kind = _upload(api, counsel, notice_id, ("receipt.pdf", b"MZ\x90\x00"))
    too_big = _upload(api, counsel, notice_id, ("big.txt", b"a" * (1024 * 1024 + 1)))
    too_much = _upload(api, counsel, notice_id, ("huge.txt", b"a" * (3 * 1024 * 1024)))
    empty = _upload(api, counsel, notice_id, ("empty.txt", b""))
    misnamed = _upload(api, counsel, notice_id, ("receipt.pdf", PDF), field="file")
    none = api.post(
        f"/api/v1/notices/{notice_id}/attachments",
        data={},
        headers=counsel,
        content_type="multipart/form-data",
    )
    as_json = api.post(
        f"/api/v1/notices/{notice_id}/attachments", json={"attachments": []}, headers=counsel
    )

    assert wrong_kind.status_code == 422
    assert wrong_kind.json["error"]["fields"] == {
        "attachments": "expected PDF, PNG, JPEG, plain text (.txt) or a saved e-mail (.eml)"
    }
    assert too_big.status_code == 422
    assert too_big.json["error"]["fields"] == {"attachments": "at most 1.0 MB per file"}
    assert too_much.status_code == 413
    assert too_much.json["error"]["fields"] == {"": "expected at most 2097152 bytes"}
    assert empty.json["error"]["fields"] == {"attachments": "expected a file with content"}
    assert misnamed.status_code == 422
    assert misnamed.json["error"]["fields"] == {
        "file": "unknown field; check its spelling against the API document"
    }
    assert none.json["error"]["fields"] == {"attachments": "expected at least one file"}
    assert as_json.status_code == 415
    assert as_json.json["error"]["fields"] == {"Content-Type": "expected multipart/form-data"}
    read = api.get(f"/api/v1/notices/{notice_id}", headers=counsel)
    assert read.json["notice"]["proof"] == []


def test_proof_needs_a_sent_notice_counsel_and_a_read_write_token(api, counsel, bearer, created):
    obligation_id = obligations_by_key(api, counsel, created["id"])[GDPR]["id"]
    draft = api.post(f"/api/v1/obligations/{obligation_id}/drafts", headers=counsel).json["notice"]

    on_draft = _upload(api, counsel, draft["id"], ("receipt.pdf", PDF))
    by_responder = _upload(api, bearer("responder"), draft["id"], ("receipt.pdf", PDF))
    by_reader = _upload(api, bearer("counsel", scope="read"), draft["id"], ("receipt.pdf", PDF))

    assert on_draft.status_code == 409
    assert on_draft.json["error"]["message"] == (
        "Proof can be added once the notice is recorded as sent."
    )
    assert by_responder.status_code == 403
    assert (
        by_responder.json["error"]["message"]
        == "The role responder may not do this (notice.record)."
    )
    assert by_reader.status_code == 403


def test_proof_of_another_notice_or_a_hidden_incident_is_unknown(
    api, counsel, bearer, created, facts
):
    other = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]
    mine = _sent_notice(api, counsel, created["id"])
    theirs = _sent_notice(api, counsel, other["id"])
    proof = _upload(api, counsel, theirs["id"], ("receipt.pdf", PDF)).json["notice"]["proof"][0]

    crossed = api.get(f"/api/v1/notices/{mine['id']}/attachments/{proof['id']}", headers=counsel)
    assert crossed.status_code == 404
    assert crossed.json["error"]["message"] == (
        f"The notice {mine['id']} has no proof with the id {proof['id']}."
    )

    url = f"/api/v1/incidents/{other['id']}/access"
    api.put(url, json={"restricted": True, "members": []}, headers=counsel)
    outsider = bearer("counsel")
    hidden = api.get(proof["download_url"], headers=outsider)
    upload = _upload(api, outsider, theirs["id"], ("receipt.pdf", PDF))
    assert hidden.status_code == 404
    assert hidden.json["error"]["message"] == f"There is no notice with the id {theirs['id']}."
    assert upload.status_code == 404
    assert api.get(proof["download_url"], headers=counsel).data == PDF


def test_the_notice_says_its_due_date_when_sent_and_whether_it_was_late(api, counsel, facts):
    facts["contracts"] = [CONTRACT]
    incident = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]
    obligations = obligations_by_key(api, counsel, incident["id"])
    obligation_id = obligations[GDPR]["id"]
    # Discovered 2026-03-05 09:30 in New York (14:30 UTC); GDPR gives the authority 72 hours.
    assert obligations[GDPR]["due"] == "2026-03-08T14:30:00+00:00"

    other = next(
        row for key, row in obligations.items() if key not in (GDPR, "contract:acme-corp/customer")
    )
    draft = api.post(f"/api/v1/obligations/{other['id']}/drafts", headers=counsel).json
    on_time = _sent_notice(api, counsel, incident["id"], sent_at="2026-03-08T14:30:00+00:00")
    customer = obligations["contract:acme-corp/customer"]["id"]
    late = api.post(
        f"/api/v1/obligations/{customer}/notices",
        json={
            "sent_at": "2026-03-07T15:00:00+00:00",
            "channel": "email",
            "delay_reason": "The account manager was away.",
        },
        headers=counsel,
    ).json["notice"]

    assert draft["notice"]["due_at_sending"] is None
    assert draft["notice"]["sent_late"] is None
    assert on_time["due_at_sending"] == "2026-03-08T14:30:00+00:00"
    assert on_time["sent_late"] is False
    # 48 hours from discovery: 2026-03-07 14:30 UTC, half an hour before it was sent.
    assert late["due_at_sending"] == "2026-03-07T14:30:00+00:00"
    assert late["sent_late"] is True

    facts["events"]["discovered_at"] = "2026-03-06T09:30:00-05:00"
    api.put(f"/api/v1/incidents/{incident['id']}/facts", json=facts, headers=counsel)
    moved = api.get(f"/api/v1/obligations/{obligation_id}", headers=counsel).json["obligation"]
    assert moved["due"] == "2026-03-09T14:30:00+00:00"
    assert moved["notices"][0]["due_at_sending"] == "2026-03-08T14:30:00+00:00"
    assert moved["notices"][0]["sent_late"] is False


def test_the_recipient_directory_leaves_out_hidden_incidents(api, counsel, bearer, facts):
    facts["contracts"] = [CONTRACT]
    shown = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]
    facts["contracts"] = [{**CONTRACT, "party": "Globex", "notify_within": "24h"}]
    hidden = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]
    url = f"/api/v1/incidents/{hidden['id']}/access"
    api.put(url, json={"restricted": True, "members": []}, headers=counsel)

    seen = api.get("/api/v1/recipients", headers=bearer("viewer", scope="read"))
    team = api.get("/api/v1/recipients", headers=counsel)

    assert seen.status_code == 200
    assert seen.json["reviewed"] == "2026-12-04"
    assert seen.json["customers"] == [
        {
            "party": "Acme Corp",
            "slug": "acme-corp",
            "periods": ["48h"],
            "incident_ids": [shown["id"]],
        }
    ]
    assert [item["party"] for item in team.json["customers"]] == ["Acme Corp", "Globex"]
    gdpr = next(item for item in seen.json["regulators"] if item["key"] == GDPR)
    assert gdpr["regime"] == "gdpr"
    ireland = next(entry for entry in gdpr["entries"] if entry["id"] == "ie-dpc")
    assert ireland == IRELAND
    assert seen.json["incident_id"] is None and seen.json["obligations"] == []


IRELAND = {
    "id": "ie-dpc",
    "name": "Data Protection Commission (Ireland)",
    "keys": ["gdpr/supervisory_authority"],
    "countries": ["IE"],
    "method": "portal",
    "submission": "Web form for breach notifications; further information in phases by reply to "
    "the case reference",
    "portal": "https://forms.dataprotection.ie/report-a-breach-of-personal-data",
    "site": None,
    "email": None,
    "address": "21 Fitzwilliam Square South, Dublin 2, D02 RD28, Ireland",
    "phone": "",
    "chosen_by": "",
    "source": "https://www.dataprotection.ie/en/organisations/know-your-obligations/"
    "breach-notification",
    "reviewed": "2026-12-04",
    "notes": "",
}


def test_the_recipients_of_one_incident(api, counsel, bearer, created, facts):
    url = f"/api/v1/recipients?incident_id={created['id']}"

    response = api.get(url, headers=bearer("viewer", scope="read"))

    assert response.status_code == 200
    assert response.json["incident_id"] == created["id"]
    by_key = {row["key"]: row for row in response.json["obligations"]}
    # The main establishment is in Ireland: its authority alone receives the GDPR notice.
    assert by_key[GDPR]["entries"] == [IRELAND]
    assert [item["key"] for item in response.json["regulators"]] == sorted(
        key for key in by_key if key.split("/")[1] in ("supervisory_authority", "attorney_general")
    )
    assert response.json["customers"] == []

    api.put(
        f"/api/v1/incidents/{created['id']}/access",
        json={"restricted": True, "members": []},
        headers=counsel,
    )
    hidden = api.get(url, headers=bearer("viewer"))
    assert hidden.status_code == 404
    assert hidden.json["error"]["message"] == f"There is no incident with the id {created['id']}."
    bad = api.get("/api/v1/recipients?incident_id=x", headers=counsel)
    assert bad.json["error"]["fields"] == {"incident_id": "expected a whole number; got 'x'"}
