"""The incident page's obligations: soonest first, each date in two zones, its countdown,
basis, citation and rule version; the policy target labelled as policy; and the regimes
that do not apply, with their reasons."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest

from tracker.incident import views

# The page is read as if the clock showed this instant.
NOW = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(views, "now_utc", lambda: NOW)


@pytest.fixture
def reader(client, make_user, login):
    user = make_user("viewer", timezone="Europe/Berlin")
    login(client, user)
    return user


def section(html, section_id):
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match is not None, f"no section {section_id}"
    return match.group(0)


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def items(html):
    """The text of each obligation in the section, in page order."""
    return [text_of(item) for item in re.findall(r'<li class="obligation.*?</dl>', html, re.S)]


def test_obligations_are_listed_soonest_first_with_both_zones(client, reader, make_incident):
    incident = make_incident()
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    listed = items(section(html, "obligations"))

    keys = [item.split(" ")[0] for item in listed]
    assert keys == [
        "policy/internal/response",
        "gdpr/supervisory_authority",
        "gdpr/individuals",
        "us-ca/individuals",
        "us-ca/attorney_general",
    ]
    authority = listed[1]
    assert "Due (America/New_York) 2026-03-08 10:30 EDT" in authority
    assert "Due (your zone, Europe/Berlin) 2026-03-08 15:30 CET" in authority
    assert "2 days 2 h 30 min left until the deadline" in authority
    assert "Kind of date Legal deadline" in authority
    assert "Citation GDPR Art. 33(1)" in authority
    assert "Rule version 2018-05-25" in authority
    assert "72 hours after awareness" in authority
    assert "ends 2026-03-08 10:30 EDT" in authority

    residents = listed[3]
    assert "Due (America/New_York) 2026-04-04 23:59:59 EDT" in residents
    assert "Due (your zone, Europe/Berlin) 2026-04-05 05:59:59 CEST" in residents
    assert "30 calendar days after discovery on 2026-03-05" in residents
    assert "Cal. Civ. Code 1798.82(a)" in residents


def test_an_overdue_obligation_says_by_how_much(client, reader, make_incident):
    incident = make_incident()
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    response = items(section(html, "obligations"))[0]

    assert "Due (America/New_York) 2026-03-05 09:45 EST" in response
    assert "Overdue by 21 h 15 min (deadline passed)" in response
    assert response.startswith("policy/internal/response to the organisation's own response team")
    assert "Kind of date Policy deadline: the organisation's own rule, not law" in response
    assert 'class="obligation obligation--overdue"' in section(html, "obligations")


def test_without_undue_delay_shows_the_policy_target_as_policy(client, reader, make_incident):
    incident = make_incident()
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    individuals = items(section(html, "obligations"))[2]

    assert individuals.startswith("gdpr/individuals to the individuals")
    assert "Kind of date Without undue delay: the law sets no date" in individuals
    assert "Legal date None: the law requires notice without undue delay" in individuals
    assert "Due (" not in individuals
    assert (
        "Policy target Organisation policy, not law 2026-03-08 10:30 EDT · "
        "2026-03-08 15:30 CET your zone" in individuals
    )
    assert "Policy target, not law: 72 hours after awareness" in individuals
    assert "2 days 2 h 30 min left until the policy target" in individuals
    assert "Citation GDPR Art. 34(1)" in individuals


def test_regimes_that_do_not_apply_are_listed_with_reasons(client, reader, make_incident):
    incident = make_incident()
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    exempt = text_of(
        re.search(r'<details class="editor" id="not-applicable">.*?</details>', html, re.S).group(0)
    )

    assert "hipaa the whole regime it applies to the roles covered_entity" in exempt
    assert (
        "uk-gdpr the whole regime no affected residents of GB and no main establishment" in exempt
    )
    assert (
        "policy policy/internal/post_mortem resolution is not recorded yet (resolved_at)" in exempt
    )


def test_the_viewer_zone_is_left_out_when_it_is_the_legal_zone(
    client, make_user, login, make_incident
):
    login(client, make_user("viewer", timezone="America/New_York"))
    incident = make_incident()
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    authority = items(section(html, "obligations"))[1]

    assert "Due (America/New_York) 2026-03-08 10:30 EDT" in authority
    assert "your zone" not in authority
