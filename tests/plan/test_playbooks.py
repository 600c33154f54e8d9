"""The playbook files: what the shipped ones say, and how a bad one is refused."""

from pathlib import Path

import pytest

from tracker.plan.playbooks import (
    PlaybookError,
    check_coverage,
    for_category,
    load_playbook_file,
    parse_playbook,
    shipped_playbooks,
)

GOOD = """
id = "drill"
title = "Drill"
categories = ["security"]
source = "Plan"
reviewed = 2026-12-04
[[steps]]
id = "one"
text = "First"
[[validation]]
id = "two"
text = "Second"
[[closure]]
id = "three"
text = "Third"
"""


def _texts(playbook, section):
    return [step.text for step in getattr(playbook.source, section)]


def test_the_security_breach_playbook_has_the_plans_steps():
    playbook = shipped_playbooks()["security"]
    assert playbook.title == "Security breach"
    assert _texts(playbook, "steps") == [
        "Revoke active sessions and tokens of the affected accounts and services",
        "Change privileged credentials (administrator, service and API keys)",
        "Isolate the affected systems from the network",
        "Turn on enhanced monitoring of the affected systems and accounts",
        "Notify the security team",
    ]


def test_the_outage_and_data_playbooks_have_the_plans_steps():
    playbooks = shipped_playbooks()
    assert [step.id for step in playbooks["outage"].source.steps] == [
        "check-resources",
        "restart-services",
        "database-connectivity",
        "network-connectivity",
        "load-balancing",
    ]
    assert [step.id for step in playbooks["data"].source.steps] == [
        "stop-processing",
        "assess-exposure",
        "notify-customers",
        "prepare-breach-notification",
        "data-recovery",
    ]


@pytest.mark.parametrize("playbook_id", ["security", "outage", "data", "general"])
def test_every_playbook_closes_on_the_plans_four_criteria(playbook_id):
    playbook = shipped_playbooks()[playbook_id]
    assert [step.id for step in playbook.source.closure] == [
        "symptoms-resolved",
        "stability-confirmed",
        "monitoring-normal",
        "no-recurrence",
    ]
    assert playbook.source.validation


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("security", "security"),
        ("outage", "outage"),
        ("data", "data"),
        ("third_party", "general"),
        ("operational", "general"),
        (None, "general"),
    ],
)
def test_each_category_has_its_playbook(category, expected):
    assert for_category(shipped_playbooks(), category).id == expected


def test_a_good_text_parses_and_has_a_stable_version():
    playbook = parse_playbook(GOOD, "test")
    assert [(section, step.id) for section, step in playbook.items()] == [
        ("steps", "one"),
        ("validation", "two"),
        ("closure", "three"),
    ]
    assert playbook.version == parse_playbook(GOOD, "again").version
    assert len(playbook.version) == 12


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        (
            ('text = "First"', 'text = "First"\ncolour = "red"'),
            "test: steps[0].colour: unknown field; expected one of the fields of "
            "docs/playbooks.md.",
            "steps[0].colour",
        ),
        (
            ('categories = ["security"]', 'categories = ["breach"]'),
            "test: categories[0]: expected one of 'security', 'outage', 'data', 'third_party' "
            "or 'operational'; got 'breach'.",
            "categories[0]",
        ),
        (
            ('id = "three"', 'id = "Three Step"'),
            "test: closure[0].id: expected lower-case letters, digits and hyphens; "
            "got 'Three Step'.",
            "closure[0].id",
        ),
        (
            ('id = "three"', 'id = "one"'),
            "test: file: the step id 'one' is used twice.",
            "",
        ),
        (
            ('text = "Third"', 'text = ""'),
            "test: closure[0].text: expected some text.",
            "closure[0].text",
        ),
        (
            ("reviewed = 2026-12-04", 'reviewed = "last week"'),
            "test: reviewed: Input should be a valid date or datetime, input is too short; "
            "got 'last week'.",
            "reviewed",
        ),
    ],
)
def test_a_bad_playbook_is_refused_with_path_field_and_problem(change, message, field):
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(GOOD.replace(*change), "test")
    assert caught.value.message == message
    assert field in caught.value.fields


def test_a_missing_section_is_named():
    text = GOOD[: GOOD.index("[[closure]]")]
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, "test")
    assert caught.value.message == "test: closure: this field is required."


def test_an_empty_list_is_named():
    text = "closure = []\n" + GOOD[: GOOD.index("[[closure]]")]
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, "test")
    assert caught.value.message == "test: closure: expected at least one entry."


def test_text_that_is_not_toml_is_refused():
    with pytest.raises(PlaybookError, match=r"^test: the text is not valid TOML: "):
        parse_playbook('id = "x', "test")


def test_a_file_id_must_match_its_name(tmp_path: Path):
    path = tmp_path / "other.toml"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        load_playbook_file(path)
    assert caught.value.message == f"{path}: id: the id 'drill' must stay 'other'."


def test_coverage_names_the_categories_left_without_a_playbook():
    with pytest.raises(PlaybookError) as caught:
        check_coverage({"drill": parse_playbook(GOOD, "test")}, "here")
    assert caught.value.message == (
        "here: categories: no playbook covers outage, data, third_party, operational."
    )


def test_coverage_refuses_a_category_claimed_twice():
    playbooks = dict(shipped_playbooks())
    playbooks["drill"] = parse_playbook(GOOD, "test")
    with pytest.raises(PlaybookError) as caught:
        check_coverage(playbooks, "here")
    assert caught.value.message == (
        "here: categories: 'security' is claimed by both 'security' and 'drill'."
    )
