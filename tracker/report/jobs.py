"""Signed reports asked for from the web pages, produced in the background.

A long report takes seconds to lay out and sign, longer than a web request should wait.
The page's export button records a ReportJob and hands it to a small pool of worker
threads in the same process; the browser is sent to the job's page, which refreshes itself
until the file is ready. The job row holds the state: queued, rendering, signing, then done
(with its export) or failed (with the reason). A job left unfinished by a process that
stopped is shown as interrupted once it is older than STALE_AFTER.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from ..auth.models import User
from ..db import now_utc, transaction
from ..errors import NotFound, TrackerError, ValidationError
from ..incident.models import Incident
from . import service
from .models import INCIDENT_KINDS as KINDS
from .models import ReportJob

log = logging.getLogger(__name__)

EXECUTOR = "tracker.report_jobs"
STALE_AFTER = timedelta(minutes=15)
INTERRUPTED = (
    "The report was not finished: the process producing it stopped. Export it again; "
    "nothing was recorded for this attempt."
)


def request_export(
    session: Session,
    incident: Incident,
    actor: User,
    *,
    kind: str = "incident",
    obligation_key: str | None = None,
    reason: str | None = None,
) -> ReportJob:
    """Record a job to export a report; the caller commits, then calls `start`."""
    if kind not in KINDS:
        raise ValidationError(
            f"The report kind {kind!r} is not known; choose incident or submission.",
            {"kind": "expected incident or submission"},
        )

    job = ReportJob(
        id=str(uuid.uuid4()),
        incident=incident,
        kind=kind,
        obligation_key=obligation_key,
        reason=reason,
        status="queued",
        requested_by=actor,
    )
    session.add(job)
    log.info("Report job %s queued for incident %s by user %s", job.id, incident.id, actor.id)
    return job


def start(app: Flask, job_id: str) -> Future[None]:
    """Hand a committed job to this process's report workers."""
    return _executor(app).submit(_run_in_app, app, job_id)


def wait_for_jobs(app: Flask) -> None:
    """Let every job handed to this process's workers finish (for shutdown and tests)."""
    executor = app.extensions.pop(EXECUTOR, None)
    if executor is not None:
        executor.shutdown(wait=True)


def get(session: Session, job_id: str) -> ReportJob:
    """The job, with an unfinished one that has gone stale marked as interrupted."""
    job = session.get(ReportJob, job_id)
    if job is None:
        raise NotFound(f"There is no report job with the id {job_id!r}.")

    if not job.is_finished and now_utc() - job.updated_at > STALE_AFTER:
        _set_status(session, job_id, "failed", error=INTERRUPTED)
        session.commit()
        session.refresh(job)
    return job


def run(factory: sessionmaker[Session], config: Mapping[str, Any], job_id: str) -> None:
    """Produce the job's report and record the outcome on the job."""
    with transaction(factory) as session:
        if not _set_status(session, job_id, "rendering", expected="queued"):
            return  # taken by another worker, or already finished

    try:
        with transaction(factory) as session:
            job = session.get(ReportJob, job_id)
            assert job is not None

            def step(name: str) -> None:
                # Nothing is written before the file is signed: end the reading transaction
                # so that SQLite's write lock is not held while the pages are laid out.
                session.commit()
                _progress(factory, job_id, name)

            export = service.export_report(
                session,
                job.incident,
                job.requested_by,
                config,
                kind=job.kind,
                obligation_key=job.obligation_key,
                reason=job.reason,
                progress=step,
            )
            job.export_id = export.id
            job.status = "done"
            job.updated_at = now_utc()
    except TrackerError as exc:
        _fail(factory, job_id, exc.message)
    except Exception:
        log.exception("Report job %s failed", job_id)
        _fail(factory, job_id, "The report could not be produced; the error was logged.")
    else:
        log.info("Report job %s done: export %s", job_id, export.id)


def _run_in_app(app: Flask, job_id: str) -> None:
    from .views import tracker_config

    with app.app_context():
        run(app.extensions["tracker.sessions"], tracker_config(), job_id)


def _executor(app: Flask) -> ThreadPoolExecutor:
    executor = app.extensions.get(EXECUTOR)
    if executor is None:
        workers = int(app.config.get("TRACKER_REPORT_WORKERS", 1))
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report")
        app.extensions[EXECUTOR] = executor
    return executor


def _progress(factory: sessionmaker[Session], job_id: str, step: str) -> None:
    if step in ("rendering", "signing"):
        with transaction(factory) as session:
            _set_status(session, job_id, step)


def _fail(factory: sessionmaker[Session], job_id: str, message: str) -> None:
    with transaction(factory) as session:
        _set_status(session, job_id, "failed", error=message)
    log.warning("Report job %s failed", job_id)


def _set_status(
    session: Session,
    job_id: str,
    status: str,
    *,
    expected: str | None = None,
    error: str | None = None,
) -> bool:
    """Move an unfinished job to `status`; False when it was not in the expected state."""
    query = update(ReportJob).where(
        ReportJob.id == job_id, ReportJob.status.not_in(("done", "failed"))
    )
    if expected is not None:
        query = query.where(ReportJob.status == expected)
    values: dict[str, Any] = {"status": status, "updated_at": now_utc()}
    if error is not None:
        values["error"] = error
    return session.execute(query.values(**values)).rowcount == 1
