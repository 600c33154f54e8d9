"""South Dakota SDCL 22-40-19 to 22-40-26, with literal expected dates."""

import pytest

from .support import due, owed, run

SD = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-SD": 300},
}


def south_dakota(**sections):
    return run(**{**SD, **sections})


def sd_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-sd/")}


def delay(released_at):
    return {
        "agency": "FBI",
        "requested_at": "2026-03-10T10:00:00-05:00",
        "released_at": released_at,
        "written": True,
    }


def test_individuals_60_days_after_discovery():
    obligation = south_dakota().obligation("us-sd/individuals")

    # 26 days to the end of March, 30 in April, 4 in May: Monday 2026-05-04 CDT.
    assert obligation.due.isoformat() == "2026-05-05T04:59:59.999999+00:00"
    assert obligation.citation == "SDCL 22-40-20, 22-40-21"


@pytest.mark.parametrize(("count", "owes"), [(250, False), (251, True)])
def test_attorney_general_more_than_250(count, owes):
    evaluation = south_dakota(affected={"US-SD": count})

    assert ("us-sd/attorney_general" in owed(evaluation)) is owes
    if owes:
        assert due(evaluation, "us-sd/attorney_general") == "2026-05-05T04:59:59.999999+00:00"


def test_early_clearance_gives_30_days_from_the_release():
    obligation = south_dakota(law_enforcement_delay=delay("2026-03-20T10:00:00-05:00")).obligation(
        "us-sd/individuals"
    )

    # 30 days after Friday 2026-03-20 is Sunday 2026-04-19, before the 60-day date.
    assert obligation.due.isoformat() == "2026-04-20T04:59:59.999999+00:00"
    assert "sets the date from the release" in obligation.basis


def test_late_clearance_gives_30_days_from_the_release():
    obligation = south_dakota(law_enforcement_delay=delay("2026-04-20T10:00:00-05:00")).obligation(
        "us-sd/individuals"
    )

    # 30 days after 2026-04-20 is 2026-05-20.
    assert obligation.due.isoformat() == "2026-05-21T04:59:59.999999+00:00"


def test_delay_still_in_force_holds_the_notice_but_not_the_attorney_general():
    evaluation = south_dakota(law_enforcement_delay=delay(None))

    assert evaluation.obligation("us-sd/individuals").due_kind == "tolled"
    assert due(evaluation, "us-sd/attorney_general") == "2026-05-05T04:59:59.999999+00:00"


def test_consumer_reporting_agencies_whatever_the_number():
    evaluation = south_dakota(
        affected={"US-SD": 1}, notices={"us-sd/individuals": "2026-03-20T16:00:00-05:00"}
    )
    obligation = evaluation.obligation("us-sd/consumer_reporting_agencies")

    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-23T21:00:00+00:00"


def test_online_credentials_are_covered_without_a_name():
    assert "us-sd/individuals" in owed(south_dakota(data={"categories": ["email", "credentials"]}))


def test_health_information_is_covered_with_a_name():
    assert "us-sd/individuals" in owed(south_dakota(data={"categories": ["name", "health"]}))


def test_contact_details_alone_are_not_covered():
    evaluation = south_dakota(data={"categories": ["name", "email", "address"]})

    assert not sd_keys(evaluation)
    assert evaluation.reason("us-sd/individuals") == (
        "the data (address, email, name) are not personal information under SDCL 22-40-19(4), (5)"
    )


def test_unlikely_harm_exempts_the_residents_notice():
    evaluation = south_dakota(assessment={"risk_of_harm": "unlikely"})

    assert "us-sd/individuals" not in owed(evaluation)
    assert "us-sd/attorney_general" in owed(evaluation)


def test_vendor_has_no_duty_under_this_law():
    evaluation = south_dakota(organisation={"roles": ["service_provider"]})

    assert not sd_keys(evaluation)
    assert evaluation.reason("us-sd/individuals").startswith("it applies to the roles")


def test_day_before_and_day_the_law_took_effect():
    before = south_dakota(events={"discovered_at": "2018-06-30T10:00:00-05:00"})
    after = south_dakota(events={"discovered_at": "2018-07-01T10:00:00-05:00"})

    assert before.reason("us-sd/individuals").startswith("not in force on 2018-06-30")
    # 30 days to the end of July, 30 in August: 2018-08-30.
    assert due(after, "us-sd/individuals") == "2018-08-31T04:59:59.999999+00:00"


def test_encrypted_data_owe_nothing():
    assert not sd_keys(south_dakota(data={"encrypted": True}))
