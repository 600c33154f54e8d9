"""The response plan's pages: an incident's playbook checklist, the playbooks, closure override.

Every route checks its permission; every change runs through a service in one transaction,
committed here or rolled back whole, so that an error stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..auth.permissions import require_permission
from ..db import get_session, now_utc
from ..downloads import send_download
from ..errors import NotFound, TrackerError, ValidationError
from ..incident import service as incident_service
from ..incident.forms import LocalTimeError, first_facts, parse_local
from ..incident.models import Incident
from ..incident.views import viewer_zone
from . import calendar as plan_calendar
from . import exercise, postmortem, service
from . import reports as plan_report_service
from .forms import ExerciseForm
from .models import ACTION_STATUSES, CADENCES, PRIORITIES
from .playbooks import SECTION_LABELS, shipped_playbooks

log = logging.getLogger(__name__)

bp = Blueprint("plan", __name__)


def init_app(app: Flask) -> None:
    """Register the plan's pages, their navigation entries and the incident-page helpers."""
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "plan.playbooks", "Playbooks")
    add_nav(app, "plan.overdue", "Overdue actions")
    add_nav(app, "plan.exercises", "Exercises")
    add_nav(app, "plan.calendar_page", "Calendar")
    add_nav(app, "plan.plan_reports", "Plan reports")
    app.jinja_env.globals["plan_checklist"] = _checklist_for


def _checklist_for(incident: Incident) -> dict[str, Any]:
    """What the incident page shows of the plan: the checklist and its progress."""
    checklist = service.get_checklist(get_session(), incident)
    return {
        "checklist": checklist,
        "progress": None if checklist is None else service.progress(checklist),
        "sections": SECTION_LABELS,
    }


def _incident(incident_id: int) -> Incident:
    return incident_service.get(get_session(), incident_id)


def _back(incident: Incident, anchor: str = "playbook") -> ResponseReturnValue:
    return redirect(url_for("incident.show", incident_id=incident.id, _anchor=anchor))


def _done(message: str) -> None:
    """Commit the request's work and say so; the caller has already caught refusals."""
    get_session().commit()
    flash(message, "success")


def _attempt(change: Callable[[], str], back: ResponseReturnValue) -> ResponseReturnValue:
    """Make a change and say what was done, or roll it back and say why it was refused.

    An object that is not the incident's (a step of another incident) answers 404, as an
    unknown id does everywhere, so that nothing tells it apart from one that does not exist.
    """
    try:
        message = change()
    except NotFound:
        get_session().rollback()
        raise
    except TrackerError as exc:
        get_session().rollback()
        flash(exc.message, "error")
        return back
    _done(message)
    return back


# The checklist of an incident.


@bp.post("/incidents/<int:incident_id>/checklist/<int:item_id>/tick")
@require_permission("incident.timeline")
def tick(incident_id: int, item_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)

    def tick_item() -> str:
        item = service.get_item(get_session(), incident, item_id)
        service.tick(get_session(), item, current_user, request.form.get("note", ""))
        return f"Step done: {item.text}."

    return _attempt(tick_item, _back(incident))


@bp.post("/incidents/<int:incident_id>/checklist/<int:item_id>/untick")
@require_permission("incident.timeline")
def untick(incident_id: int, item_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)

    def reopen_item() -> str:
        item = service.get_item(get_session(), incident, item_id)
        service.untick(get_session(), item, current_user, request.form.get("reason", ""))
        return f"Step reopened: {item.text}."

    return _attempt(reopen_item, _back(incident))


@bp.post("/incidents/<int:incident_id>/resolve-with-open-criteria")
@require_permission("incident.close_override")
def resolve_override(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    reason = request.form.get("reason", "").strip()
    db = get_session()
    if not reason:
        flash("Give the reason for resolving with closure criteria open.", "error")
        return _back(incident)
    try:
        incident_service.change_status(
            db, incident, "resolved", current_user, note=reason, closure_override=reason
        )
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return _back(incident)
    _done("Resolved with closure criteria open; the reason is recorded.")
    return _back(incident, "status")


# The playbooks and their administrators' edits.


@bp.get("/playbooks")
@require_permission("incident.read")
def playbooks() -> ResponseReturnValue:
    db = get_session()
    shipped = shipped_playbooks()
    current = service.get_playbooks(db)
    return render_template(
        "plan/playbooks.html", playbooks=current, shipped=shipped, sections=SECTION_LABELS
    )


@bp.route("/playbooks/<playbook_id>/edit", methods=["GET", "POST"])
@require_permission("settings.manage")
def edit_playbook(playbook_id: str) -> ResponseReturnValue:
    db = get_session()
    playbook = service.get_playbook(db, playbook_id)
    if request.method == "GET":
        return _render_edit(playbook_id, playbook.text, {})

    text = request.form.get("text", "")
    try:
        service.save_playbook(db, playbook_id, text, current_user)
    except TrackerError as exc:
        db.rollback()
        return _render_edit(playbook_id, text, exc.fields or {"": exc.message}, exc.message, 422)
    db.commit()

    flash(
        f"Playbook {playbook_id} saved; incidents opened from now on get this version.", "success"
    )
    return redirect(url_for("plan.playbooks", _anchor=f"playbook-{playbook_id}"))


def _render_edit(
    playbook_id: str,
    text: str,
    errors: dict[str, str],
    message: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    context = {
        "playbook_id": playbook_id,
        "text": text,
        "errors": errors,
        "message": message,
        "is_edited": service.get_playbook(get_session(), playbook_id).origin == "database",
    }
    return render_template("plan/playbook_edit.html", **context), status


@bp.post("/playbooks/<playbook_id>/reset")
@require_permission("settings.manage")
def reset_playbook(playbook_id: str) -> ResponseReturnValue:
    db = get_session()
    service.get_playbook(db, playbook_id)
    service.reset_playbook(db, playbook_id, current_user)
    db.commit()
    flash(f"Playbook {playbook_id} is the shipped file again.", "success")
    return redirect(url_for("plan.playbooks", _anchor=f"playbook-{playbook_id}"))


# The post-mortem and its actions.


@bp.get("/incidents/<int:incident_id>/post-mortem")
@require_permission("incident.read")
def post_mortem(incident_id: int) -> ResponseReturnValue:
    return _render_post_mortem(_incident(incident_id))


def _render_post_mortem(
    incident: Incident, status: int = 200, errors: dict[str, str] | None = None, **given: Any
) -> ResponseReturnValue:
    db = get_session()
    context = {
        "incident": incident,
        "post_mortem": postmortem.get_post_mortem(db, incident),
        "obligation": postmortem.get_obligation(db, incident),
        "agenda": postmortem.AGENDA,
        "priorities": PRIORITIES,
        "action_statuses": ACTION_STATUSES,
        "now": now_utc(),
        "is_overdue": postmortem.is_overdue,
        "errors": errors or {},
        "given": given,
    }
    return render_template("plan/post_mortem.html", **context), status


@bp.post("/incidents/<int:incident_id>/post-mortem")
@require_permission("incident.timeline")
def open_post_mortem(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)

    def open_record() -> str:
        postmortem.open_post_mortem(get_session(), incident, current_user)
        return "Post-mortem opened."

    return _attempt(open_record, redirect(url_for("plan.post_mortem", incident_id=incident.id)))


def _existing_post_mortem(incident: Incident) -> Any:
    return postmortem.get_existing(get_session(), incident)


@bp.post("/incidents/<int:incident_id>/post-mortem/agenda")
@require_permission("incident.timeline")
def save_agenda(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    record = _existing_post_mortem(incident)
    changes = {name: request.form.get(name, "") for name in postmortem.AGENDA}
    db = get_session()
    try:
        changed = postmortem.update_agenda(db, record, changes, current_user)
    except TrackerError as exc:
        db.rollback()
        return _render_post_mortem(_incident(incident_id), 422, exc.fields)
    _done("Post-mortem saved." if changed else "The post-mortem is unchanged.")
    return redirect(url_for("plan.post_mortem", incident_id=incident.id, _anchor="agenda"))


@bp.post("/incidents/<int:incident_id>/post-mortem/whys/<int:position>")
@require_permission("incident.timeline")
def answer_why(incident_id: int, position: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    record = _existing_post_mortem(incident)
    db = get_session()
    try:
        postmortem.answer_why(
            db,
            record,
            position,
            request.form.get("question", ""),
            request.form.get("answer", ""),
            current_user,
        )
    except TrackerError as exc:
        db.rollback()
        return _render_post_mortem(_incident(incident_id), exc.status_code, exc.fields)
    _done(f"Why {position} recorded.")
    return redirect(url_for("plan.post_mortem", incident_id=incident.id, _anchor="whys"))


@bp.post("/incidents/<int:incident_id>/post-mortem/complete")
@require_permission("incident.timeline")
def complete_post_mortem(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    record = _existing_post_mortem(incident)

    def complete_record() -> str:
        postmortem.complete(get_session(), record, current_user)
        return "Post-mortem completed."

    return _attempt(complete_record, redirect(url_for("plan.post_mortem", incident_id=incident.id)))


@bp.post("/incidents/<int:incident_id>/post-mortem/actions")
@require_permission("incident.timeline")
def add_action(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    record = _existing_post_mortem(incident)
    values = {
        name: request.form.get(name, "")
        for name in ("description", "owner", "priority", "due_on", "success_measure")
    }
    db = get_session()
    try:
        postmortem.add_action(db, record, values, current_user)
    except TrackerError as exc:
        db.rollback()
        return _render_post_mortem(_incident(incident_id), 422, exc.fields, **values)
    _done("Action added; its owner will be reminded before and after its due date.")
    return redirect(url_for("plan.post_mortem", incident_id=incident.id, _anchor="actions"))


@bp.post("/actions/<int:action_id>/status")
@require_permission("incident.timeline")
def action_status(action_id: int) -> ResponseReturnValue:
    db = get_session()
    action = postmortem.get_action(db, action_id)
    target = url_for("plan.post_mortem", incident_id=action.incident_id, _anchor="actions")
    try:
        postmortem.set_action_status(db, action, request.form.get("status", ""), current_user)
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(target)
    _done(f"Action {action.id} is now {action.status.replace('_', ' ')}.")
    if request.form.get("next") == "overdue":
        return redirect(url_for("plan.overdue"))
    return redirect(target)


@bp.post("/incidents/<int:incident_id>/post-mortem/report")
@require_permission("report.sign")
def post_mortem_report(incident_id: int) -> ResponseReturnValue:
    from ..report import service as report_service
    from ..report.views import tracker_config

    incident = _incident(incident_id)
    db = get_session()
    try:
        record = report_service.export_report(
            db,
            incident,
            current_user,
            tracker_config(),
            kind="post_mortem",
            reason=postmortem.REPORT_REASON,
        )
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("plan.post_mortem", incident_id=incident.id))
    _done(f"Post-mortem report {record.id} was signed and recorded.")
    return redirect(url_for("report.download", export_id=record.id))


@bp.get("/actions/overdue")
@require_permission("incident.read")
def overdue() -> ResponseReturnValue:
    now = now_utc()
    db = get_session()
    actions = postmortem.overdue_actions(db, now, viewer=current_user)
    return render_template("plan/overdue.html", actions=actions, now=now)


# Exercises.


@bp.get("/exercises")
@require_permission("incident.read")
def exercises() -> ResponseReturnValue:
    db = get_session()
    shown = exercise.get_exercises(db, current_user)
    return render_template("plan/exercises.html", incidents=shown)


@bp.route("/exercises/new", methods=["GET", "POST"])
@require_permission("incident.create")
def new_exercise() -> ResponseReturnValue:
    form = ExerciseForm()
    if request.method == "GET":
        form.timezone.data = viewer_zone()
    if not form.validate_on_submit():
        return render_template("plan/exercise_new.html", form=form), 400 if form.errors else 200

    try:
        discovered_at = parse_local(form.discovered_local.data or "", form.timezone.data or "")
    except LocalTimeError as exc:
        target = form.timezone if exc.field == "zone" else form.discovered_local
        target.errors = [*target.errors, exc.message]
        return render_template("plan/exercise_new.html", form=form), 400

    db = get_session()
    try:
        people = exercise.parse_participants(form.participants.data or "")
        incident = exercise.start_exercise(
            db, first_facts(form, discovered_at), people, current_user
        )
    except TrackerError as exc:
        db.rollback()
        for path, message in (exc.fields or {"": exc.message}).items():
            target = {"participants": form.participants, "timezone": form.timezone}.get(
                path, form.title
            )
            target.errors = [*target.errors, message]
        return render_template("plan/exercise_new.html", form=form), 400
    db.commit()

    flash(
        f"Exercise {incident.reference} opened. Its mail goes to its participants only.", "success"
    )
    return redirect(url_for("incident.show", incident_id=incident.id))


# The compliance calendar.


def _evidence_folder() -> Path:
    return plan_calendar.evidence_folder(Path(current_app.instance_path))


@bp.get("/calendar")
@require_permission("incident.read")
def calendar_page() -> ResponseReturnValue:
    db = get_session()
    if plan_calendar.lay_out(db):
        db.commit()
    start, end = plan_calendar.upcoming_window(viewer_zone())
    context = {
        "tasks": plan_calendar.get_tasks(db, start, end),
        "duties": plan_calendar.get_duties(db),
        "today": start,
        "cadences": CADENCES,
        "errors": {},
        "given": {},
    }
    return render_template("plan/calendar.html", **context)


@bp.post("/calendar/duties")
@require_permission("settings.manage")
def add_duty() -> ResponseReturnValue:
    db = get_session()
    fields = ("key", "title", "description", "cadence", "first_due_on", "timezone", "owner")
    values = {name: request.form.get(name, "") for name in fields}
    try:
        duty = plan_calendar.add_duty(db, values, current_user)
        plan_calendar.lay_out(db)
    except TrackerError as exc:
        db.rollback()
        start, end = plan_calendar.upcoming_window(viewer_zone())
        context = {
            "tasks": plan_calendar.get_tasks(db, start, end),
            "duties": plan_calendar.get_duties(db),
            "today": start,
            "cadences": CADENCES,
            "errors": exc.fields,
            "given": values,
        }
        return render_template("plan/calendar.html", **context), 422
    _done(f"Duty {duty.title} added to the calendar.")
    return redirect(url_for("plan.calendar_page"))


@bp.post("/calendar/duties/<int:duty_id>/owner")
@require_permission("settings.manage")
def duty_owner(duty_id: int) -> ResponseReturnValue:
    db = get_session()
    duty = plan_calendar.get_duty(db, duty_id)
    try:
        plan_calendar.set_owner(db, duty, request.form.get("owner", ""), current_user)
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("plan.calendar_page"))
    _done(f"Owner of {duty.title} saved.")
    return redirect(url_for("plan.calendar_page"))


@bp.get("/calendar/tasks/<int:task_id>")
@require_permission("incident.read")
def task_page(task_id: int) -> ResponseReturnValue:
    task = plan_calendar.get_task(get_session(), task_id)
    return render_template("plan/task.html", task=task)


@bp.post("/calendar/tasks/<int:task_id>/complete")
@require_permission("incident.timeline")
def complete_task(task_id: int) -> ResponseReturnValue:
    db = get_session()
    task = plan_calendar.get_task(db, task_id)
    participants = request.form.get("participants", "").splitlines()
    try:
        plan_calendar.complete_task(
            db, task, request.form.get("notes", ""), participants, current_user
        )
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("plan.task_page", task_id=task_id))
    _done(f"{task.duty.title} of {task.due_on.isoformat()} recorded as done.")
    return redirect(url_for("plan.task_page", task_id=task_id))


@bp.post("/calendar/tasks/<int:task_id>/evidence")
@require_permission("incident.timeline")
def add_evidence(task_id: int) -> ResponseReturnValue:
    db = get_session()
    task = plan_calendar.get_task(db, task_id)
    upload = request.files.get("file")
    try:
        if upload is None:
            raise ValidationError("Choose a file to attach.", {"file": "required"})
        plan_calendar.add_evidence(
            db,
            task,
            _evidence_folder(),
            upload.filename or "",
            upload.mimetype,
            upload.stream,
            current_user,
        )
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("plan.task_page", task_id=task_id))
    _done("File attached as evidence.")
    return redirect(url_for("plan.task_page", task_id=task_id))


@bp.get("/calendar/evidence/<int:evidence_id>")
@require_permission("incident.read")
def download_evidence(evidence_id: int) -> ResponseReturnValue:
    evidence = plan_calendar.get_evidence(get_session(), evidence_id)
    path = plan_calendar.evidence_path(Path(current_app.instance_path), evidence)
    return send_download(path, evidence.filename, evidence.content_type)


# The plan's periodic reports and the annual audit pack.


@bp.get("/plan-reports")
@require_permission("incident.read")
def plan_reports() -> ResponseReturnValue:
    session = get_session()
    return render_template(
        "plan/reports.html",
        reports=plan_report_service.get_all(session),
        signing_failures=plan_report_service.signing_failures(session),
    )


@bp.get("/plan-reports/<int:report_id>")
@require_permission("incident.read")
def plan_report(report_id: int) -> ResponseReturnValue:
    report = plan_report_service.get(get_session(), report_id)
    return Response(report.html, mimetype="text/html")


@bp.get("/plan-reports/<int:report_id>.pdf")
@require_permission("incident.read")
def plan_report_pdf(report_id: int) -> ResponseReturnValue:
    from ..report.views import tracker_config

    db = get_session()
    report = plan_report_service.get(db, report_id)
    pdf = plan_report_service.signed_pdf(db, report, tracker_config())
    db.commit()
    name = plan_report_service.pdf_filename(report)
    return send_download(pdf, name, "application/pdf")


@bp.get("/plan-reports/audit-pack/<int:year>.zip")
@require_permission("report.sign")
def audit_pack(year: int) -> ResponseReturnValue:
    from ..report.views import tracker_config

    db = get_session()
    body = plan_report_service.audit_pack(db, year, tracker_config(), viewer=current_user)
    db.commit()
    return send_download(body, f"audit-pack-{year}.zip", "application/zip")
