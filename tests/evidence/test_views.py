"""The evidence pages: record an item with a file, append transfers, check a later file."""

from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import select

from tracker.evidence.models import CustodyTransfer, EvidenceItem, HashCheck


@pytest.fixture
def responder(client, make_user, login):
    user = make_user("responder")
    login(client, user)
    return user


def new_item(client, incident_id="", **fields):
    data = {
        "description": "Mailbox export of j.doe",
        "incident_id": str(incident_id),
        "source_system": "Exchange Online",
        "collected_by": "Dana Cruz",
        "collected_local": "2026-03-05T10:00",
        "collected_zone": "America/New_York",
        "location": "Vault share /legal/INC-1",
        "sha256": "",
        **fields,
    }
    return client.post("/evidence/new", data=data, content_type="multipart/form-data")


def test_recording_an_item_with_a_file_stores_the_servers_hash(client, session, responder):
    content = b"From: a@example.com\r\n" * 50_000
    response = new_item(client, file=(io.BytesIO(content), "export.pst"))

    assert response.status_code == 302
    item = session.scalars(select(EvidenceItem)).one()
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.hash_source == "computed"
    assert item.size == len(content)
    assert item.collected_at.isoformat() == "2026-03-05T15:00:00+00:00"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert item.sha256 in page and "computed by the server" in page


def test_a_bad_hash_is_named_beside_its_field_and_nothing_is_stored(client, session, responder):
    response = new_item(client, sha256="not-a-hash")

    assert response.status_code == 400
    assert "expected 64 hexadecimal digits" in response.get_data(as_text=True)
    assert session.scalars(select(EvidenceItem)).all() == []


def test_a_later_file_that_does_not_match_is_reported_and_recorded(client, session, responder):
    recorded = hashlib.sha256(b"the original").hexdigest()
    location = new_item(client, sha256=recorded).headers["Location"]

    response = client.post(
        f"{location}/file",
        data={"file": (io.BytesIO(b"something else"), "copy.bin")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    page = response.get_data(as_text=True)
    assert "does NOT match" in page
    session.rollback()
    item = session.scalars(select(EvidenceItem)).one()
    assert item.sha256 == recorded
    check = session.scalars(select(HashCheck)).one()
    assert check.is_match is False
    assert check.sha256 == hashlib.sha256(b"something else").hexdigest()


def test_transfers_are_appended_and_a_correction_names_the_entry(client, session, responder):
    location = new_item(client).headers["Location"]
    first = client.post(
        f"{location}/transfers",
        data={
            "from_party": "Dana Cruz",
            "to_party": "Forensic lab",
            "at_local": "2026-03-05T12:00",
            "at_zone": "America/New_York",
            "purpose": "Processing",
        },
    )
    assert first.status_code == 302
    wrong = session.scalars(select(CustodyTransfer)).one()

    corrected = client.post(
        f"{location}/transfers",
        data={
            "from_party": "Dana Cruz",
            "to_party": "Forensics lab",
            "at_local": "2026-03-05T12:00",
            "at_zone": "America/New_York",
            "purpose": "Name of the lab misspelt",
            "corrects": str(wrong.id),
        },
        follow_redirects=True,
    )

    page = corrected.get_data(as_text=True)
    assert f"corrects no. {wrong.id}" in page
    assert f"corrected by no. {wrong.id + 1}" in page
    session.rollback()
    assert [row.to_party for row in session.scalars(select(CustodyTransfer))] == [
        "Forensic lab",
        "Forensics lab",
    ]


def test_a_transfer_from_someone_who_does_not_hold_the_item_is_refused(client, session, responder):
    location = new_item(client).headers["Location"]
    response = client.post(
        f"{location}/transfers",
        data={
            "from_party": "Someone",
            "to_party": "Lab",
            "at_local": "2026-03-05T12:00",
            "at_zone": "America/New_York",
            "purpose": "Processing",
        },
    )

    assert response.status_code == 400
    assert "expected &#39;Dana Cruz&#39;" in response.get_data(as_text=True)
    assert session.scalars(select(CustodyTransfer)).all() == []


def test_a_viewer_reads_but_cannot_record(client, make_user, login, session):
    login(client, make_user("viewer"))

    assert client.get("/evidence").status_code == 200
    assert new_item(client).status_code == 403
    assert session.scalars(select(EvidenceItem)).all() == []
