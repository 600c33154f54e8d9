"""Massachusetts M.G.L. c. 93H, 3, before and after Chapter 444 of the Acts of 2018."""

import pytest

from .support import owed, run

MA = {"affected": {"US-MA": 40}}


def massachusetts(**sections):
    return run(**{**MA, **sections})


def massachusetts_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ma/")}


def test_residents_attorney_general_and_director_for_any_number():
    evaluation = massachusetts(affected={"US-MA": 1})

    assert massachusetts_keys(evaluation) == {
        "us-ma/individuals",
        "us-ma/attorney_general",
        "us-ma/state_agency",
        "us-ma/consumer_reporting_agencies",
    }


def test_individuals_without_unreasonable_delay():
    obligation = massachusetts().obligation("us-ma/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2019-04-11"
    # Policy target: 72 hours after discovery on 2026-03-05 09:30 EST (14:30 UTC).
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"


def test_attorney_general_runs_from_discovery_not_from_the_residents_notice():
    obligation = massachusetts().obligation("us-ma/attorney_general")

    assert obligation.trigger == "discovered_at"
    assert obligation.depends_on is None


def test_consumer_reporting_agencies_follow_the_notice_to_the_director():
    obligation = massachusetts().obligation("us-ma/consumer_reporting_agencies")

    assert obligation.due is None
    assert obligation.depends_on == "us-ma/state_agency"


def test_chapter_444_boundary():
    before = massachusetts(events={"discovered_at": "2019-04-10T10:00:00-04:00"})
    after = massachusetts(events={"discovered_at": "2019-04-11T10:00:00-04:00"})

    assert before.obligation("us-ma/individuals").rule_version == "2007-10-31"
    assert after.obligation("us-ma/individuals").rule_version == "2019-04-11"
    assert "whether the person maintains a written information security program" in (
        after.obligation("us-ma/attorney_general").content
    )


def test_not_in_force_before_31_october_2007():
    evaluation = massachusetts(events={"discovered_at": "2007-10-30T10:00:00-04:00"})
    assert evaluation.reason("us-ma/individuals").startswith("not in force on 2007-10-30")


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["name", "payment_card"], True),
        (["ssn"], False),
        (["credentials"], False),
        (["name", "biometric"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = massachusetts(data={"categories": categories})
    assert ("us-ma/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = massachusetts(data={"categories": ["name", "health"]})

    assert massachusetts_keys(evaluation) == set()
    assert evaluation.reason("us-ma/individuals") == (
        "the data (health, name) are not personal information under M.G.L. c. 93H, 1(a)"
    )


def test_no_risk_of_harm_exception():
    evaluation = massachusetts(assessment={"risk_of_harm": "unlikely"})
    assert "us-ma/individuals" in owed(evaluation)


def test_encryption_safe_harbour_lost_with_the_key():
    safe = massachusetts(data={"encrypted": True})
    exposed = massachusetts(data={"encrypted": True, "key_compromised": True})

    assert massachusetts_keys(safe) == set()
    assert "us-ma/individuals" in owed(exposed)


def test_law_enforcement_delay_holds_the_notice():
    evaluation = massachusetts(
        law_enforcement_delay={
            "agency": "Massachusetts State Police",
            "requested_at": "2026-03-06T09:00:00-05:00",
            "released_at": None,
            "written": True,
        }
    )

    assert evaluation.obligation("us-ma/individuals").due_kind == "tolled"
    assert evaluation.obligation("us-ma/attorney_general").due_kind == "tolled"


def test_holder_tells_the_owner():
    evaluation = massachusetts(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-ma/data_owner").due_kind == "without_undue_delay"
    assert "us-ma/individuals" not in owed(evaluation)
