"""Exported reports: one row per signed PDF, the record `tracker verify` checks against."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, now_utc
from ..incident.models import Incident

# The incident compliance report, a regulator submission for one obligation, the post-mortem,
# the report of the incident's legal holds, and the chain of custody of its evidence.
INCIDENT_KINDS = ("incident", "submission", "post_mortem", "legal_hold", "custody")
# And the response plan's monthly and quarterly reports, which belong to no one incident.
KINDS = (*INCIDENT_KINDS, "plan_report")


class ReportExport(Base):
    __tablename__ = "report_exports"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(kind) for kind in KINDS)})", name="kind"),
    )
    audit_type = "report_export"

    # The export id printed on the report and carried in its report.json attachment.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # None for a plan report, which covers a period rather than one incident.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    # For a regulator submission, the obligation it answers (regime/recipient[/stage]).
    obligation_key: Mapped[str | None] = mapped_column(String(120))
    # SHA-256 of the signed PDF file, as hex: the file is known when its hash is here.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the embedded facts document in canonical JSON (sorted keys, no spaces).
    facts_sha256: Mapped[str] = mapped_column(String(64))
    # The rule version used for each obligation key, as in the obligations attachment.
    rule_versions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The person printed on page one, and the certificate that signed for the organisation.
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_role: Mapped[str] = mapped_column(String(200))
    certificate_subject: Mapped[str] = mapped_column(String(400))
    # PAdES baseline level: B-B, or B-T with a timestamp authority's token.
    signature_level: Mapped[str] = mapped_column(String(8))
    # Where the file is kept, relative to the instance folder.
    path: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    incident: Mapped[Incident | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def download_name(self) -> str:
        """The file name a download of the report is given."""
        owner = self.incident.reference if self.incident else "plan"
        return f"{owner}-{self.kind}-{self.id[:8]}.pdf"

    def to_dict(self) -> dict[str, Any]:
        """The export record as the API returns it and `tracker verify` prints it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "incident_id": self.incident_id,
            "incident_reference": self.incident.reference if self.incident else None,
            "obligation_key": self.obligation_key,
            "sha256": self.sha256,
            "facts_sha256": self.facts_sha256,
            "rule_versions": dict(self.rule_versions or {}),
            "signer": self.signer_name,
            "signer_role": self.signer_role,
            "certificate_subject": self.certificate_subject,
            "signature_level": self.signature_level,
            "path": self.path,
            "size": self.size,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "created_by": self.created_by.label if self.created_by else None,
        }

    def __repr__(self) -> str:
        return f"<ReportExport {self.id} {self.kind} incident {self.incident_id}>"


JOB_STATUSES = ("queued", "rendering", "signing", "done", "failed")


class ReportJob(Base):
    """A report export asked for from a web page, produced in the background.

    The row is the truth about the job: the page that shows its progress reads it, and a
    job whose process stopped before it finished is recognised by its age and shown as
    interrupted rather than as running for ever.
    """

    __tablename__ = "report_jobs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'rendering', 'signing', 'done', 'failed')", name="status"
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    obligation_key: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    # Why the job failed, in words for the person who asked for it.
    error: Mapped[str | None] = mapped_column(String(1000))
    export_id: Mapped[str | None] = mapped_column(ForeignKey("report_exports.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # When the status last changed; a job that stays unfinished long after is interrupted.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    incident: Mapped[Incident] = relationship()
    export: Mapped[ReportExport | None] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def is_finished(self) -> bool:
        return self.status in ("done", "failed")

    def __repr__(self) -> str:
        return f"<ReportJob {self.id} {self.status}>"
