"""PAdES signatures: baseline B-B, or B-T when a timestamp authority is configured.

The signature is invisible: the signer's name, role, reason and time are already drawn on
the first page by the template, so the signature covers every visible mark and nothing is
added to the document once it is signed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import TimeStamper

from ..errors import ConfigError, TrackerError
from .keys import SigningKey

log = logging.getLogger(__name__)

FIELD_NAME = "TrackerReportSignature"


class SigningError(TrackerError):
    """A report that could not be signed."""

    status_code = 500


class _FixedTimeSigner(PdfSigner):
    """A PdfSigner whose signing time is the one already printed on the page."""

    def __init__(self, signed_at: datetime, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signed_at = signed_at

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signed_at
        return session


def sign_pdf(
    pdf: bytes,
    key: SigningKey,
    *,
    signed_at: datetime,
    name: str,
    reason: str,
    location: str | None = None,
    tsa_url: str | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Sign the PDF as PAdES with the organisation key; return the signed bytes."""
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
        location=location,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    stamper = timestamper or _timestamper(tsa_url)
    signer = _FixedTimeSigner(signed_at, metadata, key.signer, timestamper=stamper)

    try:
        output = signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)))
    except (OSError, ValueError) as exc:
        raise SigningError(f"The report could not be signed: {exc}.") from exc

    log.info("Signed a report (%s, %s)", key.source, "B-T" if stamper else "B-B")
    return output.getvalue()


def _timestamper(tsa_url: str | None) -> TimeStamper | None:
    if not tsa_url:
        return None
    try:
        from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
    except ImportError:
        raise ConfigError(
            f"TRACKER_TSA_URL is set to {tsa_url!r} but the requests package, which reaches "
            "the timestamp authority, is not installed."
        ) from None
    return RequestsHTTPTimeStamper(tsa_url, timeout=15)
