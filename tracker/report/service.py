"""Export signed reports for incidents, keep them in the instance folder and record them.

Each export writes the PDF under instance/reports/, adds a ReportExport row with the file's
SHA-256, the facts digest and the rule versions, and an audit row, in the caller's
transaction. The file is written first, so that a record never points at a missing file,
and removed again when the rows cannot be written.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.models import AuditEvent
from ..audit.service import record
from ..auth.models import User
from ..db import now_utc
from ..errors import NotFound, ValidationError
from ..evidence.service import custody_report_rows
from ..facts import Facts
from ..hold.service import hold_report_rows
from ..incident.models import Incident
from ..notice.models import Notice
from .content import INCIDENT_TEMPLATE, SUBMISSION_TEMPLATE, incident_context, submission_context
from .document import Progress, Signatory, SignedReport, produce_report
from .keys import SigningKey
from .models import INCIDENT_KINDS as KINDS
from .models import ReportExport
from .verify import ExportLookup

log = logging.getLogger(__name__)

REPORTS_FOLDER = "reports"
AUDIT_EXCERPT_LIMIT = 200
# Report kind -> template, heading, the context rows it shows, and why it cannot be made.
RECORD_REPORTS = {
    "legal_hold": (
        "report/legal_hold.html",
        "Legal hold report",
        "holds",
        "The incident has no legal hold yet; create and issue one before exporting its report.",
    ),
    "custody": (
        "report/custody.html",
        "Chain-of-custody report",
        "custody",
        "The incident has no evidence recorded yet; record an item before exporting its "
        "chain of custody.",
    ),
}
DEFAULT_REASON = "Record of the incident's notification obligations, for filing"

Evaluator = Callable[[Facts], Any]


def export_report(
    session: Session,
    incident: Incident,
    actor: User | None,
    config: Mapping[str, Any],
    *,
    kind: str = "incident",
    obligation_key: str | None = None,
    reason: str | None = None,
    evaluate: Evaluator | None = None,
    key: SigningKey | None = None,
    progress: Progress | None = None,
) -> ReportExport:
    """Render, sign, store and record one report for the incident."""
    if kind not in KINDS:
        raise ValidationError(
            f"The report kind {kind!r} is not known; choose {', '.join(KINDS)}.",
            {"kind": f"expected one of {', '.join(KINDS)}"},
        )

    facts = incident.facts_document
    evaluation = _evaluate(incident, config, evaluate)
    signatory = _signatory(actor, incident, config, reason)
    context, template, attached = _content(session, kind, incident, evaluation, obligation_key)
    report = produce_report(
        kind,
        template,
        context,
        facts=facts,
        obligations=attached,
        signatory=signatory,
        config=config,
        key=key,
        manifest={"incident_id": incident.id, "obligation_key": obligation_key},
        progress=progress,
    )

    path = _store(config, report)
    try:
        export = _record_export(session, incident, actor, report, signatory, obligation_key, path)
        session.flush()
    except BaseException:
        (Path(config["INSTANCE"]) / path).unlink(missing_ok=True)
        raise

    log.info("Exported %s report %s for incident %s", kind, export.id, incident.id)
    return export


def export_period_document(
    session: Session,
    kind: str,
    template: str,
    context: Mapping[str, Any],
    data: Mapping[str, Any],
    config: Mapping[str, Any],
    *,
    data_description: str,
    manifest: Mapping[str, Any] | None = None,
    key: SigningKey | None = None,
) -> ReportExport:
    """Render, sign, store and record a report that belongs to no one incident.

    `data` is the document the report was made from (a plan report's figures); it is embedded
    as the report's facts.json and its digest recorded, so that verification checks it.
    """
    organisation = str(config["SIGNING_ORGANISATION"])
    signatory = Signatory(
        name=organisation,
        role="Organisation, generated on schedule",
        reason="Periodic report of the incident response plan",
    )
    report = produce_report(
        kind,
        template,
        context,
        facts=data,
        obligations=None,
        signatory=signatory,
        config=config,
        key=key,
        manifest=manifest,
        facts_description=data_description,
    )

    path = _store(config, report)
    try:
        export = _record_export(session, None, None, report, signatory, None, path)
        session.flush()
    except BaseException:
        (Path(config["INSTANCE"]) / path).unlink(missing_ok=True)
        raise

    log.info("Exported %s report %s", kind, export.id)
    return export


def get(session: Session, export_id: str) -> ReportExport:
    export = session.get(ReportExport, export_id)
    if export is None:
        raise NotFound(f"There is no exported report with the id {export_id!r}.")
    return export


def get_all(session: Session, incident: Incident) -> list[ReportExport]:
    """The incident's exports, newest first."""
    query = (
        select(ReportExport)
        .where(ReportExport.incident_id == incident.id)
        .order_by(ReportExport.created_at.desc())
    )
    return list(session.scalars(query))


def read_pdf(config: Mapping[str, Any], export: ReportExport) -> bytes:
    """The stored file of an export."""
    path = Path(config["INSTANCE"]) / export.path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(
            f"The file of report {export.id} is missing from {path}; restore it from backup."
        ) from None


def export_lookup(session: Session) -> ExportLookup:
    """A lookup for verify_pdf: by the export id in the report, else by the file's hash."""

    def lookup(export_id: str | None, sha256: str) -> dict[str, Any] | None:
        export = session.get(ReportExport, export_id) if export_id else None
        if export is None:
            query = select(ReportExport).where(ReportExport.sha256 == sha256)
            export = session.scalars(query).first()
        return None if export is None else export.to_dict()

    return lookup


def _evaluate(
    incident: Incident, config: Mapping[str, Any], evaluate: Evaluator | None
) -> dict[str, Any]:
    if evaluate is None:
        from ..deadline import evaluate as engine_evaluate

        return engine_evaluate(
            incident.facts, policy_target_hours=int(config["POLICY_TARGET_HOURS"])
        ).to_dict()
    return evaluate(incident.facts).to_dict()


def _signatory(
    actor: User | None, incident: Incident, config: Mapping[str, Any], reason: str | None
) -> Signatory:
    if actor is not None:
        name, role = actor.name, actor.role.replace("_", " ").capitalize()
    else:
        name = incident.facts.organisation.name or str(config["SIGNING_ORGANISATION"])
        role = "Organisation, exported from the command line"
    return Signatory(name=name, role=role, reason=reason or DEFAULT_REASON)


def _content(
    session: Session,
    kind: str,
    incident: Incident,
    evaluation: dict[str, Any],
    obligation_key: str | None,
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The template context, the template and the obligations to attach, for one kind."""
    facts = incident.facts_document
    if kind == "submission":
        obligation = _obligation(evaluation, obligation_key)
        context = submission_context(incident.reference, facts, obligation)
        return context, SUBMISSION_TEMPLATE, {"obligations": [obligation], "not_applicable": []}

    context = incident_context(
        incident.reference,
        facts,
        evaluation,
        timeline=_timeline(incident),
        audit=_audit_excerpt(session, incident),
        notices=_notice_log(session, incident),
        custody=custody_report_rows(session, incident.id),
        holds=hold_report_rows(session, incident.id),
    )
    context["timeline_picture"] = _timeline_picture(session, incident)
    context["impact"] = _impact(incident)
    if kind in RECORD_REPORTS:
        return _record_report(kind, context), RECORD_REPORTS[kind][0], evaluation
    if kind == "post_mortem":
        from ..plan import postmortem

        context = postmortem.report_context(session, incident, context)
        return context, postmortem.REPORT_TEMPLATE, evaluation
    return context, INCIDENT_TEMPLATE, evaluation


def _impact(incident: Incident) -> dict[str, Any]:
    """The incident's impact assessment: technical, business and operational."""
    return {
        "systems": list(incident.impact_systems or []),
        "users": incident.impact_users,
        "data_compromised": incident.impact_data_compromised,
        "data_loss": incident.impact_data_loss,
        "revenue": incident.revenue_impact,
        "customers": incident.customer_impact,
        "brand": incident.brand_impact,
        "regulatory": incident.regulatory_impact,
        "time_to_detect": incident.time_to_detect,
        "time_to_respond": incident.time_to_respond,
        "time_to_resolve": incident.time_to_resolve,
    }


def _timeline_picture(session: Session, incident: Incident) -> str:
    """The incident page's timeline picture as SVG markup, drawn as of the export."""
    from ..incident.timeline_svg import incident_timeline_svg
    from ..notice.service import get_obligations

    obligations = get_obligations(session, incident, include_withdrawn=False)
    return str(incident_timeline_svg(incident, obligations, now_utc()))


def _record_report(kind: str, context: dict[str, Any]) -> dict[str, Any]:
    """The context of a legal hold or chain-of-custody report; refused when it has no rows."""
    template, heading, rows, missing = RECORD_REPORTS[kind]
    if not context[rows]:
        raise ValidationError(missing, {"kind": f"no {rows} recorded for this incident"})
    return {**context, "heading": heading}


def _obligation(evaluation: Mapping[str, Any], key: str | None) -> dict[str, Any]:
    keys = [item["key"] for item in evaluation.get("obligations", [])]
    for item in evaluation.get("obligations", []):
        if item["key"] == key:
            return dict(item)
    raise ValidationError(
        f"The obligation {key!r} does not arise from this incident's facts; "
        f"choose one of {', '.join(keys) or 'none (no obligation applies)'}.",
        {"obligation": "expected an obligation key of this incident"},
    )


def _timeline(incident: Incident) -> list[dict[str, Any]]:
    entries = [
        {"at": entry.at, "text": f"{entry.kind}: {entry.text}", "actor": _name(entry.author)}
        for entry in incident.timeline
    ]
    changes = [
        {
            "at": change.at,
            "text": f"status: {change.from_status or 'opened'} → {change.to_status}",
            "actor": _name(change.actor),
        }
        for change in incident.status_changes
    ]
    return entries + changes


def _notice_log(session: Session, incident: Incident) -> list[dict[str, Any]]:
    """Every notice given for the incident, in the order it was sent, with its proofs."""
    query = (
        select(Notice)
        .where(Notice.incident_id == incident.id, Notice.sent_at.is_not(None))
        .order_by(Notice.sent_at, Notice.id)
    )
    return [
        {
            "key": notice.obligation.key,
            "sent_at": notice.sent_at,
            "channel": notice.channel,
            "reference": notice.reference,
            "proof": ", ".join(
                f"{item.filename} (SHA-256 {item.sha256[:12]}…)" for item in notice.attachments
            ),
            "delay_reason": notice.delay_reason,
        }
        for notice in session.scalars(query)
    ]


def _audit_excerpt(session: Session, incident: Incident) -> list[dict[str, Any]]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.incident_id == incident.id)
        .order_by(AuditEvent.seq)
        .limit(AUDIT_EXCERPT_LIMIT)
    )
    return [
        {
            "at": event.at,
            "actor": event.actor_label,
            "action": event.action,
            "detail": f"{event.object_type} {event.object_id or ''} · row {event.seq}",
        }
        for event in session.scalars(query)
    ]


def _name(user: User | None) -> str | None:
    return None if user is None else user.name


def _store(config: Mapping[str, Any], report: SignedReport) -> str:
    """Write the PDF under instance/reports/, owner-only; return its relative path."""
    relative = f"{REPORTS_FOLDER}/{report.export_id}.pdf"
    path = Path(config["INSTANCE"]) / relative
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(report.pdf)
    return relative


def _record_export(
    session: Session,
    incident: Incident | None,
    actor: User | None,
    report: SignedReport,
    signatory: Signatory,
    obligation_key: str | None,
    path: str,
) -> ReportExport:
    export = ReportExport(
        id=report.export_id,
        kind=report.kind,
        incident=incident,
        obligation_key=obligation_key,
        sha256=report.sha256,
        facts_sha256=report.facts_sha256,
        rule_versions=report.rule_versions,
        signer_name=signatory.name,
        signer_role=signatory.role,
        certificate_subject=report.signer_subject,
        signature_level=report.signature_level,
        path=path,
        size=len(report.pdf),
        created_at=report.signed_at,
        created_by=actor,
    )
    session.add(export)
    record(
        session,
        actor or ("command line" if incident is not None else "scheduler"),
        "report.export",
        export,
        after={
            "kind": report.kind,
            "sha256": report.sha256,
            "facts_sha256": report.facts_sha256,
            "rule_versions": report.rule_versions,
            "obligation_key": obligation_key,
            "path": path,
        },
    )
    return export
