"""Time the deadline engine: one incident touching every regime, and the Washington AG records.

    python bench/engine.py [PATH_TO_WA_CSV] [--repeat N]

Prints one JSON line: CPU microseconds per all-regime incident and per Washington record,
beside the bare date arithmetic for the same number of rules, measured in this process.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.deadline import evaluate, load_rulebook
from tracker.deadline.arithmetic import due_instant, holiday_calendar, zone
from tracker.deadline.vocabulary import REGIONS, parse_period
from tracker.facts import DATA_CATEGORIES, EVENTS, PAYMENT_BRANDS, ROLES, Facts, parse_facts

REPO = Path(__file__).resolve().parents[1]
WA_FILE = "wa_ago_breach_notifications_20240523.csv"
DEFAULT_CSV = REPO.parent / "shared" / "data" / "real" / WA_FILE


def all_regime_facts() -> Facts:
    """One incident with every role, data category and event, in every place the rules know."""
    places: set[str] = set()
    for regime in load_rulebook().regimes:
        for code in regime.source.jurisdictions:
            places.update(REGIONS.get(code, (code,)))

    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    events = {name: start.replace(hour=9 + index).isoformat() for index, name in enumerate(EVENTS)}
    return parse_facts(
        {
            "format": "incident-facts/1",
            "incident": {"title": "Everything at once", "severity": "SEV-1"},
            "timezone": "America/New_York",
            "organisation": {"roles": list(ROLES), "main_establishment": "US"},
            "events": events,
            "data": {"categories": list(DATA_CATEGORIES), "records": 250000},
            "affected": {code: 900 for code in sorted(places) if code != "US"},
            "assessment": {"risk_of_harm": "high"},
            "contracts": [{"party": "Acme Corp", "notify_within": "48h"}],
            "payment_brands": list(PAYMENT_BRANDS),
        }
    )


def washington_facts(path: Path) -> tuple[list[tuple[Facts, datetime]], int]:
    """Facts for each record with a DateAware, and the day its AG notice was submitted."""
    records: list[tuple[Facts, datetime]] = []
    skipped = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aware = _day(row["DateAware"])
            submitted = _day(row["DateSubmitted"])
            if aware is None or submitted is None:
                skipped += 1
                continue
            count = int(row["WashingtoniansAffected"] or 0)
            records.append((_record_facts(row, aware, count), submitted))
    return records, skipped


def _day(text: str) -> datetime | None:
    if not text.strip():
        return None
    return datetime.strptime(text.strip(), "%m/%d/%Y %I:%M:%S %p")


def _record_facts(row: dict[str, str], aware: datetime, count: int) -> Facts:
    return parse_facts(
        {
            "format": "incident-facts/1",
            "incident": {"title": f"WA AG record {row['Id']}"},
            "timezone": "America/Los_Angeles",
            "events": {"discovered_at": f"{aware.date().isoformat()}T12:00:00-08:00"},
            "data": {"categories": ["name", "ssn"]},
            "affected": {"US-WA": count},
        }
    )


def time_per_call(function: Any, repeat: int) -> float:
    """Median CPU seconds of this process per call over `repeat` calls, after one warm-up.

    CPU time rather than wall time, so that other work on a shared machine does not count.
    """
    function()
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        function()
        samples.append(time.process_time() - started)
    return statistics.median(samples)


def bare_arithmetic(rule_count: int) -> Any:
    """The same number of due dates computed with the arithmetic alone."""
    periods = [parse_period(text) for text in ("72h", "30d", "4bd", "1mo")]
    tz = zone("America/New_York")
    calendar = holiday_calendar("US")
    start = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

    def run() -> None:
        for index in range(rule_count):
            due_instant(start, periods[index % 4], tz, calendar)

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--repeat", type=int, default=200)
    options = parser.parse_args(argv)

    book = load_rulebook()
    everything = all_regime_facts()
    evaluation = evaluate(everything)
    rules = len(evaluation.obligations) + len(evaluation.not_applicable)

    per_incident = time_per_call(lambda: evaluate(everything), options.repeat)
    per_arithmetic = time_per_call(bare_arithmetic(rules), options.repeat)

    records, skipped = washington_facts(options.csv)
    started = time.process_time()
    late = 0
    for facts, submitted in records:
        result = evaluate(facts)
        deadline = result.obligation("us-wa/attorney_general")
        if deadline is not None and deadline.due is not None:
            late += submitted.date() > deadline.due.astimezone(zone(facts.timezone)).date()
    per_record = (time.process_time() - started) / max(len(records), 1)

    print(
        json.dumps(
            {
                "regimes": len(book.regimes),
                "all_regime_obligations": len(evaluation.obligations),
                "all_regime_outcomes": rules,
                "all_regime_us_per_incident": round(per_incident * 1e6, 1),
                "bare_arithmetic_us_same_rules": round(per_arithmetic * 1e6, 1),
                "ratio_to_bare_arithmetic": round(per_incident / per_arithmetic, 1),
                "target_us": 2000,
                "wa_records": len(records),
                "wa_records_skipped_without_dates": skipped,
                "wa_us_per_record": round(per_record * 1e6, 1),
                "wa_ag_notices_after_computed_deadline": late,
                "python": sys.version.split()[0],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
