"""Time the Washington import end to end, beside reading and evaluating the same file alone.

    python bench/imports.py [PATH_TO_WA_CSV] [--postgres URL]

Measures in this process, on a freshly migrated SQLite file (and on PostgreSQL when a URL is
given, or TRACKER_BENCH_POSTGRES_URL is set):

- `import_s`: `tracker import wa-ago` as the command runs it: the file read, every row's
  facts validated and evaluated, the incidents, obligations, notices, timeline and audit rows
  written in one transaction and committed;
- `baseline_s`: the same file read and every row's facts evaluated by the engine, with no
  database at all: the part of the work that does not depend on storage.

Times are wall-clock seconds (the import waits on the database, which CPU time would hide),
so they are noisier on a shared machine than the engine's; the CPU seconds of this process
are given beside them (`*_cpu_s`), which other work on the machine does not inflate. Prints
one JSON line, with the peak resident memory of the process. Target: the whole file under
20 seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tracker.db import make_engine, make_session_factory, transaction, upgrade_database
from tracker.deadline import evaluate
from tracker.facts import parse_facts
from tracker.importer import washington
from tracker.importer.service import file_digest, import_rows

REPO = Path(__file__).resolve().parents[1]
WA_FILE = "wa_ago_breach_notifications_20240523.csv"
TARGET_S = 20.0


def default_csv() -> Path:
    """The shared real-data copy of the Washington file, found above the checkout."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "data" / "real" / WA_FILE
        if candidate.exists():
            return candidate
    return REPO.parent / "shared" / "data" / "real" / WA_FILE


def baseline(path: Path) -> tuple[float, int]:
    """Seconds to read the file and evaluate every row's facts, storing nothing."""
    started = time.perf_counter()
    rows = 0
    for row in washington.read(path):
        rows += 1
        if row.facts is not None:
            evaluate(parse_facts(row.facts))
    return time.perf_counter() - started, rows


def cpu_baseline(path: Path) -> float:
    """CPU seconds of this process for the same reading and evaluation."""
    started = time.process_time()
    for row in washington.read(path):
        if row.facts is not None:
            evaluate(parse_facts(row.facts))
    return time.process_time() - started


def timed_import(url: str, path: Path) -> dict[str, Any]:
    """Migrate an empty database at `url`, then time one import of the file into it."""
    upgrade_database(url)
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        cpu_started = time.process_time()
        with transaction(sessions) as session:
            summary = import_rows(
                session, washington.SOURCE, path.name, file_digest(str(path)), washington.read(path)
            )
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    finally:
        engine.dispose()
    return {
        "import_s": round(elapsed, 2),
        "import_cpu_s": round(cpu, 2),
        "imported": summary.imported,
        "incidents": summary.imported - summary.without_incident,
        "flagged": summary.flagged,
    }


def fresh_postgres(base: str) -> tuple[str, Any]:
    """A new empty PostgreSQL database beside `base`, and a function that drops it."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"tracker_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    return url, drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=default_csv())
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_BENCH_POSTGRES_URL"))
    args = parser.parse_args(argv)

    baseline_s, rows = baseline(args.csv)
    baseline_cpu_s = cpu_baseline(args.csv)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = timed_import(f"sqlite:///{folder}/bench.db", args.csv)
    figures: dict[str, Any] = {
        "bench": "imports",
        "rows": rows,
        "sqlite": sqlite,
        "baseline_s": round(baseline_s, 2),
        "ratio_to_baseline": round(sqlite["import_s"] / baseline_s, 1),
        "baseline_cpu_s": round(baseline_cpu_s, 2),
        "cpu_ratio_to_baseline": round(sqlite["import_cpu_s"] / baseline_cpu_s, 1),
        "target_s": TARGET_S,
    }
    if args.postgres:
        url, drop = fresh_postgres(args.postgres)
        try:
            figures["postgresql"] = timed_import(url, args.csv)
        finally:
            drop()
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["python"] = sys.version.split()[0]
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
