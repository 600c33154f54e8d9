"""South Carolina Code 39-1-90, with literal expected dates."""

import pytest

from .support import owed, run

SC = {
    "timezone": "America/New_York",
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-SC": 2000},
}
TOLD = {"us-sc/individuals": "2026-03-20T16:00:00-04:00"}


def south_carolina(**sections):
    return run(**{**SC, **sections})


def sc_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-sc/")}


def test_individuals_without_unreasonable_delay():
    obligation = south_carolina().obligation("us-sc/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"
    assert obligation.citation == "S.C. Code 39-1-90(A), (C)"


def test_department_of_consumer_affairs_after_the_residents_notice():
    obligation = south_carolina(notices=TOLD).obligation("us-sc/state_agency")

    assert obligation.due_kind == "without_undue_delay"
    # 72 hours after 2026-03-20 20:00 UTC.
    assert obligation.target.isoformat() == "2026-03-23T20:00:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_agency_and_consumer_reporting_agencies_more_than_1000(count, owes):
    keys = sc_keys(south_carolina(affected={"US-SC": count}, notices=TOLD))

    assert ("us-sc/state_agency" in keys) is owes
    assert ("us-sc/consumer_reporting_agencies" in keys) is owes


def test_government_issued_numbers_are_covered():
    assert "us-sc/individuals" in owed(south_carolina(data={"categories": ["name", "passport"]}))


def test_health_data_are_not_covered():
    evaluation = south_carolina(data={"categories": ["name", "health", "health_insurance"]})

    assert not sc_keys(evaluation)
    assert evaluation.reason("us-sc/individuals") == (
        "the data (health, health_insurance, name) are not personal information under "
        "S.C. Code 39-1-90(D)(3)"
    )


def test_no_material_risk_of_harm_exempts():
    assert not sc_keys(south_carolina(assessment={"risk_of_harm": "unlikely"}, notices=TOLD))


def test_encrypted_data_owe_nothing_unless_the_key_was_taken():
    assert not sc_keys(south_carolina(data={"encrypted": True}))
    key_taken = south_carolina(data={"encrypted": True, "key_compromised": True})
    assert "us-sc/individuals" in owed(key_taken)


def test_vendor_tells_the_owner_immediately():
    evaluation = south_carolina(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-sc/data_owner").due_kind == "without_undue_delay"
    assert sc_keys(evaluation) == {"us-sc/data_owner"}


def test_not_in_force_before_2009_07_01():
    evaluation = south_carolina(events={"discovered_at": "2009-06-30T10:00:00-04:00"})
    assert evaluation.reason("us-sc/individuals").startswith("not in force on 2009-06-30")
