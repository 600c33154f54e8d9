"""The machine-readable files a report carries: facts, obligations and its own manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from .render import EmbeddedFile

FACTS_FILE = "facts.json"
OBLIGATIONS_FILE = "obligations.json"
MANIFEST_FILE = "report.json"
MANIFEST_FORMAT = "tracker-report/1"


def canonical_json(document: Any) -> bytes:
    """One byte form per document: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def facts_digest(facts: bytes | Mapping[str, Any]) -> str:
    """SHA-256 of the facts document in canonical form, whatever its layout."""
    document = json.loads(facts) if isinstance(facts, bytes) else facts
    return hashlib.sha256(canonical_json(document)).hexdigest()


def rule_versions(obligations: Mapping[str, Any]) -> dict[str, str]:
    """The rule version used for each obligation key."""
    return {
        item["key"]: str(item["rule_version"])
        for item in obligations.get("obligations", [])
        if item.get("rule_version")
    }


FACTS_DESCRIPTION = "The incident facts (incident-facts/1) the report was made from."


def report_files(
    facts: Mapping[str, Any],
    obligations: Mapping[str, Any] | None,
    manifest: Mapping[str, Any],
    facts_description: str = FACTS_DESCRIPTION,
) -> list[EmbeddedFile]:
    """The attachments of a report, in the order they are listed in the PDF.

    The data the report was made from is always facts.json, whose digest the export records;
    a plan report carries its figures there, described as such.
    """
    files = [EmbeddedFile(FACTS_FILE, _pretty(facts), facts_description)]
    if obligations is not None:
        files.append(
            EmbeddedFile(
                OBLIGATIONS_FILE,
                _pretty(obligations),
                "The obligations and not-applicable regimes computed from the facts.",
            )
        )
    files.append(
        EmbeddedFile(
            MANIFEST_FILE,
            _pretty({"format": MANIFEST_FORMAT, **manifest}),
            "The export record this report belongs to.",
        )
    )
    return files


def _pretty(document: Any) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
