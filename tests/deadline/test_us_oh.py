"""Ohio Rev. Code 1349.19, with literal expected dates."""

import pytest

from .support import due, owed, run

OH = {"affected": {"US-OH": 200}}


def ohio(**sections):
    return run(**{**OH, **sections})


def oh_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-oh/")}


def test_individuals_45_days_after_discovery():
    obligation = ohio().obligation("us-oh/individuals")

    # 26 days to the end of March, 19 in April: Sunday 2026-04-19 EDT.
    assert obligation.due.isoformat() == "2026-04-20T03:59:59.999999+00:00"
    assert obligation.citation == "Ohio Rev. Code 1349.19(B)"


def test_law_enforcement_delay_moves_the_date_to_the_release():
    obligation = ohio(
        law_enforcement_delay={
            "agency": "FBI",
            "requested_at": "2026-03-10T10:00:00-05:00",
            "released_at": "2026-05-01T10:00:00-04:00",
            "written": True,
        }
    ).obligation("us-oh/individuals")

    assert obligation.due.isoformat() == "2026-05-01T14:00:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = ohio(affected={"US-OH": count})
    assert ("us-oh/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_vendor_45_days_at_the_latest():
    evaluation = ohio(organisation={"roles": ["service_provider"]})
    assert due(evaluation, "us-oh/data_owner") == "2026-04-20T03:59:59.999999+00:00"


def test_no_material_risk_exempts():
    assert not oh_keys(ohio(assessment={"risk_of_harm": "unlikely"}))


def test_health_data_are_not_covered():
    assert not oh_keys(ohio(data={"categories": ["name", "health"]}))


def test_encrypted_data_owe_nothing():
    assert not oh_keys(ohio(data={"encrypted": True}))
