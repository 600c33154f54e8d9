"""GET /api/v1/incidents in pages: page and per_page, the neighbours' addresses, bad values."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tracker.auth.models import RestrictedIncident

from ..incident.test_list_pages import START, stored

URL = "/api/v1/incidents"


def follow(api, headers, address):
    """Request an absolute `next` or `previous` address through the test client."""
    parts = urlsplit(address)
    return api.get(f"{parts.path}?{parts.query}", headers=headers)


def test_the_first_page_holds_fifty_and_names_the_next(api, counsel, session):
    newest_first = stored(session, 120)

    body = api.get(URL, headers=counsel).json

    assert [item["reference"] for item in body["incidents"]] == newest_first[:50]
    assert (body["page"], body["per_page"], body["pages"], body["total"]) == (1, 50, 3, 120)
    assert body["previous"] is None
    assert body["next"] == "http://localhost/api/v1/incidents?page=2&per_page=50"


def test_following_next_reads_every_incident_once_in_order(api, counsel, session):
    newest_first = stored(session, 120)

    seen, address, pages = [], f"http://localhost{URL}?per_page=35", 0
    while address is not None:
        body = follow(api, counsel, address).json
        seen += [item["reference"] for item in body["incidents"]]
        address, pages = body["next"], pages + 1

    assert seen == newest_first
    assert pages == 4
    last = api.get(f"{URL}?per_page=35&page=4", headers=counsel).json
    assert len(last["incidents"]) == 15
    assert last["previous"] == "http://localhost/api/v1/incidents?page=3&per_page=35"


def test_filters_are_kept_in_the_neighbours_addresses(api, counsel, session):
    newest_first = stored(session, 130, severity=lambda index: "SEV-3" if index % 2 else "SEV-1")
    odd = [reference for reference in newest_first if int(reference[-4:]) % 2]

    first = api.get(f"{URL}?severity=SEV-3&q=listed", headers=counsel).json
    second = follow(api, counsel, first["next"]).json

    assert parse_qs(urlsplit(first["next"]).query) == {
        "page": ["2"],
        "per_page": ["50"],
        "severity": ["SEV-3"],
        "q": ["listed"],
    }
    assert first["total"] == 65 and second["next"] is None
    assert [item["reference"] for item in first["incidents"] + second["incidents"]] == odd


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("page=0", "page", "expected a number of 1 or more; got '0'"),
        ("page=abc", "page", "expected a whole number; got 'abc'"),
        ("page=1000000000", "page", "expected a number of at most 999999999; got '1000000000'"),
        ("per_page=0", "per_page", "expected a number of 1 or more; got '0'"),
        ("per_page=201", "per_page", "expected a number of at most 200; got '201'"),
    ],
)
def test_a_bad_page_or_size_is_refused_by_name(api, counsel, session, query, field, message):
    response = api.get(f"{URL}?{query}", headers=counsel)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {field: message}


def test_a_page_past_the_last_is_not_found(api, counsel, session):
    stored(session, 3)

    response = api.get(f"{URL}?page=2", headers=counsel)

    assert response.status_code == 404
    assert response.json["error"]["message"] == (
        "The incident list has 1 page(s) of 50; there is no page 2."
    )
    assert response.json["error"]["fields"] == {"page": "expected a page from 1 to 1"}


def test_an_empty_list_is_one_empty_page(api, counsel):
    body = api.get(URL, headers=counsel).json

    assert body == {
        "incidents": [],
        "page": 1,
        "per_page": 50,
        "pages": 1,
        "total": 0,
        "next": None,
        "previous": None,
    }


def test_hidden_incidents_are_not_counted(api, counsel, session):
    stored(session, 51)
    session.add(RestrictedIncident(incident_id=51, restricted_at=START))
    session.commit()

    body = api.get(URL, headers=counsel).json

    assert (body["total"], body["pages"], body["next"]) == (50, 1, None)
    assert "INC-2026-0051" not in {item["reference"] for item in body["incidents"]}
