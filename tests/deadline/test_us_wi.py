"""Wisconsin Stat. 134.98, with literal expected dates."""

import pytest

from .support import due, owed, run

WI = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-WI": 90},
}


def wisconsin(**sections):
    return run(**{**WI, **sections})


def wi_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-wi/")}


def delay(released_at):
    return {
        "agency": "FBI",
        "requested_at": "2026-03-10T10:00:00-05:00",
        "released_at": released_at,
        "written": True,
    }


def test_individuals_45_days_after_learning_of_the_acquisition():
    obligation = wisconsin().obligation("us-wi/individuals")

    # 26 days to the end of March, 19 in April: Sunday 2026-04-19 CDT.
    assert obligation.due.isoformat() == "2026-04-20T04:59:59.999999+00:00"
    assert obligation.citation == "Wis. Stat. 134.98(2), (3), (4)"


def test_release_before_the_45th_day_leaves_the_date():
    evaluation = wisconsin(law_enforcement_delay=delay("2026-03-20T10:00:00-05:00"))
    assert due(evaluation, "us-wi/individuals") == "2026-04-20T04:59:59.999999+00:00"


def test_release_after_the_45th_day_defers_notice_to_the_release():
    evaluation = wisconsin(law_enforcement_delay=delay("2026-05-01T10:00:00-05:00"))
    assert due(evaluation, "us-wi/individuals") == "2026-05-01T15:00:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(999, False), (1000, True), (1001, True)])
def test_consumer_reporting_agencies_1000_or_more(count, owes):
    evaluation = wisconsin(affected={"US-WI": count})
    assert ("us-wi/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_dna_profiles_and_biometric_data_are_covered():
    assert "us-wi/individuals" in owed(wisconsin(data={"categories": ["name", "genetic"]}))
    assert "us-wi/individuals" in owed(wisconsin(data={"categories": ["name", "biometric"]}))


def test_health_data_are_not_covered():
    evaluation = wisconsin(data={"categories": ["name", "health"]})

    assert not wi_keys(evaluation)
    assert evaluation.reason("us-wi/individuals") == (
        "the data (health, name) are not personal information under Wis. Stat. 134.98(1)(b)"
    )


def test_no_material_risk_exempts():
    assert not wi_keys(wisconsin(assessment={"risk_of_harm": "unlikely"}))


def test_encrypted_data_owe_nothing():
    assert not wi_keys(wisconsin(data={"encrypted": True}))


def test_vendor_tells_the_source_as_soon_as_practicable():
    evaluation = wisconsin(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-wi/data_owner").due_kind == "without_undue_delay"
    assert wi_keys(evaluation) == {"us-wi/data_owner"}


def test_not_in_force_before_2006_03_31():
    evaluation = wisconsin(events={"discovered_at": "2006-03-30T10:00:00-06:00"})
    assert evaluation.reason("us-wi/individuals").startswith("not in force on 2006-03-30")
