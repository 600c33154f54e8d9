"""Sample facts, obligations and helpers shared by the report tests."""

from __future__ import annotations

import re
from io import BytesIO

import pypdf

from tracker.report.document import Signatory

FACTS = {
    "format": "incident-facts/1",
    "incident": {
        "title": "Credential stuffing against the customer portal",
        "severity": "SEV-1",
        "category": "security",
    },
    "timezone": "America/New_York",
    "organisation": {"name": "Société Générale d'Exemple", "roles": ["controller"]},
    "events": {
        "discovered_at": "2026-03-05T09:30:00-05:00",
        "aware_at": "2026-03-06T14:00:00-05:00",
    },
    "data": {"categories": ["name", "email"], "records": 15000},
    "affected": {"US-CA": 1200, "DE": 40},
}

GDPR_SA = {
    "key": "gdpr/supervisory_authority",
    "regime": "gdpr",
    "recipient": "supervisory_authority",
    "stage": None,
    "due": "2026-03-09T19:00:00+00:00",
    "due_kind": "fixed",
    "trigger": "aware_at",
    "basis": "72 hours after awareness on 2026-03-06 14:00 EST",
    "citation": "GDPR Art. 33(1)",
    "rule_version": "2018-05-25",
}

CA_INDIVIDUALS = {
    "key": "us-ca/individuals",
    "regime": "us-ca",
    "recipient": "individuals",
    "stage": None,
    "due": None,
    "due_kind": "without_undue_delay",
    "target": "2026-03-08T14:30:00+00:00",
    "trigger": "discovered_at",
    "basis": "in the most expedient time possible and without unreasonable delay",
    "citation": "Cal. Civ. Code § 1798.82(a)",
    "rule_version": "2020-01-01",
}

EVALUATION = {
    "obligations": [GDPR_SA, CA_INDIVIDUALS],
    "not_applicable": [{"regime": "us-tx", "reason": "no affected residents"}],
}

SIGNATORY = Signatory("Zoë Łukasiewicz-Müller", "Data Protection Officer", "Filing with regulator")


def record_for(report):
    """The export record the database would hold for this report."""
    return {
        "id": report.export_id,
        "sha256": report.sha256,
        "facts_sha256": report.facts_sha256,
        "kind": report.kind,
    }


def lookup_for(*reports):
    records = {report.export_id: record_for(report) for report in reports}

    def lookup(export_id, sha256):
        return records.get(export_id)

    return lookup


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, with whitespace collapsed to single spaces."""
    reader = pypdf.PdfReader(BytesIO(pdf))
    # XXX: pypdf interleaves NUL characters when it decodes WeasyPrint's two-byte font
    # codes; the characters themselves are right, so the NULs are dropped here.
    return [re.sub(r"\s+", " ", page.extract_text().replace("\x00", "")) for page in reader.pages]
