"""New Mexico Data Breach Notification Act, N.M. Stat. 57-12C, with literal expected dates."""

import pytest

from .support import due, owed, run

NM = {
    "timezone": "America/Denver",
    "events": {"discovered_at": "2026-03-05T09:30:00-07:00"},
    "affected": {"US-NM": 1500},
}


def new_mexico(**sections):
    return run(**{**NM, **sections})


def nm_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-nm/")}


def test_individuals_attorney_general_and_agencies_45_days_after_discovery():
    evaluation = new_mexico()

    # 26 days to the end of March, 19 in April: 2026-04-19 MDT.
    for key in ("individuals", "attorney_general", "consumer_reporting_agencies"):
        assert due(evaluation, f"us-nm/{key}") == "2026-04-20T05:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_attorney_general_more_than_1000(count, owes):
    keys = owed(new_mexico(affected={"US-NM": count}))

    assert ("us-nm/attorney_general" in keys) is owes
    assert ("us-nm/consumer_reporting_agencies" in keys) is owes


def test_the_act_took_effect_on_2017_06_16():
    before = new_mexico(events={"discovered_at": "2017-06-15T10:00:00-06:00"})
    after = new_mexico(events={"discovered_at": "2017-06-16T10:00:00-06:00"})

    assert before.reason("us-nm/individuals").startswith("not in force on 2017-06-15")
    # 14 days to the end of June, 31 in July.
    assert due(after, "us-nm/individuals") == "2017-08-01T05:59:59.999999+00:00"


def test_vendor_45_days():
    evaluation = new_mexico(organisation={"roles": ["service_provider"]})
    assert due(evaluation, "us-nm/data_owner") == "2026-04-20T05:59:59.999999+00:00"


def test_no_significant_risk_exempts_every_notice():
    assert not nm_keys(new_mexico(assessment={"risk_of_harm": "unlikely"}))


def test_health_data_are_not_covered():
    assert not nm_keys(new_mexico(data={"categories": ["name", "health"]}))


def test_encrypted_data_owe_nothing():
    assert not nm_keys(new_mexico(data={"encrypted": True}))
