"""Florida Information Protection Act, Fla. Stat. 501.171, and its predecessor 817.5681."""

import pytest

from .support import due, owed, run

FL = {"affected": {"US-FL": 700}}
DETERMINED = {
    "discovered_at": "2026-02-27T10:00:00-05:00",
    "determined_at": "2026-03-02T10:00:00-05:00",
}


def florida(**sections):
    return run(**{**FL, **sections})


def florida_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-fl/")}


def test_individuals_30_days_after_the_determination():
    evaluation = florida(events=DETERMINED)
    obligation = evaluation.obligation("us-fl/individuals")

    # 2 March + 30 days: 29 left in March, day 30 is 1 April (EDT).
    assert obligation.due.isoformat() == "2026-04-02T03:59:59.999999+00:00"
    assert obligation.rule_version == "2014-07-01"
    assert obligation.citation == "Fla. Stat. 501.171(4)(a) as enacted by ch. 2014-189"


def test_department_of_legal_affairs_same_30_days():
    evaluation = florida(events=DETERMINED)

    assert due(evaluation, "us-fl/attorney_general") == "2026-04-02T03:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, True), (501, True)])
def test_department_500_or_more_floridians(count, owes):
    evaluation = florida(affected={"US-FL": count})

    assert ("us-fl/attorney_general" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-fl/attorney_general") == (
            "499 affected residents of US-FL; it needs at least 500"
        )


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = florida(affected={"US-FL": count})

    assert ("us-fl/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_day_before_the_2014_act_45_days_and_no_department():
    evaluation = florida(events={"discovered_at": "2014-06-30T10:00:00-04:00"})
    obligation = evaluation.obligation("us-fl/individuals")

    # 30 June + 45 days: 31 in July, day 45 is 14 August.
    assert obligation.due.isoformat() == "2014-08-15T03:59:59.999999+00:00"
    assert obligation.rule_version == "2005-07-01"
    assert evaluation.reason("us-fl/attorney_general").startswith("not in force on 2014-06-30")


def test_day_the_2014_act_took_effect_30_days():
    evaluation = florida(events={"discovered_at": "2014-07-01T10:00:00-04:00"})

    # 1 July + 30 days is 31 July.
    assert due(evaluation, "us-fl/individuals") == "2014-08-01T03:59:59.999999+00:00"
    assert due(evaluation, "us-fl/attorney_general") == "2014-08-01T03:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("categories", "discovered", "owes"),
    [
        (["name", "ssn"], "2026-03-05T09:30:00-05:00", True),
        (["credentials"], "2014-06-30T09:30:00-04:00", False),
        (["credentials"], "2014-07-01T09:30:00-04:00", True),
        (["name", "health"], "2014-06-30T09:30:00-04:00", False),
        (["name", "health_insurance"], "2014-07-01T09:30:00-04:00", True),
        (["name", "passport"], "2026-03-05T09:30:00-05:00", True),
    ],
)
def test_personal_information_as_defined_on_the_day(categories, discovered, owes):
    evaluation = florida(data={"categories": categories}, events={"discovered_at": discovered})
    assert ("us-fl/individuals" in owed(evaluation)) is owes


def test_biometric_data_are_not_covered():
    evaluation = florida(data={"categories": ["name", "biometric"]})

    assert florida_keys(evaluation) == set()
    assert evaluation.reason("us-fl/individuals") == (
        "the data (biometric, name) are not personal information under "
        "Fla. Stat. 501.171(1)(g) as enacted by ch. 2014-189"
    )


def test_no_harm_exempts_the_individuals_but_not_the_department():
    evaluation = florida(assessment={"risk_of_harm": "unlikely"})

    assert "us-fl/individuals" not in owed(evaluation)
    assert "us-fl/attorney_general" in owed(evaluation)


def test_encryption_safe_harbour_lost_with_the_key():
    safe = florida(data={"encrypted": True})
    exposed = florida(data={"encrypted": True, "key_compromised": True})

    assert florida_keys(safe) == set()
    # Discovery 5 March + 30 days is 4 April.
    assert due(exposed, "us-fl/individuals") == "2026-04-05T03:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("written", "expected"),
    [(True, "2026-04-20T16:00:00+00:00"), (False, "2026-04-02T03:59:59.999999+00:00")],
)
def test_only_a_written_law_enforcement_request_delays_notice(written, expected):
    evaluation = florida(
        events=DETERMINED,
        law_enforcement_delay={
            "agency": "Florida Department of Law Enforcement",
            "requested_at": "2026-03-10T09:00:00-04:00",
            "released_at": "2026-04-20T12:00:00-04:00",
            "written": written,
        },
    )

    assert due(evaluation, "us-fl/individuals") == expected


def test_third_party_agent_tells_the_covered_entity_within_10_days():
    evaluation = florida(events=DETERMINED, organisation={"roles": ["service_provider"]})

    # 2 March + 10 days is 12 March, after the change to EDT on 8 March.
    assert due(evaluation, "us-fl/data_owner") == "2026-03-13T03:59:59.999999+00:00"
    assert "us-fl/individuals" not in owed(evaluation)
