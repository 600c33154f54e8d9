"""Write docs/regimes.md, the list of regimes, from the loaded rulebook.

    python -m tracker.deadline.regimes_doc [--check] [PATH]

Without --check the file is rewritten; with it, the exit status is 1 when the file differs from
the rulebook, so that a rule file added without updating the list is noticed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .rulebook import Regime, Rulebook, load_rulebook

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "regimes.md"

HEADER = """\
# Regimes

Every regime the deadline engine knows, one rule file each under jurisdictions/. Versions are
the dates from which a version of one of its rules is in force; an incident is judged by the
version in force on the day its clock started. This file is generated from the rule files:
after adding or changing one, run `python -m tracker.deadline.regimes_doc`.

| id | name | citation | last reviewed | versions | source |
| --- | --- | --- | --- | --- | --- |
"""


def versions(regime: Regime) -> list[str]:
    """The distinct in-force-from dates of the regime's rules, oldest first."""
    return sorted({rule.in_force_from.isoformat() for rule in regime.rules})


def render(rulebook: Rulebook) -> str:
    """The markdown of docs/regimes.md for `rulebook`."""
    rows = [_row(regime) for regime in rulebook.regimes]
    return HEADER + "".join(rows) + f"\n{len(rows)} regimes.\n"


def _row(regime: Regime) -> str:
    source = regime.references[0]
    cells = [
        f"`{regime.id}`",
        _cell(regime.name),
        _cell(regime.citation),
        regime.reviewed.isoformat(),
        ", ".join(versions(regime)),
        f"[{_cell(source.title)}]({source.url})",
    ]
    return "| " + " | ".join(cells) + " |\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check docs/regimes.md.")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on change")
    options = parser.parse_args(argv)

    wanted = render(load_rulebook())
    current = options.path.read_text(encoding="utf-8") if options.path.exists() else None
    if options.check:
        if current != wanted:
            print(f"{options.path} does not match the rule files; run without --check.")
            return 1
        return 0

    options.path.write_text(wanted, encoding="utf-8")
    print(f"Wrote {options.path} ({len(load_rulebook().regimes)} regimes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
