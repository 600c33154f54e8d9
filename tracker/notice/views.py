"""The notice pages: an obligation and its notices, a notice's content and lifecycle, proof
downloads, and the recipient directory. Every form works without JavaScript.

Each change runs through tracker.notice.lifecycle in one transaction, committed here or rolled
back whole; a refusal is shown beside the form that caused it, with the service's reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import Session

from ..auth import access
from ..auth.permissions import require_permission
from ..db import get_session, now_utc
from ..downloads import send_download
from ..errors import TrackerError, ValidationError
from ..incident import service as incident_service
from ..incident.forms import LocalTimeError, parse_local
from ..incident.models import Incident
from . import attachments, directory, forms, letters, lifecycle, service
from .models import Notice, Obligation

log = logging.getLogger(__name__)

bp = Blueprint("notice", __name__)

# Where each field error of the lifecycle service is shown on the send form.
SEND_FIELDS = {"sent_at": "sent_local", "channel": "channel", "delay_reason": "delay_reason"}
ACK_FIELDS = {"acknowledged_at": "acknowledged_local"}


def init_app(app: Flask) -> None:
    """Register the notice pages and the directory's navigation entry."""
    from ..web import add_nav

    app.register_blueprint(bp)
    add_nav(app, "notice.recipients", "Recipients")


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        "notice_labels": forms,
        "directory_anchor": directory.anchor,
        "draft_form_for": _draft_form,
        "lifecycle_can_add": lifecycle.can_add,
    }


def _draft_form(obligation: Obligation) -> forms.DraftForm:
    return forms.DraftForm(formdata=None, default_letter=letters.letter_for(obligation.key).id)


# An obligation and its notices.


@bp.get("/obligations/<int:obligation_id>")
@require_permission("incident.read")
def obligation(obligation_id: int) -> ResponseReturnValue:
    return _render_obligation(_obligation(obligation_id))


def _render_obligation(obligation: Obligation, status: int = 200, **given: Any) -> Any:
    incident = obligation.incident
    context = {
        "obligation": obligation,
        "incident": incident,
        "recipients": directory.entries_for(obligation.key, _establishment(obligation)),
        "draft_form": given.get("draft_form") or _draft_form(obligation),
        "draft_errors": given.get("draft_errors", []),
        "not_required_form": given.get("not_required_form") or forms.NotRequiredForm(formdata=None),
        "not_required_errors": given.get("not_required_errors", []),
        "can_add": lifecycle.can_add(obligation),
        "now": now_utc(),
    }
    return render_template("notice/obligation.html", **context), status


@bp.post("/obligations/<int:obligation_id>/notices")
@require_permission("incident.facts")
def create(obligation_id: int) -> ResponseReturnValue:
    """Start a draft notice from the chosen letter of the catalogue."""
    obligation = _obligation(obligation_id)
    form = forms.DraftForm()
    if not form.validate_on_submit():
        return _render_obligation(obligation, 400, draft_form=form)

    db = get_session()
    try:
        notice = lifecycle.create_notice(
            db, obligation, current_user, letter_id=form.letter.data, phase=form.phase.data or ""
        )
    except TrackerError as exc:
        db.rollback()
        again = _obligation(obligation_id)
        return _render_obligation(
            again, exc.status_code, draft_form=form, draft_errors=[exc.message]
        )
    db.commit()

    flash(f"Draft notice started from the letter “{letters.get_letter(notice.letter).title}”.")
    return redirect(url_for("notice.show", notice_id=notice.id))


@bp.post("/obligations/<int:obligation_id>/not-required")
@require_permission("incident.facts")
def not_required(obligation_id: int) -> ResponseReturnValue:
    """Close the obligation without a notice; only counsel may, and must say why."""
    obligation = _obligation(obligation_id)
    form = forms.NotRequiredForm()
    if not form.validate_on_submit():
        return _render_obligation(obligation, 400, not_required_form=form)

    db = get_session()
    try:
        lifecycle.mark_not_required(db, obligation, current_user, form.reason.data or "")
    except TrackerError as exc:
        db.rollback()
        again = _obligation(obligation_id)
        return _render_obligation(
            again, exc.status_code, not_required_form=form, not_required_errors=[exc.message]
        )
    db.commit()

    flash(f"{obligation.key} closed as not required.", "success")
    return redirect(url_for("notice.obligation", obligation_id=obligation.id))


# One notice.


@bp.get("/notices/<int:notice_id>")
@require_permission("incident.read")
def show(notice_id: int) -> ResponseReturnValue:
    return _render_notice(_notice(notice_id))


def _render_notice(notice: Notice, status: int = 200, **given: Any) -> Any:
    letter = letters.get_letter(notice.letter)
    incident = notice.obligation.incident
    content_form = given.get("content_form") or forms.content_form(letter, notice.content)
    context = {
        "notice": notice,
        "obligation": notice.obligation,
        "incident": incident,
        "letter": letter,
        "letter_html": _letter_html(notice, letter),
        "missing": letter.missing(notice.content or {}),
        "content_form": content_form,
        "send_form": given.get("send_form") or _send_form(notice),
        "acknowledge_form": given.get("acknowledge_form") or _acknowledge_form(notice),
        "attachment_form": forms.AttachmentForm(formdata=None),
        "approve_form": forms.ApproveForm(formdata=None),
        "errors": given.get("errors", {}),
        "recipients": directory.entries_for(
            notice.obligation.key, _establishment(notice.obligation)
        ),
        "is_late_now": lifecycle.is_late(notice.obligation, now_utc()),
        "max_upload": attachments.size_words(_max_bytes()),
        "allowed_types": attachments.ALLOWED_WORDS,
    }
    return render_template("notice/show.html", **context), status


def _letter_html(notice: Notice, letter: letters.Letter) -> str:
    return letters.render(
        letter,
        notice.content or {},
        phase=notice.phase if notice.sequence > 1 else "",
        citation=notice.obligation.citation,
    )


def _send_form(notice: Notice) -> forms.SendForm:
    """The sending form, its time set to now in the incident's legal time zone."""
    form = forms.SendForm(formdata=None)
    form.sent_zone.data = notice.obligation.incident.timezone
    form.sent_local.data = _local_now(form.sent_zone.data)
    return form


def _acknowledge_form(notice: Notice) -> forms.AcknowledgeForm:
    form = forms.AcknowledgeForm(formdata=None)
    form.acknowledged_zone.data = notice.obligation.incident.timezone
    form.acknowledged_local.data = _local_now(form.acknowledged_zone.data)
    return form


def _local_now(zone: str) -> str:
    return now_utc().astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


@bp.post("/notices/<int:notice_id>/content")
@require_permission("incident.facts")
def edit(notice_id: int) -> ResponseReturnValue:
    """Save the content; an approved notice goes back to draft."""
    notice = _notice(notice_id)
    letter = letters.get_letter(notice.letter)
    form = forms.content_form(letter)
    if not form.validate_on_submit():
        return _render_notice(notice, 400, content_form=form)

    was_approved = notice.status == "approved"
    db = get_session()
    try:
        lifecycle.update_content(db, notice, forms.posted_content(form, letter), current_user)
    except TrackerError as exc:
        db.rollback()
        errors = {} if _put_errors(form, exc, {}) else {"content": [exc.message]}
        return _render_notice(_notice(notice_id), exc.status_code, content_form=form, errors=errors)
    db.commit()

    if was_approved and notice.status == "draft":
        flash("Content saved. The change sent the notice back to draft: approve it again.", "info")
    else:
        flash("Content saved.", "success")
    return redirect(url_for("notice.show", notice_id=notice.id))


@bp.post("/notices/<int:notice_id>/approve")
@require_permission("incident.facts")
def approve(notice_id: int) -> ResponseReturnValue:
    """Counsel's sign-off; the reason for a refusal is shown beside the button."""
    notice = _notice(notice_id)
    form = forms.ApproveForm()
    if not form.validate_on_submit():
        return _render_notice(notice, 400, errors={"approve": ["Send the approval form again."]})

    db = get_session()
    try:
        lifecycle.approve(db, notice, current_user)
    except TrackerError as exc:
        db.rollback()
        return _render_notice(
            _notice(notice_id), exc.status_code, errors={"approve": [exc.message]}
        )
    db.commit()

    flash("Notice approved; its content is frozen.", "success")
    return redirect(url_for("notice.show", notice_id=notice.id))


@bp.post("/notices/<int:notice_id>/send")
@require_permission("incident.facts")
def send(notice_id: int) -> ResponseReturnValue:
    """Record the sending, with its proof; a late notice needs the reason for the delay."""
    notice = _notice(notice_id)
    form = forms.SendForm()
    if not form.validate_on_submit():
        return _render_notice(notice, 400, send_form=form)

    sent_at = _instant(form.sent_local, form.sent_zone, "the sending time")
    proofs = _checked_uploads(form.attachments)
    if sent_at is None or isinstance(proofs, TrackerError):
        if isinstance(proofs, TrackerError):
            form.attachments.errors = [*form.attachments.errors, proofs.message]
        return _render_notice(notice, 400, send_form=form)

    def record(db: Session) -> None:
        lifecycle.send(
            db,
            notice,
            current_user,
            sent_at=sent_at,
            channel=form.channel.data or "",
            reference=form.reference.data or "",
            delay_reason=form.delay_reason.data or "",
        )

    refused = _with_proof(notice, proofs, record)
    if refused is not None:
        errors = {} if _put_errors(form, refused, SEND_FIELDS) else {"send": [refused.message]}
        return _render_notice(
            _notice(notice_id), refused.status_code, send_form=form, errors=errors
        )

    flash("Sending recorded; the obligations were recomputed.", "success")
    return redirect(url_for("notice.show", notice_id=notice.id))


@bp.post("/notices/<int:notice_id>/acknowledge")
@require_permission("incident.facts")
def acknowledge(notice_id: int) -> ResponseReturnValue:
    notice = _notice(notice_id)
    form = forms.AcknowledgeForm()
    if not form.validate_on_submit():
        return _render_notice(notice, 400, acknowledge_form=form)
    at = _instant(form.acknowledged_local, form.acknowledged_zone, "the acknowledgement time")
    if at is None:
        return _render_notice(notice, 400, acknowledge_form=form)

    db = get_session()
    try:
        lifecycle.acknowledge(db, notice, current_user, at, form.reference.data or "")
    except TrackerError as exc:
        db.rollback()
        errors = {} if _put_errors(form, exc, ACK_FIELDS) else {"acknowledge": [exc.message]}
        return _render_notice(
            _notice(notice_id), exc.status_code, acknowledge_form=form, errors=errors
        )
    db.commit()

    flash("Acknowledgement recorded.", "success")
    return redirect(url_for("notice.show", notice_id=notice.id))


@bp.post("/notices/<int:notice_id>/attachments")
@require_permission("incident.facts")
def add_attachments(notice_id: int) -> ResponseReturnValue:
    """Add proof to a notice already recorded as sent."""
    notice = _notice(notice_id)
    form = forms.AttachmentForm()
    if not form.validate_on_submit():
        return _render_notice(notice, 400, errors={"attachments": ["Send the form again."]})
    proofs = _checked_uploads(form.attachments)
    if isinstance(proofs, TrackerError):
        return _render_notice(notice, proofs.status_code, errors={"attachments": [proofs.message]})
    if not proofs:
        return _render_notice(notice, 400, errors={"attachments": ["Choose a file to add."]})

    refused = _with_proof(notice, proofs, lambda db: None)
    if refused is not None:
        errors = {"attachments": [refused.message]}
        return _render_notice(_notice(notice_id), refused.status_code, errors=errors)

    flash(f"{len(proofs)} proof file{'s' if len(proofs) > 1 else ''} added.", "success")
    return redirect(url_for("notice.show", notice_id=notice.id, _anchor="proof"))


@bp.get("/notices/<int:notice_id>/attachments/<int:attachment_id>")
@require_permission("incident.read")
def download(notice_id: int, attachment_id: int) -> ResponseReturnValue:
    """The stored proof, always as a download, never rendered by the browser."""
    attachment = attachments.get_of_notice(get_session(), notice_id, attachment_id)
    path = attachments.stored_path(_folder(), attachment)
    return send_download(path, attachment.filename, attachment.content_type)


@bp.errorhandler(413)
def _too_large(exc: Exception) -> ResponseReturnValue:
    """A request over the whole upload limit: say so beside the form it came from."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    message = (
        f"The files sent are larger than {attachments.size_words(limit)} together, the most "
        "one request may carry; send fewer or smaller files."
    )
    notice_id = (request.view_args or {}).get("notice_id")
    if notice_id is None:
        return render_template("error.html", status=413, message=message), 413
    section = "send" if request.endpoint == "notice.send" else "attachments"
    return _render_notice(_notice(notice_id), 413, errors={section: [message]})


# The recipient directory.


@bp.get("/recipients")
@require_permission("incident.read")
def recipients() -> ResponseReturnValue:
    """The whole directory, or with `?incident=ID` the recipients of one incident's notices."""
    db = get_session()
    incident = _directory_incident(request.args.get("incident"))
    keys = None
    rows: list[tuple[Obligation, list[directory.Entry]]] = []
    if incident is not None:
        obligations = service.get_obligations(db, incident, include_withdrawn=False)
        rows = [(row, directory.entries_for(row.key, _establishment(row))) for row in obligations]
        keys = [row.key for row in obligations]
    context = {
        "incident": incident,
        "rows": rows,
        "regulators": directory.regulators(keys),
        "parties": directory.parties(keys),
        "customers": directory.customers(db, current_user, incident),
        "reviewed": directory.reviewed(),
    }
    return render_template("notice/recipients.html", **context)


def _directory_incident(given: str | None) -> Incident | None:
    if not given:
        return None
    if not given.isdigit():
        raise ValidationError(
            f"incident: expected the number of an incident, such as 12; got {given!r}.",
            {"incident": "expected the number of an incident"},
        )
    access.check_incident(get_session(), current_user, int(given))
    return incident_service.get(get_session(), int(given))


# Helpers.


def _with_proof(
    notice: Notice, proofs: list[attachments.Checked], change: Callable[[Session], None]
) -> TrackerError | None:
    """Run `change`, store the proof files and commit; the refusal, if any."""
    try:
        attachments.commit_with_files(
            get_session(), notice, proofs, current_user, _folder(), change
        )
    except TrackerError as exc:
        return exc
    return None


def _checked_uploads(field: Any) -> list[attachments.Checked] | TrackerError:
    try:
        return attachments.check_uploads(field.data or [], _max_bytes())
    except TrackerError as exc:
        return exc


def _instant(local: Any, zone: Any, what: str) -> datetime | None:
    """The instant of a local time field and its zone field; an error goes beside the field."""
    try:
        instant = parse_local(local.data or "", zone.data or "")
    except LocalTimeError as exc:
        target = zone if exc.field == "zone" else local
        target.errors = [*target.errors, exc.message]
        return None
    if instant is None:
        local.errors = [*local.errors, f"Enter {what} as a date and time."]
    return instant


def _put_errors(form: Any, exc: TrackerError, names: dict[str, str]) -> bool:
    """Put the refusal beside the fields it names; False when it names none of the form's."""
    placed = False
    for path in exc.fields:
        target = form._fields.get(names.get(path, path))
        if target is not None:
            target.errors = [*target.errors, exc.message]
            placed = True
    return placed


def _establishment(obligation: Obligation) -> str | None:
    return directory.establishment_of(obligation)


def _max_bytes() -> int:
    return attachments.max_bytes(current_app.config)


def _folder() -> Path:
    return attachments.folder_of(current_app.instance_path)


def _obligation(obligation_id: int) -> Obligation:
    return service.get_obligation(get_session(), obligation_id)


def _notice(notice_id: int) -> Notice:
    return service.get_notice(get_session(), notice_id)
