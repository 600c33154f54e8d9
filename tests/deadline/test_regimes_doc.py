"""docs/regimes.md lists exactly the regimes of the loaded rulebook."""

import re
from pathlib import Path

from tracker.deadline import load_rulebook
from tracker.deadline.regimes_doc import main, render, versions

DOC = Path(__file__).resolve().parents[2] / "docs" / "regimes.md"
REGENERATE = "run `python -m tracker.deadline.regimes_doc` to regenerate docs/regimes.md"


def documented_ids() -> list[str]:
    return re.findall(r"^\| `([a-z0-9:-]+)` \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)


def test_the_documented_regimes_are_the_loaded_ones():
    assert documented_ids() == load_rulebook().ids, REGENERATE


def test_the_document_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(load_rulebook()), REGENERATE


def test_a_row_carries_citation_review_date_versions_and_source():
    text = DOC.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `us-wa` |"))

    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2] == "RCW 19.255.010"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[3])
    assert cells[4] == "2005-07-24, 2015-07-24, 2020-03-01"
    assert cells[5].endswith("(https://app.leg.wa.gov/RCW/default.aspx?cite=19.255.010)")


def test_versions_are_the_distinct_dates_oldest_first():
    assert versions(load_rulebook().regime("us-ca")) == ["2003-07-01", "2012-01-01", "2026-01-01"]


def test_check_fails_on_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "regimes.md"
    stale.write_text(render(load_rulebook()).replace("| `us-wa` |", "| `us-xx` |"))

    assert main(["--check", str(stale)]) == 1
    assert "does not match the rule files" in capsys.readouterr().out

    assert main([str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0
    assert stale.read_text() == render(load_rulebook())
