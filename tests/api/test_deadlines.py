import json

from tracker.cli import main as tracker_main

URL = "/api/v1/deadlines"


def test_obligations_for_facts_as_the_command_prints_them(api, counsel, facts, tmp_path, runner):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    printed = runner.invoke(tracker_main, ["deadlines", str(path), "--json"])
    assert printed.exit_code == 0, printed.output

    response = api.post(URL, json=facts, headers=counsel)

    assert response.status_code == 200
    assert response.json == json.loads(printed.output)
    due = {item["key"]: item["due"] for item in response.json["obligations"]}
    # 72 hours after discovery at 2026-03-05 09:30 EST (14:30 UTC), discovery standing in for
    # awareness; California's 30 calendar days end on 2026-04-04 at midnight EDT.
    assert due["gdpr/supervisory_authority"] == "2026-03-08T14:30:00+00:00"
    assert due["us-ca/individuals"] == "2026-04-05T03:59:59.999999+00:00"


def test_at_counts_down_from_the_given_instant(api, counsel, facts):
    response = api.post(f"{URL}?at=2026-03-08T12:30:00Z", json=facts, headers=counsel)

    assert response.status_code == 200
    gdpr = next(
        item for item in response.json["obligations"] if item["key"] == "gdpr/supervisory_authority"
    )
    assert gdpr["remaining_seconds"] == 7200
    assert gdpr["overdue"] is False


def test_nothing_is_stored(api, counsel, facts):
    api.post(URL, json=facts, headers=counsel)

    listed = api.get("/api/v1/incidents", headers=counsel)
    assert listed.json["incidents"] == []
    assert listed.json["total"] == 0


def test_naive_at_is_refused(api, counsel, facts):
    response = api.post(f"{URL}?at=2026-03-08T12:30:00", json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "at": "the instant '2026-03-08T12:30:00' has no offset; add one, such as -05:00 or Z"
    }


def test_unknown_query_parameter_is_refused(api, counsel, facts):
    response = api.post(f"{URL}?when=now", json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "when": "unknown field; check its spelling against the API document"
    }


def test_naive_event_is_refused(api, counsel, facts):
    facts["events"]["discovered_at"] = "2026-03-05T09:30:00"

    response = api.post(URL, json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "events.discovered_at": (
            "the instant '2026-03-05T09:30:00' has no offset; add one, such as -05:00 or Z"
        )
    }


def test_unknown_zone_is_refused(api, counsel, facts):
    facts["timezone"] = "Mars/Olympus_Mons"

    response = api.post(URL, json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "timezone": (
            "expected an IANA time zone such as Europe/Berlin or America/New_York; "
            "got 'Mars/Olympus_Mons'"
        )
    }


def test_negative_count_is_refused(api, counsel, facts):
    facts["affected"]["US-CA"] = -3

    response = api.post(URL, json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "affected.US-CA": "expected a whole number of 0 or more; got -3"
    }


def test_unknown_key_is_refused(api, counsel, facts):
    facts["data"]["encripted"] = True

    response = api.post(URL, json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "data.encripted": "unknown key; check its spelling against the incident-facts/1 format"
    }


def test_malformed_json_is_refused(api, counsel):
    response = api.post(URL, data='{"format": ', content_type="application/json", headers=counsel)

    assert response.status_code == 400
    assert response.json["error"]["message"].startswith("The request body is not valid JSON: ")
    assert response.json["error"]["fields"] == {"": "expected a JSON document"}


def test_wrong_content_type_is_refused(api, counsel, facts):
    response = api.post(URL, data=json.dumps(facts), content_type="text/plain", headers=counsel)

    assert response.status_code == 415
    assert response.json == {
        "error": {
            "message": (
                "Send the body as JSON with the header Content-Type: application/json; "
                "got text/plain."
            ),
            "fields": {"Content-Type": "expected application/json"},
        }
    }


def test_a_json_array_is_refused(api, counsel):
    response = api.post(URL, json=[1, 2], headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"": "expected a JSON object"}


def test_oversized_body_is_refused_with_json(api, counsel, facts):
    facts["incident"]["description"] = "x" * (1024 * 1024)

    response = api.post(URL, json=facts, headers=counsel)

    assert response.status_code == 413
    assert response.json == {
        "error": {
            "message": "The request body is larger than the 1024 KiB this route accepts.",
            "fields": {"": "expected at most 1048576 bytes"},
        }
    }


def test_read_token_may_not_post(api, bearer, facts):
    response = api.post(URL, json=facts, headers=bearer("counsel", scope="read"))

    assert response.status_code == 403
    assert response.json == {
        "error": {
            "message": "This token may only read; changes need a read-write token.",
            "fields": {},
        }
    }


def test_no_token_is_401(api, facts):
    response = api.post(URL, json=facts)

    assert response.status_code == 401
    assert response.json["error"]["message"] == (
        "Send an API token in the header Authorization: Bearer TOKEN."
    )
