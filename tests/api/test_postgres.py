"""The main API flow on PostgreSQL: create, read back, replace facts, record a notice."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tracker.auth.service import create_token, create_user
from tracker.db import make_engine, make_session_factory, upgrade_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_api(postgres_url, make_app):
    upgrade_database(postgres_url)
    engine = make_engine(postgres_url)
    with make_session_factory(engine)() as session:
        user = create_user(session, "counsel@example.com", "counsel", None, "test setup")
        _token, text = create_token(session, user, "test setup", scope="read-write")
        session.commit()
    engine.dispose()
    client = make_app(DATABASE_URL=postgres_url).test_client()
    return client, {"Authorization": f"Bearer {text}"}


def test_main_flow(pg_api, facts):
    api, headers = pg_api

    created = api.post("/api/v1/incidents", json=facts, headers=headers)
    incident_id = created.json["incident"]["id"]
    read = api.get(f"/api/v1/incidents/{incident_id}/facts", headers=headers)
    facts["events"]["aware_at"] = "2026-03-06T14:00:00-05:00"
    replaced = api.put(f"/api/v1/incidents/{incident_id}/facts", json=facts, headers=headers)
    by_key = {item["key"]: item for item in replaced.json["obligations"]}
    gdpr = by_key["gdpr/supervisory_authority"]
    notice = {"sent_at": "2026-03-09T20:00:00+01:00", "channel": "portal", "reference": "DPC-1"}
    recorded = api.post(f"/api/v1/obligations/{gdpr['id']}/notices", json=notice, headers=headers)
    settled = api.get("/api/v1/obligations?status=settled", headers=headers)
    too_large = api.get("/api/v1/incidents/2147483648", headers=headers)

    assert created.status_code == 201
    assert read.json == {
        **facts_before(facts),
        "incident": {**facts["incident"], "status": "detected"},
    }
    assert replaced.status_code == 200
    # 72 hours after awareness on 2026-03-06 14:00 EST (19:00 UTC).
    assert gdpr["due"] == "2026-03-09T19:00:00+00:00"
    assert recorded.status_code == 201
    assert recorded.json["notice"]["sent_at"] == "2026-03-09T19:00:00+00:00"
    assert [item["key"] for item in settled.json["obligations"]] == ["gdpr/supervisory_authority"]
    assert too_large.status_code == 404


def facts_before(facts):
    """The facts as first sent: without the awareness added later."""
    events = {name: value for name, value in facts["events"].items() if name != "aware_at"}
    return {**facts, "events": events}


def test_a_refused_change_leaves_the_stored_facts(pg_api, facts):
    api, headers = pg_api
    incident_id = api.post("/api/v1/incidents", json=facts, headers=headers).json["incident"]["id"]
    before = api.get(f"/api/v1/incidents/{incident_id}/facts", headers=headers).json
    facts["incident"]["status"] = "post_mortem"

    refused = api.put(f"/api/v1/incidents/{incident_id}/facts", json=facts, headers=headers)

    assert refused.status_code == 409
    assert api.get(f"/api/v1/incidents/{incident_id}/facts", headers=headers).json == before


def test_concurrent_replacements_with_the_same_if_match_let_one_through(pg_api, facts):
    api, headers = pg_api
    incident_id = api.post("/api/v1/incidents", json=facts, headers=headers).json["incident"]["id"]
    url = f"/api/v1/incidents/{incident_id}/facts"
    tag = api.get(url, headers=headers).headers["ETag"]
    versions = [
        {**facts, "data": {**facts["data"], "records": records}}
        for records in (16000, 17000, 18000, 19000)
    ]
    app = api.application

    def replace(document):
        client = app.test_client()
        return client.put(url, json=document, headers={**headers, "If-Match": tag}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(replace, versions))

    assert statuses == [200, 412, 412, 412]
    stored = api.get(url, headers=headers).json["data"]["records"]
    assert stored in (16000, 17000, 18000, 19000)
