"""Evidence items and their chain of custody through the API.

Items are recorded with the SHA-256 of an original kept elsewhere, or have their file uploaded,
streamed to disk and hashed as the web page does; transfers are appended and never edited.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from ..auth import access
from ..auth.api import api_auth
from ..db import get_session
from ..errors import NotFound, ValidationError
from ..evidence import service as evidence
from ..evidence.models import EvidenceItem
from ..evidence.views import receive_file, upload_limit
from . import parse, schemas
from .views import ID, LARGEST_ID, bp

log = logging.getLogger(__name__)


@bp.post("/evidence")
@api_auth(permission="evidence.create")
def create_evidence() -> ResponseReturnValue:
    given = parse.body(schemas.EvidenceCreate)
    session = get_session()
    access.check_incident(session, g.user, given.incident_id)
    item = evidence.create_item(
        session,
        g.user,
        description=given.description,
        collected_by=given.collected_by,
        collected_at=given.collected_at,
        incident_id=given.incident_id,
        source_system=given.source_system,
        location=given.location,
        sha256=given.sha256,
        hold_ids=given.hold_ids,
    )
    session.commit()

    response = jsonify({"evidence": evidence_document(item)})
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_evidence", item_id=item.id, _external=True)
    return response


@bp.get(f"/evidence/<{ID}:item_id>")
@api_auth(permission="incident.read")
def get_evidence(item_id: int) -> ResponseReturnValue:
    return jsonify({"evidence": evidence_document(_item(item_id))})


@bp.post(f"/evidence/<{ID}:item_id>/transfers")
@api_auth(permission="evidence.transfer")
def add_transfer(item_id: int) -> ResponseReturnValue:
    item = _item(item_id)
    given = parse.body(schemas.TransferCreate)
    session = get_session()
    transfer = evidence.add_transfer(
        session,
        item,
        g.user,
        from_party=given.from_party,
        to_party=given.to_party,
        at=given.at,
        purpose=given.purpose,
        condition=given.condition,
        corrects_id=given.corrects,
    )
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC

    body = {
        "transfer": evidence.transfer_document(transfer),
        "evidence": evidence_document(item),
    }
    return jsonify(body), 201


@bp.post(f"/evidence/<{ID}:item_id>/file")
@api_auth(permission="evidence.create")
def upload_evidence(item_id: int) -> ResponseReturnValue:
    """Upload the item's file: multipart, one file in the field file.

    The limit is the web form's, TRACKER_EVIDENCE_UPLOAD_MB. The server hashes the file: the
    first file of an item without a hash gives it its SHA-256; a file that does not match the
    recorded one is recorded in the check and discarded, the item's hash unchanged.
    """
    request.max_content_length = upload_limit()
    item = _item(item_id)
    uploads = [given for given in parse.files("file") if given.filename]
    if len(uploads) != 1:
        raise ValidationError(
            f"Send exactly one file in the multipart field file; got {len(uploads)}.",
            {"file": "expected one file"},
        )
    session = get_session()
    check = receive_file(session, item, uploads[0], g.user)
    session.commit()
    session.expire_all()  # read back what was stored: every instant in UTC
    log.info("Evidence item %s: file checked through the API", item.id)
    body = {"check": evidence.check_document(check), "evidence": evidence_document(item)}
    return jsonify(body), 201


def evidence_document(item: EvidenceItem) -> dict[str, Any]:
    return {
        **evidence.item_document(item),
        "holder": item.holder,
        "transfers": [evidence.transfer_document(row) for row in item.transfers],
        "checks": [evidence.check_document(row) for row in item.checks],
    }


def _item(item_id: int) -> EvidenceItem:
    if item_id > LARGEST_ID:
        raise NotFound(f"There is no evidence item with the id {item_id}.")
    return evidence.get(get_session(), item_id)
