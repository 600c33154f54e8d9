"""Every route that hands out a file sends it as an attachment under a name that cannot break
the header, and tells the browser not to guess its type.

The routes are found from the application's URL map: each GET route is called, as an
administrator, with objects whose stored names carry quotes, line breaks, folders and letters
outside ASCII; an answer that is neither a page nor a JSON document is a download. DOWNLOADS
lists them, so that a new download route fails here until it is named (and checked).
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from tracker.auth.service import create_token
from tracker.incident.models import Incident
from tracker.notice import attachments, calendar, lifecycle
from tracker.notice.models import Obligation
from tracker.plan import calendar as duties
from tracker.plan import reports as plan_reports
from tracker.report import service as report_service

from .auth.test_route_matrix import sign_in, url_for_rule

# A stored name with folders, quotes, a header injection and letters outside ASCII.
NASTY = 'up/..\\"Bericht"\r\nSet-Cookie: x=1 \u00fcber \u20ac.pdf'
# What is left of it: the last part of the path, without control characters and quotes.
SAFE = "Bericht" + "Set-Cookie: x=1 \u00fcber \u20ac.pdf"
NASTY_HEADER = (
    'attachment; filename="BerichtSet-Cookie_ x=1 uber _.pdf"; '
    "filename*=UTF-8''BerichtSet-Cookie%3A%20x%3D1%20%C3%BCber%20%E2%82%AC.pdf"
)
# An incident reference with a quote, a semicolon and a letter outside ASCII (the stored names
# above carry the line breaks and folders, which the calendar's own text could not hold).
REFERENCE = 'INC"-\u00e9;1'

PLAN_REPORT_HEADER = (
    'attachment; filename="plan-report-quarterly-2026-01-01.pdf"; '
    "filename*=UTF-8''plan-report-quarterly-2026-01-01.pdf"
)
AUDIT_PACK_HEADER = (
    "attachment; filename=\"audit-pack-2026.zip\"; filename*=UTF-8''audit-pack-2026.zip"
)

# endpoint: the name its download carries for the objects below (None: generated, checked
# only for its form).
DOWNLOADS = {
    "notice.download": NASTY_HEADER,
    "api.download_attachment": NASTY_HEADER,
    "plan.download_evidence": NASTY_HEADER,
    "api.download_evidence": NASTY_HEADER,
    "incident.download_facts": (
        "attachment; filename=\"facts-INC-e_1.json\"; filename*=UTF-8''facts-INC-%C3%A9%3B1.json"
    ),
    "board.incident_download": (
        'attachment; filename="deadlines-INC-e_1.ics"; '
        "filename*=UTF-8''deadlines-INC-%C3%A9%3B1.ics"
    ),
    "board.incident_feed": (
        'attachment; filename="deadlines-INC-e_1.ics"; '
        "filename*=UTF-8''deadlines-INC-%C3%A9%3B1.ics"
    ),
    "board.user_feed": "attachment; filename=\"deadlines.ics\"; filename*=UTF-8''deadlines.ics",
    "report.download": None,
    "report.api_download": None,
    "plan.plan_report_pdf": PLAN_REPORT_HEADER,
    "api.plan_report_pdf": PLAN_REPORT_HEADER,
    "plan.audit_pack": AUDIT_PACK_HEADER,
    "api.audit_pack": AUDIT_PACK_HEADER,
}
# GET routes whose answer is neither a page nor JSON, and is shown rather than downloaded.
SHOWN = {
    "static": "the stylesheet and scripts of the pages",
    "stats.chart_svg": "a chart drawn inside the analysis page",
}
HEADER = re.compile(
    r"attachment; filename=\"(?P<plain>[A-Za-z0-9 ._()+,=@-]+)\"; "
    r"filename\*=UTF-8''(?P<exact>[A-Za-z0-9!#$&+.^_`|~%-]+)"
)
PAGES = ("text/html", "application/json")


@pytest.fixture
def downloads(app, session, make_user, make_incident):
    """One object of each downloadable kind, with the names above, and the ids that reach them."""
    admin = make_user("administrator")
    incident = make_incident(actor=admin)
    config = _config(app)
    report = report_service.export_report(session, incident, admin, config)
    incident.reference = REFERENCE
    notice = _sent_notice(session, incident, admin)
    proof = attachments.add(
        session,
        notice,
        attachments.Checked(NASTY, "application/pdf", b"%PDF-1.4\n%%EOF\n"),
        admin,
        attachments.folder_of(app.instance_path),
    )
    evidence = _evidence(session, admin, Path(app.instance_path) / "plan-evidence")
    period = plan_reports.generate(session, "quarterly", date(2026, 1, 1), "UTC", config)
    token = calendar.create_feed(session, admin)
    _token, api_token = create_token(session, admin, "test setup", scope="read")
    session.commit()
    values = {
        "incident_id": incident.id,
        "notice_id": notice.id,
        "attachment_id": proof.id,
        "export_id": report.id,
        "evidence_id": evidence.id,
        "report_id": period.id,
        "year": 2026,
        "token": token,
    }
    return admin, {"Authorization": f"Bearer {api_token}"}, values


def _config(app):
    prefix = "TRACKER_"
    return {
        key.removeprefix(prefix): value
        for key, value in app.config.items()
        if key.startswith(prefix)
    }


def _sent_notice(session, incident, admin):
    query = select(Obligation).where(
        Obligation.incident_id == incident.id, Obligation.key == "gdpr/supervisory_authority"
    )
    obligation = session.scalars(query).one()
    return lifecycle.record_notice(
        session, obligation, admin, sent_at=obligation.due_at, channel="portal"
    )


def _evidence(session, admin, folder):
    duty = duties.add_duty(
        session,
        {
            "key": "backup-restore",
            "title": "Backup restore test",
            "cadence": "monthly",
            "first_due_on": "2027-01-31",
            "timezone": "UTC",
            "owner": "ops@example.com",
        },
        admin,
    )
    duties.lay_out(session)
    session.flush()
    evidence = duties.add_evidence(
        session, duty.tasks[0], folder, "log.txt", "text/plain", io.BytesIO(b"restored"), admin
    )
    evidence.filename = NASTY  # as stored by an older version, before names were cleaned
    return evidence


def test_every_download_is_an_attachment_with_a_safe_name(app, client, session, downloads):
    admin, api_headers, values = downloads
    found = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SHOWN:
            continue
        names = re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule.rule)
        if any(name not in values for name in names):
            continue  # a page of an object no download needs, such as a hold
        url = url_for_rule(rule, values)
        if rule.rule.startswith("/api/"):
            response = client.get(url, headers=api_headers)
        else:
            sign_in(client, session, admin)
            response = client.get(url)
        if response.mimetype in PAGES and "Content-Disposition" not in response.headers:
            continue
        found[rule.endpoint] = response

    assert set(found) == set(DOWNLOADS)
    for endpoint, response in found.items():
        header = response.headers["Content-Disposition"]
        match = HEADER.fullmatch(header)
        assert response.status_code == 200, endpoint
        assert match, (endpoint, header)
        exact = unquote(match["exact"])
        assert not re.search(r"[/\\\x00-\x1f\x7f\"]", exact), (endpoint, exact)
        assert response.headers["X-Content-Type-Options"] == "nosniff", endpoint
        if DOWNLOADS[endpoint] is not None:
            assert header == DOWNLOADS[endpoint], endpoint
    assert unquote(HEADER.fullmatch(NASTY_HEADER)["exact"]) == SAFE
    pdf = found["report.download"].headers["Content-Disposition"]
    assert re.fullmatch(
        r"attachment; filename=\"INC-e_1-incident-[0-9a-f]{8}\.pdf\"; "
        r"filename\*=UTF-8''INC-%C3%A9%3B1-incident-[0-9a-f]{8}\.pdf",
        pdf,
    )
    assert found["notice.download"].data == b"%PDF-1.4\n%%EOF\n"
    assert found["plan.download_evidence"].data == b"restored"
    assert found["api.download_evidence"].data == b"restored"
    assert found["api.plan_report_pdf"].data.startswith(b"%PDF-")
    assert found["api.audit_pack"].data.startswith(b"PK")


def test_an_evidence_name_uploaded_through_the_api_is_kept_as_given_and_sent_safely(
    client, session, make_user
):
    admin = make_user("administrator")
    _token, text = create_token(session, admin, "test setup", scope="read-write")
    headers = {"Authorization": f"Bearer {text}"}
    duty = duties.add_duty(
        session,
        {
            "key": "backup-restore",
            "title": "Backup restore test",
            "cadence": "monthly",
            "first_due_on": "2027-01-31",
            "timezone": "UTC",
            "owner": "ops@example.com",
        },
        admin,
    )
    duties.lay_out(session)
    session.commit()
    task_id = duty.tasks[0].id

    response = client.post(
        f"/api/v1/calendar/tasks/{task_id}/evidence",
        query_string={"filename": NASTY},
        data=b"restored",
        content_type="text/plain",
        headers=headers,
    )

    assert response.status_code == 201, response.json
    evidence = response.json["evidence"]
    assert evidence["filename"] == '..\\"Bericht"\r\nSet-Cookie: x=1 \u00fcber \u20ac.pdf'
    by_api = client.get(f"/api/v1/calendar/evidence/{evidence['id']}", headers=headers)
    sign_in(client, session, admin)
    by_page = client.get(f"/calendar/evidence/{evidence['id']}")
    for download in (by_api, by_page):
        assert download.status_code == 200
        assert download.headers["Content-Disposition"] == NASTY_HEADER
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.headers["Cache-Control"] == "private, no-store"
        assert download.data == b"restored"


def test_a_stored_incident_reference_is_what_the_names_are_made_of(session, downloads):
    _admin, _headers, values = downloads
    assert session.get(Incident, values["incident_id"]).reference == REFERENCE
