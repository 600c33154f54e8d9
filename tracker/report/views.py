"""Report routes: export from the API and the incident page, download, and verify an upload."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..auth.api import api_auth
from ..auth.permissions import require_permission
from ..db import get_session
from ..downloads import send_download
from ..errors import TrackerError, ValidationError
from ..incident import service as incidents
from . import jobs, service
from .commands import EXIT_ALTERED, EXIT_VALID, exit_status
from .models import ReportExport
from .verify import Verification, verify_pdf

log = logging.getLogger(__name__)


class UnsupportedMedia(TrackerError):
    status_code = 415


bp = Blueprint("report", __name__)

EXPORT_FIELDS = {"kind", "obligation", "reason"}
JOB_STEPS = {
    "queued": "Waiting for a report worker",
    "rendering": "Laying out the pages",
    "signing": "Signing the PDF",
}
JOB_REFRESH_SECONDS = 2
RECENT_EXPORTS = 5


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(_recent_exports, "recent_exports")
    app.add_template_global(_submission_keys, "submission_keys")


def _submission_keys(incident: Any) -> list[str]:
    """The obligations a regulator submission can be exported for: the incident's current ones."""
    from ..notice.service import get_obligations

    return [row.key for row in get_obligations(get_session(), incident, include_withdrawn=False)]


def _recent_exports(incident: Any) -> list[ReportExport]:
    """The incident's latest exports, for the list beside the export button."""
    return service.get_all(get_session(), incident)[:RECENT_EXPORTS]


def tracker_config() -> dict[str, Any]:
    """The application's TRACKER_* settings, by their names without the prefix."""
    prefix = "TRACKER_"
    return {
        key.removeprefix(prefix): value
        for key, value in current_app.config.items()
        if key.startswith(prefix)
    }


@bp.post("/api/v1/incidents/<int:incident_id>/reports")
@api_auth(permission="report.sign")
def api_export(incident_id: int) -> ResponseReturnValue:
    """Export a signed report; 201 with the export record and where to download it."""
    session = get_session()
    incident = incidents.get(session, incident_id)  # an unknown id is 404 whatever the body
    body = _export_request(request.get_json(silent=True))
    export = service.export_report(
        session,
        incident,
        g.user,
        tracker_config(),
        kind=body.get("kind", "incident"),
        obligation_key=body.get("obligation"),
        reason=body.get("reason"),
    )
    session.commit()

    download = url_for("report.api_download", export_id=export.id, _external=True)
    return jsonify({"export": export.to_dict(), "download_url": download}), 201


@bp.get("/api/v1/reports/<export_id>")
@api_auth(permission="incident.read")
def api_record(export_id: str) -> ResponseReturnValue:
    return jsonify({"export": service.get(get_session(), export_id).to_dict()})


@bp.get("/api/v1/reports/<export_id>/pdf")
@api_auth(permission="incident.read")
def api_download(export_id: str) -> ResponseReturnValue:
    return _send(service.get(get_session(), export_id))


@bp.post("/api/v1/verify")
@api_auth(permission="incident.read")
def api_verify() -> ResponseReturnValue:
    """Verify the PDF sent as the body; 200 with every check, whatever the outcome."""
    if request.mimetype != "application/pdf":
        raise UnsupportedMedia(
            f"Send the report as the request body with Content-Type application/pdf, "
            f"not {request.mimetype or 'no content type'}.",
            {"": "expected application/pdf"},
        )

    result = verify_pdf(request.get_data(), tracker_config(), service.export_lookup(get_session()))
    return jsonify(verification_document(result))


def verification_document(result: Verification) -> dict[str, Any]:
    """A verification as the API answers it."""
    status = exit_status(result)
    return {
        "status": {EXIT_VALID: "valid", EXIT_ALTERED: "altered"}.get(status, "unconfirmed"),
        "sha256": result.sha256,
        "signer": result.signer,
        "signed_at": _iso(result.signed_at),
        "timestamped_at": _iso(result.timestamped_at),
        "is_intact": result.is_intact,
        "is_trusted": result.is_trusted,
        "is_unmodified": result.is_unmodified,
        "is_known": result.is_known,
        "facts_match": result.facts_match,
        "export": dict(result.export) if result.export else None,
        "problems": list(result.problems),
        "notes": list(result.notes),
    }


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


@bp.post("/incidents/<int:incident_id>/reports")
@login_required
@require_permission("report.sign")
def export(incident_id: int) -> ResponseReturnValue:
    """The incident page's export button: queue the signed report and follow its progress."""
    session = get_session()
    incident = incidents.get(session, incident_id)
    kind, obligation = _chosen_report(request.form)
    job = jobs.request_export(
        session,
        incident,
        current_user,
        kind=kind,
        obligation_key=obligation,
        reason=request.form.get("reason") or None,
    )
    session.commit()

    jobs.start(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
    return redirect(url_for("report.job", job_id=job.id))


@bp.get("/reports/jobs/<job_id>")
@login_required
@require_permission("incident.read")
def job(job_id: str) -> ResponseReturnValue:
    """A report job's progress; the page refreshes itself until the file is ready."""
    record = jobs.get(get_session(), job_id)
    return render_template(
        "report/job.html", job=record, steps=JOB_STEPS, refresh_seconds=JOB_REFRESH_SECONDS
    )


@bp.get("/reports/<export_id>.pdf")
@login_required
@require_permission("incident.read")
def download(export_id: str) -> ResponseReturnValue:
    return _send(service.get(get_session(), export_id))


@bp.route("/reports/verify", methods=["GET", "POST"])
@login_required
@require_permission("incident.read")
def verify() -> ResponseReturnValue:
    """Upload a PDF and see every check `tracker verify` makes."""
    if request.method == "GET":
        return render_template("report/verify.html", result=None)

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        error = "Choose the PDF report to verify."
        return render_template("report/verify.html", result=None, error=error), 422

    data = upload.read()
    result = verify_pdf(data, tracker_config(), service.export_lookup(get_session()))
    status = exit_status(result)
    return render_template(
        "report/verify.html",
        result=result,
        filename=upload.filename,
        is_valid=status == EXIT_VALID,
        is_altered=status == EXIT_ALTERED,
    )


def _chosen_report(form: Any) -> tuple[str, str | None]:
    """The kind and obligation of the export form's choice: a kind, or submission:KEY."""
    choice = form.get("report") or ""
    if choice.startswith("submission:"):
        return "submission", choice.removeprefix("submission:") or None
    obligation = form.get("obligation") or None
    if obligation:
        return "submission", obligation
    return choice or "incident", None


def _send(record: ReportExport) -> ResponseReturnValue:
    data = service.read_pdf(tracker_config(), record)
    return send_download(data, record.download_name, "application/pdf")


def _export_request(body: Any) -> dict[str, str]:
    """The optional JSON body of an export: kind, obligation and reason, all strings."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValidationError(
            "The request body must be a JSON object with kind, obligation or reason.",
            {"": "expected a JSON object"},
        )
    unknown = sorted(set(body) - EXPORT_FIELDS)
    if unknown:
        raise ValidationError(
            f"Unknown fields {', '.join(unknown)}; accepted are kind, obligation and reason.",
            {name: "unknown field" for name in unknown},
        )
    wrong = {
        name: "expected a string" for name, value in body.items() if not isinstance(value, str)
    }
    if wrong:
        raise ValidationError(f"The fields {', '.join(sorted(wrong))} must be strings.", wrong)
    if body.get("kind") == "submission" and not body.get("obligation"):
        raise ValidationError(
            "A submission needs the obligation it answers, such as gdpr/supervisory_authority.",
            {"obligation": "required for a submission"},
        )
    return dict(body)
