"""The incident pages: list, create, the incident page, the facts editor, upload and download.

Every route checks its permission; every change runs through incident.service in one
transaction, committed here or rolled back whole, so that an error stores nothing.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..auth import access
from ..auth.models import User
from ..auth.permissions import can, require_permission
from ..db import get_session, now_utc
from ..deadline import compare
from ..downloads import send_download
from ..errors import FactsError, NotFound, TrackerError, ValidationError
from ..facts import CATEGORIES, EVENTS, SEVERITIES, STATUSES, parse_facts
from ..notice import service as notice_service
from . import forms, service
from .display import format_duration, format_instant, history
from .facts_form import FactsEditor, facts_version
from .forms import (
    CreateForm,
    ImpactForm,
    LocalTimeError,
    StatusForm,
    TimelineForm,
    UploadForm,
    parse_local,
)
from .models import Incident
from .obligations import deadlines, differences, exemptions

log = logging.getLogger(__name__)

bp = Blueprint("incident", __name__, url_prefix="/incidents")

# The largest facts file accepted; a real one is a few kilobytes.
FACTS_UPLOAD_LIMIT = 1024 * 1024


def init_app(app: Flask) -> None:
    """Register the incident pages, their navigation entry and template helpers."""
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "incident.index", "Incidents")


@bp.app_template_filter("instant")
def _instant_filter(instant: Any, zone: str | None = None) -> str:
    return format_instant(instant, zone)


@bp.app_template_filter("duration")
def _duration_filter(duration: Any) -> str:
    return format_duration(duration)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        "viewer_zone": viewer_zone,
        "zone_names": forms.zone_names,
        "labels": forms,
        "facts_events": EVENTS,
    }


def viewer_zone() -> str:
    """The zone in which the signed-in person reads instants."""
    zone = getattr(current_user, "timezone", None)
    return zone or current_app.config.get("TRACKER_DISPLAY_TIMEZONE", "UTC")


# The list and the create form.


@bp.get("")
@require_permission("incident.read")
def index() -> ResponseReturnValue:
    filters = {
        "status": _choice("status", STATUSES),
        "severity": _choice("severity", SEVERITIES),
        "category": _choice("category", CATEGORIES),
    }
    text = request.args.get("q", "").strip()[:200]
    try:
        number = service.parse_page(request.args.get("page"))
    except ValidationError as exc:
        abort(400, exc.message)

    db = get_session()
    try:
        page = service.search_page(db, number, viewer=current_user, text=text, **filters)
    except NotFound as exc:
        abort(404, exc.message)
    kept = {name: value for name, value in {**filters, "q": text}.items() if value}
    return render_template(
        "incident/index.html",
        page=page,
        incidents=page.incidents,
        imported=access.imported_ids(db, (incident.id for incident in page.incidents)),
        filters=filters,
        q=text,
        kept=kept,
    )


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name, "")
    if value and value not in allowed:
        abort(400, f"The {name} filter {value!r} is not one of {', '.join(allowed)}.")
    return value or None


@bp.route("/new", methods=["GET", "POST"])
@require_permission("incident.create")
def create() -> ResponseReturnValue:
    form = CreateForm()
    if request.method == "GET":
        form.timezone.data = viewer_zone()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("incident/create.html", form=form), status

    document = _new_facts(form)
    if document is None:
        return render_template("incident/create.html", form=form), 400

    db = get_session()
    try:
        incident = service.create_incident(db, document, current_user)
    except TrackerError as exc:
        db.rollback()
        _attach(form, exc, {"incident.title": "title", "timezone": "timezone"})
        return render_template("incident/create.html", form=form), 400
    db.commit()

    flash(f"Incident {incident.reference} opened. Enter its facts next.", "success")
    return redirect(url_for("incident.show", incident_id=incident.id))


def _new_facts(form: CreateForm) -> dict[str, Any] | None:
    """The first facts document of an incident, from the short create form."""
    try:
        discovered_at = parse_local(form.discovered_local.data or "", form.timezone.data or "")
    except LocalTimeError as exc:
        target = form.timezone if exc.field == "zone" else form.discovered_local
        target.errors = [*target.errors, exc.message]
        return None

    return forms.first_facts(form, discovered_at)


def _attach(form: Any, exc: TrackerError, names: dict[str, str]) -> None:
    """Put each field error of `exc` beside its form field, or flash it when there is none."""
    for path, message in exc.fields.items():
        field = getattr(form, names.get(path, path), None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(f"{path}: {message}" if path else message, "error")
    if not exc.fields:
        flash(exc.message, "error")


# The incident page and its changes.


@bp.get("/<int:incident_id>")
@require_permission("incident.read")
def show(incident_id: int) -> ResponseReturnValue:
    return _render_show(_incident(incident_id))


def _render_show(incident: Incident, status: int = 200, **forms_given: Any) -> Any:
    db = get_session()
    events = audit.get_incident_history(db, incident.id)
    actor_ids = {event.actor_id for event in events if event.actor_id is not None}
    users = db.scalars(select(User).where(User.id.in_(actor_ids))) if actor_ids else []
    names = {user.id: user.name for user in users}

    timeline_form = forms_given.get("timeline_form") or TimelineForm(formdata=None)
    if not timeline_form.at_zone.data:
        timeline_form.at_zone.data = incident.timezone
    context = {
        "incident": incident,
        "facts": incident.facts,
        "next_statuses": service.TRANSITIONS.get(incident.status, ()),
        "history": history(events, names, incident.timezone),
        "status_form": StatusForm(formdata=None),
        "timeline_form": timeline_form,
        "impact_form": forms_given.get("impact_form") or _impact_form(incident),
        **_obligations_context(incident),
    }
    return render_template("incident/show.html", **context), status


def _obligations_context(incident: Incident) -> dict[str, Any]:
    """The stored obligations, soonest first, and the regimes that do not apply, as of now."""
    db = get_session()
    now = now_utc()
    # An obligation the facts no longer give rise to stays listed while a notice is on record.
    every = notice_service.get_obligations(db, incident)
    stored = [row for row in every if row.is_current or row.notices]
    evaluation = notice_service.evaluate_incident(db, incident, now=now)
    return {
        "now": now,
        "current_obligations": [row for row in every if row.is_current],
        "deadlines": deadlines(stored, incident.timezone, viewer_zone(), now),
        "obligation_rows": {row.key: row for row in stored},
        "exemptions": exemptions(evaluation),
    }


def _impact_form(incident: Incident) -> ImpactForm:
    form = ImpactForm(formdata=None, obj=incident)
    form.impact_systems.data = "\n".join(incident.impact_systems or [])
    form.impact_users.data = "" if incident.impact_users is None else str(incident.impact_users)
    form.impact_data_loss.data = incident.impact_data_loss or ""
    form.customer_impact.data = incident.customer_impact or ""
    return form


@bp.post("/<int:incident_id>/status")
@require_permission("incident.status")
def change_status(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    form = StatusForm()
    target = url_for("incident.show", incident_id=incident.id, _anchor="status")
    if not form.validate_on_submit():
        flash("Choose the new status with one of the status buttons.", "error")
        return redirect(target)

    db = get_session()
    try:
        service.change_status(db, incident, form.status.data or "", current_user, form.note.data)
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(target)
    db.commit()

    flash(f"Status changed to {forms.STATUS_LABELS[incident.status].lower()}.", "success")
    return redirect(target)


@bp.post("/<int:incident_id>/timeline")
@require_permission("incident.timeline")
def add_entry(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    form = TimelineForm()
    if not form.validate_on_submit():
        return _render_show(incident, 400, timeline_form=form)
    try:
        at = parse_local(form.at_local.data or "", form.at_zone.data or incident.timezone)
    except LocalTimeError as exc:
        target = form.at_zone if exc.field == "zone" else form.at_local
        target.errors = [*target.errors, exc.message]
        return _render_show(incident, 400, timeline_form=form)

    db = get_session()
    try:
        service.add_timeline_entry(
            db, incident, form.text.data or "", current_user, at=at, kind=form.kind.data
        )
    except TrackerError as exc:
        db.rollback()
        _attach(form, exc, {"at": "at_local"})
        return _render_show(_incident(incident_id), 400, timeline_form=form)
    db.commit()

    flash("Timeline entry added.", "success")
    return redirect(url_for("incident.show", incident_id=incident.id, _anchor="timeline"))


@bp.post("/<int:incident_id>/impact")
@require_permission("incident.impact")
def update_impact(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    form = ImpactForm()
    if not form.validate_on_submit():
        return _render_show(incident, 400, impact_form=form)
    changes = _impact_changes(incident, form)
    if changes is None:
        return _render_show(incident, 400, impact_form=form)
    target = url_for("incident.show", incident_id=incident.id, _anchor="impact")
    if not changes:
        flash("The impact assessment is unchanged.", "info")
        return redirect(target)

    db = get_session()
    try:
        service.update_impact(db, incident, changes, current_user)
    except TrackerError as exc:
        db.rollback()
        _attach(form, exc, {})
        return _render_show(_incident(incident_id), 400, impact_form=form)
    db.commit()

    flash("Impact assessment saved.", "success")
    return redirect(target)


def _impact_changes(incident: Incident, form: ImpactForm) -> dict[str, Any] | None:
    """The impact fields whose posted value differs from the stored one."""
    users_text = (form.impact_users.data or "").strip()
    if users_text and not users_text.isdigit():
        form.impact_users.errors = [
            *form.impact_users.errors,
            f"Enter a whole number of 0 or more; {users_text!r} is not one.",
        ]
        return None

    posted: dict[str, Any] = {
        "impact_systems": [
            line.strip() for line in (form.impact_systems.data or "").splitlines() if line.strip()
        ],
        "impact_users": int(users_text) if users_text else None,
        "impact_data_loss": form.impact_data_loss.data or None,
        "customer_impact": form.customer_impact.data or None,
    }
    for name in ("impact_data_compromised", "revenue_impact", "brand_impact", "regulatory_impact"):
        posted[name] = (getattr(form, name).data or "").strip()
    return {name: value for name, value in posted.items() if getattr(incident, name) != value}


# The facts editor, upload and download.


@bp.get("/<int:incident_id>/facts")
@require_permission("incident.read")
def facts(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    editor = FactsEditor.from_document(incident.facts_document)
    return _render_facts(incident, editor)


def _render_facts(
    incident: Incident,
    editor: FactsEditor,
    status: int = 200,
    upload_errors: list[str] | None = None,
    version: str | None = None,
) -> Any:
    context = {
        "incident": incident,
        "editor": editor,
        "version": version or facts_version(incident.facts_document),
        "upload_form": UploadForm(formdata=None),
        "upload_errors": upload_errors or [],
        "can_edit": can(current_user, "incident.facts"),
        "zones": forms.zone_names(),
        "regions": forms.region_options(),
        "countries": forms.country_options(),
    }
    return render_template("incident/facts.html", **context), status


@bp.post("/<int:incident_id>/facts")
@require_permission("incident.facts")
def save_facts(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    editor = FactsEditor.from_form(request.form)
    version = request.form.get("version", "")
    if request.form.get("more"):
        editor.add_rows(request.form["more"])
        return _render_facts(incident, editor, version=version)

    stored = incident.facts_document
    if version != facts_version(stored):
        editor.general.append(
            "Someone saved other facts for this incident after you opened this page, so "
            "nothing was saved. Your entries are still below: compare them with the current "
            "facts (open this page again in a new tab) and save again."
        )
        return _render_facts(incident, editor, 409)

    document = editor.to_document(stored)
    if document is None:
        return _render_facts(incident, editor, 400, version=version)
    return _store_facts(incident, document, lambda exc: _facts_refused(incident, editor, exc))


@bp.route("/<int:incident_id>/whatif", methods=["GET", "POST"])
@require_permission("incident.read")
def what_if(incident_id: int) -> ResponseReturnValue:
    """Changed facts in the facts form, and the obligations they would change; nothing is saved."""
    incident = _incident(incident_id)
    if request.method == "GET":
        return _render_what_if(incident, FactsEditor.from_document(incident.facts_document))

    editor = FactsEditor.from_form(request.form)
    if request.form.get("more"):
        editor.add_rows(request.form["more"])
        return _render_what_if(incident, editor)

    document = editor.to_document(incident.facts_document)
    if document is None:
        return _render_what_if(incident, editor, 400)
    db = get_session()
    try:
        proposed = notice_service.evaluate_document(db, incident, document)
    except TrackerError as exc:
        editor.general.append(exc.message)
        return _render_what_if(incident, editor, exc.status_code)

    current = notice_service.evaluate_incident(db, incident)
    found = differences(compare(current, proposed), incident.timezone, viewer_zone())
    return _render_what_if(incident, editor, changes=found, total=len(proposed.obligations))


def _render_what_if(
    incident: Incident, editor: FactsEditor, status: int = 200, **results: Any
) -> Any:
    context = {
        "incident": incident,
        "editor": editor,
        "version": request.form.get("version") or facts_version(incident.facts_document),
        "can_edit": can(current_user, "incident.facts"),
        "fields_enabled": True,
        "compared": "changes" in results,
        "changes": results.get("changes", []),
        "total": results.get("total", 0),
        "zones": forms.zone_names(),
        "regions": forms.region_options(),
        "countries": forms.country_options(),
    }
    return render_template("incident/whatif.html", **context), status


def _facts_refused(incident: Incident, editor: FactsEditor, exc: TrackerError) -> Any:
    if isinstance(exc, FactsError) and exc.fields:
        editor.attach(exc.fields)
    else:
        editor.general.append(exc.message)
    return _render_facts(_incident(incident.id), editor, exc.status_code)


def _store_facts(incident: Incident, document: dict[str, Any], refused: Any) -> Any:
    """Save a facts document unless it is what is stored; `refused` renders an error."""
    target = url_for("incident.show", incident_id=incident.id)
    if _canonical(document, incident.status) == incident.facts_document:
        flash("The facts are unchanged; nothing was saved.", "info")
        return redirect(target)

    db = get_session()
    try:
        service.update_facts(db, incident, document, current_user)
    except TrackerError as exc:
        db.rollback()
        return refused(exc)
    db.commit()

    flash("Facts saved.", "success")
    return redirect(target)


def _canonical(document: dict[str, Any], status: str) -> dict[str, Any] | None:
    try:
        canonical = parse_facts(document).to_document()
    except TrackerError:
        return None
    canonical["incident"]["status"] = canonical["incident"].get("status") or status
    return canonical


@bp.get("/<int:incident_id>/facts.json")
@require_permission("incident.read")
def download_facts(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    body = incident.facts.to_json() + "\n"
    filename = f"facts-{incident.reference}.json"
    return send_download(body.encode("utf-8"), filename, "application/json")


@bp.post("/<int:incident_id>/facts/upload")
@require_permission("incident.facts")
def upload_facts(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    upload = request.files.get("facts_file")
    if upload is None or not upload.filename:
        return _upload_refused(incident, ["Choose a facts file (.json) to upload."])

    content = upload.stream.read(FACTS_UPLOAD_LIMIT + 1)
    if len(content) > FACTS_UPLOAD_LIMIT:
        return _upload_refused(
            incident,
            [
                f"The file {upload.filename} is larger than {FACTS_UPLOAD_LIMIT // 1024} KB; "
                "a facts file is accepted up to that size."
            ],
            413,
        )
    try:
        document = json.loads(content.decode("utf-8"))
        parse_facts(document)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _upload_refused(incident, [f"The file {upload.filename} is not JSON: {exc}."])
    except TrackerError as exc:
        return _upload_refused(incident, _field_lines(exc))

    log.info("Facts file uploaded for incident %s", incident.reference)
    return _store_facts(incident, document, lambda exc: _upload_refused(incident, [exc.message]))


def _upload_refused(incident: Incident, messages: list[str], status: int = 400) -> Any:
    get_session().rollback()
    incident = _incident(incident.id)
    editor = FactsEditor.from_document(incident.facts_document)
    return _render_facts(incident, editor, status, upload_errors=messages)


def _field_lines(exc: TrackerError) -> list[str]:
    if not exc.fields:
        return [exc.message]
    return [f"{path or 'document'}: {message}" for path, message in exc.fields.items()]


def _incident(incident_id: int) -> Incident:
    return service.get(get_session(), incident_id)
