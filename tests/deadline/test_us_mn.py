"""Minnesota Stat. 325E.61, with literal expected dates."""

import pytest

from .support import due, owed, run

MN = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-MN": 800},
}


def minnesota(**sections):
    return run(**{**MN, **sections})


def mn_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-mn/")}


def test_individuals_without_unreasonable_delay():
    obligation = minnesota().obligation("us-mn/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.citation == "Minn. Stat. 325E.61 subd. 1(a), (c)"


def test_consumer_reporting_agencies_48_hours_after_discovery():
    evaluation = minnesota()

    # 2026-03-05 15:30 UTC plus 48 hours.
    assert due(evaluation, "us-mn/consumer_reporting_agencies") == "2026-03-07T15:30:00+00:00"


def test_48_hours_are_elapsed_time_across_the_clock_change():
    evaluation = minnesota(events={"discovered_at": "2026-03-07T09:30:00-06:00"})

    # 15:30 UTC on 7 March plus 48 hours is 15:30 UTC on 9 March: 10:30 CDT, not 09:30.
    assert due(evaluation, "us-mn/consumer_reporting_agencies") == "2026-03-09T15:30:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_consumer_reporting_agencies_more_than_500(count, owes):
    evaluation = minnesota(affected={"US-MN": count})
    assert ("us-mn/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_no_risk_of_harm_exception():
    evaluation = minnesota(assessment={"risk_of_harm": "unlikely"})
    assert {"us-mn/individuals", "us-mn/consumer_reporting_agencies"} <= owed(evaluation)


def test_law_enforcement_delay_does_not_move_the_agency_notice():
    evaluation = minnesota(
        law_enforcement_delay={
            "agency": "FBI",
            "requested_at": "2026-03-06T10:00:00-06:00",
            "released_at": "2026-04-01T10:00:00-05:00",
            "written": True,
        }
    )

    assert due(evaluation, "us-mn/consumer_reporting_agencies") == "2026-03-07T15:30:00+00:00"
    assert "us-mn/individuals" in owed(evaluation)


def test_biometric_and_health_data_are_not_covered():
    evaluation = minnesota(data={"categories": ["name", "biometric", "health"]})

    assert not mn_keys(evaluation)
    assert evaluation.reason("us-mn/individuals") == (
        "the data (biometric, health, name) are not personal information under "
        "Minn. Stat. 325E.61 subd. 1(e)"
    )


def test_encrypted_data_owe_nothing():
    assert not mn_keys(minnesota(data={"encrypted": True}))


def test_vendor_tells_the_owner_immediately():
    evaluation = minnesota(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-mn/data_owner").due_kind == "without_undue_delay"
    assert "us-mn/individuals" not in owed(evaluation)
