"""Time the signed incident report against WeasyPrint alone on the same HTML.

    python bench/report.py [--obligations 200] [--notices 100] [--events 500] [--repeat 3]

Builds an incident report with the given numbers of obligations, notices and timeline
events, then measures in this process:

- `weasyprint_s`: WeasyPrint laying out and writing the report's HTML, nothing else;
- `report_s`: the whole export path: the template rendered, the data files embedded, the
  PDF written and signed with the organisation key;

and prints one JSON line with both, their ratio, the page count and the peak memory.
Times are CPU time of this process (`time.process_time`), medians over --repeat runs, so
that other work on a shared machine does not inflate them; WeasyPrint and the signer are
single-threaded. The signing step alone is reported too, as `signing_s`.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

import pypdf
from weasyprint import HTML

from tracker.report.content import INCIDENT_TEMPLATE, incident_context
from tracker.report.document import Signatory, produce_report
from tracker.report.keys import load_signing_key
from tracker.report.render import LocalFetcher, html_to_pdf, templates_folder
from tracker.report.sign import sign_pdf

START = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
RECIPIENTS = ("individuals", "attorney_general", "consumer_reporting_agencies", "regulator")

FACTS: dict[str, Any] = {
    "format": "incident-facts/1",
    "incident": {"title": "Large multi-state incident", "severity": "SEV-1"},
    "timezone": "America/New_York",
    "organisation": {"name": "Example Corp", "roles": ["controller"]},
    "events": {"discovered_at": START.isoformat()},
    "data": {"categories": ["name", "ssn"], "records": 500000},
    "affected": {"US-CA": 1200, "US-TX": 800, "US-NY": 650},
}


def obligations(count: int) -> list[dict[str, Any]]:
    """`count` obligations of made-up regimes, each with a date and a basis like the engine's."""
    items = []
    for index in range(count):
        due = START + timedelta(days=30 + index % 60, hours=index % 24)
        recipient = RECIPIENTS[index % len(RECIPIENTS)]
        items.append(
            {
                "key": f"us-x{index:03d}/{recipient}",
                "regime": f"us-x{index:03d}",
                "recipient": recipient,
                "stage": None,
                "due": due.isoformat(),
                "due_kind": "fixed",
                "trigger": "discovered_at",
                "basis": f"{30 + index % 60} calendar days after discovery on 2026-03-05",
                "citation": f"Example Code § {index}.82(a)",
                "rule_version": "2020-01-01",
            }
        )
    return items


def notices(items: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    return [
        {
            "key": item["key"],
            "sent_at": (START + timedelta(days=10, minutes=index)).isoformat(),
            "channel": "regulator portal",
            "reference": f"REF-{index:05d}",
            "proof": f"receipt-{index:05d}.pdf",
            "delay_reason": None,
        }
        for index, item in enumerate(items[:count])
    ]


def timeline(count: int) -> list[dict[str, Any]]:
    return [
        {
            "at": (START + timedelta(minutes=17 * index)).isoformat(),
            "text": f"note: containment step {index} recorded by the response team",
            "actor": "Zoë Łukasiewicz-Müller",
        }
        for index in range(count)
    ]


def median_seconds(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = run()
        times.append(time.process_time() - started)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--obligations", type=int, default=200)
    parser.add_argument("--notices", type=int, default=100)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    items = obligations(args.obligations)
    context = incident_context(
        "INC-BENCH",
        FACTS,
        {"obligations": items, "not_applicable": []},
        timeline=timeline(args.events),
        notices=notices(items, args.notices),
    )
    with tempfile.TemporaryDirectory() as instance:
        config = {
            "INSTANCE": instance,
            "PAPER": "A4",
            "CONFIDENTIALITY_MARKING": "Privileged & Confidential — Attorney Work Product",
            "SIGNING_ORGANISATION": "Example Corp",
        }
        key = load_signing_key(config)
        signatory = Signatory("Ana Example", "Counsel", "Benchmark")

        def export() -> Any:
            return produce_report(
                "incident",
                INCIDENT_TEMPLATE,
                context,
                facts=FACTS,
                obligations={"obligations": items, "not_applicable": []},
                signatory=signatory,
                config=config,
                key=key,
            )

        export()  # warm the template cache, fonts and the signer once
        report_s, report = median_seconds(export, args.repeat)

        fetcher = LocalFetcher([templates_folder()])
        base_url = str(templates_folder() / "report") + "/"

        def weasyprint_alone() -> bytes:
            return HTML(string=report.html, base_url=base_url, url_fetcher=fetcher).write_pdf()

        weasyprint_s, _ = median_seconds(weasyprint_alone, args.repeat)

        unsigned = html_to_pdf(report.html)

        def sign_only() -> bytes:
            return sign_pdf(unsigned, key, signed_at=START, name="Ana Example", reason="Bench")

        signing_s, _ = median_seconds(sign_only, args.repeat)

    pages = len(pypdf.PdfReader(BytesIO(report.pdf)).pages)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "bench": "report",
        "obligations": args.obligations,
        "notices": args.notices,
        "timeline_events": args.events,
        "pages": pages,
        "report_s": round(report_s, 3),
        "weasyprint_s": round(weasyprint_s, 3),
        "signing_s": round(signing_s, 3),
        "overhead_ratio": round(report_s / weasyprint_s, 3),
        "seconds_per_50_pages": round(report_s * 50 / pages, 3),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
