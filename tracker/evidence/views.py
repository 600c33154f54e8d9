"""The evidence pages: the list, a new item, an item with its chain of custody.

Reading needs incident.read; recording items and files evidence.create; transfers
evidence.transfer. Each change is committed here after the service returns, or rolled back.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from ..auth.permissions import can, require_permission
from ..db import get_session
from ..errors import TrackerError
from ..hold import service as hold_service
from ..incident import service as incidents
from ..incident.forms import LocalTimeError, parse_local
from ..incident.views import viewer_zone
from . import service
from .forms import FileForm, ItemForm, TransferForm
from .models import EvidenceItem, effective_transfers

log = logging.getLogger(__name__)

bp = Blueprint("evidence", __name__, url_prefix="/evidence")


def init_app(app: Flask) -> None:
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "evidence.index", "Evidence")


def upload_limit() -> int:
    """The largest evidence file accepted through the web, in bytes."""
    return int(current_app.config.get("TRACKER_EVIDENCE_UPLOAD_MB", 2048)) * 1024 * 1024


@bp.get("")
@require_permission("incident.read")
def index() -> ResponseReturnValue:
    incident_id = request.args.get("incident", type=int)
    db = get_session()
    items = service.get_all(db, incident_id, viewer=current_user)
    return render_template("evidence/index.html", items=items, incident_id=incident_id)


@bp.route("/new", methods=["GET", "POST"])
@require_permission("evidence.create")
def create() -> ResponseReturnValue:
    request.max_content_length = upload_limit()
    form = _item_form()
    if request.method == "GET":
        form.incident_id.data = request.args.get("incident", "")
        form.collected_zone.data = viewer_zone()
    if not form.validate_on_submit():
        return render_template("evidence/create.html", form=form), 400 if form.errors else 200

    db = get_session()
    try:
        item = _create(db, form)
    except (TrackerError, LocalTimeError) as exc:
        db.rollback()
        _show_error(form, exc, {"collected_at": "collected_local"})
        return render_template("evidence/create.html", form=form), 400
    db.commit()

    flash(f"Evidence item {item.id} recorded.", "success")
    return redirect(url_for("evidence.show", item_id=item.id))


def _item_form() -> ItemForm:
    form = ItemForm()
    db = get_session()
    shown = incidents.get_all(db, viewer=current_user)
    choices = [("", "No incident")]
    choices += [(str(row.id), f"{row.reference} {row.title}") for row in shown]
    form.incident_id.choices = choices
    holds = hold_service.get_all(db, viewer=current_user)
    form.hold_ids.choices = [(hold.id, hold.name) for hold in holds if hold.status != "released"]
    return form


def _create(db: Any, form: ItemForm) -> EvidenceItem:
    collected_at = parse_local(form.collected_local.data or "", form.collected_zone.data or "")
    assert collected_at is not None  # the field is required
    item = service.create_item(
        db,
        current_user,
        description=form.description.data or "",
        collected_by=form.collected_by.data or "",
        collected_at=collected_at,
        incident_id=int(form.incident_id.data) if form.incident_id.data else None,
        source_system=form.source_system.data or "",
        location=form.location.data or "",
        sha256=form.sha256.data,
        hold_ids=form.hold_ids.data or [],
    )
    upload = form.file.data
    if isinstance(upload, FileStorage) and upload.filename:
        receive_file(db, item, upload, current_user)
    return item


@bp.get("/<int:item_id>")
@require_permission("incident.read")
def show(item_id: int) -> ResponseReturnValue:
    return _render_show(service.get(get_session(), item_id))


def _render_show(item: EvidenceItem, status: int = 200, **given: Any) -> ResponseReturnValue:
    transfer_form = given.get("transfer_form") or TransferForm(formdata=None)
    if not transfer_form.at_zone.data:
        transfer_form.at_zone.data = viewer_zone()
    if not transfer_form.from_party.data:
        transfer_form.from_party.data = item.holder
    context = {
        "item": item,
        "effective": {row.id for row in effective_transfers(item.transfers)},
        "corrected_by": {row.corrects_id: row.id for row in item.transfers if row.corrects_id},
        "transfer_form": transfer_form,
        "file_form": given.get("file_form") or FileForm(formdata=None),
        "can_transfer": can(current_user, "evidence.transfer"),
        "can_upload": can(current_user, "evidence.create"),
    }
    return render_template("evidence/show.html", **context), status


@bp.post("/<int:item_id>/transfers")
@require_permission("evidence.transfer")
def transfer(item_id: int) -> ResponseReturnValue:
    db = get_session()
    item = service.get(db, item_id)
    form = TransferForm()
    if not form.validate_on_submit():
        return _render_show(item, 400, transfer_form=form)
    try:
        at = parse_local(form.at_local.data or "", form.at_zone.data or "")
        assert at is not None  # the field is required
        service.add_transfer(
            db,
            item,
            current_user,
            from_party=form.from_party.data or "",
            to_party=form.to_party.data or "",
            at=at,
            purpose=form.purpose.data or "",
            condition=form.condition.data or "",
            corrects_id=form.corrects.data,
        )
    except (TrackerError, LocalTimeError) as exc:
        db.rollback()
        names = {"at": "at_local", "from": "from_party", "to": "to_party"}
        _show_error(form, exc, {**names, "corrects": "corrects"})
        return _render_show(service.get(db, item_id), 400, transfer_form=form)
    db.commit()

    flash("Transfer of custody recorded.", "success")
    return redirect(url_for("evidence.show", item_id=item.id))


@bp.post("/<int:item_id>/file")
@require_permission("evidence.create")
def upload(item_id: int) -> ResponseReturnValue:
    request.max_content_length = upload_limit()
    db = get_session()
    item = service.get(db, item_id)
    form = FileForm()
    given = form.file.data
    if not form.validate_on_submit() or not isinstance(given, FileStorage) or not given.filename:
        form.file.errors = [*form.file.errors, "Choose a file to upload."]
        return _render_show(item, 400, file_form=form)
    try:
        check = receive_file(db, item, given, current_user)
    except TrackerError as exc:
        db.rollback()
        form.file.errors = [*form.file.errors, exc.message]
        return _render_show(service.get(db, item_id), 400, file_form=form)
    db.commit()

    if check.is_match:
        flash(f"The file's SHA-256 {check.sha256} matches the record.", "success")
    else:
        flash(
            f"The file's SHA-256 {check.sha256} does NOT match the recorded {check.expected}. "
            "The mismatch is recorded; the item's hash is unchanged.",
            "error",
        )
    return redirect(url_for("evidence.show", item_id=item.id))


def receive_file(db: Any, item: EvidenceItem, upload: FileStorage, actor: Any) -> Any:
    """Stream an uploaded file to the evidence folder, hash it and check it against the item.

    The web form and the API both take files through here, with the same size limit.
    """
    config = {"INSTANCE": current_app.config["TRACKER_INSTANCE"]}
    streamed = service.stream_to_folder(upload.stream, config, limit=upload_limit())
    return service.attach_file(db, item, streamed, upload.filename or "", actor)


def _show_error(form: Any, exc: Exception, names: dict[str, str]) -> None:
    if isinstance(exc, LocalTimeError):
        target = names.get("collected_at") or names.get("at")
        field = getattr(form, str(target), None)
        if field is not None:
            field.errors = [*field.errors, exc.message]
        return
    assert isinstance(exc, TrackerError)
    for path, message in exc.fields.items():
        field = getattr(form, names.get(path, path), None)
        if field is not None:
            field.errors = [*field.errors, message]
    flash(exc.message, "error")
