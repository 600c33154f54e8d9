"""The notice lifecycle through the API: draft, edit, approve, send, acknowledge, not required.

The lifecycle service checks the role and the notice's state and says why it refuses; these
routes read the request, commit, and answer with the notice and its obligation as stored.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from ..auth.api import api_auth
from ..db import get_session
from ..errors import NotFound
from ..notice import lifecycle
from ..notice import service as notices
from ..notice.models import Notice
from ..notice.service import notice_summary, obligation_document
from . import parse, schemas
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
        "notice": {**notice_summary(notice), "content": dict(notice.content or {})},
        "obligation": obligation_document(notice.obligation),
    }
