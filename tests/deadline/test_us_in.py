"""Indiana Code 24-4.9 before and after the 45-day limit of HEA 1351."""

import pytest

from .support import due, owed, run

IN = {
    "timezone": "America/Indiana/Indianapolis",
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-IN": 300},
}


def indiana(**sections):
    return run(**{**IN, **sections})


def indiana_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-in/")}


def test_individuals_45_days_after_discovery():
    obligation = indiana().obligation("us-in/individuals")

    # 5 March + 45 days: 26 left in March, day 45 is 19 April (EDT).
    assert obligation.due.isoformat() == "2026-04-20T03:59:59.999999+00:00"
    assert obligation.rule_version == "2022-07-01"
    assert obligation.basis == (
        "Without undue delay and at the latest 45 calendar days after discovery on "
        "2026-03-05, which ends 2026-04-19 23:59 EDT"
    )


def test_attorney_general_for_a_single_resident_same_45_days():
    evaluation = indiana(affected={"US-IN": 1})
    assert due(evaluation, "us-in/attorney_general") == "2026-04-20T03:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = indiana(affected={"US-IN": count})

    assert ("us-in/consumer_reporting_agencies" in owed(evaluation)) is owes
    if owes:
        assert due(evaluation, "us-in/consumer_reporting_agencies") == (
            "2026-04-20T03:59:59.999999+00:00"
        )


def test_attorney_general_from_pl_137_2009():
    before = indiana(events={"discovered_at": "2009-06-30T10:00:00-04:00"})
    after = indiana(events={"discovered_at": "2009-07-01T10:00:00-04:00"})

    assert before.reason("us-in/attorney_general").startswith("not in force on 2009-06-30")
    assert after.obligation("us-in/attorney_general").due_kind == "without_undue_delay"


def test_day_before_hea_1351_no_fixed_date():
    evaluation = indiana(events={"discovered_at": "2022-06-30T10:00:00-04:00"})
    obligation = evaluation.obligation("us-in/individuals")

    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2006-07-01"


def test_day_hea_1351_took_effect_45_days():
    evaluation = indiana(events={"discovered_at": "2022-07-01T10:00:00-04:00"})

    # 1 July + 45 days: 30 left in July, day 45 is 15 August.
    assert due(evaluation, "us-in/individuals") == "2022-08-16T03:59:59.999999+00:00"
    assert due(evaluation, "us-in/attorney_general") == "2022-08-16T03:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["ssn"], True),
        (["name", "payment_card"], True),
        (["drivers_license"], False),
        (["credentials"], False),
        (["name", "biometric"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = indiana(data={"categories": categories})
    assert ("us-in/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = indiana(data={"categories": ["name", "health"]})

    assert indiana_keys(evaluation) == set()
    assert evaluation.reason("us-in/individuals") == (
        "the data (health, name) are not personal information under Ind. Code 24-4.9-2-10"
    )


def test_no_risk_of_fraud_exempts_residents_and_attorney_general():
    evaluation = indiana(assessment={"risk_of_harm": "unlikely"})
    assert indiana_keys(evaluation) == set()


def test_encryption_safe_harbour_lost_with_the_key():
    safe = indiana(data={"encrypted": True})
    exposed = indiana(data={"encrypted": True, "key_compromised": True})

    assert indiana_keys(safe) == set()
    assert due(exposed, "us-in/individuals") == "2026-04-20T03:59:59.999999+00:00"


def test_law_enforcement_delay_defers_notice_past_the_45th_day():
    evaluation = indiana(
        law_enforcement_delay={
            "agency": "Indiana State Police",
            "requested_at": "2026-03-10T09:00:00-05:00",
            "released_at": "2026-05-04T12:00:00-04:00",
            "written": True,
        }
    )

    assert due(evaluation, "us-in/individuals") == "2026-05-04T16:00:00+00:00"


def test_data_holder_tells_the_owner_within_45_days():
    evaluation = indiana(organisation={"roles": ["service_provider"]})

    assert due(evaluation, "us-in/data_owner") == "2026-04-20T03:59:59.999999+00:00"
    assert "us-in/individuals" not in owed(evaluation)
