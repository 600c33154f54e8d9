"""The annual audit pack holds only the incident reports its maker may see."""

from __future__ import annotations

import io
import json
import zipfile

from tests.auth.test_route_matrix import sign_in, token_of
from tracker.incident.models import Incident


def _pack(response) -> tuple[list[str], dict]:
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return archive.namelist(), json.loads(archive.read("manifest.json"))


def test_a_restricted_incidents_reports_stay_out_of_an_outsiders_pack(client, session, restricted):
    values, member, outsider = restricted
    incident = session.get(Incident, values["incident_id"])
    year = int(incident.reference.split("-")[1])
    report = f"incident-reports/{incident.reference}-incident-{values['export_id']}.pdf"

    sign_in(client, session, outsider)
    names, manifest = _pack(client.get(f"/plan-reports/audit-pack/{year}.zip"))
    assert names == ["manifest.json"]
    assert manifest == {"year": year, "files": [], "withheld_restricted_reports": 1}
    names, manifest = _pack(
        client.get(f"/api/v1/audit-packs/{year}", headers=token_of(session, outsider))
    )
    assert names == ["manifest.json"]
    assert manifest["withheld_restricted_reports"] == 1

    sign_in(client, session, member)
    names, manifest = _pack(client.get(f"/plan-reports/audit-pack/{year}.zip"))
    assert names == [report, "manifest.json"]
    assert manifest["withheld_restricted_reports"] == 0
    assert [entry["file"] for entry in manifest["files"]] == [report]
    names, manifest = _pack(
        client.get(f"/api/v1/audit-packs/{year}", headers=token_of(session, member))
    )
    assert names == [report, "manifest.json"]
