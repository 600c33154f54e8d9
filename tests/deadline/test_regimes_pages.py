"""The regimes pages: every regime the product knows, its citation, source, review and versions."""

import re

import pytest

from tracker.deadline import load_rulebook


@pytest.fixture
def viewer(client, make_user, login):
    user = make_user("viewer")
    login(client, user)
    return user


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_list_names_every_regime_of_the_rulebook(client, viewer):
    response = client.get("/regimes")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    for regime in load_rulebook().regimes:
        assert f'href="/regimes/{regime.id}"' in html
    assert f"{len(load_rulebook().regimes)} regimes" in html


def test_the_list_shows_citation_source_review_and_versions(client, viewer):
    row = text_of(client.get("/regimes").get_data(as_text=True)).split("Washington data breach")[1]

    assert row.startswith(" notification law us-wa US state RCW 19.255.010 ")
    assert "RCW 19.255.010, Washington State Legislature 2026-12-03" in row
    assert "2005-07-24, 2015-07-24, 2020-03-01" in row.split("Wyoming")[0]


def test_the_navigation_links_to_the_regimes(client, viewer):
    html = client.get("/regimes").get_data(as_text=True)
    assert re.search(r'<a[^>]+href="/regimes"[^>]*>Regimes</a>', html)


def test_a_regime_page_lists_each_rule_with_its_versions(client, viewer):
    response = client.get("/regimes/us-ca")
    text = text_of(response.get_data(as_text=True))

    assert response.status_code == 200
    assert "California data breach notification law" in text
    assert "Citation Cal. Civ. Code 1798.82" in text
    assert "Last reviewed 2026-12-03" in text
    history = text.split("us-ca/individuals", 1)[1].split("us-ca/attorney_general", 1)[0]
    assert "2003-07-01 2026-01-01 Cal. Civ. Code 1798.82(a) discovered_at without undue delay" in (
        history
    )
    assert "2026-01-01 in force Cal. Civ. Code 1798.82(a) as amended by SB 446" in history
    assert "30d" in history


def test_a_regime_page_shows_all_sources_and_the_reviewer_notes(client, viewer):
    text = text_of(client.get("/regimes/uk-pecr").get_data(as_text=True))

    assert "Data (Use and Access) Act 2025, legislation.gov.uk" in text
    assert "Commission Regulation (EU) No 611/2013, EUR-Lex" in text
    assert "Notes of the reviewer" in text and "the earlier date" in text
    assert "2011-05-26 2025-08-20 PECR reg. 5A(2); Commission Regulation (EU) No 611/2013" in text
    assert (
        "2025-08-20 in force PECR reg. 5A(2) as amended by the Data (Use and Access) Act 2025"
        in (text)
    )


def test_policy_is_labelled_as_not_law(client, viewer):
    text = text_of(client.get("/regimes/policy").get_data(as_text=True))
    assert "Kind Organisation policy (not law)" in text
    assert "policy/customer/status_notice" in text


def test_an_unknown_regime_is_not_found(client, viewer):
    response = client.get("/regimes/us-zz")
    assert response.status_code == 404
    assert "There is no regime with the id &#39;us-zz&#39;." in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/regimes")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
