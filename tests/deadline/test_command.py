"""`tracker deadlines FACTS.json [--json] [--at INSTANT]`."""

import json

import pytest
from click.testing import CliRunner

from tracker.cli import main

from .support import BASE


@pytest.fixture
def facts_file(tmp_path):
    document = {
        **BASE,
        "events": {"aware_at": "2026-03-06T14:00:00-05:00"},
        "affected": {"DE": 40, "US-CA": 600},
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(main, ["deadlines", *map(str, args)])


def test_json_output_is_the_facts_format_document(facts_file):
    result = invoke(facts_file, "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {"obligations", "not_applicable"}
    gdpr = next(o for o in document["obligations"] if o["key"] == "gdpr/supervisory_authority")
    assert gdpr["due"] == "2026-03-09T19:00:00+00:00"
    assert (
        gdpr["basis"]
        == "72 hours after awareness on 2026-03-06 14:00 EST ends 2026-03-09 15:00 EDT"
    )
    assert {"regime": "us-wa", "reason": "no affected residents of US-WA"} in document[
        "not_applicable"
    ]


def test_table_shows_local_and_utc_time_countdown_and_basis(facts_file):
    result = invoke(facts_file, "--at", "2026-03-08T15:00:00-04:00")

    assert result.exit_code == 0, result.output
    assert "gdpr/supervisory_authority  [GDPR Art. 33(1)]" in result.output
    assert "due:    2026-03-09 15:00 EDT  (2026-03-09 19:00 UTC)" in result.output
    assert "status: 1d 00h left" in result.output
    assert "basis:  72 hours after awareness on 2026-03-06 14:00 EST" in result.output
    assert "us-wa: no affected residents of US-WA" in result.output


def test_overdue_is_shown(facts_file):
    result = invoke(facts_file, "--at", "2026-03-09T20:30:00Z")
    assert "status: overdue by 1h 30m" in result.output


def test_at_without_offset_is_refused(facts_file):
    result = invoke(facts_file, "--at", "2026-03-10T09:00:00")

    assert result.exit_code != 0
    assert result.output.strip().startswith(
        "error: --at must be an ISO 8601 instant with an offset"
    )
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59Z", "1899-12-31T23:00:00+00:00"])
def test_at_outside_the_years_the_api_accepts_is_refused(facts_file, at):
    result = invoke(facts_file, "--at", at)

    assert result.exit_code != 0
    assert result.output.strip() == (
        f"error: --at expected an instant in the years 1900 to 2999; got {at!r}."
    )


def test_bad_facts_give_one_line_naming_the_field(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps({**BASE, "timezone": "Mars/Olympus"}), encoding="utf-8")

    result = invoke(path)

    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
    assert "timezone" in result.output and "Mars/Olympus" in result.output


def test_missing_file_is_refused(tmp_path):
    result = invoke(tmp_path / "nothing.json")
    assert result.exit_code != 0
