"""Singapore PDPA Part 6A: 3 calendar days after the assessment, with literal dates."""

import pytest

from .support import due, owed, run

SINGAPORE = {
    "timezone": "Asia/Singapore",
    "events": {
        "discovered_at": "2026-03-02T10:00:00+08:00",
        "assessment_completed_at": "2026-03-05T15:00:00+08:00",
    },
    "affected": {"SG": 120},
    "assessment": {"risk_of_harm": "likely"},
}


def pdpa(**sections):
    return run(**{**SINGAPORE, **sections})


def test_commission_3_calendar_days_after_the_assessment():
    obligation = pdpa().obligation("sg-pdpa/supervisory_authority")

    # Assessed Thursday 5 March: days 6, 7 and 8 March; the end of Sunday 8 March, SGT (+08:00).
    assert obligation.due.isoformat() == "2026-03-08T15:59:59.999999+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.trigger == "assessment_completed_at"
    assert obligation.rule_version == "2021-02-01"


def test_assessment_within_30_days_of_awareness():
    # Day 30 after 2 March is 1 April, end of day SGT.
    assert due(pdpa(), "sg-pdpa/internal") == "2026-04-01T15:59:59.999999+00:00"


def test_without_a_recorded_assessment_discovery_stands_for_it():
    evaluation = pdpa(events={"discovered_at": "2026-03-02T10:00:00+08:00"})

    # 3 days after 2 March: the end of 5 March, SGT.
    assert due(evaluation, "sg-pdpa/supervisory_authority") == "2026-03-05T15:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, True), (501, True)])
def test_significant_scale_is_500_or_more_whatever_the_harm(count, owes):
    evaluation = pdpa(
        affected={"SG": count - 100, "MY": 100}, assessment={"risk_of_harm": "unlikely"}
    )

    assert ("sg-pdpa/supervisory_authority" in owed(evaluation)) is owes
    assert "sg-pdpa/individuals" not in owed(evaluation)


def test_individuals_only_for_significant_harm_and_not_for_encrypted_data():
    harmful = pdpa()
    encrypted = pdpa(data={"encrypted": True, "key_compromised": False})

    assert harmful.obligation("sg-pdpa/individuals").due_kind == "without_undue_delay"
    assert "sg-pdpa/individuals" not in owed(encrypted)
    assert "sg-pdpa/supervisory_authority" in owed(encrypted)


def test_a_data_intermediary_tells_the_organisation():
    evaluation = pdpa(organisation={"roles": ["processor"]})

    assert {key for key in owed(evaluation) if key.startswith("sg-pdpa/")} == {"sg-pdpa/controller"}


def test_not_applicable_without_singapore_residents_or_establishment():
    evaluation = pdpa(affected={"MY": 800}, organisation={"main_establishment": "MY"})

    assert not {key for key in owed(evaluation) if key.startswith("sg-pdpa/")}
    assert evaluation.reason("sg-pdpa/supervisory_authority") == (
        "no affected residents of SG and no main establishment there"
    )
