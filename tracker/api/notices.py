"""The notice lifecycle through the API: draft, edit, approve, send, acknowledge, not required,
proof files up and down, and the recipient directory.

The lifecycle service checks the role and the notice's state and says why it refuses; these
routes read the request, commit, and answer with the notice and its obligation as stored.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from ..auth import access
from ..auth.api import api_auth
from ..db import get_session
from ..downloads import send_download
from ..errors import NotFound, ValidationError
from ..incident import service as incidents
from ..notice import attachments, directory, lifecycle
from ..notice import service as notices
from ..notice.models import Notice
from ..notice.service import obligation_document
from . import documents, parse, schemas
from .views import ID, LARGEST_ID, _obligation, bp

log = logging.getLogger(__name__)


@bp.post(f"/obligations/<{ID}:obligation_id>/drafts")
@api_auth(permission="incident.facts")
def draft_notice(obligation_id: int) -> ResponseReturnValue:
    """Start a draft notice, prefilled from the facts with the letter's fields."""
    obligation = _obligation(obligation_id)
    given = parse.body(schemas.DraftCreate, optional=True)
    notice = lifecycle.create_notice(
        get_session(), obligation, g.user, letter_id=given.letter, phase=given.phase
    )
    return _answer(notice, 201)


@bp.post(f"/obligations/<{ID}:obligation_id>/not-required")
@api_auth(permission="notice.record")
def not_required(obligation_id: int) -> ResponseReturnValue:
    """Close the obligation without a notice, with counsel's reason."""
    obligation = _obligation(obligation_id)
    given = parse.body(schemas.NotRequired)
    notice = lifecycle.mark_not_required(get_session(), obligation, g.user, given.reason)
    return _answer(notice, 201)


@bp.get(f"/notices/<{ID}:notice_id>")
@api_auth(permission="incident.read")
def get_notice(notice_id: int) -> ResponseReturnValue:
    notice = _notice(notice_id)
    return jsonify(_document(notice))


@bp.put(f"/notices/<{ID}:notice_id>/content")
@api_auth(permission="incident.facts")
def edit_notice(notice_id: int) -> ResponseReturnValue:
    notice = _notice(notice_id)
    given = parse.body(schemas.ContentChange)
    lifecycle.update_content(get_session(), notice, dict(given.content), g.user)
    return _answer(notice, 200)


@bp.post(f"/notices/<{ID}:notice_id>/approve")
@api_auth(permission="notice.record")
def approve_notice(notice_id: int) -> ResponseReturnValue:
    """Counsel's sign-off: the content is frozen with its hash."""
    notice = _notice(notice_id)
    parse.body(schemas.Empty, optional=True)
    lifecycle.approve(get_session(), notice, g.user)
    return _answer(notice, 200)


@bp.post(f"/notices/<{ID}:notice_id>/send")
@api_auth(permission="notice.record")
def send_notice(notice_id: int) -> ResponseReturnValue:
    """Record that the approved notice went out; the obligations are recomputed."""
    notice = _notice(notice_id)
    given = parse.body(schemas.NoticeRecord)
    lifecycle.send(
        get_session(),
        notice,
        g.user,
        sent_at=given.sent_at,
        channel=given.channel,
        reference=given.reference,
        delay_reason=given.delay_reason,
    )
    return _answer(notice, 200)


@bp.post(f"/notices/<{ID}:notice_id>/acknowledge")
@api_auth(permission="notice.record")
def acknowledge_notice(notice_id: int) -> ResponseReturnValue:
    notice = _notice(notice_id)
    given = parse.body(schemas.Acknowledgement, optional=True)
    lifecycle.acknowledge(
        get_session(),
        notice,
        g.user,
        acknowledged_at=given.acknowledged_at,
        reference=given.reference,
    )
    return _answer(notice, 200)


@bp.post(f"/notices/<{ID}:notice_id>/attachments")
@api_auth(permission="notice.record")
def add_attachments(notice_id: int) -> ResponseReturnValue:
    """Add proof files to a notice recorded as sent: multipart, each in the field attachments.

    The limits are the web form's: TRACKER_ATTACHMENT_MAX_MB a file, TRACKER_MAX_UPLOAD_MB
    the request, and only the accepted kinds of file, checked by their first bytes.
    """
    notice = _notice(notice_id)
    request.max_content_length = current_app.config.get("MAX_CONTENT_LENGTH")
    uploads = parse.files("attachments")
    proofs = attachments.check_uploads(uploads, attachments.max_bytes(current_app.config))
    if not proofs:
        raise ValidationError(
            "Send at least one proof file in the multipart field attachments.",
            {"attachments": "expected at least one file"},
        )
    session = get_session()
    folder = attachments.folder_of(current_app.instance_path)
    attachments.commit_with_files(session, notice, proofs, g.user, folder)
    session.expire_all()  # read back what was stored: every instant in UTC
    log.info("%s proof files added to notice %s through the API", len(proofs), notice.id)
    return jsonify(_document(notice)), 201


@bp.get(f"/notices/<{ID}:notice_id>/attachments/<{ID}:attachment_id>")
@api_auth(permission="incident.read")
def download_attachment(notice_id: int, attachment_id: int) -> ResponseReturnValue:
    """The stored proof file, always as a download."""
    if attachment_id > LARGEST_ID:
        raise NotFound(f"There is no attachment with the id {attachment_id}.")
    attachment = attachments.get_of_notice(get_session(), notice_id, attachment_id)
    path = attachments.stored_path(attachments.folder_of(current_app.instance_path), attachment)
    return send_download(path, attachment.filename, attachment.content_type)


@bp.get("/recipients")
@api_auth(permission="incident.read")
def recipients() -> ResponseReturnValue:
    """The recipient directory, or with incident_id the recipients of one incident's notices."""
    filters = parse.query(schemas.RecipientsQuery)
    session = get_session()
    incident, keys, rows = None, None, []
    if filters.incident_id is not None:
        access.check_incident(session, g.user, filters.incident_id)
        incident = incidents.get(session, filters.incident_id)
        obligations = notices.get_obligations(session, incident, include_withdrawn=False)
        keys = [row.key for row in obligations]
        rows = [
            {
                "obligation_id": row.id,
                "key": row.key,
                "entries": [
                    documents.recipient_entry(entry)
                    for entry in directory.entries_for(row.key, directory.establishment_of(row))
                ],
            }
            for row in obligations
        ]
    body = {
        "reviewed": directory.reviewed().isoformat(),
        "incident_id": filters.incident_id,
        "obligations": rows,
        "regulators": [documents.regulator(item) for item in directory.regulators(keys)],
        "parties": [documents.party(item) for item in directory.parties(keys)],
        "customers": [
            documents.customer(item) for item in directory.customers(session, g.user, incident)
        ],
    }
    return jsonify(body)


def _notice(notice_id: int) -> Notice:
    if notice_id > LARGEST_ID:
        raise NotFound(f"There is no notice with the id {notice_id}.")
    return notices.get_notice(get_session(), notice_id)


def _answer(notice: Notice, status: int) -> ResponseReturnValue:
    """Commit, then answer with the notice and its obligation as stored."""
    session = get_session()
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC
    return jsonify(_document(notice)), status


def _document(notice: Notice) -> dict[str, Any]:
    return {
        "notice": documents.notice_detail(notice),
        "obligation": obligation_document(notice.obligation),
    }
