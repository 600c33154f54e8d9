import json
import os
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from report_samples import EVALUATION, FACTS, page_texts

from tracker.errors import ConfigError
from tracker.report.content import (
    INCIDENT_TEMPLATE,
    SUBMISSION_TEMPLATE,
    incident_context,
    submission_context,
)
from tracker.report.manifest import report_files
from tracker.report.render import RenderError, html_to_pdf, render_html

SNAPSHOTS = Path(__file__).parent / "snapshots"

FIXED = {
    "export_id": "00000000-0000-4000-8000-000000000007",
    "marking": "Privileged & Confidential — Attorney Work Product",
    "attachments": ["facts.json", "obligations.json", "report.json"],
    "signature": {
        "name": "Zoë Łukasiewicz-Müller",
        "role": "Data Protection Officer",
        "reason": "Filing with regulator",
        "signed_at": datetime(2026, 3, 9, 12, 0, tzinfo=UTC),
        "certificate": "Common Name: Example report signing",
        "fingerprint": "AB:CD",
        "is_self_signed": True,
    },
}


def check_snapshot(name: str, html: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("TRACKER_UPDATE_SNAPSHOTS"):
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8")


def test_incident_report_html_matches_snapshot():
    context = incident_context(
        "INC-7",
        FACTS,
        EVALUATION,
        timeline=[
            {"at": "2026-03-05T14:30:00+00:00", "text": "SIEM alert raised", "actor": "José"}
        ],
        audit=[{"at": "2026-03-05T15:00:00+00:00", "actor": "j.doe", "action": "create"}],
        notices=[
            {
                "key": "us-ca/individuals",
                "sent_at": "2026-03-08T15:00:00+00:00",
                "channel": "mail",
                "reference": "LTR-1",
            }
        ],
    )
    check_snapshot("incident.html", render_html(INCIDENT_TEMPLATE, {**context, **FIXED}))


def test_gdpr_submission_html_matches_snapshot():
    context = submission_context("INC-7", FACTS, EVALUATION["obligations"][0])
    html = render_html(SUBMISSION_TEMPLATE, {**context, **FIXED})
    assert "GDPR Article 33" in html
    check_snapshot("submission-gdpr.html", html)


CA_AG = {
    "key": "us-ca/attorney_general",
    "regime": "us-ca",
    "recipient": "attorney_general",
    "stage": None,
    "due": None,
    "due_kind": "without_undue_delay",
    "trigger": "discovered_at",
    "basis": "when more than 500 California residents are notified",
    "citation": "Cal. Civ. Code § 1798.82(f)",
    "rule_version": "2020-01-01",
}

HHS = {
    "key": "hipaa/hhs",
    "regime": "hipaa",
    "recipient": "hhs",
    "stage": None,
    "due": "2026-05-04T03:59:59+00:00",
    "due_kind": "fixed",
    "trigger": "discovered_at",
    "basis": "60 calendar days after discovery on 2026-03-05 ends 2026-05-03 23:59 EDT",
    "citation": "45 CFR 164.408(b)",
    "rule_version": "2009-09-23",
}


def test_state_attorney_general_submission_counts_the_state_residents():
    facts = {
        **FACTS,
        "incident": {**FACTS["incident"], "cause": "external_attack"},
        "notices": {"us-ca/individuals": "2026-03-08T15:00:00+00:00"},
    }
    html = render_html(SUBMISSION_TEMPLATE, {**submission_context("INC-7", facts, CA_AG), **FIXED})
    assert "Notice of a security breach to the attorney general of US-CA" in html
    assert "<th>Residents of US-CA affected</th><td>1200</td>" in html
    assert "<th>Individuals affected in total</th><td>1240</td>" in html
    assert "<th>Cause</th><td>hacking or IT incident (external attack)</td>" in html
    assert "<td>us-ca/individuals</td><td>2026-03-08 11:00 EDT</td>" in html
    check_snapshot("submission-state-ag.html", html)


def test_hhs_submission_carries_the_breach_report_content():
    facts = {**FACTS, "organisation": {"name": "Clinic", "roles": ["covered_entity"]}}
    html = render_html(SUBMISSION_TEMPLATE, {**submission_context("INC-7", facts, HHS), **FIXED})
    assert "report to the Secretary (45 CFR 164.408)" in html
    assert "<th>Type of breach</th><td>not stated</td>" in html
    assert "<th>Safeguards in place before the breach</th><td>not encrypted</td>" in html
    assert "No notice has been recorded as given yet." in html
    assert "2026-05-03 23:59 EDT" in html
    check_snapshot("submission-hhs.html", html)


def test_other_obligations_get_the_generic_submission():
    context = submission_context("INC-7", FACTS, EVALUATION["obligations"][1])
    html = render_html(SUBMISSION_TEMPLATE, {**context, **FIXED})
    assert "Notice of a security incident" in html
    assert "GDPR Article 33" not in html


def test_optional_sections_appear_only_with_records():
    without = render_html(
        INCIDENT_TEMPLATE, {**incident_context("INC-7", FACTS, EVALUATION), **FIXED}
    )
    holds = [{"name": "Portal hold", "status": "issued", "issued_at": "2026-03-07T10:00:00+00:00"}]
    with_holds = render_html(
        INCIDENT_TEMPLATE, {**incident_context("INC-7", FACTS, EVALUATION, holds=holds), **FIXED}
    )
    assert "Legal holds" not in without
    assert "Notice log" not in without
    assert "Portal hold" in with_holds


def test_obligations_are_listed_by_due_date_undated_last():
    late = {**EVALUATION["obligations"][0], "key": "x/late", "due": "2026-04-01T00:00:00+00:00"}
    undated = {**EVALUATION["obligations"][0], "key": "x/none", "due": None}
    evaluation = {"obligations": [late, undated, EVALUATION["obligations"][0]]}
    context = incident_context("INC-7", FACTS, evaluation)
    assert [item["key"] for item in context["obligations"]] == [
        "gdpr/supervisory_authority",
        "x/late",
        "x/none",
    ]


@pytest.mark.parametrize(("paper", "size"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_paper_size_follows_the_setting(paper, size):
    pdf = html_to_pdf("<p>Hello</p>", paper=paper)
    box = pypdf.PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_unknown_paper_is_refused_by_name():
    with pytest.raises(ConfigError, match="A4 or Letter, not 'A5'"):
        html_to_pdf("<p>Hello</p>", paper="A5")


@pytest.mark.parametrize(
    "href",
    ["http://127.0.0.1:9/style.css", "https://example.org/style.css", "file:///etc/passwd"],
)
def test_resources_outside_the_templates_folder_are_refused(href):
    html = f'<link rel="stylesheet" href="{href}"><p>Hello</p>'
    with pytest.raises(RenderError, match="not local|outside the templates folder"):
        html_to_pdf(html)


def test_attachments_carry_the_facts_and_obligations():
    files = report_files(FACTS, EVALUATION, {"export_id": "e-1"})
    pdf = html_to_pdf("<p>Data</p>", attachments=files)
    attached = pypdf.PdfReader(BytesIO(pdf)).attachments
    assert json.loads(attached["facts.json"][0]) == FACTS
    assert json.loads(attached["obligations.json"][0]) == EVALUATION
    assert json.loads(attached["report.json"][0])["export_id"] == "e-1"


def test_pages_show_dates_in_the_incident_zone_and_names(report):
    text = " ".join(page_texts(report.pdf))
    # 19:00 UTC on 9 March 2026 is 15:00 in New York, after the switch to daylight time.
    assert "2026-03-09 15:00 EDT" in text
    assert "2026-03-09 19:00 UTC" in text
    assert "2026-03-05 09:30 EST" in text
    assert "Zoë Łukasiewicz-Müller" in text
    assert "Société Générale d'Exemple" in text
    assert "policy target 2026-03-08 10:30 EDT (policy, not law)" in text


def test_every_page_counts_and_carries_the_header(long_report):
    pages = page_texts(long_report.pdf)
    assert len(pages) >= 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "INC-1234" in text
        assert "Privileged & Confidential — Attorney Work Product" in text


def test_obligation_table_header_repeats_on_each_page_it_spans(long_report):
    pages = page_texts(long_report.pdf)
    spanned = [text for text in pages if "contract:party-" in text]
    assert len(spanned) >= 3
    for text in spanned:
        assert "Obligation Due Basis Citation Rule version" in text


def test_signed_report_embeds_the_facts(report):
    attached = pypdf.PdfReader(BytesIO(report.pdf)).attachments
    assert json.loads(attached["facts.json"][0]) == FACTS
    assert json.loads(attached["report.json"][0])["facts_sha256"] == report.facts_sha256
