"""North Carolina N.C. Gen. Stat. 75-65, with literal expected dates."""

import pytest

from .support import owed, run

NC = {"affected": {"US-NC": 300}}
TOLD = {"us-nc/individuals": "2026-03-20T16:00:00-04:00"}


def north_carolina(**sections):
    return run(**{**NC, **sections})


def nc_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-nc/")}


def test_individuals_without_unreasonable_delay():
    obligation = north_carolina().obligation("us-nc/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # Policy target: 72 hours after discovery at 2026-03-05 14:30 UTC.
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"


def test_attorney_general_after_the_notice_to_residents():
    obligation = north_carolina(notices=TOLD).obligation("us-nc/attorney_general")

    assert obligation.due is None
    assert obligation.target.isoformat() == "2026-03-23T20:00:00+00:00"
    assert obligation.citation == "N.C. Gen. Stat. 75-65(e1)"


def test_attorney_general_for_a_single_resident():
    assert "us-nc/attorney_general" in owed(north_carolina(affected={"US-NC": 1}))


def test_attorney_general_notice_began_on_2009_10_01():
    before = north_carolina(
        events={"discovered_at": "2009-09-20T10:00:00-04:00"},
        notices={"us-nc/individuals": "2009-09-30T10:00:00-04:00"},
    )
    after = north_carolina(
        events={"discovered_at": "2009-09-20T10:00:00-04:00"},
        notices={"us-nc/individuals": "2009-10-01T10:00:00-04:00"},
    )

    assert before.reason("us-nc/attorney_general").startswith("not in force on 2009-09-30")
    assert after.obligation("us-nc/attorney_general").rule_version == "2009-10-01"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = north_carolina(affected={"US-NC": count})
    assert ("us-nc/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    assert not nc_keys(north_carolina(data={"categories": ["name", "health"]}))


def test_no_material_risk_of_harm_exempts():
    assert not nc_keys(north_carolina(assessment={"risk_of_harm": "unlikely"}))


def test_encrypted_data_owe_nothing():
    assert not nc_keys(north_carolina(data={"encrypted": True}))


def test_vendor_tells_the_owner():
    evaluation = north_carolina(organisation={"roles": ["processor"]})
    assert nc_keys(evaluation) == {"us-nc/data_owner"}
