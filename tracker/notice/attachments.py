"""Proof of a notice: checked uploads, kept under the instance folder, never served as a page.

A file is accepted only up to the size limit and only when its first bytes match one of the
allowed types (PDF, PNG, JPEG, plain text or a saved e-mail); its content type is decided
here, never taken from the browser. Files are stored under random names in the instance
folder's attachments/, which no route serves directly.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from .. import audit, downloads
from ..auth.models import User
from ..auth.permissions import can
from ..db import now_utc
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from .models import GIVEN_STATUSES, Attachment, Notice

log = logging.getLogger(__name__)

FOLDER = "attachments"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# The kinds of proof accepted: extension, content type, and a check of the first bytes.
KINDS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".eml": "message/rfc822",
}
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
ALLOWED_WORDS = "PDF, PNG, JPEG, plain text (.txt) or a saved e-mail (.eml)"


@dataclass(frozen=True)
class Upload:
    """A file as received, before it is checked."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Checked:
    """A file that passed the checks, with the name and type it will be stored under."""

    filename: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check(upload: Upload, max_bytes: int = DEFAULT_MAX_BYTES) -> Checked:
    """Refuse a file over the size limit or of an unexpected type, saying which."""
    name = safe_filename(upload.filename)
    if len(upload.data) > max_bytes:
        raise ValidationError(
            f"The file {name} is larger than {size_words(max_bytes)}, the most accepted for "
            "one proof file.",
            {"attachments": f"at most {size_words(max_bytes)} per file"},
        )
    if not upload.data:
        raise ValidationError(
            f"The file {name} is empty.", {"attachments": "expected a file with content"}
        )

    content_type = KINDS.get(Path(name).suffix.lower())
    if content_type is None or not _content_matches(content_type, upload.data):
        raise ValidationError(
            f"The file {name} is not of an accepted type; proof is accepted as {ALLOWED_WORDS}.",
            {"attachments": f"expected {ALLOWED_WORDS}"},
        )
    return Checked(name, content_type, upload.data)


def add(
    session: Session, notice: Notice, checked: Checked, actor: User, folder: Path
) -> Attachment:
    """Store the file and its row; the caller commits, or removes the file on failure."""
    if not can(actor, "notice.record"):
        raise Forbidden(
            f"A user with the role {actor.role} cannot add proof of a notice; counsel or an "
            "administrator can.",
            {"role": actor.role},
        )
    if notice.status not in GIVEN_STATUSES:
        raise Conflict(
            "Proof can be added once the notice is recorded as sent.", {"status": notice.status}
        )

    attachment = Attachment(
        notice=notice,
        incident_id=notice.incident_id,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        stored_name=uuid.uuid4().hex,
        uploaded_by_id=actor.id,
        uploaded_at=now_utc(),
    )
    session.add(attachment)
    path = stored_path(folder, attachment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(checked.data)

    after = {"notice_id": notice.id, "filename": attachment.filename, "sha256": attachment.sha256}
    audit.record(session, actor, "attachment.add", attachment, None, after)
    log.info("Proof attached to notice %s by user %s", notice.id, actor.id)
    return attachment


def folder_of(instance_path: str | Path) -> Path:
    return Path(instance_path) / FOLDER


def stored_path(folder: Path, attachment: Attachment) -> Path:
    """Where the file lies; its name is random and never comes from the user."""
    if not re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name):
        raise ValueError("An attachment's stored name is not a random hexadecimal name.")
    return folder / attachment.stored_name


def safe_filename(filename: str) -> str:
    """The user's file name without folders, control characters or quotes, for display."""
    return downloads.safe_filename(filename, "attachment")


def max_bytes(config: Mapping[str, Any]) -> int:
    """The largest proof file accepted: TRACKER_ATTACHMENT_MAX_MB."""
    megabytes = config.get("TRACKER_ATTACHMENT_MAX_MB")
    return DEFAULT_MAX_BYTES if megabytes is None else int(megabytes) * 1024 * 1024


def check_uploads(files: Iterable[FileStorage], limit: int) -> list[Checked]:
    """Read and check each uploaded file that has a name, up to one byte over the limit."""
    checked = []
    for upload in files:
        if upload and upload.filename:
            data = upload.stream.read(limit + 1)
            checked.append(check(Upload(upload.filename, data), limit))
    return checked


def commit_with_files(
    session: Session,
    notice: Notice,
    proofs: Sequence[Checked],
    actor: User,
    folder: Path,
    change: Callable[[Session], Any] | None = None,
) -> list[Attachment]:
    """Run `change`, store the proof files and their rows, and commit them together.

    Unlike the other services this one commits, because the files on disk must go with the
    rows: on any failure the transaction is rolled back and every file written is removed.
    """
    written: list[Path] = []
    try:
        if change is not None:
            change(session)
        rows = []
        for checked in proofs:
            row = add(session, notice, checked, actor, folder)
            written.append(stored_path(folder, row))
            rows.append(row)
        session.commit()
    except BaseException:
        session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return rows


def get_of_notice(session: Session, notice_id: int, attachment_id: int) -> Attachment:
    """The proof `attachment_id` of the notice; an id of another notice's proof is unknown."""
    from .service import get_attachment

    attachment = get_attachment(session, attachment_id)
    if attachment.notice_id != notice_id:
        raise NotFound(f"The notice {notice_id} has no proof with the id {attachment_id}.")
    return attachment


def _content_matches(content_type: str, data: bytes) -> bool:
    if content_type in SIGNATURES:
        return data.startswith(SIGNATURES[content_type])
    return _is_text(data)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"
