"""Georgia O.C.G.A. 10-1-912: information brokers, their vendors, and the 2007 CRA duty."""

import pytest

from .support import due, owed, run

GA = {"affected": {"US-GA": 400}, "organisation": {"roles": ["information_broker"]}}


def georgia(**sections):
    return run(**{**GA, **sections})


def georgia_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ga/")}


def test_information_broker_tells_residents_without_unreasonable_delay():
    obligation = georgia().obligation("us-ga/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2005-05-05"


def test_an_ordinary_business_is_outside_the_georgia_law():
    evaluation = georgia(organisation={"roles": ["controller"]})

    assert georgia_keys(evaluation) == set()
    assert evaluation.reason("us-ga/individuals").startswith(
        "it applies to the roles information_broker;"
    )


@pytest.mark.parametrize(("count", "owes"), [(10000, False), (10001, True)])
def test_consumer_reporting_agencies_more_than_10000(count, owes):
    evaluation = georgia(affected={"US-GA": count})

    assert ("us-ga/consumer_reporting_agencies" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-ga/consumer_reporting_agencies") == (
            "10000 affected residents of US-GA; it needs more than 10000"
        )


def test_consumer_reporting_agencies_from_sb_236():
    large = {"US-GA": 20000}
    before = georgia(affected=large, events={"discovered_at": "2007-05-23T10:00:00-04:00"})
    after = georgia(affected=large, events={"discovered_at": "2007-05-24T10:00:00-04:00"})

    assert before.reason("us-ga/consumer_reporting_agencies").startswith(
        "not in force on 2007-05-23"
    )
    assert after.obligation("us-ga/consumer_reporting_agencies").depends_on == "us-ga/individuals"


def test_vendor_tells_the_broker_within_24_hours():
    evaluation = georgia(organisation={"roles": ["service_provider"]})
    obligation = evaluation.obligation("us-ga/data_owner")

    # 24 hours after discovery on 2026-03-05 09:30 EST (14:30 UTC).
    assert obligation.due.isoformat() == "2026-03-06T14:30:00+00:00"
    assert "us-ga/individuals" not in owed(evaluation)


def test_24_hours_are_elapsed_time_across_the_change_to_summer_time():
    evaluation = georgia(
        organisation={"roles": ["service_provider"]},
        events={"discovered_at": "2026-03-07T12:00:00-05:00"},
    )

    # 17:00 UTC on 7 March + 24 h is 17:00 UTC on 8 March, 13:00 EDT.
    assert due(evaluation, "us-ga/data_owner") == "2026-03-08T17:00:00+00:00"


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["ssn"], True),
        (["credentials"], True),
        (["name", "email"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = georgia(data={"categories": categories})
    assert ("us-ga/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = georgia(data={"categories": ["name", "health"]})

    assert georgia_keys(evaluation) == set()
    assert evaluation.reason("us-ga/individuals") == (
        "the data (health, name) are not personal information under O.C.G.A. 10-1-911(6)"
    )


def test_no_risk_of_harm_exception():
    evaluation = georgia(assessment={"risk_of_harm": "unlikely"})
    assert "us-ga/individuals" in owed(evaluation)


def test_encryption_safe_harbour_lost_with_the_key():
    safe = georgia(data={"encrypted": True})
    exposed = georgia(data={"encrypted": True, "key_compromised": True})

    assert georgia_keys(safe) == set()
    assert "us-ga/individuals" in owed(exposed)
