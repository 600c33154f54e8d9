"""`tracker import csv --mapping`: an organisation's own register through a mapping file."""

from __future__ import annotations

from sqlalchemy import select

from tracker.cli import main
from tracker.importer.models import ImportRecord
from tracker.notice.models import Obligation

MAPPING = """
source = "acme-register"
key = "Ref"
timezone = "Europe/London"
date_format = "%d/%m/%Y"
regimes = ["uk-gdpr"]

[columns]
title = "Summary"
discovered_at = "Found"
severity = "Severity"
tags = ["Unit"]
"affected.GB" = "UK people"
"data.categories" = "Data"

[notices]
"uk-gdpr/supervisory_authority" = "ICO notified"

[facts]
organisation = { roles = ["controller"] }
"""

REGISTER = """Ref,Summary,Found,Severity,Unit,UK people,Data,ICO notified
A-1,Lost laptop,05/03/2024,SEV-2,Sales,1200,"name, email",07/03/2024
A-2,Misdirected email,10/03/2024,SEV-3,HR,3,name,
A-3,Bad date,31/02/2024,SEV-3,HR,3,name,
A-4,Bad severity,10/03/2024,SEV-9,HR,3,name,
"""


def files(tmp_path, mapping=MAPPING, register=REGISTER):
    (tmp_path / "map.toml").write_text(mapping, "utf-8")
    (tmp_path / "register.csv").write_text(register, "utf-8")
    return [
        "import",
        "csv",
        str(tmp_path / "register.csv"),
        "--mapping",
        str(tmp_path / "map.toml"),
    ]


def test_register_rows_become_incidents_and_bad_rows_are_refused(runner, session, tmp_path):
    result = runner.invoke(main, files(tmp_path))

    assert result.exit_code == 0, result.output
    assert "4 rows; 2 imported, of which 0 flagged; 2 refused" in result.output
    assert "row 4, facts: Found: '31/02/2024' is not a date as %d/%m/%Y" in result.output
    assert (
        "row 5, facts: The facts are not valid: incident.severity: expected one of 'SEV-1', "
        "'SEV-2', 'SEV-3' or 'SEV-4'; got 'SEV-9'." in result.output
    )

    record = session.scalars(select(ImportRecord).where(ImportRecord.source_key == "A-1")).one()
    assert record.source == "csv:acme-register"
    facts = record.incident.facts_document
    assert facts["events"] == {"discovered_at": "2024-03-05T00:00:00Z"}
    assert facts["affected"] == {"GB": 1200}
    assert facts["data"] == {"categories": ["name", "email"]}
    assert facts["organisation"] == {"roles": ["controller"]}
    assert facts["incident"]["tags"] == ["source:csv:acme-register", "Unit:Sales"]
    obligations = session.scalars(
        select(Obligation).where(Obligation.incident_id == record.incident_id)
    ).all()
    assert {row.regime for row in obligations} == {"uk-gdpr"}
    obligation = next(row for row in obligations if row.key == "uk-gdpr/supervisory_authority")
    assert obligation.due_at.isoformat() == "2024-03-08T00:00:00+00:00"
    assert obligation.notices[0].sent_at.isoformat() == "2024-03-07T23:59:59.999999+00:00"

    again = runner.invoke(main, files(tmp_path))
    assert "0 imported" in again.output and "2 already imported" in again.output


def test_a_mapping_mistake_is_named(runner, tmp_path):
    mapping = MAPPING.replace('severity = "Severity"', 'seververity = "Severity"')
    result = runner.invoke(main, files(tmp_path, mapping=mapping))

    assert result.exit_code == 2
    assert result.output.startswith(
        "error: The mapping map.toml: columns.seververity is not a fact"
    )


def test_a_register_without_a_mapped_column_is_refused(runner, tmp_path):
    register = REGISTER.replace("ICO notified", "Regulator told")
    result = runner.invoke(main, files(tmp_path, register=register))

    assert result.exit_code == 2
    assert result.output == (
        "error: The file register.csv has no column 'ICO notified', which the mapping names.\n"
    )
