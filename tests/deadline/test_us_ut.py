"""Utah Code 13-44-202 across SB 127 (2023) and SB 98 (2024)."""

import pytest

from .support import due, owed, run

UT = {
    "timezone": "America/Denver",
    "events": {"discovered_at": "2026-03-05T09:30:00-07:00"},
    "affected": {"US-UT": 700},
}
TOLD = {"us-ut/individuals": "2026-03-20T10:00:00-06:00"}


def utah(**sections):
    return run(**{**UT, **sections})


def test_individuals_without_unreasonable_delay_after_determination():
    obligation = utah().obligation("us-ut/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.citation == "Utah Code 13-44-202(1)"


def test_attorney_general_and_cyber_center_with_the_residents():
    evaluation = utah(notices=TOLD)

    assert due(evaluation, "us-ut/attorney_general") == "2026-03-20T16:00:00+00:00"
    assert due(evaluation, "us-ut/state_agency") == "2026-03-20T16:00:00+00:00"
    assert evaluation.obligation("us-ut/attorney_general").rule_version == "2024-05-01"


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, True)])
def test_attorney_general_500_or_more(count, owes):
    keys = owed(utah(affected={"US-UT": count}, notices=TOLD))

    assert ("us-ut/attorney_general" in keys) is owes
    assert ("us-ut/state_agency" in keys) is owes


@pytest.mark.parametrize(
    ("told_at", "version"),
    [
        ("2023-05-02T12:00:00-06:00", None),
        ("2023-05-03T12:00:00-06:00", "2023-05-03"),
        ("2024-04-30T12:00:00-06:00", "2023-05-03"),
        ("2024-05-01T12:00:00-06:00", "2024-05-01"),
    ],
)
def test_sb_127_and_sb_98_boundaries(told_at, version):
    evaluation = utah(
        events={"discovered_at": "2023-04-20T10:00:00-06:00"},
        notices={"us-ut/individuals": told_at},
    )
    obligation = evaluation.obligation("us-ut/attorney_general")

    if version is None:
        assert obligation is None
        assert evaluation.reason("us-ut/attorney_general").startswith("not in force")
    else:
        assert obligation.rule_version == version


@pytest.mark.parametrize(("count", "owes"), [(999, False), (1000, True)])
def test_consumer_reporting_agencies_1000_or_more(count, owes):
    evaluation = utah(affected={"US-UT": count})
    assert ("us-ut/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_misuse_not_likely_exempts():
    evaluation = utah(assessment={"risk_of_harm": "unlikely"})
    assert not {key for key in owed(evaluation) if key.startswith("us-ut/")}


def test_health_data_owe_nothing():
    evaluation = utah(data={"categories": ["name", "health"]})
    assert not {key for key in owed(evaluation) if key.startswith("us-ut/")}
