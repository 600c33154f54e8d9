"""Every letter of the catalogue: its declared content, the headings the law requires, and its
rendering checked against a stored snapshot (TRACKER_UPDATE_SNAPSHOTS=1 rewrites them)."""

import os
import re
from pathlib import Path

import pytest
from markupsafe import escape

from tracker.deadline.rulebook import load_rulebook
from tracker.notice import letters

SNAPSHOTS = Path(__file__).parent / "snapshots"
LETTER_IDS = [
    "gdpr-art33",
    "gdpr-art34",
    "us-ca-individuals",
    "hipaa-individuals",
    "hhs-report",
    "customer-contract",
    "generic",
]


def check_snapshot(name, html):
    path = SNAPSHOTS / name
    if os.environ.get("TRACKER_UPDATE_SNAPSHOTS"):
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8")


def filled(letter):
    """Content with a distinct, multi-line text in every field."""
    return {field.name: f"{field.label}.\nSecond line of {field.name}." for field in letter.fields}


def render(app, letter, content, **context):
    with app.test_request_context():
        return letters.render(letter, content, **context)


def headings(html):
    return [
        re.sub(r"<[^>]+>", "", heading)
        for heading in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html)
    ]


def test_the_catalogue_holds_every_letter_and_generic_comes_last():
    assert [letter.id for letter in letters.catalogue()] == LETTER_IDS
    assert letters.catalogue()[-1].fits == ("*",)


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_each_letter_declares_required_content(letter_id):
    letter = letters.get_letter(letter_id)
    assert letter.required, f"{letter_id} declares no required content"
    assert len(set(letter.names)) == len(letter.names)


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_a_filled_letter_matches_its_snapshot(app, letter_id):
    letter = letters.get_letter(letter_id)
    html = render(app, letter, filled(letter), phase="", citation="Example Act s. 1")
    for field in letter.fields:
        assert f"Second line of {field.name}." in html, f"{field.name} is not rendered"
    assert "letter__missing" not in html
    check_snapshot(f"{letter_id}.html", html)


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_an_empty_letter_marks_each_required_gap(app, letter_id):
    letter = letters.get_letter(letter_id)
    html = render(app, letter, {}, phase="", citation="")
    for field in letter.required:
        assert escape(field.label) in html, f"no gap shown for {field.name}"
    check_snapshot(f"{letter_id}-empty.html", html)


def test_the_california_notice_has_the_statutory_title_and_headings_in_order(app):
    letter = letters.get_letter("us-ca-individuals")
    html = render(app, letter, filled(letter))
    # Cal. Civ. Code 1798.82(d)(1): titled "Notice of Data Breach", these headings in this order.
    assert headings(html) == [
        "Notice of Data Breach",
        "What Happened",
        "What Information Was Involved",
        "What We Are Doing",
        "What You Can Do",
        "For More Information",
    ]


def test_the_gdpr_art33_letter_covers_art33_3(app):
    letter = letters.get_letter("gdpr-art33")
    required = {field.name for field in letter.required}
    assert {
        "nature",
        "subject_categories",
        "subject_count",
        "record_categories",
        "record_count",
        "dpo_contact",
        "consequences",
        "measures",
    } <= required


def test_the_hipaa_notice_covers_164_404_c(app):
    required = {field.name for field in letters.get_letter("hipaa-individuals").required}
    assert {
        "what_happened",
        "breach_date",
        "discovery_date",
        "phi_types",
        "steps_to_take",
        "what_we_are_doing",
        "contact",
    } <= required


@pytest.mark.parametrize(
    ("key", "letter_id"),
    [
        ("gdpr/supervisory_authority", "gdpr-art33"),
        ("uk-gdpr/supervisory_authority", "gdpr-art33"),
        ("gdpr/individuals", "gdpr-art34"),
        ("us-ca/individuals", "us-ca-individuals"),
        ("hipaa/individuals", "hipaa-individuals"),
        ("hipaa/hhs", "hhs-report"),
        ("hipaa/hhs/annual_log", "hhs-report"),
        ("contract:acme-corp/customer", "customer-contract"),
        ("nis2/csirt/early_warning", "generic"),
        ("us-tx/attorney_general", "generic"),
    ],
)
def test_each_obligation_gets_its_letter(key, letter_id):
    assert letters.letter_for(key).id == letter_id


def test_every_obligation_of_the_rulebook_has_a_letter():
    for key in load_rulebook().keys:
        assert letters.letter_for(key).id in LETTER_IDS


def test_the_count_a_letter_is_prefilled_with_is_of_the_places_under_its_law(facts):
    from tracker.facts import parse_facts

    facts["affected"] = {"US": 43_200, "US-CA": 1_200, "US-NY": 300, "DE": 150, "FR": 45}
    parsed = parse_facts(facts)
    letter = letters.get_letter("hhs-report")

    def count(key):
        return letters.prefill(letter, parsed, key).get("individuals")

    assert count("gdpr/supervisory_authority") == "195"
    assert count("us-ca/individuals") == "1200"
    assert count("hipaa/hhs") == "43200"
    assert count("contract:acme/customer") == "43395"
