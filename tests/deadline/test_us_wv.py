"""West Virginia Code 46A-2A-102, with literal expected dates."""

import pytest

from .support import owed, run

WV = {
    "timezone": "America/New_York",
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-WV": 70},
}


def west_virginia(**sections):
    return run(**{**WV, **sections})


def wv_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-wv/")}


def test_individuals_without_unreasonable_delay():
    obligation = west_virginia().obligation("us-wv/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"
    assert obligation.citation == "W. Va. Code 46A-2A-102(a), (e)"


def test_no_attorney_general_notice():
    keys = wv_keys(west_virginia(affected={"US-WV": 50000}))
    assert keys == {"us-wv/individuals", "us-wv/consumer_reporting_agencies"}


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = west_virginia(affected={"US-WV": count})
    assert ("us-wv/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_law_enforcement_delay_holds_the_notice():
    obligation = west_virginia(
        law_enforcement_delay={
            "agency": "West Virginia State Police",
            "requested_at": "2026-03-06T10:00:00-05:00",
            "released_at": None,
            "written": False,
        }
    ).obligation("us-wv/individuals")

    assert obligation.due_kind == "tolled"


def test_no_belief_of_identity_theft_exempts():
    assert not wv_keys(west_virginia(assessment={"risk_of_harm": "unlikely"}))


def test_health_data_and_credentials_are_not_covered():
    evaluation = west_virginia(data={"categories": ["name", "health", "credentials"]})

    assert not wv_keys(evaluation)
    assert evaluation.reason("us-wv/individuals") == (
        "the data (credentials, health, name) are not personal information under "
        "W. Va. Code 46A-2A-101(6)"
    )


def test_encrypted_data_owe_nothing():
    assert not wv_keys(west_virginia(data={"encrypted": True}))


def test_vendor_tells_the_owner_as_soon_as_practicable():
    evaluation = west_virginia(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-wv/data_owner").due_kind == "without_undue_delay"
    assert wv_keys(evaluation) == {"us-wv/data_owner"}


def test_day_before_and_day_the_law_took_effect():
    before = west_virginia(events={"discovered_at": "2008-06-05T10:00:00-04:00"})
    after = west_virginia(events={"discovered_at": "2008-06-06T10:00:00-04:00"})

    assert before.reason("us-wv/individuals").startswith("not in force on 2008-06-05")
    assert "us-wv/individuals" in owed(after)
