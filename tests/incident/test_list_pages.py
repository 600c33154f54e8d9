"""The incident list in pages: boundaries, a total order across pages, filters kept, bad pages."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from tracker.auth.models import RestrictedIncident
from tracker.incident.models import Incident

START = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


def stored(session, count, severity=lambda index: "SEV-2"):
    """`count` incidents written in bulk; many share a creation instant, out of id order."""
    rows = []
    for index in range(1, count + 1):
        created_at = START + timedelta(hours=(index * 7) % 40)
        rows.append(
            {
                "reference": f"INC-2026-{index:04d}",
                "title": f"Listed incident {index}",
                "severity": severity(index),
                "category": "security",
                "status": "investigating",
                "timezone": "Europe/Berlin",
                "discovered_at": created_at,
                "facts_json": json.dumps({"format": "incident-facts/1"}),
                "tags": [],
                "affected_services": [],
                "impact_systems": [],
                "created_at": created_at,
                "updated_at": created_at,
            }
        )
    session.execute(insert(Incident), rows)
    session.commit()
    return [
        row["reference"]
        for row in sorted(rows, key=lambda row: (row["created_at"], row["reference"]), reverse=True)
    ]


def references(html):
    return re.findall(r">(INC-2026-\d{4})</a>", html)


def link(html, rel):
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    return None if match is None else match[1].replace("&amp;", "&")


@pytest.fixture
def viewer(client, make_user, login):
    user = make_user("viewer")
    login(client, user)
    return user


def test_pages_hold_fifty_each_and_every_incident_once_in_order(client, viewer, session):
    newest_first = stored(session, 120)

    pages = [client.get(f"/incidents?page={number}") for number in (1, 2, 3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    shown = [references(page.get_data(as_text=True)) for page in pages]
    assert [len(items) for items in shown] == [50, 50, 20]
    assert shown[0] + shown[1] + shown[2] == newest_first
    # Creation instants tie (index * 7 % 40 hours): the id, descending, breaks each tie.
    assert shown[0][:3] == ["INC-2026-0097", "INC-2026-0057", "INC-2026-0017"]
    assert shown[2][-1] == "INC-2026-0040"
    first = pages[0].get_data(as_text=True)
    assert "Incidents 1 to 50 of 120, newest first." in first
    assert "Page 1 of 3" in first


def test_the_first_page_is_the_default_and_the_links_lead_on_and_back(client, viewer, session):
    stored(session, 120)

    first = client.get("/incidents").get_data(as_text=True)
    middle = client.get("/incidents?page=2").get_data(as_text=True)
    last = client.get("/incidents?page=3").get_data(as_text=True)

    assert references(first) == references(client.get("/incidents?page=1").get_data(as_text=True))
    assert (link(first, "prev"), link(first, "next")) == (None, "/incidents?page=2")
    assert (link(middle, "prev"), link(middle, "next")) == (
        "/incidents?page=1",
        "/incidents?page=3",
    )
    assert (link(last, "prev"), link(last, "next")) == ("/incidents?page=2", None)
    assert "Incidents 101 to 120 of 120, newest first." in last


def test_exactly_one_full_page_has_no_pager(client, viewer, session):
    stored(session, 50)

    page = client.get("/incidents").get_data(as_text=True)

    assert len(references(page)) == 50
    assert "50 incidents." in page
    assert link(page, "next") is None and 'class="pager"' not in page
    assert client.get("/incidents?page=2").status_code == 404


def test_filters_are_kept_from_page_to_page(client, viewer, session):
    newest_first = stored(session, 130, severity=lambda index: "SEV-3" if index % 2 else "SEV-1")
    odd = [reference for reference in newest_first if int(reference[-4:]) % 2]

    first = client.get("/incidents?severity=SEV-3&q=listed").get_data(as_text=True)
    following = link(first, "next")
    second = client.get(following).get_data(as_text=True)

    assert following == "/incidents?page=2&severity=SEV-3&q=listed"
    assert link(second, "prev") == "/incidents?page=1&severity=SEV-3&q=listed"
    assert link(second, "next") is None
    assert references(first) + references(second) == odd
    assert "Incidents 51 to 65 of 65, newest first." in second


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "²", "1000000000", "9" * 5000])
def test_a_bad_page_number_is_refused_by_name(client, viewer, session, page):
    stored(session, 3)

    response = client.get("/incidents", query_string={"page": page})

    assert response.status_code == 400
    text = response.get_data(as_text=True).replace("&#39;", "'")
    shown = page[:40]
    assert f"The page '{shown}' is not a whole number from 1 to 999999999." in text


def test_a_page_past_the_last_is_not_found_and_says_how_many_there_are(client, viewer, session):
    stored(session, 51)

    response = client.get("/incidents?page=3")

    assert response.status_code == 404
    assert "The incident list has 2 page(s) of 50; there is no page 3." in response.get_data(
        as_text=True
    )


def test_hidden_incidents_are_left_out_of_pages_and_counts(client, viewer, session):
    newest_first = stored(session, 52)
    session.add(RestrictedIncident(incident_id=1, restricted_at=START))
    session.add(RestrictedIncident(incident_id=2, restricted_at=START))
    session.commit()

    first = client.get("/incidents").get_data(as_text=True)
    second = client.get("/incidents?page=2").get_data(as_text=True)

    assert "of 50, newest first" not in first and "50 incidents." in first
    assert link(first, "next") is None
    assert "INC-2026-0001" not in first and "INC-2026-0002" not in first
    assert references(first) == [ref for ref in newest_first if ref[-4:] not in ("0001", "0002")]
    assert client.get("/incidents?page=2").status_code == 404 and "page 2" in second
