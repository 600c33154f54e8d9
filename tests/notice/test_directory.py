"""The recipient directory: every recipient the rule files name has an entry that says how a
notice reaches it, the file is validated at load, GDPR's authority follows the main
establishment, and the pages list the recipients and the customers of the contracts."""

import fnmatch
import re
from datetime import date
from html import unescape

import pytest

from tracker.deadline.rulebook import load_rulebook
from tracker.notice import directory
from tracker.notice.directory import DirectoryError, load_directory

REVIEWED = date(2026, 12, 4)


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_no_obligation_key_of_the_rule_files_lacks_an_entry():
    assert directory.unserved(load_rulebook().keys) == []
    # A rule file naming a recipient the directory does not hold is reported.
    assert directory.unserved(["xx-new/supervisory_authority", "us-ca/individuals"]) == [
        "xx-new/supervisory_authority"
    ]


@pytest.mark.parametrize("key", sorted(load_rulebook().keys))
def test_every_recipient_of_the_rule_files_has_method_source_and_review(key):
    found = directory.entries_for(key)
    assert found, f"no directory entry receives {key}"
    for entry in found:
        assert entry.method in ("portal", "email", "letter", "form")
        assert entry.submission
        assert entry.reviewed == REVIEWED
        if entry.source == "rule file":
            assert entry.chosen_by, f"{entry.id} takes its source from the rule file"
            references = load_rulebook().by_key[key].references
            assert any(str(ref.url).startswith("https://") for ref in references)
        else:
            assert entry.source.startswith("https://")


@pytest.mark.parametrize("entry", directory.entries(), ids=lambda entry: entry.id)
def test_each_entry_serves_keys_the_rulebook_knows_with_https_addresses(entry):
    keys = load_rulebook().keys
    for pattern in entry.keys:
        if pattern.startswith("contract:"):
            continue
        assert fnmatch.filter(keys, pattern), f"{entry.id}: {pattern} matches no obligation key"
    for url in (entry.portal, entry.site, entry.source):
        assert url is None or url == "rule file" or url.startswith("https://"), url
    if entry.site and not entry.portal:
        assert "not confirmed" in entry.notes


def test_authorities_say_how_to_reach_them_and_parties_how_they_are_chosen():
    for entry in directory.entries():
        if entry.chosen_by:
            continue
        reach = {"portal": entry.portal, "form": entry.portal, "email": entry.email}
        reach["letter"] = entry.address
        assert reach[entry.method] or "not confirmed" in entry.notes or "statute" in entry.notes


def test_entry_ids_are_unique():
    ids = [entry.id for entry in directory.entries()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("IE", ["ie-dpc"]),
        ("FR", ["fr-cnil"]),
        ("DE", ["eu-gdpr-lead-authority"]),
        (None, ["eu-gdpr-lead-authority", "ie-dpc", "fr-cnil", "nl-ap", "lu-cnpd"]),
    ],
)
def test_the_gdpr_authority_is_the_main_establishments(country, expected):
    found = directory.entries_for("gdpr/supervisory_authority", country)
    assert [entry.id for entry in found] == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("uk-gdpr/supervisory_authority", "uk-ico"),
        ("uk-pecr/supervisory_authority", "uk-ico-pecr"),
        ("hipaa/hhs", "us-hhs-ocr"),
        ("hipaa/hhs/annual_log", "us-hhs-ocr"),
        ("sec-8k/sec", "us-sec"),
        ("nydfs/nydfs/extortion_payment", "us-nydfs"),
        ("us-ny/nydfs", "us-nydfs"),
        ("us-ca/attorney_general", "us-ca-ag"),
        ("us-ma/state_agency", "us-ma-ocabr"),
        ("us-nj/state_agency", "us-nj-state-police"),
        ("us-tx/consumer_reporting_agencies", "us-consumer-reporting-agencies"),
        ("ftc-hbnr/ftc", "us-ftc-hbnr"),
        ("glba-ftc/ftc", "us-ftc-safeguards"),
        ("bank-csin/regulator", "us-bank-regulator"),
        ("au-ndb/supervisory_authority", "au-oaic"),
        ("ca-pipeda/supervisory_authority", "ca-opc"),
        ("ca-qc/supervisory_authority", "qc-cai"),
        ("br-lgpd/supervisory_authority/supplement", "br-anpd"),
        ("in-certin/csirt", "in-cert-in"),
        ("jp-appi/supervisory_authority/final", "jp-ppc"),
        ("nis2/csirt/early_warning", "eu-nis2-csirt"),
        ("dora/regulator/initial", "eu-dora-competent-authority"),
        ("pci-visa/card_brand/initial", "visa"),
        ("pci-visa/acquirer", "acquirer"),
        ("gdpr/individuals", "individuals"),
        ("us-ma/data_owner", "data-owner"),
        ("policy/customer/status_notice", "customer"),
        ("contract:acme-corp/customer", "customer"),
        ("policy/internal/post_mortem", "internal"),
    ],
)
def test_recipients_by_key(key, expected):
    assert [entry.id for entry in directory.entries_for(key, "IE")] == [expected]


def test_contact_details_as_the_authorities_publish_them():
    [oaic] = directory.entries_for("au-ndb/supervisory_authority")
    assert (
        oaic.portal
        == "https://www.oaic.gov.au/privacy/notifiable-data-breaches/report-a-data-breach"
    )
    assert oaic.email == "enquiries@oaic.gov.au"
    [cert_in] = directory.entries_for("in-certin/csirt")
    assert (cert_in.method, cert_in.email) == ("email", "incident@cert-in.org.in")
    [texas] = directory.entries_for("us-tx/attorney_general")
    assert (
        texas.portal
        == "https://www.texasattorneygeneral.gov/consumer-protection/data-breach-reporting"
    )
    [california] = directory.entries_for("us-ca/attorney_general")
    assert california.portal == "https://oag.ca.gov/privacy/databreach/report-a-breach"


def test_every_authority_the_rule_files_name_is_listed():
    listed = {regulator.key for regulator in directory.regulators()}
    authorities = {
        key for key in load_rulebook().keys if key.split("/")[1] not in directory.PARTIES
    }
    assert listed == authorities
    assert all(regulator.entries for regulator in directory.regulators())
    assert "us-tx/attorney_general" in listed
    assert "us-ca/individuals" not in listed


# The file is validated at load, with the path of the field and what was expected.

ENTRY = """
[[recipient]]
id = "xx-authority"
name = "An authority"
keys = ["gdpr/supervisory_authority"]
method = "portal"
submission = "Online form"
portal = "https://example.org/report"
source = "https://example.org/"
reviewed = 2026-12-04
"""


def _load(tmp_path, text):
    path = tmp_path / "recipients.toml"
    path.write_text(text, encoding="utf-8")
    return load_directory(path)


def test_a_valid_file_loads(tmp_path):
    [entry] = _load(tmp_path, ENTRY)
    assert (entry.id, entry.method, entry.reviewed) == ("xx-authority", "portal", REVIEWED)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('method = "portal"', ""),
            "recipient[0].method: this field is required.",
        ),
        (
            ('method = "portal"', 'method = "fax"'),
            "recipient[0].method: expected one of 'portal', 'email', 'letter' or 'form';"
            " got 'fax'.",
        ),
        (
            ('portal = "https://example.org/report"', 'portal = "http://example.org/report"'),
            "recipient[0].portal: expected an https:// address; got 'http://example.org/report'.",
        ),
        (
            ('source = "https://example.org/"', 'source = "rule file"'),
            "recipient[0]: only an entry with chosen_by may take its source from the rule file.",
        ),
        (
            ('portal = "https://example.org/report"', 'site = "https://example.org/"'),
            "recipient[0]: an entry with a site but no portal needs notes saying why.",
        ),
        (
            ('method = "portal"', 'method = "email"'),
            "recipient[0]: the method 'email' needs the email address, or notes saying why not.",
        ),
        (
            ("reviewed = 2026-12-04", 'reviewed = "last week"'),
            "recipient[0].reviewed: Input should be a valid date",
        ),
        (
            ('name = "An authority"', 'name = "An authority"\ncontact = "somewhere"'),
            "recipient[0].contact: unknown field",
        ),
    ],
)
def test_a_bad_entry_is_refused_naming_the_field(tmp_path, change, message):
    old, new = change
    with pytest.raises(DirectoryError) as caught:
        _load(tmp_path, ENTRY.replace(old, new))
    assert message in caught.value.message
    assert caught.value.message.startswith(str(tmp_path / "recipients.toml"))


def test_an_id_used_twice_is_refused(tmp_path):
    with pytest.raises(DirectoryError, match=r"recipient: the id 'xx-authority' is used twice\."):
        _load(tmp_path, ENTRY + ENTRY)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    with pytest.raises(DirectoryError, match="the file is not valid TOML"):
        _load(tmp_path, "[[recipient]\n")


# The pages.


def test_the_page_lists_regulators_parties_and_the_customers_of_the_contracts(
    client, login, make_user, make_incident, facts
):
    facts["contracts"] = [{"party": "Acme Corp", "notify_within": "48h"}]
    incident = make_incident(facts)
    login(client, make_user("viewer"))
    html = client.get("/recipients").get_data(as_text=True)

    regulators = text_of(re.search(r'<section id="regulators".*?</section>', html, re.S).group(0))
    assert "Information Commissioner's Office (United Kingdom)" in regulators
    assert "https://ico.org.uk/for-organisations/report-a-breach/" in regulators
    assert "Office of the Australian Information Commissioner" in regulators
    assert "Not in the directory" not in regulators
    oaic = text_of(re.search(r'<tr id="au-ndb-supervisory_authority">.*?</tr>', html, re.S)[0])
    assert "Method portal: The OAIC's online Notifiable Data Breach form" in oaic
    assert "E-mail enquiries@oaic.gov.au" in oaic
    assert "(reviewed 2026-12-04)" in oaic

    parties = text_of(re.search(r'<tr id="party-individuals">.*?</tr>', html, re.S).group(0))
    assert "Affected individuals" in parties
    assert "Source The obligation's rule file or contract" in parties
    customers = re.search(r'<tr id="contract-acme-corp">.*?</tr>', html, re.S).group(0)
    assert text_of(customers) == f"Acme Corp 48h {incident.reference}"


def test_the_incident_view_lists_its_notices_and_its_own_customers(
    client, login, make_user, make_incident, facts
):
    facts["contracts"] = [{"party": "Acme Corp", "notify_within": "48h"}]
    incident = make_incident(facts)
    other = dict(facts, contracts=[{"party": "Globex", "notify_within": "3d"}])
    make_incident(other)
    login(client, make_user("viewer"))

    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert f'href="/recipients?incident={incident.id}"' in page
    response = client.get(f"/recipients?incident={incident.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)

    assert f"Recipients of {incident.reference}" in text_of(html)
    rows = re.search(r'<section id="incident-recipients".*?</section>', html, re.S).group(0)
    contract = re.search(
        r"<tr id=\"recipient-\d+\">(?:(?!</tr>).)*contract:acme-corp/customer.*?</tr>", rows, re.S
    )
    assert "For a contract in the facts, its party" in text_of(contract.group(0))
    assert "Data Protection Commission (Ireland)" in text_of(rows)
    assert "Commission nationale" not in text_of(rows)
    customers = text_of(re.search(r'<section id="customers".*?</section>', html, re.S).group(0))
    assert f"Acme Corp 48h {incident.reference}" in customers
    assert "Globex" not in customers


@pytest.mark.parametrize(
    ("given", "status", "message"),
    [
        ("abc", 422, "incident: expected the number of an incident, such as 12; got 'abc'."),
        ("99999", 404, "There is no incident with the id 99999."),
    ],
)
def test_the_incident_view_refuses_a_bad_incident(client, login, make_user, given, status, message):
    login(client, make_user("viewer"))
    response = client.get(f"/recipients?incident={given}")
    assert response.status_code == status
    assert message in unescape(response.get_data(as_text=True))


def test_the_page_leaves_out_customers_named_only_by_a_hidden_incident(
    client, login, session, make_user, make_incident, facts
):
    from tracker.auth import access

    facts["contracts"] = [{"party": "Acme Corp", "notify_within": "48h"}]
    shown = make_incident(facts)
    facts["contracts"] = [{"party": "Globex", "notify_within": "24h"}]
    hidden = make_incident(facts)
    admin = make_user("administrator")
    access.set_access(session, hidden, True, [], admin)
    session.commit()

    login(client, make_user("viewer"))
    html = client.get("/recipients").get_data(as_text=True)

    customers = text_of(re.search(r'<section id="customers".*?</section>', html, re.S).group(0))
    assert f"Acme Corp 48h {shown.reference}" in customers
    assert "Globex" not in customers
    assert hidden.reference not in html
    assert client.get(f"/recipients?incident={hidden.id}").status_code == 404


def test_a_contract_notice_links_to_its_customer(client, login, make_user, make_incident, facts):
    facts["contracts"] = [{"party": "Acme Corp", "notify_within": "48h"}]
    incident = make_incident(facts)
    login(client, make_user("viewer"))
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    link = r'href="(/obligations/\d+)">Notices and recipient of contract:acme-corp/customer'
    [obligation_url] = re.findall(link, page)
    html = client.get(obligation_url).get_data(as_text=True)
    assert 'href="/recipients#contract-acme-corp"' in html
    assert "For a contract in the facts, its party" in text_of(html)


def test_a_party_notice_links_to_its_entry(client, login, make_user, make_incident, facts):
    incident = make_incident(facts)
    login(client, make_user("viewer"))
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    link = r'href="(/obligations/\d+)">Notices and recipient of us-ca/individuals'
    [obligation_url] = re.findall(link, page)
    assert 'href="/recipients#party-individuals"' in client.get(obligation_url).get_data(
        as_text=True
    )


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
    assert "The supervisory authority of the main establishment acts as lead authority" in html
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
