"""Alabama Data Breach Notification Act, Ala. Code 8-38, with literal expected dates."""

import pytest

from .support import due, owed, run

AL = {"timezone": "America/Chicago", "affected": {"US-AL": 1500}}
DETERMINED = {
    "discovered_at": "2026-02-20T10:00:00-06:00",
    "determined_at": "2026-03-02T10:00:00-06:00",
}


def alabama(**sections):
    return run(**{**AL, **sections})


def alabama_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-al/")}


def test_individuals_45_days_after_the_determination():
    evaluation = alabama(events=DETERMINED)
    obligation = evaluation.obligation("us-al/individuals")

    assert obligation.due.isoformat() == "2026-04-17T04:59:59.999999+00:00"
    assert obligation.trigger == "determined_at"
    assert obligation.rule_version == "2018-06-01"


def test_without_a_determination_the_discovery_stands_for_it():
    evaluation = alabama(events={"discovered_at": "2026-02-20T10:00:00-06:00"})

    assert due(evaluation, "us-al/individuals") == "2026-04-07T04:59:59.999999+00:00"


def test_attorney_general_same_45_days():
    evaluation = alabama(events=DETERMINED)

    assert due(evaluation, "us-al/attorney_general") == "2026-04-17T04:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_attorney_general_and_agencies_more_than_1000_alabamians(count, owes):
    evaluation = alabama(affected={"US-AL": count})
    keys = alabama_keys(evaluation)

    assert ("us-al/attorney_general" in keys) is owes
    assert ("us-al/consumer_reporting_agencies" in keys) is owes


def test_no_substantial_harm_owes_nothing():
    evaluation = alabama(assessment={"risk_of_harm": "unlikely"})
    assert alabama_keys(evaluation) == set()


def test_encrypted_data_owe_nothing():
    evaluation = alabama(data={"encrypted": True, "key_compromised": False})
    assert alabama_keys(evaluation) == set()


def test_health_data_with_a_name_are_covered():
    with_name = alabama(data={"categories": ["name", "health"]})
    without_name = alabama(data={"categories": ["health"]})

    assert "us-al/individuals" in alabama_keys(with_name)
    assert alabama_keys(without_name) == set()


def test_act_in_force_from_1_june_2018():
    before = alabama(events={"discovered_at": "2018-05-31T10:00:00-05:00"})
    after = alabama(events={"discovered_at": "2018-06-01T10:00:00-05:00"})

    assert before.reason("us-al/individuals").startswith("not in force on 2018-05-31")
    assert due(after, "us-al/individuals") == "2018-07-17T04:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("written", "expected"),
    [(False, "2026-04-17T04:59:59.999999+00:00"), (True, "2026-05-01T14:00:00+00:00")],
)
def test_only_a_written_law_enforcement_request_delays(written, expected):
    delay = {
        "agency": "FBI",
        "requested_at": "2026-03-10T09:00:00-05:00",
        "released_at": "2026-05-01T09:00:00-05:00",
        "written": written,
    }
    evaluation = alabama(events=DETERMINED, law_enforcement_delay=delay)

    assert due(evaluation, "us-al/individuals") == expected


def test_third_party_agent_10_days():
    evaluation = alabama(events=DETERMINED, organisation={"roles": ["service_provider"]})

    assert alabama_keys(evaluation) == {"us-al/data_owner"}
    assert due(evaluation, "us-al/data_owner") == "2026-03-13T04:59:59.999999+00:00"
