"""Verify a signed report: integrity, trust, nothing added, and the recorded export.

A report is valid only when every check passes: the signature is cryptographically intact,
the signer chains to a trusted root, the signature covers the whole file (no update was
appended), the signature's own bytes are exactly as written, and the file is the one the
export record names, with the facts it recorded.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from asn1crypto import cms
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .keys import SELF_SIGNED_NOTICE, trust_roots
from .manifest import FACTS_FILE, MANIFEST_FILE, facts_digest

log = logging.getLogger(__name__)


def _without_tracebacks(record: logging.LogRecord) -> bool:
    """Drop pyHanko's record of a failed check, which carries its traceback.

    pyHanko logs every signature it cannot validate (an untrusted signer, say) with the stack
    of the exception; the verification states each problem in its own words instead.
    """
    if record.exc_info is None:
        return True
    log.debug("pyHanko: %s", record.getMessage())
    return False


logging.getLogger("pyhanko.sign.validation.generic_cms").addFilter(_without_tracebacks)

# Looks up an export record by its id (from the report's manifest) or, failing that, by
# the file's SHA-256; returns it as a plain mapping, or None when the report is unknown.
ExportLookup = Callable[[str | None, str], Mapping[str, Any] | None]


@dataclass
class Verification:
    """The outcome of every check, with what the report says about itself."""

    sha256: str
    signer: str | None = None
    signed_at: datetime | None = None
    timestamped_at: datetime | None = None
    is_intact: bool = False
    is_trusted: bool = False
    is_unmodified: bool = False
    is_self_signed: bool = False
    is_known: bool = False
    facts_match: bool | None = None
    export: Mapping[str, Any] | None = None
    embedded: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def is_authentic(self) -> bool:
        """Intact and unmodified: the bytes are exactly those that were signed."""
        return self.is_intact and self.is_unmodified

    @property
    def is_valid(self) -> bool:
        return self.is_authentic and self.is_trusted and self.is_known and bool(self.facts_match)

    @property
    def notes(self) -> list[str]:
        return [SELF_SIGNED_NOTICE] if self.is_self_signed else []


def verify_pdf(
    data: bytes, config: Mapping[str, Any], lookup: ExportLookup | None = None
) -> Verification:
    """Run every check on the PDF bytes; never raises for a damaged or foreign file."""
    result = Verification(sha256=hashlib.sha256(data).hexdigest())

    try:
        _check_signature(data, config, result)
    except Exception as exc:  # noqa: BLE001
        # XXX: the file is untrusted input and pyHanko's parsers raise many kinds of errors
        # on damaged bytes; any of them means the report cannot be shown to be authentic.
        log.info("A report failed to parse during verification: %s", type(exc).__name__)
        result.is_intact = False
        result.problems.append(f"The file cannot be read as a signed report: {exc}.")

    _check_export(result, lookup)
    return result


def _check_signature(data: bytes, config: Mapping[str, Any], result: Verification) -> None:
    reader = PdfFileReader(BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if len(signatures) != 1:
        result.problems.append(
            f"The file carries {len(signatures)} signatures; a report carries exactly one."
        )
        return

    signature = signatures[0]
    status = validate_pdf_signature(signature, _validation_context(config))
    _record_status(status, result)

    if not _contents_are_canonical(data, signature):
        result.is_intact = False
        result.problems.append(
            "The signature value's bytes were altered after signing (its padding or "
            "encoding differs from what was written)."
        )
    result.embedded = embedded_files(reader)


def _validation_context(config: Mapping[str, Any]) -> ValidationContext:
    return ValidationContext(trust_roots=trust_roots(config), allow_fetching=False)


def _record_status(status: PdfSignatureStatus, result: Verification) -> None:
    certificate = status.signing_cert
    result.signer = certificate.subject.human_friendly
    result.is_self_signed = certificate.self_signed != "no"
    result.signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None:
        result.timestamped_at = status.timestamp_validity.timestamp

    result.is_intact = bool(status.intact and status.valid)
    if not result.is_intact:
        result.problems.append("The signature does not match the signed bytes.")

    result.is_trusted = bool(status.trusted)
    if not result.is_trusted:
        result.problems.append(
            f"The signer {result.signer!r} does not chain to a trusted root "
            "(TRACKER_TRUST_ROOTS or this instance's own certificate)."
        )

    result.is_unmodified = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not result.is_unmodified:
        level = status.modification_level.name if status.modification_level else "unknown"
        result.problems.append(
            f"Content was added to the file after it was signed (modification level {level})."
        )


def _contents_are_canonical(data: bytes, signature: EmbeddedPdfSignature) -> bool:
    """The signature value as written: the CMS in hex of one case, then zeros only."""
    start, gap_start, gap_end, _ = (int(value) for value in signature.byte_range)
    written = data[start + gap_start : gap_end]

    contents = signature.pkcs7_content
    length = len(cms.ContentInfo.load(contents).dump())
    if any(contents[length:]):
        return False
    hex_text = contents.hex().encode("ascii")
    return written in (b"<" + hex_text + b">", b"<" + hex_text.upper() + b">")


def embedded_files(reader: PdfFileReader) -> dict[str, bytes]:
    """The files attached to the document, by name."""
    names = reader.root.get("/Names")
    if names is None or "/EmbeddedFiles" not in names:
        return {}

    flat = names["/EmbeddedFiles"].get("/Names", [])
    files: dict[str, bytes] = {}
    for index in range(0, len(flat) - 1, 2):
        spec = flat[index + 1].get_object()
        files[str(flat[index])] = spec["/EF"]["/F"].get_object().data
    return files


def _check_export(result: Verification, lookup: ExportLookup | None) -> None:
    manifest = _manifest(result)
    if lookup is None:
        result.problems.append(
            "No export records are available here, so the report cannot be matched to one."
        )
        return

    record = lookup(manifest.get("export_id"), result.sha256)
    if record is None:
        result.problems.append(
            f"No export record matches this file (SHA-256 {result.sha256}); it was not "
            "exported by this tracker, or it was altered."
        )
        return

    result.export = record
    result.is_known = record.get("sha256") == result.sha256
    if not result.is_known:
        result.problems.append(
            f"The file's SHA-256 {result.sha256} differs from the export record's "
            f"{record.get('sha256')}."
        )
    _check_facts(result, record)


def _check_facts(result: Verification, record: Mapping[str, Any]) -> None:
    facts = result.embedded.get(FACTS_FILE)
    if facts is None:
        result.facts_match = False
        result.problems.append(f"The report carries no {FACTS_FILE} attachment.")
        return

    result.facts_match = facts_digest(facts) == record.get("facts_sha256")
    if not result.facts_match:
        result.problems.append("The embedded facts differ from those the export recorded.")


def _manifest(result: Verification) -> dict[str, Any]:
    raw = result.embedded.get(MANIFEST_FILE)
    if raw is None:
        return {}
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        result.problems.append(f"The report's {MANIFEST_FILE} attachment is not valid JSON.")
        return {}
    return manifest if isinstance(manifest, dict) else {}
