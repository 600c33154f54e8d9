"""Time the deadline board, the incident list and an incident page through gunicorn.

    python bench/web.py [--incidents 10000] [--per-incident 6] [--requests 200]
                        [--workers 2] [--postgres URL]

For SQLite (and PostgreSQL when a URL is given, or TRACKER_BENCH_POSTGRES_URL is set) the
script migrates an empty database, fills it with `--incidents` incidents of `--per-incident`
obligations each (shifted copies of what the engine computes for one multi-state incident,
written in bulk), signs a viewer in through the login form, and serves the application with
gunicorn on a free loopback port. It then requests, one at a time over fresh connections:

- `/healthz`, the trivial route of the same application: the baseline;
- the deadline board (`/board`), its first page;
- the incident list (`/incidents?page=N`), a different page of 50 each time;
- an incident page (`/incidents/ID`), a different incident each time.

It prints one JSON line with p50 and p95 in milliseconds per route and database, the ratio
of each p95 to the trivial route's, the gunicorn workers' mean CPU milliseconds per request
(which, unlike wall-clock times, other load on a shared machine does not lengthen), and the
peak resident memory of the gunicorn workers and of this process. Times are wall-clock as
the client sees them. On PostgreSQL the seeded tables are vacuumed and analysed before
serving, as autovacuum does soon after a bulk load; SQLite is served as migrated, without
table statistics. Target: p95 under 150 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from tracker.auth.service import create_user
from tracker.db import make_engine, make_session_factory, transaction, upgrade_database
from tracker.deadline import evaluate
from tracker.facts import parse_facts
from tracker.incident.models import Incident
from tracker.notice.models import Obligation

sys.path.insert(0, str(Path(__file__).resolve().parent))
from imports import fresh_postgres  # noqa: E402

EMAIL = "viewer@example.com"
PASSWORD = "bench password 1234"
START = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
TARGET_MS = 150
LIST_PAGE_SIZE = 50
STATES = ("US-WA", "US-CA", "US-TX", "US-NY", "US-FL", "US-IL", "US-CO", "US-OR")


def template_facts() -> dict[str, Any]:
    return {
        "format": "incident-facts/1",
        "incident": {"title": "Bench incident", "severity": "SEV-2", "category": "security"},
        "timezone": "America/New_York",
        "organisation": {"roles": ["controller"]},
        "events": {"discovered_at": START.isoformat()},
        "data": {"categories": ["name", "ssn"], "records": 5000},
        "affected": {code: 800 for code in STATES},
    }


def seed(url: str, incidents: int, per_incident: int) -> dict[str, Any]:
    """Fill a migrated database in bulk; return counts and the seconds it took."""
    started = time.perf_counter()
    document = template_facts()
    computed = [o for o in evaluate(parse_facts(document)).obligations if o.due][:per_incident]
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        with transaction(sessions) as session:
            create_user(session, EMAIL, "viewer", PASSWORD, "bench")
            _insert_incidents(session, incidents, document)
            ids = list(session.scalars(select(Incident.id).order_by(Incident.id)))
            _insert_obligations(session, ids, computed)
    finally:
        engine.dispose()
    if url.startswith("postgresql"):
        _vacuum(url)
    return {
        "incidents": incidents,
        "obligations": incidents * len(computed),
        "seed_s": round(time.perf_counter() - started, 1),
    }


def _vacuum(url: str) -> None:
    """VACUUM ANALYZE the PostgreSQL database, as autovacuum does after a bulk load."""
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()


def _insert_incidents(session: Any, count: int, document: dict[str, Any]) -> None:
    rows = []
    for index in range(count):
        shifted = START + timedelta(hours=index)
        facts = {**document, "events": {"discovered_at": shifted.isoformat()}}
        facts["incident"] = {**document["incident"], "title": f"Bench incident {index + 1}"}
        rows.append(
            {
                "reference": f"INC-2026-{index + 1:05d}",
                "title": facts["incident"]["title"],
                "severity": "SEV-2",
                "category": "security",
                "status": "investigating",
                "timezone": document["timezone"],
                "discovered_at": shifted,
                "facts_json": json.dumps(facts),
                "tags": [],
                "affected_services": [],
                "impact_systems": [],
                "created_at": shifted,
                "updated_at": shifted,
            }
        )
    for chunk in range(0, len(rows), 2000):
        session.execute(insert(Incident), rows[chunk : chunk + 2000])


def _insert_obligations(session: Any, ids: list[int], computed: list[Any]) -> None:
    rows = []
    for index, incident_id in enumerate(ids):
        shift = timedelta(hours=index)
        for item in computed:
            data = item.to_dict()
            rows.append(
                {
                    "incident_id": incident_id,
                    "key": item.key,
                    "regime": item.regime,
                    "recipient": item.recipient,
                    "stage": item.stage,
                    "due_at": item.due + shift,
                    "due_kind": item.due_kind,
                    "target_at": None if item.target is None else item.target + shift,
                    "trigger": item.trigger,
                    "basis": item.basis,
                    "citation": item.citation,
                    "rule_version": item.rule_version,
                    "data": data,
                    "is_current": True,
                    "revision": 0,
                    "computed_at": START,
                }
            )
    for chunk in range(0, len(rows), 5000):
        session.execute(insert(Obligation), rows[chunk : chunk + 5000])


class Server:
    """gunicorn serving the application on a free loopback port, stopped on exit."""

    def __init__(self, url: str, instance: str, workers: int) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": url,
            "TRACKER_INSTANCE": instance,
            "TRACKER_SECRET_KEY": "bench-secret-key",
            "TRACKER_LOG_LEVEL": "WARNING",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "tracker:create_app()",
        ]
        self.process = subprocess.Popen(command, env=env)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _headers = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 seconds")

    def worker_peak_mib(self) -> float:
        """The largest peak resident size (VmHWM) among the gunicorn workers."""
        peaks = []
        for pid in _children(self.process.pid):
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks.append(int(match[1]) / 1024)
        return round(max(peaks, default=0.0), 1)

    def worker_cpu_s(self) -> float:
        """User and system CPU seconds the gunicorn workers have used so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in _children(self.process.pid):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
        return total / ticks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(part) for part in path.read_text().split()] if path.exists() else []


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str, http.client.HTTPMessage]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), response.headers
    finally:
        connection.close()


def sign_in(port: int) -> str:
    """Sign the viewer in through the login form; return the session cookie header."""
    from urllib.parse import urlencode

    status, page, headers = request(port, "GET", "/login")
    cookie = _cookie(headers)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page
    )
    if status != 200 or token is None:
        raise RuntimeError(f"The login page answered {status} without a CSRF token.")
    form = urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token[1]})
    status, _page, headers = request(
        port,
        "POST",
        "/login",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    if status != 302:
        raise RuntimeError(f"Signing in answered {status}, not a redirect.")
    return _cookie(headers) or cookie


def _cookie(headers: http.client.HTTPMessage) -> str:
    values = headers.get_all("Set-Cookie") or []
    return "; ".join(value.split(";", 1)[0] for value in values)


def measure(
    port: int, cookie: str, paths: list[str], server: Server | None = None
) -> dict[str, float]:
    """p50 and p95 in milliseconds over the paths, requested one after the other.

    With the server given, also the workers' mean CPU milliseconds per request: the
    application's own work, which other load on the machine does not lengthen as it does
    the wall-clock times (the database server's CPU is not in it).
    """
    for path in paths[:10]:
        request(port, "GET", path, headers={"Cookie": cookie})
    cpu_before = server.worker_cpu_s() if server else 0.0
    samples = []
    for path in paths:
        started = time.perf_counter()
        status, _body, _headers = request(port, "GET", path, headers={"Cookie": cookie})
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    ordered = sorted(samples)
    figures = {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "requests": len(ordered),
    }
    if server:
        spent = server.worker_cpu_s() - cpu_before
        figures["worker_cpu_ms_per_request"] = round(spent * 1000 / len(ordered), 1)
    return figures


def run_database(url: str, args: argparse.Namespace) -> dict[str, Any]:
    upgrade_database(url)
    figures = seed(url, args.incidents, args.per_incident)
    with tempfile.TemporaryDirectory() as instance:
        server = Server(url, instance, args.workers)
        try:
            cookie = sign_in(server.port)
            step = max(args.incidents // args.requests, 1)
            pages = [f"/incidents/{1 + (i * step) % args.incidents}" for i in range(args.requests)]
            list_pages = max(1, -(-args.incidents // LIST_PAGE_SIZE))
            lists = [f"/incidents?page={1 + (i * 7) % list_pages}" for i in range(args.requests)]
            trivial = measure(server.port, cookie, ["/healthz"] * args.requests, server)
            figures["trivial_route"] = {"path": "/healthz", **trivial}
            figures["board"] = {
                "path": "/board",
                **measure(server.port, cookie, ["/board"] * args.requests, server),
            }
            figures["incident_list"] = {
                "path": "/incidents?page=N",
                **measure(server.port, cookie, lists, server),
            }
            figures["incident_page"] = {
                "path": "/incidents/ID",
                **measure(server.port, cookie, pages, server),
            }
            for name in ("board", "incident_list", "incident_page"):
                ratio = figures[name]["p95_ms"] / max(trivial["p95_ms"], 0.1)
                figures[name]["p95_ratio_to_trivial"] = round(ratio, 1)
            figures["worker_peak_rss_mib"] = server.worker_peak_mib()
        finally:
            server.stop()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--per-incident", type=int, default=6)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_BENCH_POSTGRES_URL"))
    args = parser.parse_args(argv)

    results: dict[str, Any] = {"bench": "web", "target_p95_ms": TARGET_MS}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run_database(f"sqlite:///{folder}/bench.db", args)
    if args.postgres:
        url, drop = fresh_postgres(args.postgres)
        try:
            results["postgresql"] = run_database(url, args)
        finally:
            drop()
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["python"] = sys.version.split()[0]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
