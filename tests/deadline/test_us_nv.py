"""Nevada NRS 603A.220 before and after AB 179 (2015)."""

import pytest

from .support import owed, run

NV = {
    "timezone": "America/Los_Angeles",
    "events": {"discovered_at": "2026-03-05T09:30:00-08:00"},
    "affected": {"US-NV": 200},
}


def nevada(**sections):
    return run(**{**NV, **sections})


def test_individuals_without_unreasonable_delay():
    obligation = nevada().obligation("us-nv/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-08T17:30:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = nevada(affected={"US-NV": count})
    assert ("us-nv/consumer_reporting_agencies" in owed(evaluation)) is owes


@pytest.mark.parametrize("categories", [["name", "health_insurance"], ["credentials"]])
def test_ab_179_boundary(categories):
    before = nevada(
        data={"categories": categories}, events={"discovered_at": "2015-06-30T10:00:00-07:00"}
    )
    after = nevada(
        data={"categories": categories}, events={"discovered_at": "2015-07-01T10:00:00-07:00"}
    )

    assert "us-nv/individuals" not in owed(before)
    assert "us-nv/individuals" in owed(after)


def test_no_risk_of_harm_exception():
    assert "us-nv/individuals" in owed(nevada(assessment={"risk_of_harm": "unlikely"}))


def test_no_residents_or_encrypted_data_owe_nothing():
    elsewhere = nevada(affected={"US-CA": 200})
    encrypted = nevada(data={"encrypted": True})

    assert elsewhere.reason("us-nv/individuals") == "no affected residents of US-NV"
    assert "us-nv/individuals" not in owed(encrypted)


def test_vendor_tells_the_owner_immediately():
    evaluation = nevada(organisation={"roles": ["processor"]})
    assert evaluation.obligation("us-nv/data_owner").due_kind == "without_undue_delay"
