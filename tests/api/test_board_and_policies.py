"""Response metrics, calendar feeds and reminder policies through the API."""

from __future__ import annotations

from .conftest import obligations_by_key

GDPR = "gdpr/supervisory_authority"
DEFAULT = {"scope": "default", "steps": ["half", "24h", "4h", "1h", "due"], "overdue": "daily"}


def test_metrics_give_the_pages_figures(api, counsel, bearer, created):
    gdpr = obligations_by_key(api, counsel, created["id"])[GDPR]["id"]
    api.post(
        f"/api/v1/obligations/{gdpr}/notices",
        json={"sent_at": "2026-03-07T10:00:00+00:00", "channel": "portal"},
        headers=counsel,
    )

    response = api.get("/api/v1/metrics", headers=bearer("viewer", scope="read"))

    assert response.status_code == 200
    body = response.json
    assert (body["timezone"], body["exercises"]) == ("UTC", 0)
    # Occurred 2026-03-01 10:00 and discovered 2026-03-05 09:30 in New York: 3 days 23.5 hours.
    # Due by now: GDPR's authority notice (met on time), California's individuals and attorney
    # general; GDPR's individuals have no legal date.
    expected = {
        "incidents": 1,
        "time_to_detect_seconds": 343800.0,
        "time_to_respond_seconds": None,
        "time_to_resolve_seconds": None,
        "downtime_seconds": None,
        "outages": 0,
        "affected_customers": 0,
        "notices_due": 3,
        "notices_on_time": 1,
        "on_time_rate": 1 / 3,
    }
    assert body["overall"] == {"label": "All incidents", **expected}
    assert body["by_severity"] == [{"label": "SEV-1", **expected}]
    assert body["by_month"] == [{"label": "2026-03", **expected}]


def test_metrics_count_months_in_the_zone_asked_for(api, counsel, facts):
    facts["events"] = {"discovered_at": "2026-03-31T22:00:00-05:00"}
    api.post("/api/v1/incidents", json=facts, headers=counsel)

    in_utc = api.get("/api/v1/metrics", headers=counsel)
    in_new_york = api.get("/api/v1/metrics?timezone=America/New_York", headers=counsel)
    unknown = api.get("/api/v1/metrics?timezone=Mars/Base", headers=counsel)

    assert [group["label"] for group in in_utc.json["by_month"]] == ["2026-04"]
    assert [group["label"] for group in in_new_york.json["by_month"]] == ["2026-03"]
    assert in_new_york.json["timezone"] == "America/New_York"
    assert unknown.status_code == 422
    assert unknown.json["error"]["fields"] == {"timezone": "expected an IANA time zone"}


def test_a_calendar_feed_is_made_replaced_and_revoked(api, bearer, created):
    viewer = bearer("viewer")

    made = api.post("/api/v1/calendar-feed", headers=viewer)
    feed = made.json["feed"]
    calendar = api.get(feed["url"])
    again = api.post("/api/v1/calendar-feed", headers=viewer).json["feed"]

    assert made.status_code == 201
    assert feed["url"] == f"http://localhost/calendar/{feed['token']}.ics"
    assert calendar.status_code == 200
    assert calendar.mimetype == "text/calendar"
    assert b"BEGIN:VCALENDAR" in calendar.data
    assert again["token"] != feed["token"]
    assert api.get(feed["url"]).status_code == 404
    assert api.get(again["url"]).status_code == 200

    revoked = api.delete("/api/v1/calendar-feed", headers=viewer)
    twice = api.delete("/api/v1/calendar-feed", headers=viewer)

    assert revoked.status_code == 200
    assert revoked.json == {"feed": None}
    assert api.get(again["url"]).status_code == 404
    assert twice.status_code == 404
    assert twice.json["error"]["message"] == "You have no calendar address to revoke."
    reader = bearer("viewer", scope="read")
    assert api.post("/api/v1/calendar-feed", headers=reader).status_code == 403
    assert api.delete("/api/v1/calendar-feed", headers=reader).status_code == 403
    unknown = api.post("/api/v1/calendar-feed", json={"name": "mine"}, headers=viewer)
    assert unknown.status_code == 422
    assert unknown.json["error"]["fields"] == {
        "name": "unknown field; check its spelling against the API document"
    }


def test_reminder_policies_are_read_by_all_and_set_by_administrators(api, bearer):
    admin = bearer("administrator")
    viewer = bearer("viewer", scope="read")
    url = "/api/v1/reminder-policies/severity:SEV-1"

    before = api.get("/api/v1/reminder-policies", headers=viewer)
    saved = api.put(url, json={"steps": ["12h", "Due"], "overdue": "none"}, headers=admin)
    after = api.get("/api/v1/reminder-policies", headers=viewer)

    assert before.json == {"configured": [DEFAULT], "stored": []}
    assert saved.status_code == 200
    policy = saved.json["policy"]
    assert {key: policy[key] for key in ("scope", "steps", "overdue")} == {
        "scope": "severity:SEV-1",
        "steps": ["12h", "due"],
        "overdue": "none",
    }
    assert policy["updated_by_id"] is not None
    assert after.json == {"configured": [DEFAULT], "stored": [policy]}

    removed = api.delete(url, headers=admin)
    twice = api.delete(url, headers=admin)

    assert removed.status_code == 200
    assert removed.json == {"configured": [DEFAULT], "stored": []}
    assert twice.status_code == 404
    assert twice.json["error"]["message"] == (
        "There is no stored reminder policy for the scope 'severity:SEV-1'."
    )


def test_bad_policies_name_the_field_and_only_administrators_change_them(api, bearer):
    admin = bearer("administrator")
    body = {"steps": ["24h"], "overdue": "daily"}

    bad_step = api.put("/api/v1/reminder-policies/default", json={"steps": ["soon"]}, headers=admin)
    bad_scope = api.put("/api/v1/reminder-policies/everything", json=body, headers=admin)
    bad_cadence = api.put(
        "/api/v1/reminder-policies/default", json={"steps": [], "overdue": "hourly"}, headers=admin
    )
    missing = api.put("/api/v1/reminder-policies/default", json={}, headers=admin)

    assert bad_step.status_code == 422
    assert bad_step.json["error"]["fields"] == {
        "steps": "'soon' is not half, due or a duration like 24h"
    }
    assert bad_scope.json["error"]["fields"] == {
        "scope": "expected default, severity:SEV-n or regime:NAME"
    }
    assert list(bad_cadence.json["error"]["fields"]) == ["overdue"]
    assert missing.json["error"]["fields"] == {"steps": "this field is required"}
    for role in ("viewer", "responder", "counsel"):
        refused = api.put("/api/v1/reminder-policies/default", json=body, headers=bearer(role))
        assert refused.status_code == 403, role
        assert refused.json["error"]["message"] == (
            f"The role {role} may not do this (settings.manage)."
        )
    reader = bearer("administrator", scope="read")
    assert (
        api.put("/api/v1/reminder-policies/default", json=body, headers=reader).status_code == 403
    )
    assert api.get("/api/v1/reminder-policies", headers=admin).json["stored"] == []
