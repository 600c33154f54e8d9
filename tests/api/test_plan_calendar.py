"""Exercises, the compliance calendar, its evidence files and the plan's reports, by the API."""

import hashlib
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.plan import reports
from tracker.plan.models import Duty, DutyTask, ExerciseParticipant, TaskEvidence
from tracker.report.service import read_pdf

READ_ONLY = "This token may only read; changes need a read-write token."
DUTY = {
    "key": "backup-restore",
    "title": "Backup restore test",
    "cadence": "monthly",
    "first_due_on": "2027-01-31",
    "timezone": "Europe/Dublin",
    "owner": "Ops@Example.com",
}


@pytest.fixture
def admin(bearer):
    return bearer("administrator")


@pytest.fixture
def responder(bearer):
    return bearer("responder")


# Exercises.


def test_an_exercise_is_opened_with_its_participants(api, responder, facts, session):
    body = {"facts": facts, "participants": ["Dana Drill <Dana@Example.com>", "lee@example.com"]}

    response = api.post("/api/v1/exercises", json=body, headers=responder)

    assert response.status_code == 201
    exercise = response.json["exercise"]
    assert exercise["title"] == "Credential stuffing"
    assert exercise["participants"] == [
        {"name": "Dana Drill", "email": "dana@example.com"},
        {"name": "", "email": "lee@example.com"},
    ]
    assert response.headers["Location"].endswith(f"/api/v1/incidents/{exercise['id']}")
    listed = api.get("/api/v1/exercises", headers=responder).json["exercises"]
    assert [(item["id"], item["participants"][0]["email"]) for item in listed] == [
        (exercise["id"], "dana@example.com")
    ]
    assert (
        api.get("/api/v1/incidents", headers=responder).json["incidents"][0]["id"]
        == (exercise["id"])
    )


def test_a_real_incident_is_not_an_exercise(api, responder, created):
    assert api.get("/api/v1/exercises", headers=responder).json == {"exercises": []}


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (
            {"participants": []},
            {"participants": "List should have at least 1 item after validation, not 0; got []"},
        ),
        (
            {"participants": ["not an address"]},
            {"participants": "line 1: expected an e-mail address"},
        ),
        (
            {"facts": {"format": "incident-facts/1"}},
            {
                "facts.incident": "this field is required",
                "facts.timezone": "this field is required",
                "facts.events": "this field is required",
            },
        ),
        ({"drill": True}, {"drill": "unknown field; check its spelling against the API document"}),
    ],
)
def test_a_bad_exercise_names_the_field_and_stores_nothing(
    api, responder, facts, session, change, fields
):
    body = {"facts": facts, "participants": ["dana@example.com"], **change}

    response = api.post("/api/v1/exercises", json=body, headers=responder)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == fields
    assert session.scalars(select(ExerciseParticipant)).first() is None


def test_viewers_and_read_tokens_may_not_open_exercises(api, bearer, facts):
    body = {"facts": facts, "participants": ["dana@example.com"]}

    viewer = api.post("/api/v1/exercises", json=body, headers=bearer("viewer"))
    read_only = api.post("/api/v1/exercises", json=body, headers=bearer("responder", "read"))

    assert viewer.status_code == 403
    assert viewer.json["error"]["message"] == "The role viewer may not do this (incident.create)."
    assert read_only.status_code == 403
    assert read_only.json["error"]["message"] == READ_ONLY


# The compliance calendar.


def test_the_calendar_lists_the_plans_duties_and_lays_out_their_tasks(api, bearer, session):
    response = api.get("/api/v1/calendar", headers=bearer("viewer"))

    assert response.status_code == 200
    duties = {duty["key"]: duty for duty in response.json["duties"]}
    assert sorted(duties) == [
        "communication-systems-test",
        "contact-list-update",
        "disaster-recovery-test",
        "escalation-procedure-test",
        "failover-test",
        "full-simulation",
        "plan-review",
        "tabletop-exercise",
    ]
    assert (duties["tabletop-exercise"]["cadence"], duties["tabletop-exercise"]["is_builtin"]) == (
        "quarterly",
        True,
    )
    today, until = (date.fromisoformat(response.json[key]) for key in ("today", "until"))
    assert until - today == timedelta(days=90)
    assert response.json["tasks"], "the plan's duties have tasks within 90 days"
    assert session.scalars(select(DutyTask)).first() is not None


def test_an_administrator_adds_a_duty_and_sets_its_owner(api, admin, session):
    response = api.post("/api/v1/calendar/duties", json=DUTY, headers=admin)

    assert response.status_code == 201
    duty = response.json["duty"]
    assert {key: duty[key] for key in DUTY} == {**DUTY, "owner": "ops@example.com"}
    assert duty["is_builtin"] is False
    dues = session.scalars(
        select(DutyTask.due_on).where(DutyTask.duty_id == duty["id"]).order_by(DutyTask.due_on)
    ).all()
    assert dues[:3] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]

    owner = api.put(
        f"/api/v1/calendar/duties/{duty['id']}/owner",
        json={"owner": "Kim@Example.com"},
        headers=admin,
    )
    assert owner.status_code == 200
    assert owner.json["duty"]["owner"] == "kim@example.com"
    session.rollback()  # a new transaction sees what the request committed
    assert {task.owner for task in session.get(Duty, duty["id"]).tasks} == {"kim@example.com"}
    bad = api.put(
        f"/api/v1/calendar/duties/{duty['id']}/owner", json={"owner": "kim"}, headers=admin
    )
    assert bad.status_code == 422
    assert bad.json["error"]["fields"] == {"owner": "expected an e-mail address"}
    missing = api.put("/api/v1/calendar/duties/999/owner", json={"owner": ""}, headers=admin)
    assert missing.status_code == 404
    assert missing.json["error"]["message"] == "There is no duty with the id 999."


def test_a_duty_is_checked_field_by_field(api, admin, session):
    body = {**DUTY, "key": "Bad Key", "timezone": "Mars/Base"}

    response = api.post("/api/v1/calendar/duties", json=body, headers=admin)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "key": "expected lower-case letters, digits and hyphens; got 'Bad Key'",
        "timezone": "expected an IANA time zone such as Europe/Dublin; got 'Mars/Base'",
    }
    wrong = api.post("/api/v1/calendar/duties", json={**DUTY, "cadence": "weekly"}, headers=admin)
    assert wrong.json["error"]["fields"] == {
        "cadence": "expected one of 'monthly', 'quarterly' or 'annually'; got 'weekly'"
    }
    assert session.scalars(select(Duty).where(Duty.key == "backup-restore")).first() is None


def test_only_administrators_manage_duties(api, bearer):
    counsel = api.post("/api/v1/calendar/duties", json=DUTY, headers=bearer("counsel"))
    read_only = api.post(
        "/api/v1/calendar/duties", json=DUTY, headers=bearer("administrator", "read")
    )

    assert counsel.status_code == 403
    assert counsel.json["error"]["message"] == (
        "The role counsel may not do this (settings.manage)."
    )
    assert read_only.status_code == 403
    assert read_only.json["error"]["message"] == READ_ONLY


@pytest.fixture
def task(api, admin):
    """The first task of a monthly duty added for the test."""
    duty = api.post("/api/v1/calendar/duties", json=DUTY, headers=admin).json["duty"]
    tasks = api.get("/api/v1/calendar", headers=admin).json["tasks"]
    return next(item for item in tasks if item["duty_id"] == duty["id"])


def test_a_task_is_done_once_with_its_evidence(api, responder, task, session):
    url = f"/api/v1/calendar/tasks/{task['id']}"
    assert (task["due_on"], task["title"], task["status"]) == (
        "2027-01-31",
        "Backup restore test",
        "open",
    )

    empty = api.post(f"{url}/complete", json={}, headers=responder)
    assert empty.status_code == 422
    assert empty.json["error"]["fields"] == {"notes": "required unless a file is attached"}

    done = api.post(
        f"{url}/complete",
        json={"notes": "Restored the 1 January backup", "participants": ["Kim", "Lee"]},
        headers=responder,
    )

    assert done.status_code == 200
    record = done.json["task"]
    assert (record["status"], record["notes"], record["participants"]) == (
        "done",
        "Restored the 1 January backup",
        ["Kim", "Lee"],
    )
    assert record["completed_at"].endswith("+00:00")
    assert api.get(url, headers=responder).json["task"] == record
    again = api.post(f"{url}/complete", json={"notes": "Again"}, headers=responder)
    assert again.status_code == 409
    assert again.json["error"]["message"] == "The task was already recorded as done."


def test_a_viewer_may_not_complete_a_task(api, bearer, task):
    url = f"/api/v1/calendar/tasks/{task['id']}/complete"

    viewer = api.post(url, json={"notes": "Done"}, headers=bearer("viewer"))
    read_only = api.post(url, json={"notes": "Done"}, headers=bearer("responder", "read"))

    assert viewer.status_code == 403
    assert read_only.status_code == 403
    assert (
        api.get(f"/api/v1/calendar/tasks/{task['id']}", headers=bearer("viewer")).json["task"][
            "status"
        ]
        == "open"
    )


def test_an_unknown_task_is_not_found(api, responder):
    response = api.get("/api/v1/calendar/tasks/999", headers=responder)

    assert response.status_code == 404
    assert response.json["error"]["message"] == "There is no calendar task with the id 999."


# Evidence files.


def test_an_evidence_file_is_kept_with_its_hash_and_downloaded_safely(
    api, responder, task, session, app
):
    data = b"%PDF-1.7 minutes of the restore test"
    url = f"/api/v1/calendar/tasks/{task['id']}/evidence"

    response = api.post(
        url,
        query_string={"filename": '../../restore "minutes".pdf'},
        data=data,
        content_type="application/pdf",
        headers=responder,
    )

    assert response.status_code == 201
    evidence = response.json["evidence"]
    assert (evidence["filename"], evidence["size"], evidence["content_type"]) == (
        'restore "minutes".pdf',
        len(data),
        "application/pdf",
    )
    assert evidence["sha256"] == hashlib.sha256(data).hexdigest()
    assert response.json["task"]["evidence"] == [evidence]
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "duty_task.evidence"

    download = api.get(evidence["download_url"].removeprefix("http://localhost"), headers=responder)

    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"restore minutes.pdf\"; filename*=UTF-8''restore%20minutes.pdf"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    done = api.post(f"/api/v1/calendar/tasks/{task['id']}/complete", json={}, headers=responder)
    assert done.status_code == 200, "an attached file is evidence enough"


def test_an_evidence_upload_needs_a_name_a_file_and_a_writer(api, bearer, responder, task, session):
    url = f"/api/v1/calendar/tasks/{task['id']}/evidence"

    nameless = api.post(url, data=b"x", content_type="text/plain", headers=responder)
    empty = api.post(
        url,
        query_string={"filename": "a.txt"},
        data=b"",
        content_type="text/plain",
        headers=responder,
    )
    form = api.post(
        url,
        query_string={"filename": "a.txt"},
        data={"file": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data",
        headers=responder,
    )
    viewer = api.post(
        url,
        query_string={"filename": "a.txt"},
        data=b"x",
        content_type="text/plain",
        headers=bearer("viewer"),
    )

    assert nameless.status_code == 422
    assert nameless.json["error"]["fields"] == {"filename": "this field is required"}
    assert empty.status_code == 422
    assert empty.json["error"]["fields"] == {"": "expected the file"}
    assert form.status_code == 415
    assert viewer.status_code == 403
    assert session.scalars(select(TaskEvidence)).first() is None


def test_evidence_files_up_to_the_upload_limit_are_kept_and_larger_ones_refused(
    make_app, bearer, session, tmp_path
):
    api = make_app(MAX_UPLOAD_MB=2).test_client()
    admin, responder = bearer("administrator"), bearer("responder")
    api.post("/api/v1/calendar/duties", json=DUTY, headers=admin)
    task = api.get("/api/v1/calendar", headers=admin).json["tasks"][0]
    url = f"/api/v1/calendar/tasks/{task['id']}/evidence"

    def upload(size):
        return api.post(
            url,
            query_string={"filename": "capture.bin"},
            data=b"x" * size,
            content_type="application/octet-stream",
            headers=responder,
        )

    # More than the 1 MiB of a JSON body, less than the 2 MiB upload limit.
    kept = upload(1536 * 1024)
    refused = upload(2 * 1024 * 1024 + 1)

    assert kept.status_code == 201
    assert kept.json["evidence"]["size"] == 1536 * 1024
    assert refused.status_code == 413
    assert refused.json["error"]["message"] == (
        "The request body is larger than the 2048 KiB this route accepts."
    )
    folder = tmp_path / "instance" / "plan-evidence"
    assert len(list(folder.iterdir())) == 1
    assert len(session.scalars(select(TaskEvidence)).all()) == 1


def test_an_unknown_evidence_file_is_not_found(api, responder):
    response = api.get("/api/v1/calendar/evidence/999", headers=responder)

    assert response.status_code == 404
    assert response.json["error"]["message"] == "There is no evidence file with the id 999."


# The plan's reports and the audit pack.


def _config(app):
    return {
        key.removeprefix("TRACKER_"): value
        for key, value in app.config.items()
        if key.startswith("TRACKER_")
    }


@pytest.fixture
def quarter(app, session):
    report = reports.generate(session, "quarterly", date(2026, 1, 1), "UTC", _config(app))
    session.commit()
    return report


def test_plan_reports_are_listed_and_read_with_their_figures(api, bearer, quarter):
    viewer = bearer("viewer")

    listed = api.get("/api/v1/plan-reports", headers=viewer)
    one = api.get(f"/api/v1/plan-reports/{quarter.id}", headers=viewer)

    assert listed.status_code == 200
    [summary] = listed.json["reports"]
    assert (summary["period"], summary["starts_on"], summary["ends_on"]) == (
        "quarterly",
        "2026-01-01",
        "2026-03-31",
    )
    assert summary["figures"]["incidents"]["opened"] == 0
    assert summary["export_id"] == quarter.export_id
    assert summary["figures"]["notices"] == {"given": 0, "on_time": 0, "late": 0, "rate": None}
    assert one.json["report"]["html"] == quarter.html
    missing = api.get("/api/v1/plan-reports/999", headers=viewer)
    assert missing.status_code == 404
    assert missing.json["error"]["message"] == "There is no plan report with the id 999."


def test_a_plan_report_downloads_as_its_signed_pdf(app, api, bearer, quarter):
    response = api.get(f"/api/v1/plan-reports/{quarter.id}/pdf", headers=bearer("viewer"))

    assert response.status_code == 200
    assert response.data == read_pdf(_config(app), quarter.export)
    record = api.get(f"/api/v1/reports/{quarter.export_id}", headers=bearer("viewer"))
    assert record.json["export"]["sha256"] == hashlib.sha256(response.data).hexdigest()
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="plan-report-quarterly-2026-01-01.pdf"; '
        "filename*=UTF-8''plan-report-quarterly-2026-01-01.pdf"
    )


def test_the_audit_pack_is_for_counsel(api, bearer, quarter):
    viewer = api.get("/api/v1/audit-packs/2026", headers=bearer("viewer"))
    pack = api.get("/api/v1/audit-packs/2026", headers=bearer("counsel"))
    outside = api.get("/api/v1/audit-packs/3000", headers=bearer("counsel"))

    assert viewer.status_code == 403
    assert viewer.json["error"]["message"] == "The role viewer may not do this (report.sign)."
    assert pack.status_code == 200
    assert pack.headers["Content-Disposition"] == (
        "attachment; filename=\"audit-pack-2026.zip\"; filename*=UTF-8''audit-pack-2026.zip"
    )
    with zipfile.ZipFile(io.BytesIO(pack.data)) as archive:
        assert archive.namelist() == ["plan-reports/quarterly-2026-01-01.pdf", "manifest.json"]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["year"] == 2026
    assert outside.status_code == 404
    assert outside.json["error"]["message"] == "The year 3000 is outside 1900 to 2999."
