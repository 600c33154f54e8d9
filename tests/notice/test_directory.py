"""The recipient directory: its data agrees with the rulebook, GDPR's authority follows the main
establishment, and the page lists the regulators and the customers from the contracts."""

import fnmatch
import re
from html import unescape

import pytest

from tracker.deadline.rulebook import load_rulebook
from tracker.notice import directory


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.mark.parametrize("entry", directory.entries(), ids=lambda entry: entry.id)
def test_each_entry_serves_keys_the_rulebook_knows_and_names_its_source(entry):
    keys = load_rulebook().keys
    for pattern in entry.keys:
        assert fnmatch.filter(keys, pattern), f"{entry.id}: {pattern} matches no obligation key"
    assert entry.source.startswith("https://")
    assert entry.portal.startswith("https://")
    assert entry.name and entry.method


def test_entry_ids_are_unique():
    ids = [entry.id for entry in directory.entries()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("IE", ["ie-dpc"]),
        ("FR", ["fr-cnil"]),
        ("DE", []),
        (None, ["ie-dpc", "fr-cnil", "nl-ap", "lu-cnpd"]),
    ],
)
def test_the_gdpr_authority_is_the_main_establishments(country, expected):
    found = directory.entries_for("gdpr/supervisory_authority", country)
    assert [entry.id for entry in found] == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("uk-gdpr/supervisory_authority", "uk-ico"),
        ("hipaa/hhs", "us-hhs-ocr"),
        ("hipaa/hhs/annual_log", "us-hhs-ocr"),
        ("sec-8k/sec", "us-sec"),
        ("nydfs/nydfs/extortion_payment", "us-nydfs"),
        ("us-ca/attorney_general", "us-ca-ag"),
    ],
)
def test_regulators_by_key(key, expected):
    assert [entry.id for entry in directory.entries_for(key, "IE")] == [expected]


def test_every_authority_the_rule_files_name_is_listed():
    listed = {regulator.key for regulator in directory.regulators()}
    authorities = {
        key for key in load_rulebook().keys if key.split("/")[1] not in directory.PARTIES
    }
    assert listed == authorities
    assert "us-tx/attorney_general" in listed
    assert "us-ca/individuals" not in listed


def test_the_page_lists_regulators_and_the_customers_of_the_contracts(
    client, login, make_user, make_incident, facts
):
    facts["contracts"] = [{"party": "Acme Corp", "notify_within": "48h"}]
    incident = make_incident(facts)
    login(client, make_user("viewer"))
    html = client.get("/recipients").get_data(as_text=True)

    regulators = text_of(re.search(r'<section id="regulators".*?</section>', html, re.S).group(0))
    assert "Information Commissioner's Office (United Kingdom)" in regulators
    assert "https://ico.org.uk/for-organisations/report-a-breach/" in regulators
    assert "Not in the directory yet; see the rule file's references." in regulators
    customers = re.search(r'<tr id="contract-acme-corp">.*?</tr>', html, re.S).group(0)
    assert text_of(customers) == f"Acme Corp 48h {incident.reference}"


def test_a_contract_notice_links_to_its_customer(client, login, make_user, make_incident, facts):
    facts["contracts"] = [{"party": "Acme Corp", "notify_within": "48h"}]
    incident = make_incident(facts)
    login(client, make_user("viewer"))
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    link = r'href="(/obligations/\d+)">Notices and recipient of contract:acme-corp/customer'
    [obligation_url] = re.findall(link, page)
    html = client.get(obligation_url).get_data(as_text=True)
    assert 'href="/recipients#contract-acme-corp"' in html


def test_without_a_main_establishment_the_page_says_why_several_authorities_are_listed(
    client, login, make_user, make_incident, facts
):
    del facts["organisation"]["main_establishment"]
    incident = make_incident(facts)
    login(client, make_user("viewer"))
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    link = r'href="(/obligations/\d+)">Notices and recipient of gdpr/supervisory_authority'
    [obligation_url] = re.findall(link, page)
    html = text_of(client.get(obligation_url).get_data(as_text=True))

    assert "The facts name no main establishment" in html
    assert "Data Protection Commission (Ireland)" in html
    assert "Commission nationale de l'informatique et des libertés (France)" in html


def test_with_a_main_establishment_only_its_authority_is_listed(
    client, login, make_user, make_incident, facts
):
    incident = make_incident(facts)
    login(client, make_user("viewer"))
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    link = r'href="(/obligations/\d+)">Notices and recipient of gdpr/supervisory_authority'
    [obligation_url] = re.findall(link, page)
    html = text_of(client.get(obligation_url).get_data(as_text=True))

    assert "The facts name no main establishment" not in html
    assert "Data Protection Commission (Ireland)" in html
    assert "(France)" not in html
