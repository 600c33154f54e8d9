from .conftest import obligations_by_key

GDPR = "gdpr/supervisory_authority"


def test_incident_obligations_carry_id_and_notice_status(api, counsel, created):
    response = api.get(f"/api/v1/incidents/{created['id']}/obligations", headers=counsel)

    assert response.status_code == 200
    gdpr = {item["key"]: item for item in response.json["obligations"]}[GDPR]
    assert isinstance(gdpr["id"], int)
    assert gdpr["incident_id"] == created["id"]
    assert gdpr["due"] == "2026-03-08T14:30:00+00:00"
    assert gdpr["due_kind"] == "fixed"
    assert gdpr["citation"].startswith("GDPR Art. 33")
    assert gdpr["notice_status"] == "open"
    assert gdpr["is_current"] is True
    assert gdpr["notices"] == []


def test_one_obligation(api, counsel, created):
    gdpr = obligations_by_key(api, counsel, created["id"])[GDPR]

    response = api.get(f"/api/v1/obligations/{gdpr['id']}", headers=counsel)

    assert response.status_code == 200
    assert response.json == {"obligation": gdpr}


def test_open_obligations_due_before_an_instant(api, counsel, created):
    response = api.get(
        "/api/v1/obligations?status=open&due_before=2026-03-09T00:00:00Z", headers=counsel
    )

    assert response.status_code == 200
    # The policy's 15-minute response target, GDPR's 72 hours, and the GDPR target for
    # individuals (no legal date; the 72-hour policy target stands in) fall before March 9.
    assert [
        (item["key"], item["due"], item["target"]) for item in response.json["obligations"]
    ] == [
        ("policy/internal/response", "2026-03-05T14:45:00+00:00", None),
        (GDPR, "2026-03-08T14:30:00+00:00", None),
        ("gdpr/individuals", None, "2026-03-08T14:30:00+00:00"),
    ]


def test_obligation_filters(api, counsel, created):
    by_regime = api.get("/api/v1/obligations?regime=us-ca", headers=counsel).json
    other_incident = api.get("/api/v1/obligations?incident_id=2", headers=counsel).json
    settled = api.get("/api/v1/obligations?status=settled", headers=counsel).json

    assert [item["key"] for item in by_regime["obligations"]] == [
        "us-ca/individuals",
        "us-ca/attorney_general",
    ]
    assert (other_incident["obligations"], other_incident["total"]) == ([], 0)
    assert (settled["obligations"], settled["total"]) == ([], 0)


def test_obligation_filter_refusals(api, counsel):
    naive = api.get("/api/v1/obligations?due_before=2026-03-09T00:00:00", headers=counsel)
    status = api.get("/api/v1/obligations?status=closed", headers=counsel)
    negative = api.get("/api/v1/obligations?incident_id=-1", headers=counsel)

    assert naive.status_code == 422
    assert naive.json["error"]["fields"] == {
        "due_before": (
            "the instant '2026-03-09T00:00:00' has no offset; add one, such as -05:00 or Z"
        )
    }
    assert status.json["error"]["fields"] == {
        "status": "expected one of 'open', 'settled' or 'all'; got 'closed'"
    }
    assert negative.json["error"]["fields"] == {
        "incident_id": "expected a number of 1 or more; got '-1'"
    }


def test_record_a_notice_as_given(api, counsel, created):
    gdpr = obligations_by_key(api, counsel, created["id"])[GDPR]
    notice = {
        "sent_at": "2026-03-07T10:00:00+01:00",
        "channel": "portal",
        "reference": "DPC-2026-118",
    }

    response = api.post(f"/api/v1/obligations/{gdpr['id']}/notices", json=notice, headers=counsel)

    assert response.status_code == 201
    recorded = response.json["notice"]
    assert recorded["status"] == "sent"
    assert recorded["sent_at"] == "2026-03-07T09:00:00+00:00"
    assert recorded["channel"] == "portal"
    assert recorded["reference"] == "DPC-2026-118"
    assert recorded["delay_reason"] == ""
    assert response.json["obligation"]["notice_status"] == "sent"
    settled = api.get("/api/v1/obligations?status=settled", headers=counsel).json
    assert [item["key"] for item in settled["obligations"]] == [GDPR]


def test_a_late_notice_needs_a_delay_reason(api, counsel, created):
    gdpr = obligations_by_key(api, counsel, created["id"])[GDPR]
    url = f"/api/v1/obligations/{gdpr['id']}/notices"
    late = {"sent_at": "2026-03-10T10:00:00+01:00", "channel": "email"}

    refused = api.post(url, json=late, headers=counsel)
    accepted = api.post(
        url, json={**late, "delay_reason": "Scope unclear until forensics"}, headers=counsel
    )

    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {
        "delay_reason": "required when the notice is sent after its due date"
    }
    assert accepted.status_code == 201
    assert accepted.json["notice"]["delay_reason"] == "Scope unclear until forensics"


def test_notice_refusals(api, counsel, created):
    gdpr = obligations_by_key(api, counsel, created["id"])[GDPR]
    url = f"/api/v1/obligations/{gdpr['id']}/notices"

    naive = api.post(
        url, json={"sent_at": "2026-03-07T10:00:00", "channel": "portal"}, headers=counsel
    )
    channel = api.post(
        url, json={"sent_at": "2026-03-07T10:00:00Z", "channel": "fax"}, headers=counsel
    )
    future = api.post(
        url, json={"sent_at": "2999-01-01T00:00:00Z", "channel": "portal"}, headers=counsel
    )
    missing = api.post(url, json={"channel": "portal"}, headers=counsel)
    unknown = api.post(url.replace(str(gdpr["id"]), "999"), json={}, headers=counsel)

    assert naive.json["error"]["fields"] == {
        "sent_at": "the instant '2026-03-07T10:00:00' has no offset; add one, such as -05:00 or Z"
    }
    assert channel.json["error"]["fields"] == {
        "channel": ("expected one of 'portal', 'email', 'letter', 'courier' or 'phone'; got 'fax'")
    }
    assert future.json["error"]["fields"] == {"sent_at": "expected an instant in the past"}
    assert missing.json["error"]["fields"] == {"sent_at": "this field is required"}
    assert unknown.status_code == 404
    assert unknown.json["error"]["message"] == "There is no obligation with the id 999."
    assert obligations_by_key(api, counsel, created["id"])[GDPR]["notices"] == []


def test_a_second_notice_where_the_law_has_no_phases_is_409(api, counsel, created):
    ca = obligations_by_key(api, counsel, created["id"])["us-ca/individuals"]
    url = f"/api/v1/obligations/{ca['id']}/notices"
    notice = {"sent_at": "2026-03-20T10:00:00-04:00", "channel": "letter"}

    first = api.post(url, json=notice, headers=counsel)
    second = api.post(url, json=notice, headers=counsel)

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json["error"]["fields"] == {"obligation": "already sent"}


def test_a_recorded_notice_starts_the_chained_obligation(api, counsel, created):
    ca = obligations_by_key(api, counsel, created["id"])["us-ca/individuals"]
    notice = {"sent_at": "2026-03-20T10:00:00-04:00", "channel": "letter"}

    api.post(f"/api/v1/obligations/{ca['id']}/notices", json=notice, headers=counsel)

    attorney_general = obligations_by_key(api, counsel, created["id"])["us-ca/attorney_general"]
    # 15 calendar days after the individuals were told on 2026-03-20 end with 2026-04-04 in
    # the incident's zone, New York (EDT), which is 2026-04-05 03:59:59.999999 UTC.
    assert attorney_general["due"] == "2026-04-05T03:59:59.999999+00:00"


def test_incident_obligations_are_the_current_ones_unless_history_is_asked(
    api, counsel, created, facts
):
    address = f"/api/v1/incidents/{created['id']}/obligations"
    facts["affected"] = {"DE": 40}
    changed = api.put(f"/api/v1/incidents/{created['id']}/facts", json=facts, headers=counsel)
    assert changed.status_code == 200

    current = api.get(address, headers=counsel).json["obligations"]
    history = api.get(f"{address}?history=true", headers=counsel).json["obligations"]
    bad = api.get(f"{address}?history=maybe", headers=counsel)

    assert sorted(item["key"] for item in current) == [
        "gdpr/individuals",
        "gdpr/supervisory_authority",
        "policy/internal/response",
    ]
    assert {item["is_current"] for item in current} == {True}
    superseded = sorted(item["key"] for item in history if not item["is_current"])
    assert superseded == ["us-ca/attorney_general", "us-ca/individuals"]
    assert bad.status_code == 422
    assert list(bad.json["error"]["fields"]) == ["history"]


def test_obligations_come_one_page_at_a_time(api, counsel, created):
    first = api.get("/api/v1/obligations?per_page=2", headers=counsel).json
    last = api.get("/api/v1/obligations?per_page=2&page=3", headers=counsel).json
    past = api.get("/api/v1/obligations?per_page=2&page=4", headers=counsel)
    too_big = api.get("/api/v1/obligations?per_page=201", headers=counsel)

    assert [item["key"] for item in first["obligations"]] == [
        "policy/internal/response",
        "gdpr/supervisory_authority",
    ]
    assert (first["page"], first["per_page"], first["pages"], first["total"]) == (1, 2, 3, 5)
    assert first["previous"] is None
    assert first["next"] == "http://localhost/api/v1/obligations?page=2&status=open&per_page=2"
    assert [item["key"] for item in last["obligations"]] == ["us-ca/attorney_general"]
    assert last["next"] is None
    assert last["previous"] == "http://localhost/api/v1/obligations?page=2&status=open&per_page=2"
    assert past.status_code == 404
    assert past.json["error"]["fields"] == {"page": "expected a page from 1 to 3"}
    assert too_big.status_code == 422
    assert list(too_big.json["error"]["fields"]) == ["per_page"]
