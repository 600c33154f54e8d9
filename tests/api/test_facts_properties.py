"""Generated facts documents, valid and broken, sent to POST /api/v1/deadlines.

Whatever comes in, the answer is 200 with obligations or 422 naming the fields; never a
server error, and never a 422 without a field.
"""

import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FACTS

ZONES = ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC", "", "Mars/Base", "utc"]
REGIONS = ["US-CA", "US-TX", "DE", "GB", "CA-QC", "US-ZZ", "XX", "us-ca", ""]
EVENTS = ["occurred_at", "discovered_at", "aware_at", "determined_at", "contained_at"]

offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.one_of(
    st.datetimes(timezones=offsets).map(lambda value: value.isoformat()),
    st.datetimes().map(lambda value: value.isoformat()),  # naive
    st.text(max_size=30),
    st.integers(),
    st.none(),
)
junk = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.lists(st.none())
)


@st.composite
def facts_documents(draw):
    document = copy.deepcopy(FACTS)
    document["timezone"] = draw(st.sampled_from(ZONES))
    document["events"] = {
        name: draw(instants) for name in draw(st.lists(st.sampled_from(EVENTS), unique=True))
    }
    document["affected"] = draw(
        st.dictionaries(st.sampled_from(REGIONS), st.integers(-5, 10**12) | junk, max_size=4)
    )
    if draw(st.booleans()):
        document["law_enforcement_delay"] = {
            "agency": draw(st.text(max_size=10)),
            "requested_at": draw(instants),
            "released_at": draw(instants),
        }
    if draw(st.booleans()):
        document["contracts"] = [
            {"party": "Acme", "notify_within": draw(st.sampled_from(["48h", "3bd", "0d", "x"]))}
        ]
    if draw(st.booleans()):
        section = draw(st.sampled_from(sorted(document)))
        document[section] = draw(junk)
    return document


@pytest.fixture
def counsel_headers(bearer):
    return bearer("counsel", scope="read-write")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=facts_documents())
def test_any_document_gets_obligations_or_field_messages(api, counsel_headers, document):
    response = api.post("/api/v1/deadlines", json=document, headers=counsel_headers)

    assert response.status_code in (200, 422), response.json
    if response.status_code == 422:
        assert response.json["error"]["fields"]
        assert response.json["error"]["message"].startswith("The facts are not valid")
    else:
        assert set(response.json) == {"obligations", "not_applicable"}


@pytest.mark.parametrize(
    "instant",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00", "1899-12-31T23:59:59Z"],
)
def test_instants_at_the_ends_of_the_calendar_are_refused(api, counsel, facts, instant):
    facts["events"]["discovered_at"] = instant

    response = api.post("/api/v1/deadlines", json=facts, headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "events.discovered_at": f"expected an instant in the years 1900 to 2999; got {instant!r}"
    }


def test_the_last_accepted_year_still_gives_dates(api, counsel, facts):
    facts["events"]["discovered_at"] = "2999-12-31T23:59:59Z"

    response = api.post("/api/v1/deadlines", json=facts, headers=counsel)

    assert response.status_code == 200
    due = {item["key"]: item["due"] for item in response.json["obligations"]}
    assert due["gdpr/supervisory_authority"] == "3000-01-03T23:59:59+00:00"
    assert datetime.fromisoformat(due["gdpr/supervisory_authority"]) > datetime(
        2999, 12, 31, tzinfo=UTC
    )
