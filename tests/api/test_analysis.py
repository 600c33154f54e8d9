"""The analysis figures of imported breach records through the API, as `tracker stats --json`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tracker.cli import main
from tracker.importer.models import ImportRecord

from ..importer.conftest import write_csv
from ..importer.test_stats import ROWS
from ..importer.test_washington import HEADER


@pytest.fixture
def imported(runner, tmp_path):
    path = write_csv(tmp_path / "wa.csv", HEADER, ROWS)
    result = runner.invoke(main, ["import", "wa-ago", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_the_figures_are_those_of_tracker_stats_json(api, bearer, runner, imported):
    response = api.get("/api/v1/analysis", headers=bearer("viewer", scope="read"))

    assert response.status_code == 200, response.json
    printed = json.loads(runner.invoke(main, ["stats", "--json"]).output)
    assert response.json == printed
    figures = response.json["sets"][0]
    assert figures["source"] == "wa-ago"
    assert figures["records"] == 6
    assert figures["totals"] == {"on_time": 2, "late": 2, "not_judged": 2, "on_time_share": 0.5}
    assert figures["days_to_notify"] == {
        "count": 5,
        "median": 31,
        "mean": 45.2,
        "p90": 120,
        "max": 120,
    }
    worst = figures["worst_delays"][0]
    assert (worst["days"], worst["days_late"], worst["due_on"]) == (120, 90, "2021-02-03")

    one = api.get("/api/v1/analysis?source=wa-ago", headers=bearer("viewer", scope="read"))
    assert one.json == printed


def test_an_unknown_source_or_parameter_is_refused_by_name(api, bearer, imported):
    viewer = bearer("viewer", scope="read")

    unknown = api.get("/api/v1/analysis?source=maine-ag", headers=viewer)
    misspelt = api.get("/api/v1/analysis?sorce=wa-ago", headers=viewer)

    assert unknown.status_code == 422
    assert unknown.json["error"]["message"] == (
        "No records of the source 'maine-ag' were imported; imported sources: wa-ago."
    )
    assert unknown.json["error"]["fields"] == {"source": "expected an imported source"}
    assert misspelt.status_code == 422
    assert list(misspelt.json["error"]["fields"]) == ["sorce"]


def test_nothing_imported_gives_no_sets_and_a_token_is_needed(api, bearer):
    assert api.get("/api/v1/analysis", headers=bearer("viewer")).json == {"sets": []}
    assert api.get("/api/v1/analysis").status_code == 401


def test_records_of_a_hidden_incident_count_nowhere(api, counsel, bearer, session, imported):
    viewer, administrator = bearer("viewer"), bearer("administrator")
    records = session.scalars(select(ImportRecord)).all()
    [incident_id] = [row.incident_id for row in records if row.raw["Id"] == "4"]
    session.rollback()
    url = f"/api/v1/incidents/{incident_id}/access"
    changed = api.put(url, json={"restricted": True, "members": []}, headers=counsel)
    assert changed.status_code == 200

    outsider = api.get("/api/v1/analysis", headers=viewer).json["sets"][0]
    member = api.get("/api/v1/analysis", headers=administrator).json["sets"][0]

    assert outsider["records"] == 5
    assert outsider["totals"] == {"on_time": 2, "late": 1, "not_judged": 2, "on_time_share": 0.667}
    assert outsider["days_to_notify"]["max"] == 45
    assert member["records"] == 6
