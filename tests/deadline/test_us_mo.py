"""Missouri Rev. Stat. 407.1500, with literal expected dates."""

import pytest

from .support import owed, run

MO = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-MO": 1500},
}
TOLD = {"us-mo/individuals": "2026-03-20T16:00:00-05:00"}


def missouri(**sections):
    return run(**{**MO, **sections})


def mo_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-mo/")}


def test_individuals_without_unreasonable_delay():
    obligation = missouri().obligation("us-mo/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 72 hours after 2026-03-05 15:30 UTC.
    assert obligation.target.isoformat() == "2026-03-08T15:30:00+00:00"
    assert obligation.citation == "Mo. Rev. Stat. 407.1500(2)(1), (3), (5)"


def test_attorney_general_and_agencies_after_the_residents_notice():
    evaluation = missouri(notices=TOLD)

    for key in ("us-mo/attorney_general", "us-mo/consumer_reporting_agencies"):
        obligation = evaluation.obligation(key)
        assert obligation.due_kind == "without_undue_delay"
        assert obligation.depends_on is None
        # 72 hours after the notice given on 2026-03-20 21:00 UTC.
        assert obligation.target.isoformat() == "2026-03-23T21:00:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_attorney_general_and_agencies_more_than_1000(count, owes):
    keys = mo_keys(missouri(affected={"US-MO": count}, notices=TOLD))

    assert ("us-mo/attorney_general" in keys) is owes
    assert ("us-mo/consumer_reporting_agencies" in keys) is owes


def test_health_and_health_insurance_information_are_covered_with_a_name():
    assert "us-mo/individuals" in owed(missouri(data={"categories": ["name", "health"]}))
    assert "us-mo/individuals" in owed(missouri(data={"categories": ["name", "health_insurance"]}))


def test_biometric_data_are_not_covered():
    evaluation = missouri(data={"categories": ["name", "biometric"]})

    assert not mo_keys(evaluation)
    assert evaluation.reason("us-mo/individuals") == (
        "the data (biometric, name) are not personal information under "
        "Mo. Rev. Stat. 407.1500(1)(9)"
    )


def test_no_reasonable_likelihood_of_identity_theft_exempts():
    assert not mo_keys(missouri(assessment={"risk_of_harm": "unlikely"}, notices=TOLD))


def test_law_enforcement_release_sets_the_policy_target():
    obligation = missouri(
        law_enforcement_delay={
            "agency": "FBI",
            "requested_at": "2026-03-06T10:00:00-06:00",
            "released_at": "2026-03-27T10:00:00-05:00",
            "written": True,
        }
    ).obligation("us-mo/individuals")

    assert obligation.due is None
    assert obligation.target.isoformat() == "2026-03-27T15:00:00+00:00"


def test_encrypted_data_owe_nothing():
    assert not mo_keys(missouri(data={"encrypted": True}, notices=TOLD))


def test_vendor_tells_the_owner_immediately():
    evaluation = missouri(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-mo/data_owner").due_kind == "without_undue_delay"
    assert mo_keys(evaluation) == {"us-mo/data_owner"}


def test_day_before_and_day_the_law_took_effect():
    before = missouri(events={"discovered_at": "2009-08-27T10:00:00-05:00"})
    after = missouri(events={"discovered_at": "2009-08-28T10:00:00-05:00"})

    assert before.reason("us-mo/individuals").startswith("not in force on 2009-08-27")
    assert "us-mo/individuals" in owed(after)
