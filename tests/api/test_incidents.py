import copy

from .conftest import obligations_by_key


def test_create_answers_201_with_id_and_location(api, counsel, facts):
    response = api.post("/api/v1/incidents", json=facts, headers=counsel)

    assert response.status_code == 201
    incident = response.json["incident"]
    assert incident["id"] == 1
    assert incident["reference"].startswith("INC-")
    assert incident["title"] == "Credential stuffing"
    assert incident["status"] == "detected"
    assert incident["discovered_at"] == "2026-03-05T14:30:00+00:00"
    assert incident["response_target"] == "15 minutes"
    assert response.headers["Location"] == "http://localhost/api/v1/incidents/1"
    assert incident["url"] == "http://localhost/api/v1/incidents/1"


def test_round_trip_keeps_the_facts_identical(api, counsel, facts):
    facts["incident"]["status"] = "investigating"
    facts["notices"] = {"gdpr/supervisory_authority": "2026-03-07T10:00:00+01:00"}
    facts["contracts"] = [{"party": "Acme Corp", "notify_within": "48h"}]
    sent = copy.deepcopy(facts)
    created = api.post("/api/v1/incidents", json=facts, headers=counsel).json["incident"]

    response = api.get(f"/api/v1/incidents/{created['id']}/facts", headers=counsel)

    assert response.status_code == 200
    assert response.json == sent


def test_read_back(api, counsel, created):
    response = api.get(f"/api/v1/incidents/{created['id']}", headers=counsel)

    assert response.status_code == 200
    assert response.json == {"incident": created}
    assert created["status_changes"] == [
        {
            "from_status": None,
            "to_status": "detected",
            "at": created["created_at"],
            "actor_id": 1,
            "note": "",
        }
    ]
    assert created["impact"]["impact_systems"] == []


def test_list_and_filters(api, counsel, facts):
    api.post("/api/v1/incidents", json=facts, headers=counsel)
    facts["incident"] = {"title": "Lost laptop", "severity": "SEV-3", "category": "data"}
    api.post("/api/v1/incidents", json=facts, headers=counsel)

    everything = api.get("/api/v1/incidents", headers=counsel).json["incidents"]
    by_severity = api.get("/api/v1/incidents?severity=SEV-3", headers=counsel).json
    by_text = api.get("/api/v1/incidents?q=credential", headers=counsel).json

    assert [item["title"] for item in everything] == ["Lost laptop", "Credential stuffing"]
    assert [item["title"] for item in by_severity["incidents"]] == ["Lost laptop"]
    assert [item["title"] for item in by_text["incidents"]] == ["Credential stuffing"]


def test_unknown_filter_value_names_the_parameter(api, counsel):
    response = api.get("/api/v1/incidents?severity=SEV-9", headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "severity": "expected one of 'SEV-1', 'SEV-2', 'SEV-3' or 'SEV-4'; got 'SEV-9'"
    }


def test_repeated_parameter_is_refused(api, counsel):
    response = api.get("/api/v1/incidents?status=detected&status=resolved", headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"status": "expected once"}


def test_unknown_ids_are_404(api, counsel):
    for path in (
        "/api/v1/incidents/999",
        "/api/v1/incidents/999/facts",
        "/api/v1/incidents/999/obligations",
        "/api/v1/incidents/999/timeline",
        "/api/v1/obligations/999",
    ):
        response = api.get(path, headers=counsel)
        assert response.status_code == 404, path
        assert response.json["error"]["fields"] == {}

    assert api.get("/api/v1/incidents/999", headers=counsel).json["error"]["message"] == (
        "There is no incident with the id 999."
    )


def test_ids_beyond_the_database_range_are_404(api, counsel):
    response = api.get("/api/v1/incidents/99999999999999999999", headers=counsel)

    assert response.status_code == 404
    assert response.is_json


def test_create_with_invalid_facts_stores_nothing(api, counsel, facts):
    facts["events"] = {"occurred_at": "2026-03-01T10:00:00-05:00"}

    response = api.post("/api/v1/incidents", json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "": (
            "events needs discovered_at or aware_at (an instant with an offset); "
            "where only one is known, give that one"
        )
    }
    assert api.get("/api/v1/incidents", headers=counsel).json["incidents"] == []


def test_put_facts_recomputes_the_obligations(api, counsel, created, facts):
    facts["events"]["aware_at"] = "2026-03-06T14:00:00-05:00"

    response = api.put(f"/api/v1/incidents/{created['id']}/facts", json=facts, headers=counsel)

    assert response.status_code == 200
    # The stored facts carry the incident's status, which the service fills in when absent.
    assert response.json["facts"] == {
        **facts,
        "incident": {**facts["incident"], "status": "detected"},
    }
    due = {item["key"]: item["due"] for item in response.json["obligations"]}
    # GDPR now runs 72 hours from awareness on 2026-03-06 14:00 EST (19:00 UTC).
    assert due["gdpr/supervisory_authority"] == "2026-03-09T19:00:00+00:00"
    stored = obligations_by_key(api, counsel, created["id"])
    assert stored["gdpr/supervisory_authority"]["due"] == "2026-03-09T19:00:00+00:00"


def test_put_invalid_facts_keeps_the_stored_ones(api, counsel, created, facts):
    before = api.get(f"/api/v1/incidents/{created['id']}/facts", headers=counsel).json
    facts["affected"] = {"US-ZZ": 3}

    response = api.put(f"/api/v1/incidents/{created['id']}/facts", json=facts, headers=counsel)

    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["affected.US-ZZ"]
    after = api.get(f"/api/v1/incidents/{created['id']}/facts", headers=counsel).json
    assert after == before


def test_put_facts_with_a_status_the_flow_forbids_is_409(api, counsel, created, facts):
    facts["incident"]["status"] = "post_mortem"

    response = api.put(f"/api/v1/incidents/{created['id']}/facts", json=facts, headers=counsel)

    assert response.status_code == 409
    assert response.json["error"]["fields"] == {
        "status": "expected one of investigating, mitigating, resolved"
    }


def test_status_change(api, counsel, created):
    url = f"/api/v1/incidents/{created['id']}/status"

    response = api.post(
        url, json={"status": "investigating", "note": "Logs pulled"}, headers=counsel
    )

    assert response.status_code == 200
    incident = response.json["incident"]
    assert incident["status"] == "investigating"
    assert incident["status_changes"][-1]["from_status"] == "detected"
    assert incident["status_changes"][-1]["note"] == "Logs pulled"
    facts = api.get(f"/api/v1/incidents/{created['id']}/facts", headers=counsel).json
    assert facts["incident"]["status"] == "investigating"


def test_status_change_refusals(api, counsel, created):
    url = f"/api/v1/incidents/{created['id']}/status"

    unknown = api.post(url, json={"status": "closed"}, headers=counsel)
    backwards = api.post(url, json={"status": "post_mortem"}, headers=counsel)
    missing = api.post(url, json={}, headers=counsel)

    assert unknown.status_code == 422
    assert unknown.json["error"]["fields"] == {
        "status": (
            "expected one of 'detected', 'investigating', 'mitigating', 'resolved' or "
            "'post_mortem'; got 'closed'"
        )
    }
    assert backwards.status_code == 409
    assert missing.status_code == 422
    assert missing.json["error"]["fields"] == {"status": "this field is required"}


def test_timeline_entries(api, counsel, created):
    url = f"/api/v1/incidents/{created['id']}/timeline"
    entry = {
        "text": "Reset all portal passwords",
        "kind": "action",
        "at": "2026-03-05T11:00:00-05:00",
    }

    response = api.post(url, json=entry, headers=counsel)

    assert response.status_code == 201
    assert response.json["entry"]["at"] == "2026-03-05T16:00:00+00:00"
    assert response.json["entry"]["kind"] == "action"
    timeline = api.get(url, headers=counsel).json["timeline"]
    assert [(item["kind"], item["text"]) for item in timeline] == [
        ("action", "Reset all portal passwords")
    ]


def test_timeline_refusals(api, counsel, created):
    url = f"/api/v1/incidents/{created['id']}/timeline"

    naive = api.post(url, json={"text": "x", "at": "2026-03-05T11:00:00"}, headers=counsel)
    empty = api.post(url, json={"text": "   "}, headers=counsel)
    status = api.post(url, json={"text": "x", "kind": "status"}, headers=counsel)
    extra = api.post(url, json={"text": "x", "author": "me"}, headers=counsel)

    assert naive.json["error"]["fields"] == {
        "at": "the instant '2026-03-05T11:00:00' has no offset; add one, such as -05:00 or Z"
    }
    assert empty.json["error"]["fields"] == {"text": "this field must not be empty"}
    assert status.json["error"]["fields"] == {
        "kind": "expected one of 'note', 'action', 'decision' or 'communication'; got 'status'"
    }
    assert extra.json["error"]["fields"] == {
        "author": "unknown field; check its spelling against the API document"
    }
    assert {naive.status_code, empty.status_code, status.status_code, extra.status_code} == {422}
    assert api.get(url, headers=counsel).json == {"timeline": []}


def test_cookie_session_is_not_accepted(api, make_user, login):
    user = make_user("administrator")
    assert login(api, user).status_code == 302

    response = api.get("/api/v1/incidents")

    assert response.status_code == 401


def test_if_match_refuses_a_change_to_facts_that_moved_on(api, counsel, created, facts):
    url = f"/api/v1/incidents/{created['id']}/facts"
    read = api.get(url, headers=counsel)
    tag = read.headers["ETag"]
    first = copy.deepcopy(facts)
    first["data"]["records"] = 16000
    second = copy.deepcopy(facts)
    second["affected"]["US-TX"] = 300

    accepted = api.put(url, json=first, headers={**counsel, "If-Match": tag})
    refused = api.put(url, json=second, headers={**counsel, "If-Match": tag})

    assert len(tag) == 66 and tag.startswith('"') and tag.endswith('"')  # a quoted SHA-256
    assert accepted.status_code == 200
    assert accepted.headers["ETag"] != tag
    assert refused.status_code == 412
    current = accepted.headers["ETag"].strip('"')
    assert refused.json["error"]["fields"] == {"If-Match": f'expected the current ETag "{current}"'}
    stored = api.get(url, headers=counsel).json
    assert stored["data"]["records"] == 16000
    assert "US-TX" not in stored["affected"]


def test_without_if_match_the_facts_are_replaced(api, counsel, created, facts):
    url = f"/api/v1/incidents/{created['id']}/facts"
    facts["data"]["records"] = 17000

    response = api.put(url, json=facts, headers=counsel)

    assert response.status_code == 200
    assert api.get(url, headers=counsel).json["data"]["records"] == 17000


def test_facts_with_a_future_event_are_not_saved(api, counsel, created, facts):
    future = dict(facts, events={**facts["events"], "aware_at": "2999-12-31T00:00:00Z"})

    made = api.post("/api/v1/incidents", json=future, headers=counsel)
    put = api.put(f"/api/v1/incidents/{created['id']}/facts", json=future, headers=counsel)
    planned = api.post("/api/v1/deadlines", json=future, headers=counsel)

    expected = {
        "events.aware_at": "expected an instant not in the future; got 2999-12-31T00:00:00+00:00"
    }
    assert made.status_code == 422
    assert made.json["error"]["fields"] == expected
    assert put.status_code == 422
    assert put.json["error"]["fields"] == expected
    assert [
        item["id"] for item in api.get("/api/v1/incidents", headers=counsel).json["incidents"]
    ] == [created["id"]]
    # Computing deadlines for planning still takes it.
    assert planned.status_code == 200


def test_counts_above_ten_billion_are_refused(api, counsel, facts):
    facts["affected"] = {"US-CA": 999999999999999999999}
    one = api.post("/api/v1/incidents", json=facts, headers=counsel)
    facts["affected"] = {"US-CA": 6_000_000_000, "DE": 6_000_000_000}
    total = api.post("/api/v1/incidents", json=facts, headers=counsel)
    facts["affected"] = {"US-CA": 10_000_000_000}
    at_most = api.post("/api/v1/incidents", json=facts, headers=counsel)

    assert one.status_code == 422
    assert one.json["error"]["fields"] == {
        "affected.US-CA": "expected a whole number of at most 10,000,000,000; "
        "got 999999999999999999999"
    }
    assert total.status_code == 422
    assert total.json["error"]["fields"] == {
        "affected": "expected counts adding up to at most 10,000,000,000; "
        "they add up to 12,000,000,000"
    }
    assert at_most.status_code == 201
