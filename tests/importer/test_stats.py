"""`tracker stats` and the analysis page over a small imported Washington set."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tracker.cli import main

from .conftest import write_csv
from .test_washington import HEADER, wa_row

ROWS = [
    # 2019 under the 45-day rule: day 45 is on time.
    wa_row("1", "01/02/2019", "02/16/2019", IndustryType="Health"),
    # 2021 under the 30-day rule: 31 days is late by one day.
    wa_row("2", "03/01/2021", "04/01/2021", IndustryType="Health"),
    wa_row("3", "03/01/2021", "03/11/2021", IndustryType="Finance"),
    # 120 days, 90 days late.
    wa_row("4", "01/04/2021", "05/04/2021", IndustryType="Finance"),
    # No count: no obligation, not judged, but its days still count.
    wa_row("5", "06/01/2021", "06/21/2021", affected="", IndustryType=""),
    # No awareness date: not judged and no days.
    wa_row("6", "", "07/01/2021", IndustryType=""),
]


@pytest.fixture
def imported(runner, tmp_path):
    path = write_csv(tmp_path / "wa.csv", HEADER, ROWS)
    result = runner.invoke(main, ["import", "wa-ago", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_stats_json_gives_the_figures(runner, imported):
    result = runner.invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)["sets"][0]

    assert figures["source"] == "wa-ago"
    assert figures["records"] == 6
    assert figures["totals"] == {"on_time": 2, "late": 2, "not_judged": 2, "on_time_share": 0.5}
    assert figures["by_year"] == [
        {"group": "2019", "on_time": 1, "late": 0, "not_judged": 0, "on_time_share": 1.0,
         "median_days": 45},
        {"group": "2021", "on_time": 1, "late": 2, "not_judged": 2, "on_time_share": 0.333,
         "median_days": 25.5},
    ]  # fmt: skip
    assert [(row["group"], row["on_time"], row["late"]) for row in figures["by_industry"]] == [
        ("Finance", 1, 1),
        ("Health", 1, 1),
        ("Unknown", 0, 0),
    ]
    assert figures["days_to_notify"] == {
        "count": 5,
        "median": 31,
        "mean": 45.2,
        "p90": 120,
        "max": 120,
    }
    assert [row["count"] for row in figures["distribution"]] == [1, 1, 2, 0, 0, 1, 0, 0]
    worst = figures["worst_delays"][0]
    assert (worst["days"], worst["days_late"], worst["due_on"]) == (120, 90, "2021-02-03")


def test_stats_text_and_svg(runner, imported, tmp_path):
    svg = tmp_path / "chart.svg"
    result = runner.invoke(main, ["stats", "--source", "wa-ago", "--svg", str(svg)])

    assert result.exit_code == 0, result.output
    assert "on time 2, late 2, not judged 2 (50.0% on time)" in result.output
    assert "median 31, mean 45.2, 90th percentile 120, longest 120 (5 notices)" in result.output
    root = ET.fromstring(svg.read_text("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    titles = [element.text for element in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "2021: 2 late" in titles
    assert "16-30 days: 1" in titles


def test_stats_of_an_unknown_source_is_refused(runner, imported):
    result = runner.invoke(main, ["stats", "--source", "maine-ag"])

    assert result.exit_code == 2
    assert result.output == (
        "error: No records of the source 'maine-ag' were imported; imported sources: wa-ago.\n"
    )


def test_analysis_page_for_a_viewer(client, make_user, login, imported):
    login(client, make_user("viewer"))

    page = client.get("/analysis")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<strong>2</strong> notices on time, <strong>2</strong> late (50.0% on time)" in text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
    assert "Entity 4" in text

    chart = client.get("/analysis/chart.svg?source=wa-ago")
    assert chart.status_code == 200
    assert chart.mimetype == "image/svg+xml"
    assert client.get("/analysis?source=nothing").status_code == 404


def test_analysis_page_needs_a_sign_in(client, imported):
    response = client.get("/analysis")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_stats_with_nothing_imported_says_so_and_how_to_import(runner):
    result = runner.invoke(main, ["stats"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Nothing has been imported yet, so there are no figures to show.",
        "Import a records file first, then run tracker stats again:",
        "  tracker import wa-ago FILE.csv                  the Washington Attorney General's "
        "records",
        "  tracker import maine-ag FILE.csv                the Maine Attorney General's notices",
        "  tracker import csv FILE.csv --mapping MAP.toml  a register of your own",
    ]
