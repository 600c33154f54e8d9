"""Louisiana La. R.S. 51:3074 before and after Act 382 of 2018, and the AG's 10-day rule."""

import pytest

from .support import due, owed, run

LA = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-LA": 400},
}


def louisiana(**sections):
    return run(**{**LA, **sections})


def louisiana_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-la/")}


def test_individuals_60_days_after_discovery():
    obligation = louisiana().obligation("us-la/individuals")

    # 5 March + 60 days: 26 left in March, 30 in April, day 60 is 4 May (CDT).
    assert obligation.due.isoformat() == "2026-05-05T04:59:59.999999+00:00"
    assert obligation.rule_version == "2018-08-01"
    assert obligation.citation == "La. R.S. 51:3074(C), (E) as amended by Act 382 of 2018"


def test_attorney_general_10_days_after_the_notice():
    evaluation = louisiana(notices={"us-la/individuals": "2026-03-20T16:00:00-05:00"})
    obligation = evaluation.obligation("us-la/attorney_general")

    # 20 March + 10 days is 30 March.
    assert obligation.due.isoformat() == "2026-03-31T04:59:59.999999+00:00"
    assert obligation.basis == (
        "10 calendar days after notice us-la/individuals given on 2026-03-20 "
        "ends 2026-03-30 23:59 CDT"
    )


def test_attorney_general_before_the_notice_counts_from_its_deadline():
    obligation = louisiana().obligation("us-la/attorney_general")

    # 4 May + 10 days is 14 May.
    assert obligation.due.isoformat() == "2026-05-15T04:59:59.999999+00:00"
    assert obligation.depends_on == "us-la/individuals"


def test_attorney_general_for_a_single_resident():
    assert "us-la/attorney_general" in owed(louisiana(affected={"US-LA": 1}))


def test_no_duty_to_consumer_reporting_agencies():
    evaluation = louisiana(affected={"US-LA": 50000})
    assert louisiana_keys(evaluation) == {"us-la/individuals", "us-la/attorney_general"}


def test_day_before_act_382_no_fixed_date():
    evaluation = louisiana(events={"discovered_at": "2018-07-31T10:00:00-05:00"})
    obligation = evaluation.obligation("us-la/individuals")

    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2006-01-01"
    assert evaluation.obligation("us-la/attorney_general").due is None


def test_day_act_382_took_effect_60_days():
    evaluation = louisiana(events={"discovered_at": "2018-08-01T10:00:00-05:00"})

    # 1 August + 60 days: 30 left in August, day 60 is 30 September.
    assert due(evaluation, "us-la/individuals") == "2018-10-01T04:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("categories", "discovered", "owes"),
    [
        (["name", "ssn"], "2026-03-05T09:30:00-06:00", True),
        (["name", "passport"], "2018-07-31T09:30:00-05:00", False),
        (["name", "passport"], "2018-08-01T09:30:00-05:00", True),
        (["name", "biometric"], "2018-08-01T09:30:00-05:00", True),
        (["credentials"], "2026-03-05T09:30:00-06:00", False),
    ],
)
def test_personal_information_as_defined_on_the_day(categories, discovered, owes):
    evaluation = louisiana(data={"categories": categories}, events={"discovered_at": discovered})
    assert ("us-la/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = louisiana(data={"categories": ["name", "health"]})

    assert louisiana_keys(evaluation) == set()
    assert evaluation.reason("us-la/individuals") == (
        "the data (health, name) are not personal information under "
        "La. R.S. 51:3073(4) as amended by Act 382 of 2018"
    )


def test_no_reasonable_likelihood_of_harm_exempts():
    assert louisiana_keys(louisiana(assessment={"risk_of_harm": "unlikely"})) == set()


def test_encryption_safe_harbour_lost_with_the_key():
    safe = louisiana(data={"encrypted": True})
    exposed = louisiana(data={"encrypted": True, "key_compromised": True})

    assert louisiana_keys(safe) == set()
    assert due(exposed, "us-la/individuals") == "2026-05-05T04:59:59.999999+00:00"


def test_law_enforcement_delay_defers_notice_to_the_release():
    evaluation = louisiana(
        law_enforcement_delay={
            "agency": "Louisiana State Police",
            "requested_at": "2026-03-10T09:00:00-05:00",
            "released_at": "2026-05-20T12:00:00-05:00",
            "written": True,
        }
    )

    assert due(evaluation, "us-la/individuals") == "2026-05-20T17:00:00+00:00"


def test_vendor_tells_the_owner_within_60_days():
    evaluation = louisiana(organisation={"roles": ["service_provider"]})

    assert due(evaluation, "us-la/data_owner") == "2026-05-05T04:59:59.999999+00:00"
    assert "us-la/individuals" not in owed(evaluation)
