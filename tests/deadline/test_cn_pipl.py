"""China PIPL Art. 57: immediate notice, with no legal date."""

from .support import owed, run

CHINA = {
    "timezone": "Asia/Shanghai",
    "events": {"discovered_at": "2026-03-05T10:00:00+08:00"},
    "affected": {"CN": 300},
    "assessment": {"risk_of_harm": "likely"},
}


def pipl(**sections):
    return run(**{**CHINA, **sections})


def test_departments_and_individuals_immediately():
    evaluation = pipl()

    for key in ("cn-pipl/supervisory_authority", "cn-pipl/individuals"):
        obligation = evaluation.obligation(key)
        assert obligation.due is None
        assert obligation.due_kind == "without_undue_delay"
        # Policy target: 72 hours after 10:00 CST (02:00 UTC) on 5 March.
        assert obligation.target.isoformat() == "2026-03-08T02:00:00+00:00"
        assert obligation.rule_version == "2021-11-01"


def test_measures_that_avoid_harm_spare_the_individuals_only():
    evaluation = pipl(assessment={"risk_of_harm": "unlikely"})

    assert "cn-pipl/individuals" not in owed(evaluation)
    assert "cn-pipl/supervisory_authority" in owed(evaluation)


def test_not_applicable_without_residents_or_establishment_in_china():
    evaluation = pipl(affected={"HK": 5}, organisation={"main_establishment": "HK"})
    assert evaluation.reason("cn-pipl/supervisory_authority") == (
        "no affected residents of CN and no main establishment there"
    )
