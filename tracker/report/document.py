"""Make one signed report: draw the signer on the page, render, embed the data, sign."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pyhanko.sign.timestamps import TimeStamper

from ..db import now_utc
from .keys import SigningKey, load_signing_key
from .manifest import FACTS_DESCRIPTION, facts_digest, report_files, rule_versions
from .render import html_to_pdf, render_html
from .sign import sign_pdf

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Signatory:
    """The person on whose behalf the organisation key signs, as printed on page one."""

    name: str
    role: str
    reason: str
    location: str | None = None


@dataclass(frozen=True)
class SignedReport:
    export_id: str
    kind: str
    pdf: bytes
    html: str
    signed_at: datetime
    facts_sha256: str
    rule_versions: dict[str, str] = field(default_factory=dict)
    signer_subject: str = ""
    signature_level: str = "B-B"  # PAdES baseline level; B-T with a timestamp token

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def produce_report(
    kind: str,
    template: str,
    context: Mapping[str, Any],
    *,
    facts: Mapping[str, Any],
    obligations: Mapping[str, Any] | None,
    signatory: Signatory,
    config: Mapping[str, Any],
    export_id: str | None = None,
    key: SigningKey | None = None,
    timestamper: TimeStamper | None = None,
    manifest: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    facts_description: str = FACTS_DESCRIPTION,
) -> SignedReport:
    """Render the template with the signature block, embed the data and sign it.

    `progress`, when given, is told each step as it starts: "rendering", then "signing".
    """
    step = progress or (lambda name: None)
    key = key or load_signing_key(config)
    export_id = export_id or str(uuid.uuid4())
    signed_at = now_utc().replace(microsecond=0)

    files = report_files(
        facts,
        obligations,
        {
            "export_id": export_id,
            "kind": kind,
            "reference": context["reference"],
            "facts_sha256": facts_digest(facts),
            "rule_versions": rule_versions(obligations or {}),
            "signed_at": signed_at.isoformat(),
            **(manifest or {}),
        },
        facts_description,
    )
    step("rendering")
    html = render_html(
        template,
        {
            **context,
            "export_id": export_id,
            "marking": config["CONFIDENTIALITY_MARKING"],
            "signature": _signature_block(signatory, key, signed_at),
            "attachments": [item.name for item in files],
        },
    )
    pdf = html_to_pdf(html, paper=config["PAPER"], attachments=files)

    step("signing")
    signed = sign_pdf(
        pdf,
        key,
        signed_at=signed_at,
        name=signatory.name,
        reason=signatory.reason,
        location=signatory.location,
        tsa_url=config.get("TSA_URL"),
        timestamper=timestamper,
    )
    log.info("Produced a %s report %s", kind, export_id)
    return SignedReport(
        export_id=export_id,
        kind=kind,
        pdf=signed,
        html=html,
        signed_at=signed_at,
        facts_sha256=facts_digest(facts),
        rule_versions=rule_versions(obligations or {}),
        signer_subject=key.subject,
        signature_level="B-T" if timestamper or config.get("TSA_URL") else "B-B",
    )


def _signature_block(signatory: Signatory, key: SigningKey, signed_at: datetime) -> dict[str, Any]:
    return {
        "name": signatory.name,
        "role": signatory.role,
        "reason": signatory.reason,
        "signed_at": signed_at,
        "certificate": key.subject,
        "fingerprint": key.fingerprint,
        "is_self_signed": key.is_self_signed,
    }
