"""Consistency of jurisdictions/: every file loads, is documented and refuses bad input clearly."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from tracker.deadline import load_rule_file, load_rulebook
from tracker.errors import RuleFileError
from tracker.resources import data_path

JURISDICTIONS = data_path("jurisdictions")
FILES = sorted(JURISDICTIONS.glob("*.toml"))
TESTS = Path(__file__).parent

MINIMAL = """\
id = "{id}"
name = "Example law"
kind = "us-state"
jurisdictions = ["US-TX"]
citation = "Example Code 1"
reviewed = 2026-12-01
confidence = "high"

[[references]]
title = "Example Code"
url = "https://example.org/code"

[[rules]]
recipient = "individuals"
citation = "Example Code 1(a)"
in_force_from = 2020-01-01
trigger = "discovered_at"
period = "{period}"
"""


def write(tmp_path: Path, text: str, name: str = "us-tx") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_regimes_are_all_there():
    ids = set(load_rulebook().ids)
    wanted = {"gdpr", "uk-gdpr", "hipaa", "us-ca", "us-wa", "dora", "nis2", "sec-8k", "nydfs"}
    assert wanted | {"policy"} <= ids


def test_every_file_is_in_the_registry():
    assert [path.stem for path in FILES] == load_rulebook().ids


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_every_file_has_citation_references_and_review_date(path):
    regime = load_rule_file(path)

    assert regime.citation.strip()
    assert regime.references and all(ref.url.startswith("http") for ref in regime.references)
    assert date(2000, 1, 1) < regime.reviewed <= date(2100, 1, 1)
    assert all(rule.citation.strip() for rule in regime.rules)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_every_versioned_rule_names_its_amending_act(path):
    """A version that replaced an earlier one carries a comment naming the amending act."""
    text = path.read_text(encoding="utf-8")
    regime = load_rule_file(path)
    for key in regime.keys:
        versions = regime.versions(key)
        ends = {version.in_force_until for version in versions}
        for version in [version for version in versions if version.in_force_from in ends]:
            block = text.split(f"in_force_from = {version.in_force_from}")[0]
            last_entry = block.rsplit("[[rules]]", 1)[-1]
            assert re.search(r"^# .+", last_entry, re.MULTILINE), (key, version.version)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_every_regime_has_a_test_file(path):
    """Each rule file has tests/deadline/test_<id>.py with literal expected dates."""
    assert (TESTS / f"test_{path.stem.replace('-', '_')}.py").exists()


def test_the_engine_imports_no_web_or_database_code():
    import tracker.deadline

    for module in Path(tracker.deadline.__file__).parent.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                assert not name.startswith(("flask", "sqlalchemy", "..db", "..app", "..web")), (
                    module.name,
                    name,
                )


def test_history_lists_versions_oldest_first():
    history = load_rulebook().regime("us-ca").history()

    individuals = history["us-ca/individuals"]
    assert [entry["version"] for entry in individuals] == ["2003-07-01", "2026-01-01"]
    assert individuals[0]["in_force_until"] == "2026-01-01"
    assert individuals[1]["period"] == "30d"


def test_a_good_minimal_file_loads(tmp_path):
    regime = load_rule_file(write(tmp_path, MINIMAL.format(id="us-tx", period="60d")))
    assert regime.keys == ["us-tx/individuals"]


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (('period = "60d"', 'period = "60 days"'), "rules[0].period", "expected a period"),
        (('kind = "us-state"', 'kind = "state"'), "kind", "expected one of"),
        (('trigger = "discovered_at"', 'trigger = "found_at"'), "rules[0].trigger", "event"),
        (('recipient = "individuals"', 'recipient = "people"'), "rules[0].recipient", "one of"),
        (("reviewed = 2026-12-01\n", ""), "reviewed", "required"),
        (('url = "https://example.org/code"', 'url = "example.org"'), "references[0].url", ""),
        (('period = "60d"', 'period = "60d"\nsoon = true'), "rules[0].soon", "unknown field"),
        (
            ('period = "60d"', 'period = "60d"\nlimit = "30d"'),
            "rules[0]",
            "only allowed with period 'without undue delay'",
        ),
        (
            (
                'period = "60d"',
                'period = "60d"\nwhen.affected = { op = "=", count = 5, over = "total" }',
            ),
            "rules[0].when.affected.op",
            "expected one of",
        ),
        (
            ('period = "60d"', 'period = "60d"\nwhen.data_definition = "pi"'),
            "file",
            "not among the definitions",
        ),
        (('jurisdictions = ["US-TX"]', 'jurisdictions = ["Texas"]'), "jurisdictions[0]", "ISO"),
        (('period = "60d"', 'period = "60d"\ncalendar = "XX"'), "rules[0].calendar", "holiday"),
    ],
)
def test_a_bad_file_names_path_field_and_problem(tmp_path, change, field, problem):
    path = write(tmp_path, MINIMAL.format(id="us-tx", period="60d").replace(*change))

    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path)

    assert caught.value.message.startswith(f"{path}: {field}: ")
    assert problem in caught.value.message
    assert field in caught.value.fields or field == "file"


def test_overlapping_versions_are_refused(tmp_path):
    text = MINIMAL.format(id="us-tx", period="60d")
    text += (
        text[text.index("[[rules]]") :].replace("60d", "30d").replace("2020-01-01", "2023-09-01")
    )

    with pytest.raises(
        RuleFileError, match=r"rules\[1\] \(individuals, from 2023-09-01\) overlaps"
    ):
        load_rule_file(write(tmp_path, text))


def test_file_name_must_match_id(tmp_path):
    path = write(tmp_path, MINIMAL.format(id="us-tx", period="60d"), name="us-ok")

    with pytest.raises(RuleFileError, match="must match the file name 'us-ok'"):
        load_rule_file(path)


def test_invalid_toml_is_refused_with_path(tmp_path):
    path = write(tmp_path, "id = ")

    with pytest.raises(RuleFileError, match=f"^{re.escape(str(path))}: the file is not valid TOML"):
        load_rule_file(path)


def test_notice_trigger_must_name_a_known_obligation(tmp_path):
    text = MINIMAL.format(id="us-tx", period="15d").replace(
        'trigger = "discovered_at"', 'trigger = "notice:us-tx/attorney_general"'
    )
    write(tmp_path, text)

    with pytest.raises(
        RuleFileError, match=r"rules\[0\]\.trigger: 'notice:us-tx/attorney_general'"
    ):
        load_rulebook(tmp_path)


def test_rulebook_is_loaded_once():
    assert load_rulebook() is load_rulebook()


def test_earliest_of_takes_concurrent_only_with_a_notice_trigger(tmp_path):
    pairs = (
        'earliest_of = [{ trigger = "discovered_at", period = "14bd" }, '
        '{ trigger = "%s", period = "concurrent" }]'
    )
    text = MINIMAL.format(id="us-tx", period="60d").replace(
        'trigger = "discovered_at"\nperiod = "60d"', pairs % "occurred_at"
    )

    with pytest.raises(RuleFileError, match="or 'concurrent' with a notice: trigger"):
        load_rule_file(write(tmp_path, text))

    good = text.replace('"occurred_at"', '"notice:us-tx/individuals"')
    assert load_rule_file(write(tmp_path, good)).keys == ["us-tx/individuals"]
