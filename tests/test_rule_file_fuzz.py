"""The rule-file loader given arbitrary or damaged files: a RuleFileError naming the file, or a
regime; never another exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.deadline.rulebook import load_rule_file
from tracker.errors import RuleFileError
from tracker.resources import data_path

RULE_FILES = sorted(Path(data_path("jurisdictions")).glob("*.toml"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values a careless edit might leave in a rule file.
VALUES = st.sampled_from(
    ['""', "0", "-1", "1e999", "true", "[]", "{}", '"72x"', '"2026-13-45"', '"\\u0000"', "[1, [2]]"]
)


def load(tmp_path: Path, name: str, text: str | bytes) -> None:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    try:
        load_rule_file(path)
    except RuleFileError as exc:
        assert str(path) in exc.message
        assert exc.message.endswith(".")


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text_is_refused_with_the_file_named(tmp_path_factory, text):
    load(tmp_path_factory.mktemp("rules"), "fuzz.toml", text)


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_refused_with_the_file_named(tmp_path_factory, data):
    load(tmp_path_factory.mktemp("rules"), "fuzz.toml", data)


@FUZZ
@given(st.sampled_from(RULE_FILES), st.data())
def test_a_damaged_real_rule_file_is_refused_or_loaded(tmp_path_factory, source, data):
    lines = source.read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, max(0, len(lines) - 1)))
        action = data.draw(st.sampled_from(["drop", "repeat", "value", "key"]))
        line = lines[index] if lines else ""
        if action == "drop" and lines:
            del lines[index]
        elif action == "repeat":
            lines.insert(index, line)
        elif action == "value" and "=" in line:
            lines[index] = f"{line.split('=', 1)[0]}= {data.draw(VALUES)}"
        elif action == "key":
            lines.insert(index, f"unexpected_{index} = {data.draw(VALUES)}")

    load(tmp_path_factory.mktemp("rules"), source.name, "\n".join(lines) + "\n")
