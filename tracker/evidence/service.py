"""Record evidence, hash its files as they stream in, and append custody transfers.

Services never commit: the caller owns the transaction, so that an item, its transfers and
their audit rows are stored together or not at all. Nothing here changes a stored transfer
or hash check; the database refuses it as well.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..auth import access
from ..auth.models import User
from ..db import now_utc
from ..errors import Conflict, NotFound, ValidationError
from ..incident.models import Incident
from .models import CustodyTransfer, EvidenceItem, HashCheck, effective_transfers

log = logging.getLogger(__name__)

EVIDENCE_FOLDER = "evidence"
CHUNK_SIZE = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
# How far ahead of the server's clock an instant may be, for a collector's slightly fast watch.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class StreamedFile:
    """A file copied to the evidence folder while its SHA-256 was computed."""

    path: Path
    sha256: str
    size: int


def get(session: Session, item_id: int) -> EvidenceItem:
    item = session.get(EvidenceItem, item_id)
    if item is None:
        raise NotFound(f"There is no evidence item with the id {item_id}.")
    return item


def get_all(session: Session, incident_id: int | None = None, *, viewer: Any) -> list[EvidenceItem]:
    """The evidence items `viewer` may see, newest first, optionally of one incident."""
    query = (
        select(EvidenceItem)
        .where(access.visible_clause(viewer, EvidenceItem.incident_id))
        .order_by(EvidenceItem.id.desc())
    )
    if incident_id is not None:
        query = query.where(EvidenceItem.incident_id == incident_id)
    return list(session.scalars(query))


def normalise_sha256(value: str | None, field: str = "sha256") -> str | None:
    """A SHA-256 as 64 lower-case hex digits; None for an empty value; refused otherwise."""
    text = (value or "").strip().lower()
    if not text:
        return None
    if not SHA256.fullmatch(text):
        raise ValidationError(
            f"The SHA-256 {value!r} is not 64 hexadecimal digits; copy it again from the tool "
            "that computed it (sha256sum prints it first).",
            {field: "expected 64 hexadecimal digits"},
        )
    return text


def create_item(
    session: Session,
    actor: User | None,
    *,
    description: str,
    collected_by: str,
    collected_at: datetime,
    incident_id: int | None = None,
    source_system: str = "",
    location: str = "",
    sha256: str | None = None,
    hold_ids: Sequence[int] = (),
) -> EvidenceItem:
    """Record an item; a hash given here is checked against any file uploaded later."""
    _check_required({"description": description, "collected_by": collected_by})
    _check_instant(collected_at, "collected_at")
    if incident_id is not None and session.get(Incident, incident_id) is None:
        raise ValidationError(
            f"There is no incident with the id {incident_id}.",
            {"incident_id": "expected the id of an incident"},
        )

    digest = normalise_sha256(sha256)
    holds = _holds(session, hold_ids, actor)
    item = EvidenceItem(
        incident_id=incident_id,
        description=description.strip(),
        source_system=source_system.strip(),
        collected_by=collected_by.strip(),
        collected_at=collected_at.astimezone(UTC),
        location=location.strip(),
        sha256=digest,
        hash_source="entered" if digest else None,
        created_at=now_utc(),
        created_by_id=getattr(actor, "id", None),
    )
    session.add(item)
    item.holds.extend(holds)  # type: ignore[attr-defined]
    session.flush()

    audit.record(session, actor, "evidence.create", item, None, item_document(item))
    log.info("Evidence item %s recorded by %s", item.id, _actor(actor))
    return item


def _holds(session: Session, ids: Sequence[int], actor: Any) -> list[Any]:
    """The holds named, each one `actor` may see: a hold of a hidden incident is unknown."""
    from ..hold.models import LegalHold

    found = []
    seen = access.hold_visible_clause(actor)
    for index, hold_id in enumerate(dict.fromkeys(ids)):
        hold = session.scalars(select(LegalHold).where(LegalHold.id == hold_id, seen)).first()
        if hold is None:
            raise ValidationError(
                f"There is no legal hold with the id {hold_id}.",
                {f"hold_ids.{index}": "expected the id of a legal hold"},
            )
        found.append(hold)
    return found


def stream_to_folder(
    stream: IO[bytes], config: Mapping[str, Any], limit: int | None = None
) -> StreamedFile:
    """Copy `stream` into the evidence folder in chunks, hashing as it goes.

    The file is never held in memory whole. Past `limit` bytes the copy is removed and the
    upload refused.
    """
    folder = Path(config["INSTANCE"]) / EVIDENCE_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}.bin"
    digest = hashlib.sha256()
    size = 0

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            while chunk := stream.read(CHUNK_SIZE):
                size += len(chunk)
                if limit is not None and size > limit:
                    raise ValidationError(
                        f"The file is larger than the {limit} bytes accepted for evidence; "
                        "record its SHA-256 and where it is kept instead.",
                        {"file": f"expected at most {limit} bytes"},
                    )
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StreamedFile(path=path, sha256=digest.hexdigest(), size=size)


def attach_file(
    session: Session,
    item: EvidenceItem,
    streamed: StreamedFile,
    filename: str,
    actor: User | None,
) -> HashCheck:
    """Record a streamed file against the item; a hash that does not match is only reported.

    The first matching file (or the first file of an item without a hash) is kept as the
    item's copy. A mismatching file is recorded in the check and discarded: the item's hash
    is never overwritten.
    """
    expected = item.sha256
    is_match = expected is None or expected == streamed.sha256
    check = HashCheck(
        item_id=item.id,
        sha256=streamed.sha256,
        expected=expected,
        is_match=is_match,
        filename=_safe_name(filename),
        size=streamed.size,
        checked_at=now_utc(),
        checked_by_id=getattr(actor, "id", None),
    )
    session.add(check)
    before = item_document(item)
    keeps_file = is_match and item.stored_name is None
    if keeps_file:
        _keep_file(item, streamed, check.filename)
    else:
        streamed.path.unlink(missing_ok=True)
    session.flush()

    action = "evidence.hash_match" if is_match else "evidence.hash_mismatch"
    audit.record(session, actor, action, item, before, {**item_document(item), "check": check.id})
    if not is_match:
        log.warning("Evidence item %s: uploaded file does not match its SHA-256", item.id)
    else:
        log.info("Evidence item %s: file checked by %s", item.id, _actor(actor))
    return check


def _keep_file(item: EvidenceItem, streamed: StreamedFile, filename: str) -> None:
    item.stored_name = streamed.path.name
    item.filename = filename
    item.size = streamed.size
    if item.sha256 is None:
        item.sha256 = streamed.sha256
        item.hash_source = "computed"


def add_transfer(
    session: Session,
    item: EvidenceItem,
    actor: User | None,
    *,
    from_party: str,
    to_party: str,
    at: datetime,
    purpose: str,
    condition: str = "",
    corrects_id: int | None = None,
) -> CustodyTransfer:
    """Append one transfer of custody, or a correction of an earlier one."""
    _check_required({"from": from_party, "to": to_party, "purpose": purpose})
    _check_instant(at, "at")
    if at < item.collected_at:
        raise ValidationError(
            f"The transfer at {at.isoformat()} is before the item was collected "
            f"({item.collected_at.isoformat()}); give the time of the hand-over.",
            {"at": "expected an instant after the collection"},
        )
    corrected = _corrected(item, corrects_id)
    if corrected is None:
        _check_holder(item, from_party)

    transfer = CustodyTransfer(
        item_id=item.id,
        from_party=from_party.strip(),
        to_party=to_party.strip(),
        at=at.astimezone(UTC),
        purpose=purpose.strip(),
        condition=condition.strip(),
        corrects_id=corrects_id,
        recorded_at=now_utc(),
        recorded_by_id=getattr(actor, "id", None),
    )
    session.add(transfer)
    session.flush()
    session.refresh(item, ["transfers"])

    action = "custody.correct" if corrected is not None else "custody.transfer"
    audit.record(session, actor, action, transfer, None, transfer_document(transfer))
    log.info("Evidence item %s: custody %s recorded by %s", item.id, action, _actor(actor))
    return transfer


def _corrected(item: EvidenceItem, corrects_id: int | None) -> CustodyTransfer | None:
    if corrects_id is None:
        return None
    target = next((row for row in item.transfers if row.id == corrects_id), None)
    if target is None:
        raise ValidationError(
            f"The transfer {corrects_id} is not one of this item's transfers.",
            {"corrects": "expected the id of a transfer of this item"},
        )
    later = next((row for row in item.transfers if row.corrects_id == corrects_id), None)
    if later is not None:
        raise Conflict(
            f"The transfer {corrects_id} was already corrected by transfer {later.id}; "
            f"correct transfer {later.id} instead.",
            {"corrects": f"expected {later.id}, the latest correction"},
        )
    return target


def _check_holder(item: EvidenceItem, from_party: str) -> None:
    holder = item.holder
    if from_party.strip().casefold() != holder.casefold():
        raise Conflict(
            f"The item is held by {holder!r}, not {from_party.strip()!r}; a transfer starts "
            "from the current holder (record a correction if an earlier entry is wrong).",
            {"from": f"expected {holder!r}"},
        )


def item_document(item: EvidenceItem) -> dict[str, Any]:
    """The item as plain data, for the API, the audit trail and reports."""
    return {
        "id": item.id,
        "incident_id": item.incident_id,
        "description": item.description,
        "source_system": item.source_system,
        "collected_by": item.collected_by,
        "collected_at": item.collected_at.isoformat(),
        "location": item.location,
        "sha256": item.sha256,
        "hash_source": item.hash_source,
        "filename": item.filename,
        "size": item.size,
        "hold_ids": [hold.id for hold in getattr(item, "holds", [])],
    }


def transfer_document(transfer: CustodyTransfer) -> dict[str, Any]:
    return {
        "id": transfer.id,
        "item_id": transfer.item_id,
        "from": transfer.from_party,
        "to": transfer.to_party,
        "at": transfer.at.isoformat(),
        "purpose": transfer.purpose,
        "condition": transfer.condition,
        "corrects": transfer.corrects_id,
        "recorded_at": transfer.recorded_at.isoformat(),
    }


def check_document(check: HashCheck) -> dict[str, Any]:
    return {
        "id": check.id,
        "sha256": check.sha256,
        "expected": check.expected,
        "matches": check.is_match,
        "filename": check.filename,
        "size": check.size,
        "checked_at": check.checked_at.isoformat(),
    }


def custody_report_rows(session: Session, incident_id: int) -> list[dict[str, Any]]:
    """The incident's items for the signed report: holder, transfer count and hash."""
    return [
        {
            "description": item.description,
            "collected_at": item.collected_at,
            "holder": item.holder,
            "transfers": len(effective_transfers(item.transfers)),
            "sha256": item.sha256,
            "collected_by": item.collected_by,
            "chain": [transfer_document(row) for row in item.transfers],
        }
        for item in reversed(get_all(session, incident_id, viewer=access.TRACKER))
    ]


def _check_required(values: Mapping[str, str]) -> None:
    missing = {
        name: "this field is required" for name, value in values.items() if not value.strip()
    }
    if missing:
        raise ValidationError(f"Fill in {', '.join(sorted(missing))}.", missing)


def _check_instant(value: datetime, field: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"The instant {value.isoformat()} has no offset; add one such as Z or +01:00.",
            {field: "expected an instant with an offset"},
        )
    if value > now_utc() + CLOCK_SKEW:
        raise ValidationError(
            f"The instant {value.isoformat()} is in the future; evidence records what happened.",
            {field: "expected an instant in the past"},
        )


def _safe_name(filename: str) -> str:
    return Path(filename or "").name[:255]


def _actor(actor: User | None) -> str:
    return "the system" if actor is None else f"user {actor.id}"
