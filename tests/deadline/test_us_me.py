"""Maine 10 M.R.S. 1348 before and after PL 2019, c. 512, with literal expected dates."""

import pytest

from .support import due, owed, run

ME = {"affected": {"US-ME": 400}}
SCOPED = {
    "discovered_at": "2026-03-05T09:30:00-05:00",
    "scope_identified_at": "2026-03-10T12:00:00-04:00",
}
BROKER = {"roles": ["information_broker"]}


def maine(**sections):
    return run(**{**ME, **sections})


def maine_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-me/")}


def test_individuals_30_days_after_awareness_and_scope():
    evaluation = maine(events=SCOPED)
    obligation = evaluation.obligation("us-me/individuals")

    # 10 March + 30 days: 21 left in March, day 30 is 9 April (EDT).
    assert obligation.due.isoformat() == "2026-04-10T03:59:59.999999+00:00"
    assert obligation.trigger == "scope_identified_at"
    assert obligation.rule_version == "2019-09-19"


def test_without_a_scope_the_discovery_stands_for_it():
    # 5 March + 30 days: 26 left in March, day 30 is 4 April.
    assert due(maine(), "us-me/individuals") == "2026-04-05T03:59:59.999999+00:00"


def test_day_before_pl_2019_c_512_no_fixed_date():
    evaluation = maine(events={"discovered_at": "2019-09-18T10:00:00-04:00"})
    obligation = evaluation.obligation("us-me/individuals")

    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2009-05-19"


def test_day_pl_2019_c_512_took_effect_30_days():
    evaluation = maine(events={"discovered_at": "2019-09-19T10:00:00-04:00"})

    # 19 September + 30 days: 11 left in September, day 30 is 19 October.
    assert due(evaluation, "us-me/individuals") == "2019-10-20T03:59:59.999999+00:00"


def test_after_a_law_enforcement_delay_7_business_days_from_the_release():
    evaluation = maine(
        events=SCOPED,
        law_enforcement_delay={
            "agency": "Maine State Police",
            "requested_at": "2026-03-12T09:00:00-04:00",
            "released_at": "2026-03-20T12:00:00-04:00",
            "written": True,
        },
    )
    obligation = evaluation.obligation("us-me/individuals")

    # Released Friday 20 March: Mon 23 to Fri 27 are days 1-5, Mon 30 and Tue 31 days 6-7.
    assert obligation.due.isoformat() == "2026-04-01T03:59:59.999999+00:00"
    other = "Read as deferring notice to the release, the delay would give 2026-04-09 23:59 EDT"
    assert any(other in note for note in obligation.notes)


def test_a_late_release_moves_the_date_past_the_30th_day():
    evaluation = maine(
        events=SCOPED,
        law_enforcement_delay={
            "agency": "Maine State Police",
            "requested_at": "2026-03-12T09:00:00-04:00",
            "released_at": "2026-04-15T12:00:00-04:00",
            "written": True,
        },
    )

    # Released Wednesday 15 April: Thu 16, Fri 17, Mon 20 to Fri 24 are days 1-7.
    assert due(evaluation, "us-me/individuals") == "2026-04-25T03:59:59.999999+00:00"


def released(discovered, requested, released_at):
    delay = {
        "agency": "Maine State Police",
        "requested_at": requested,
        "released_at": released_at,
        "written": True,
    }
    return maine(events={"discovered_at": discovered}, law_enforcement_delay=delay)


def test_from_pl_2009_c_161_a_release_gives_7_business_days_where_the_law_had_no_limit():
    evaluation = released(
        "2015-06-01T10:00:00-04:00", "2015-06-03T10:00:00-04:00", "2015-06-12T12:00:00-04:00"
    )
    obligation = evaluation.obligation("us-me/individuals")

    # Released Friday 12 June: Mon 15 to Fri 19 are days 1-5, Mon 22 and Tue 23 days 6-7.
    assert obligation.due.isoformat() == "2015-06-24T03:59:59.999999+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.rule_version == "2009-05-19"
    assert obligation.basis.endswith(
        "released on 2015-06-12 12:00 EDT sets the date 7 business days after the release, "
        "2015-06-23 23:59 EDT"
    )


def test_before_pl_2009_c_161_a_release_leaves_no_fixed_date():
    evaluation = released(
        "2009-05-18T10:00:00-04:00", "2009-05-19T10:00:00-04:00", "2009-05-29T12:00:00-04:00"
    )
    obligation = evaluation.obligation("us-me/individuals")

    assert obligation.due is None
    assert obligation.rule_version == "2006-01-01"


def test_not_in_force_before_2006():
    evaluation = maine(events={"discovered_at": "2005-12-31T10:00:00-05:00"})
    assert evaluation.reason("us-me/individuals").startswith("not in force on 2005-12-31")


def test_regulator_or_attorney_general_with_the_residents():
    evaluation = maine(notices={"us-me/individuals": "2026-03-20T16:00:00-04:00"})

    assert due(evaluation, "us-me/attorney_general") == "2026-03-20T20:00:00+00:00"
    assert "us-me/attorney_general" in owed(maine(affected={"US-ME": 1}))


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = maine(affected={"US-ME": count})

    assert ("us-me/consumer_reporting_agencies" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-me/consumer_reporting_agencies") == (
            "1000 affected residents of US-ME; it needs more than 1000"
        )


def test_misuse_not_possible_exempts_a_business_but_not_a_broker():
    business = maine(assessment={"risk_of_harm": "unlikely"})
    broker = maine(assessment={"risk_of_harm": "unlikely"}, organisation=BROKER)

    assert maine_keys(business) == set()
    assert broker.obligation("us-me/individuals").citation == (
        "10 M.R.S. 1348(1)(A), (3) as amended by PL 2019, c. 512"
    )


def test_a_business_that_is_also_a_broker_is_held_by_the_broker_rule():
    evaluation = maine(
        assessment={"risk_of_harm": "unlikely"},
        organisation={"roles": ["controller", "information_broker"]},
    )

    assert evaluation.obligation("us-me/individuals").citation == (
        "10 M.R.S. 1348(1)(A), (3) as amended by PL 2019, c. 512"
    )


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["ssn"], True),
        (["credentials"], True),
        (["name", "biometric"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = maine(data={"categories": categories})
    assert ("us-me/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = maine(data={"categories": ["name", "health"]})

    assert maine_keys(evaluation) == set()
    assert evaluation.reason("us-me/individuals") == (
        "the data (health, name) are not personal information under 10 M.R.S. 1347(6)"
    )


def test_encryption_safe_harbour_lost_with_the_key():
    safe = maine(data={"encrypted": True})
    exposed = maine(data={"encrypted": True, "key_compromised": True})

    assert maine_keys(safe) == set()
    assert due(exposed, "us-me/individuals") == "2026-04-05T03:59:59.999999+00:00"


def test_vendor_tells_the_owner_immediately():
    evaluation = maine(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-me/data_owner").due_kind == "without_undue_delay"
    assert "us-me/individuals" not in owed(evaluation)
