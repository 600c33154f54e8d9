"""`tracker import maine-ag`: free-text forms read without guessing, every bad row reported."""

from __future__ import annotations

import csv

from sqlalchemy import func, select

from tracker.cli import main
from tracker.importer.models import ImportBatch, ImportRecord
from tracker.incident.models import Incident
from tracker.notice.models import Obligation

from .conftest import MAINE_FILE, real_file, write_csv


def header() -> list[str]:
    with real_file(MAINE_FILE).open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def form(name: str, completed: str, discovered: str, **cells: str) -> dict[str, str]:
    return {
        "Completed Date": completed,
        "Entity Name": name,
        "Date Breach Discovered": discovered,
        "Date(s) Breach Occurred": cells.get("occurred", ""),
        "Date(s) of consumer notification": cells.get("notified", ""),
        "Total number of Maine residents affected": cells.get("residents", "10"),
        "Total number of persons affected (including Maine residents)": cells.get("total", "100"),
        "Health Care": "true",
        "Social Security Number": "True",
    }


def test_whole_file_never_stops_and_sums_up(runner, session):
    result = runner.invoke(main, ["import", "maine-ag", str(real_file(MAINE_FILE))])

    assert result.exit_code == 0, result.output
    batch = session.scalars(select(ImportBatch)).one()
    assert batch.rows == 985
    assert batch.imported + batch.refused == 985
    assert (batch.imported, batch.flagged, batch.refused) == (942, 655, 43)
    assert "985 rows; 942 imported, of which 655 flagged; 43 refused" in result.output
    refused_rows = {p["row"] for p in batch.problems if p["column"] == "Date Breach Discovered"}
    assert len(refused_rows) >= 43
    impossible = [p for p in batch.problems if p["value"] == "June 1, 2929"]
    assert impossible == [
        {
            "row": 219,
            "column": "Date Breach Discovered",
            "value": "June 1, 2929",
            "reason": "impossible date 2929-06-01: after 2020-06-03",
        }
    ]
    assert session.scalar(select(func.count()).select_from(Incident)) == 942

    again = runner.invoke(main, ["import", "maine-ag", str(MAINE_FILE)])
    assert "0 imported" in again.output and "942 already imported" in again.output
    assert session.scalar(select(func.count()).select_from(Incident)) == 942


def test_ranges_flagged_counts_parsed_and_bad_rows_reported(runner, session, tmp_path):
    rows = [
        form(
            "Range Co",
            "9/11/2020 7:59:16 PM",
            "01/15/2020-06/25/2020",
            occurred="Unknown",
            notified="07/11/2020 and 08/03/2020",
            total="Approximately 83,000",
            residents="Approx. 9,200",
        ),
        form("Future Co", "6/3/2020 10:00:00 AM", "June 1, 2929"),
        form("Prose Co", "6/3/2020 10:00:00 AM", "Recently learned - no exact date given"),
        form("Counts Co", "6/3/2020 10:00:00 AM", "May 4, 2020", residents="Unknown"),
    ]
    path = write_csv(tmp_path / "maine.csv", header(), rows)
    result = runner.invoke(main, ["import", "maine-ag", str(path)])

    assert result.exit_code == 0, result.output
    assert "4 rows; 2 imported, of which 2 flagged; 2 refused" in result.output
    assert (
        "row 3, Date Breach Discovered 'June 1, 2929': impossible date 2929-06-01: after 2020-06-03"
    ) in result.output
    assert (
        "row 4, Date Breach Discovered 'Recently learned - no exact date given': prose, not a "
        "date (the words 'recently learned no exact')"
    ) in result.output
    assert "row 5, Total number of Maine residents affected 'Unknown': not a count" in result.output

    records = {r.raw["Entity Name"]: r for r in session.scalars(select(ImportRecord))}
    assert set(records) == {"Range Co", "Counts Co"}
    ranged = records["Range Co"]
    assert "Date Breach Discovered: range or several dates: the earliest was taken" in ranged.flags
    facts = ranged.incident.facts_document
    assert facts["events"]["discovered_at"] == "2020-01-15T00:00:00-05:00"
    assert facts["affected"] == {"US-ME": 9200}
    assert facts["data"] == {"categories": ["ssn"], "records": 83000}
    assert "industry:Health" in facts["incident"]["tags"]

    individuals = session.scalars(
        select(Obligation).where(
            Obligation.incident_id == ranged.incident_id, Obligation.key == "us-me/individuals"
        )
    ).one()
    assert individuals.due_at.isoformat() == "2020-02-15T04:59:59.999999+00:00"
    assert individuals.notices[0].sent_at.isoformat() == "2020-07-12T03:59:59.999999+00:00"
    counts = records["Counts Co"]
    assert counts.incident.facts_document.get("affected") is None
    assert counts.flags[0].startswith("Total number of Maine residents affected: not a count")
