"""The hold pages for counsel, and the custodian's notice page reached by a personal link.

Counsel's pages need a signed-in user: reading needs incident.read, every change
hold.manage. The notice page needs no account: the link alone identifies the person, and a
link that cannot be used answers a plain page saying what to do, and is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import or_, select

from ..audit.models import AuditEvent
from ..auth.permissions import can, require_permission
from ..db import get_session, now_utc
from ..errors import TrackerError
from ..incident import service as incidents
from ..incident.views import viewer_zone
from . import forms, service
from .forms import AcknowledgeForm, HoldForm, PersonForm, ReleaseForm, ScopeFields
from .models import LegalHold
from .service import LinkRefused, Person, Scope

log = logging.getLogger(__name__)

bp = Blueprint("hold", __name__, url_prefix="/holds")
notice_bp = Blueprint("hold_notice", __name__, url_prefix="/hold-notice")

REFUSAL_STATUS = {"altered": 404, "other_custodian": 403, "expired": 410, "superseded": 410}


def init_app(app: Flask) -> None:
    from ..web import add_nav

    app.register_blueprint(bp)
    app.register_blueprint(notice_bp)
    add_nav(app, "hold.index", "Legal holds")


@bp.get("")
@require_permission("incident.read")
def index() -> ResponseReturnValue:
    incident_id = request.args.get("incident", type=int)
    db = get_session()
    holds = service.get_all(db, incident_id, viewer=current_user)
    return render_template("hold/index.html", holds=holds, incident_id=incident_id)


@bp.route("/new", methods=["GET", "POST"])
@require_permission("hold.manage")
def create() -> ResponseReturnValue:
    form = _hold_form()
    if request.method == "GET":
        form.timezone.data = viewer_zone()
        wanted = request.args.get("incident", type=int)
        form.incident_ids.data = [wanted] if wanted else []
    if not form.validate_on_submit():
        return _create_page(form, 400 if form.errors else 200)

    db = get_session()
    try:
        hold = service.create_hold(
            db,
            current_user,
            name=form.name.data or "",
            description=form.description.data or "",
            incident_ids=form.incident_ids.data or [],
            scope=_scope(form),
            people=[
                *forms.people(form.custodians.data, "custodian", "custodians"),
                *forms.people(form.system_owners.data, "system_owner", "system_owners"),
            ],
            timezone=form.timezone.data,
            days={
                "reminder_days": form.reminder_days.data,
                "escalation_days": form.escalation_days.data,
                "renotice_days": form.renotice_days.data,
            },
        )
    except TrackerError as exc:
        db.rollback()
        _attach(form, exc)
        return _create_page(form, 400)
    db.commit()

    flash(f"Legal hold {hold.id} saved as a draft. Check it, then issue it.", "success")
    return redirect(url_for("hold.show", hold_id=hold.id))


def _create_page(form: HoldForm, status: int) -> ResponseReturnValue:
    hints = {"people_hint": forms.PEOPLE_HINT, "owners_hint": forms.OWNERS_HINT}
    return render_template("hold/create.html", form=form, **hints), status


def _hold_form() -> HoldForm:
    form = HoldForm()
    db = get_session()
    found = incidents.get_all(db, viewer=current_user)
    form.incident_ids.choices = [(row.id, f"{row.reference} {row.title}") for row in found]
    return form


def _scope(form: ScopeFields) -> Scope:
    return Scope(
        starts_on=form.scope_starts_on.data,
        ends_on=form.scope_ends_on.data,
        subjects=tuple(forms.lines(form.subjects.data)),
        data_sources=tuple(forms.lines(form.data_sources.data)),
    )


@bp.get("/<int:hold_id>")
@require_permission("incident.read")
def show(hold_id: int) -> ResponseReturnValue:
    return _render_show(service.get(get_session(), hold_id))


def _render_show(hold: LegalHold, status: int = 200, **given: Any) -> ResponseReturnValue:
    db = get_session()
    now = now_utc()
    scope_form = given.get("scope_form") or ScopeFields(formdata=None, obj=None)
    if "scope_form" not in given:
        _fill_scope(scope_form, hold)
    context = {
        "hold": hold,
        "rows": [
            (person, service.status_of(db, person, now), service.reminders_of(db, person))
            for person in hold.people
        ],
        "history": _history(hold),
        "scope_form": scope_form,
        "person_form": given.get("person_form") or PersonForm(formdata=None),
        "release_form": given.get("release_form") or ReleaseForm(formdata=None),
        "can_manage": can(current_user, "hold.manage"),
    }
    return render_template("hold/show.html", **context), status


def _fill_scope(form: ScopeFields, hold: LegalHold) -> None:
    form.description.data = hold.description
    form.scope_starts_on.data = hold.scope_starts_on
    form.scope_ends_on.data = hold.scope_ends_on
    form.subjects.data = "\n".join(hold.subjects or [])
    form.data_sources.data = "\n".join(hold.data_sources or [])


def _history(hold: LegalHold) -> list[AuditEvent]:
    ids = [str(person.id) for person in hold.people]
    query = select(AuditEvent).where(
        or_(
            (AuditEvent.object_type == "legal_hold") & (AuditEvent.object_id == str(hold.id)),
            (AuditEvent.object_type == "custodian") & AuditEvent.object_id.in_(ids),
        )
    )
    return list(get_session().scalars(query.order_by(AuditEvent.seq)))


@bp.post("/<int:hold_id>/issue")
@require_permission("hold.manage")
def issue(hold_id: int) -> ResponseReturnValue:
    return _change(hold_id, lambda db, hold: service.issue(db, hold, current_user), "issued")


@bp.post("/<int:hold_id>/scope")
@require_permission("hold.manage")
def scope(hold_id: int) -> ResponseReturnValue:
    db = get_session()
    hold = service.get(db, hold_id)
    form = ScopeFields()
    if not form.validate_on_submit():
        return _render_show(hold, 400, scope_form=form)
    try:
        service.change_scope(db, hold, current_user, _scope(form), form.description.data)
    except TrackerError as exc:
        db.rollback()
        _attach(form, exc)
        return _render_show(
            service.get(db, hold_id), 400 if exc.status_code != 409 else 409, scope_form=form
        )
    db.commit()
    flash(
        "Scope saved."
        + (" The changed notice was sent to everyone bound." if hold.status == "active" else ""),
        "success",
    )
    return redirect(url_for("hold.show", hold_id=hold_id))


@bp.post("/<int:hold_id>/people")
@require_permission("hold.manage")
def add_person(hold_id: int) -> ResponseReturnValue:
    db = get_session()
    hold = service.get(db, hold_id)
    form = PersonForm()
    if not form.validate_on_submit():
        return _render_show(hold, 400, person_form=form)
    person = Person(
        name=form.name.data or "",
        email=form.email.data or "",
        role=form.role.data or "custodian",
        department=form.department.data or "",
        manager_email=form.manager_email.data or "",
        systems=form.systems.data or "",
        instructions=form.instructions.data or "",
    )
    try:
        service.add_person(db, hold, current_user, person)
    except TrackerError as exc:
        db.rollback()
        _attach(form, exc)
        return _render_show(service.get(db, hold_id), exc.status_code, person_form=form)
    db.commit()
    flash(f"{person.name} added to the hold.", "success")
    return redirect(url_for("hold.show", hold_id=hold_id))


@bp.post("/<int:hold_id>/people/<int:custodian_id>/release")
@require_permission("hold.manage")
def release_person(hold_id: int, custodian_id: int) -> ResponseReturnValue:
    def act(db: Any, hold: LegalHold) -> None:
        service.release_person(db, hold, service.get_person(hold, custodian_id), current_user)

    return _change(hold_id, act, "updated: the custodian was released")


@bp.post("/<int:hold_id>/release")
@require_permission("hold.manage")
def release(hold_id: int) -> ResponseReturnValue:
    db = get_session()
    hold = service.get(db, hold_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        return _render_show(hold, 400, release_form=form)
    return _change(
        hold_id,
        lambda db, hold: service.release(db, hold, current_user, form.reason.data or ""),
        "released",
    )


def _change(hold_id: int, act: Any, done: str) -> ResponseReturnValue:
    db = get_session()
    hold = service.get(db, hold_id)
    try:
        act(db, hold)
    except TrackerError as exc:
        db.rollback()
        flash(exc.message, "error")
        return _render_show(service.get(db, hold_id), exc.status_code)
    db.commit()
    flash(f"Legal hold {hold_id} {done}.", "success")
    return redirect(url_for("hold.show", hold_id=hold_id))


def _attach(form: Any, exc: TrackerError) -> None:
    for path, message in exc.fields.items():
        field = getattr(form, path.split(".")[0], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
    flash(exc.message, "error")


# The custodian's page, reached by the personal link.


@notice_bp.route("/<int:custodian_id>/<token>", methods=["GET", "POST"])
def notice(custodian_id: int, token: str) -> ResponseReturnValue:
    db = get_session()
    try:
        link, person = service.open_link(db, custodian_id, token)
    except LinkRefused as refused:
        return _refused(db, refused, custodian_id)

    form = AcknowledgeForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template(
            "hold/notice.html", person=person, hold=person.hold, form=form
        ), status

    try:
        row = service.acknowledge(db, link, person, form.answer.data or "")
    except LinkRefused as refused:
        db.rollback()
        return _refused(db, refused, custodian_id)
    db.commit()
    return render_template("hold/acknowledged.html", person=person, hold=person.hold, row=row)


def _refused(db: Any, refused: LinkRefused, custodian_id: int) -> ResponseReturnValue:
    service.refuse(db, refused, custodian_id)
    db.commit()
    status = REFUSAL_STATUS.get(refused.reason, 409)
    return render_template("hold/refused.html", message=refused.message), status
