"""Rhode Island R.I. Gen. Laws 11-49.3-4, with literal expected dates."""

import pytest

from .support import due, owed, run

RI = {"affected": {"US-RI": 600}}


def rhode_island(**sections):
    return run(**{**RI, **sections})


def test_individuals_45_days_after_confirmation():
    evaluation = rhode_island(
        events={
            "discovered_at": "2026-03-01T09:30:00-05:00",
            "determined_at": "2026-03-05T09:30:00-05:00",
        }
    )

    # 26 days to the end of March, 19 in April: 2026-04-19 EDT.
    assert due(evaluation, "us-ri/individuals") == "2026-04-20T03:59:59.999999+00:00"


def test_attorney_general_and_agencies_with_the_residents():
    told = rhode_island(notices={"us-ri/individuals": "2026-03-20T16:00:00-04:00"})
    pending = rhode_island()

    assert due(told, "us-ri/attorney_general") == "2026-03-20T20:00:00+00:00"
    assert due(told, "us-ri/consumer_reporting_agencies") == "2026-03-20T20:00:00+00:00"
    assert due(pending, "us-ri/attorney_general") == "2026-04-20T03:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_attorney_general_more_than_500(count, owes):
    keys = owed(rhode_island(affected={"US-RI": count}))

    assert ("us-ri/attorney_general" in keys) is owes
    assert ("us-ri/consumer_reporting_agencies" in keys) is owes


def test_health_information_is_covered():
    assert "us-ri/individuals" in owed(rhode_island(data={"categories": ["name", "health"]}))


def test_not_in_force_before_2016_07_02():
    evaluation = rhode_island(events={"discovered_at": "2016-07-01T10:00:00-04:00"})
    assert evaluation.reason("us-ri/individuals").startswith("not in force on 2016-07-01")


def test_no_significant_risk_exempts():
    evaluation = rhode_island(assessment={"risk_of_harm": "unlikely"})
    assert not {key for key in owed(evaluation) if key.startswith("us-ri/")}


def test_encrypted_data_owe_nothing():
    evaluation = rhode_island(data={"encrypted": True})
    assert not {key for key in owed(evaluation) if key.startswith("us-ri/")}
