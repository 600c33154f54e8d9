"""Michigan MCL 445.72, with literal expected dates."""

import pytest

from .support import owed, run

MI = {
    "timezone": "America/Detroit",
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-MI": 300},
}
TOLD = {"us-mi/individuals": "2026-03-20T16:00:00-04:00"}


def michigan(**sections):
    return run(**{**MI, **sections})


def mi_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-mi/")}


def test_individuals_without_unreasonable_delay_and_a_policy_target():
    obligation = michigan().obligation("us-mi/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 72 elapsed hours after 2026-03-05 14:30 UTC, across the 8 March clock change.
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"
    assert obligation.citation == "MCL 445.72(1), (4)"
    assert obligation.rule_version == "2007-07-02"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = michigan(affected={"US-MI": count}, notices=TOLD)

    assert ("us-mi/consumer_reporting_agencies" in owed(evaluation)) is owes
    if owes:
        obligation = evaluation.obligation("us-mi/consumer_reporting_agencies")
        assert obligation.due_kind == "without_undue_delay"
        # 72 hours after the notice to residents on 2026-03-20 20:00 UTC.
        assert obligation.target.isoformat() == "2026-03-23T20:00:00+00:00"


def test_law_enforcement_delay_holds_the_notice():
    obligation = michigan(
        law_enforcement_delay={
            "agency": "Michigan State Police",
            "requested_at": "2026-03-06T10:00:00-05:00",
            "released_at": None,
            "written": True,
        }
    ).obligation("us-mi/individuals")

    assert obligation.due_kind == "tolled"
    assert "Michigan State Police" in obligation.basis


def test_no_likely_substantial_loss_exempts():
    evaluation = michigan(assessment={"risk_of_harm": "unlikely"})

    assert not mi_keys(evaluation)
    assert evaluation.reason("us-mi/individuals") == (
        "the assessment found a risk of harm unlikely, which this law exempts"
    )


def test_health_data_are_not_personal_information():
    evaluation = michigan(data={"categories": ["name", "health", "biometric"]})

    assert not mi_keys(evaluation)
    assert evaluation.reason("us-mi/individuals") == (
        "the data (biometric, health, name) are not personal information under MCL 445.63(r)"
    )


def test_online_credentials_alone_are_not_covered():
    assert not mi_keys(michigan(data={"categories": ["email", "credentials"]}))


def test_encryption_safe_harbour_is_lost_with_the_key():
    encrypted = michigan(data={"encrypted": True, "key_compromised": False})
    key_taken = michigan(data={"encrypted": True, "key_compromised": True})

    assert not mi_keys(encrypted)
    assert "us-mi/individuals" in owed(key_taken)


def test_vendor_tells_the_owner():
    evaluation = michigan(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-mi/data_owner").due_kind == "without_undue_delay"
    assert "us-mi/individuals" not in owed(evaluation)


def test_not_in_force_before_2007_07_02():
    evaluation = michigan(events={"discovered_at": "2007-07-01T10:00:00-04:00"})
    assert evaluation.reason("us-mi/individuals").startswith("not in force on 2007-07-01")
