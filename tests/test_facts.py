import json
from pathlib import Path

import pytest

from tracker.errors import FactsError
from tracker.facts import parse_facts

EXAMPLE = {
    "format": "incident-facts/1",
    "incident": {"title": "Credential stuffing", "severity": "SEV-1", "category": "security"},
    "timezone": "America/New_York",
    "organisation": {"roles": ["controller"], "main_establishment": "IE"},
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "data": {"categories": ["name", "ssn"], "records": 15000},
    "affected": {"US-CA": 1200, "DE": 40},
}


def test_round_trip_keeps_exactly_what_was_given():
    facts = parse_facts(json.dumps(EXAMPLE))
    assert facts.to_document() == EXAMPLE


def test_only_discovery_given_stands_for_awareness():
    facts = parse_facts(EXAMPLE)
    assert facts.event("aware_at").isoformat() == "2026-03-05T09:30:00-05:00"


@pytest.mark.parametrize(
    ("change", "field", "phrase"),
    [
        ({"events": {"discovered_at": "2026-03-05T09:30"}}, "events.discovered_at", "no offset"),
        ({"events": {"discovered_at": "yesterday"}}, "events.discovered_at", "ISO 8601"),
        ({"events": {}}, "", "discovered_at or aware_at"),
        ({"timezone": "Mars/Olympus"}, "timezone", "IANA time zone"),
        ({"timezone": "Factory"}, "timezone", "IANA time zone"),
        ({"timezone": "localtime"}, "timezone", "IANA time zone"),
        ({"affected": {"US-ZZ": 3}}, "affected.US-ZZ", "ISO 3166"),
        ({"affected": {"US-CA": -1}}, "affected.US-CA", "0 or more"),
        ({"affected": {"US-CA": 1.5}}, "affected.US-CA", "whole number"),
        ({"colour": "red"}, "colour", "unknown key"),
        ({"incident": {}}, "incident.title", "required"),
        ({"payment_brands": ["diners"]}, "payment_brands.0", "expected one of"),
        (
            {"contracts": [{"party": "Acme", "notify_within": "0d"}]},
            "contracts.0.notify_within",
            "1 to 9999 units",
        ),
        (
            {"contracts": [{"party": "Acme", "notify_within": "10000h"}]},
            "contracts.0.notify_within",
            "1 to 9999 units",
        ),
    ],
)
def test_bad_facts_name_the_field(change, field, phrase):
    document = {**EXAMPLE, **change}
    with pytest.raises(FactsError) as caught:
        parse_facts(document)
    assert phrase in caught.value.fields[field]


def test_shared_example_parses():
    text = Path(__file__).resolve().parents[2] / "shared" / "facts-format.md"
    if not text.exists():
        pytest.skip("the shared facts-format document is not beside this checkout")
    example = text.read_text().split("```json")[1].split("```")[0]
    assert parse_facts(example).to_document() == json.loads(example)
