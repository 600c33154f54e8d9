"""The compliance calendar and the plan's reports through the API.

Duties, their dated tasks, evidence files and the periodic reports belong to the organisation,
not to an incident. Evidence files and PDFs are always sent as downloads under a name made
safe, never rendered by the browser.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session
from ..downloads import send_download
from ..errors import NotFound, ValidationError
from ..plan import calendar
from ..plan import reports as plan_reports
from ..plan.models import Duty, DutyTask, PeriodReport, TaskEvidence
from ..report.views import tracker_config
from . import documents, parse, plan_schemas
from .parse import UnsupportedMediaType
from .views import ID, LARGEST_ID, bp

log = logging.getLogger(__name__)

# A file sent as a form upload is refused: the API takes the file itself as the body.
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


@bp.get("/calendar")
@api_auth(permission="incident.read")
def get_calendar() -> ResponseReturnValue:
    """The duties, and their tasks due in the next 90 days or open and due earlier."""
    session = get_session()
    if calendar.lay_out(session):
        session.commit()
    zone = g.user.timezone or current_app.config.get("TRACKER_DISPLAY_TIMEZONE", "UTC")
    start, end = calendar.upcoming_window(zone)
    return jsonify(
        {
            "today": start.isoformat(),
            "until": end.isoformat(),
            "tasks": [task_document(task) for task in calendar.get_tasks(session, start, end)],
            "duties": [duty_document(duty) for duty in calendar.get_duties(session)],
        }
    )


@bp.post("/calendar/duties")
@api_auth(permission="settings.manage")
def add_duty() -> ResponseReturnValue:
    """Add a duty of the organisation's own; its tasks are laid out at once."""
    given = parse.body(plan_schemas.DutyCreate)
    session = get_session()
    duty = calendar.add_duty(session, given.model_dump(), g.user)
    calendar.lay_out(session)
    session.commit()
    return jsonify({"duty": duty_document(duty)}), 201


@bp.put(f"/calendar/duties/<{ID}:duty_id>/owner")
@api_auth(permission="settings.manage")
def duty_owner(duty_id: int) -> ResponseReturnValue:
    """Give a duty and its open tasks an owner, who receives their reminders."""
    session = get_session()
    duty = _duty(duty_id)
    given = parse.body(plan_schemas.DutyOwner)
    calendar.set_owner(session, duty, given.owner, g.user)
    session.commit()
    return jsonify({"duty": duty_document(duty)})


@bp.get(f"/calendar/tasks/<{ID}:task_id>")
@api_auth(permission="incident.read")
def get_task(task_id: int) -> ResponseReturnValue:
    return jsonify({"task": task_document(_task(task_id))})


@bp.post(f"/calendar/tasks/<{ID}:task_id>/complete")
@api_auth(permission="incident.timeline")
def complete_task(task_id: int) -> ResponseReturnValue:
    """Record a task as done, with its evidence and who took part; its reminders stop."""
    session = get_session()
    task = _task(task_id)
    given = parse.body(plan_schemas.TaskCompletion)
    calendar.complete_task(session, task, given.notes, given.participants, g.user)
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC
    return jsonify({"task": task_document(task)})


@bp.post(f"/calendar/tasks/<{ID}:task_id>/evidence")
@api_auth(permission="incident.timeline")
def add_evidence(task_id: int) -> ResponseReturnValue:
    """Keep the body as a file of evidence for the task, with its SHA-256.

    The body is the file itself, with its own Content-Type; its name is the query's filename.
    Files up to the upload limit (MAX_UPLOAD_MB) are accepted.
    """
    session = get_session()
    task = _task(task_id)
    given = parse.query(plan_schemas.EvidenceQuery)
    if request.mimetype in FORM_TYPES:
        raise UnsupportedMediaType(
            "Send the file itself as the body, with its own Content-Type, not as a form.",
            {"Content-Type": "expected the file's own type, such as application/pdf"},
        )
    is_chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if not request.content_length and not is_chunked:
        raise ValidationError(
            "The body is empty; send the file itself as the body.", {"": "expected the file"}
        )
    request.max_content_length = current_app.config["MAX_CONTENT_LENGTH"]
    evidence = calendar.add_evidence(
        session,
        task,
        calendar.evidence_folder(Path(current_app.instance_path)),
        given.filename,
        request.mimetype or "application/octet-stream",
        request.stream,
        g.user,
    )
    session.commit()
    session.expire_all()
    return jsonify({"evidence": evidence_document(evidence), "task": task_document(task)}), 201


@bp.get(f"/calendar/evidence/<{ID}:evidence_id>")
@api_auth(permission="incident.read")
def download_evidence(evidence_id: int) -> ResponseReturnValue:
    """The stored file, always as a download, never rendered by the browser."""
    if evidence_id > LARGEST_ID:
        raise NotFound(f"There is no evidence file with the id {evidence_id}.")
    evidence = calendar.get_evidence(get_session(), evidence_id)
    path = calendar.evidence_path(Path(current_app.instance_path), evidence)
    return send_download(path, evidence.filename, evidence.content_type)


# The plan's periodic reports and the annual audit pack.


@bp.get("/plan-reports")
@api_auth(permission="incident.read")
def list_plan_reports() -> ResponseReturnValue:
    """The monthly and quarterly reports, newest first."""
    found = plan_reports.get_all(get_session())
    return jsonify({"reports": [report_document(report) for report in found]})


@bp.get(f"/plan-reports/<{ID}:report_id>")
@api_auth(permission="incident.read")
def get_plan_report(report_id: int) -> ResponseReturnValue:
    report = _report(report_id)
    return jsonify({"report": {**report_document(report), "html": report.html}})


@bp.get(f"/plan-reports/<{ID}:report_id>/pdf")
@api_auth(permission="incident.read")
def plan_report_pdf(report_id: int) -> ResponseReturnValue:
    """The report's signed PDF; one kept from before reports were signed is signed now."""
    session = get_session()
    report = _report(report_id)
    pdf = plan_reports.signed_pdf(session, report, tracker_config())
    session.commit()
    return send_download(pdf, plan_reports.pdf_filename(report), "application/pdf")


@bp.get(f"/audit-packs/<{ID}:year>")
@api_auth(permission="report.sign")
def audit_pack(year: int) -> ResponseReturnValue:
    """A zip of the year's signed plan and incident reports, with a manifest."""
    session = get_session()
    body = plan_reports.audit_pack(session, year, tracker_config(), viewer=g.user)
    session.commit()
    return send_download(body, f"audit-pack-{year}.zip", "application/zip")


# Documents.


def duty_document(duty: Duty) -> dict[str, Any]:
    return {
        "id": duty.id,
        "key": duty.key,
        "title": duty.title,
        "description": duty.description or "",
        "cadence": duty.cadence,
        "first_due_on": duty.first_due_on.isoformat(),
        "timezone": duty.timezone,
        "owner": duty.owner or "",
        "is_builtin": bool(duty.is_builtin),
        "is_active": bool(duty.is_active),
        "created_at": documents.iso(duty.created_at),
    }


def task_document(task: DutyTask) -> dict[str, Any]:
    return {
        "id": task.id,
        "duty_id": task.duty_id,
        "duty_key": task.duty.key,
        "title": task.duty.title,
        "due_on": task.due_on.isoformat(),
        "owner": task.owner or "",
        "status": task.status,
        "completed_at": documents.iso(task.completed_at),
        "completed_by_id": task.completed_by_id,
        "notes": task.notes or "",
        "participants": list(task.participants or []),
        "evidence": [evidence_document(item) for item in task.evidence],
    }


def evidence_document(evidence: TaskEvidence) -> dict[str, Any]:
    return {
        "id": evidence.id,
        "task_id": evidence.task_id,
        "filename": evidence.filename,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_at": documents.iso(evidence.uploaded_at),
        "uploaded_by_id": evidence.uploaded_by_id,
        "download_url": url_for("api.download_evidence", evidence_id=evidence.id, _external=True),
    }


def report_document(report: PeriodReport) -> dict[str, Any]:
    return {
        "id": report.id,
        "period": report.period,
        "starts_on": report.starts_on.isoformat(),
        "ends_on": report.ends_on.isoformat(),
        "timezone": report.timezone,
        "generated_at": documents.iso(report.generated_at),
        "figures": dict(report.figures or {}),
        "export_id": report.export_id,
        "pdf_url": url_for("api.plan_report_pdf", report_id=report.id, _external=True),
    }


def _duty(duty_id: int) -> Duty:
    if duty_id > LARGEST_ID:
        raise NotFound(f"There is no duty with the id {duty_id}.")
    return calendar.get_duty(get_session(), duty_id)


def _task(task_id: int) -> DutyTask:
    if task_id > LARGEST_ID:
        raise NotFound(f"There is no calendar task with the id {task_id}.")
    return calendar.get_task(get_session(), task_id)


def _report(report_id: int) -> PeriodReport:
    if report_id > LARGEST_ID:
        raise NotFound(f"There is no plan report with the id {report_id}.")
    return plan_reports.get(get_session(), report_id)
