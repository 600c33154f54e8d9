"""The scheduler inside `tracker serve`, left out with --no-scheduler, and `tracker scheduler`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.cli import main
from tracker.db import make_engine
from tracker.reminder.models import SweepState

TRACKER = Path(sys.executable).with_name("tracker")


def _serve(runner: Any, monkeypatch: Any, *options: str) -> Any:
    import waitress

    served: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **_options: served.update(app=app))
    result = runner.invoke(main, ["serve", *options])
    assert result.exit_code == 0, result.output
    return served["app"]


def test_serve_runs_the_scheduler_in_process(runner: Any, monkeypatch: Any) -> None:
    app = _serve(runner, monkeypatch)
    scheduler = app.extensions["tracker.scheduler"]
    try:
        assert scheduler.running
        [job] = scheduler.get_jobs()
        assert job.trigger.interval.total_seconds() == 60
    finally:
        scheduler.shutdown(wait=True)
        app.extensions["tracker.engine"].dispose()


def test_serve_without_the_scheduler(runner: Any, monkeypatch: Any) -> None:
    app = _serve(runner, monkeypatch, "--no-scheduler")
    assert "tracker.scheduler" not in app.extensions
    app.extensions["tracker.engine"].dispose()


def test_the_scheduler_alone_sweeps_at_start_and_stops_on_sigterm(
    tmp_path: Path, database_url: str
) -> None:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE": str(tmp_path / "instance"),
        "TRACKER_SECRET_KEY": "test-secret-key",
    }
    process = subprocess.Popen(
        [str(TRACKER), "scheduler"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    engine = make_engine(database_url)
    try:
        deadline = time.monotonic() + 120
        state = None
        while state is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            with Session(engine) as session:
                state = session.scalars(select(SweepState)).first()
        assert state is not None, process.stderr.read() if process.poll() is not None else ""
        assert state.name == "reminders"
        assert state.host.endswith(f":{process.pid}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        engine.dispose()
    assert process.returncode == 0
