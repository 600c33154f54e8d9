"""The scheduler that wakes the reminder sweep, in the web process or on its own.

APScheduler keeps its one job in memory: the reminder rows are the source of truth, and a
new process rebuilds the job at start and sweeps at once, so that reminders which fell due
while nothing ran go out then. The interval only wakes the sweep; which instants are due is
decided from the rows, so daylight-saving changes cannot make it skip or repeat a reminder.
"""

from __future__ import annotations

import atexit
import logging
import signal
from datetime import UTC
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from ..db import now_utc

log = logging.getLogger(__name__)

JOB_ID = "reminder-sweep"
SCHEDULER_KEY = "tracker.scheduler"


def sweep_job(app: Flask) -> None:
    """One scheduled sweep; its failure is logged and the next run tries again."""
    from .service import settings
    from .sweep import run_sweep

    with app.app_context():
        try:
            run_sweep(app.extensions["tracker.sessions"], settings())
        except Exception:
            log.exception("The reminder sweep failed; the next run will try again")


def add_sweep_job(scheduler: BaseScheduler, app: Flask) -> None:
    scheduler.add_job(
        sweep_job,
        "interval",
        seconds=int(app.config["TRACKER_SCHEDULER_SECONDS"]),
        args=[app],
        id=JOB_ID,
        next_run_time=now_utc(),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        replace_existing=True,
    )


def start_scheduler(app: Flask) -> BackgroundScheduler:
    """Run the sweep in a background thread of this process, from now on."""
    scheduler = BackgroundScheduler(timezone=UTC)
    add_sweep_job(scheduler, app)
    scheduler.start()
    app.extensions[SCHEDULER_KEY] = scheduler
    atexit.register(_shutdown, scheduler)
    log.info("Reminder scheduler started: a sweep every %s seconds", _seconds(app))
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the sweep in this thread until the process is interrupted or terminated."""
    scheduler = BlockingScheduler(timezone=UTC)
    add_sweep_job(scheduler, app)
    app.extensions[SCHEDULER_KEY] = scheduler
    signal.signal(signal.SIGTERM, lambda _signum, _frame: _shutdown(scheduler))
    log.info("Reminder scheduler started alone: a sweep every %s seconds", _seconds(app))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        _shutdown(scheduler)


def _shutdown(scheduler: BaseScheduler) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)


def _seconds(app: Flask) -> Any:
    return app.config["TRACKER_SCHEDULER_SECONDS"]
