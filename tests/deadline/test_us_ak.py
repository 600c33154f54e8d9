"""Alaska AS 45.48, with literal expected dates."""

import pytest

from .support import owed, run

AK = {"timezone": "America/Anchorage", "affected": {"US-AK": 1200}}


def alaska(**sections):
    return run(**{**AK, **sections})


def alaska_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ak/")}


def test_individuals_without_undue_delay_and_no_legal_date():
    evaluation = alaska(events={"discovered_at": "2026-03-05T09:30:00-09:00"})
    obligation = evaluation.obligation("us-ak/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2009-07-01"
    assert obligation.target.isoformat() == "2026-03-08T18:30:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000_alaskans(count, owes):
    evaluation = alaska(affected={"US-AK": count})
    assert ("us-ak/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_consumer_reporting_agencies_follow_the_notice_to_individuals():
    evaluation = alaska()
    obligation = evaluation.obligation("us-ak/consumer_reporting_agencies")

    assert obligation.due is None
    assert obligation.depends_on == "us-ak/individuals"


def test_no_harm_finding_exempts_individuals_but_needs_the_attorney_general():
    evaluation = alaska(assessment={"risk_of_harm": "unlikely"})

    assert alaska_keys(evaluation) == {"us-ak/attorney_general"}


def test_health_data_alone_is_not_covered():
    evaluation = alaska(data={"categories": ["name", "health"]})

    assert alaska_keys(evaluation) == set()
    assert "not personal information" in evaluation.reason("us-ak/individuals")


def test_encrypted_data_owe_nothing_unless_the_key_was_taken():
    safe = alaska(data={"encrypted": True, "key_compromised": False})
    taken = alaska(data={"encrypted": True, "key_compromised": True})

    assert alaska_keys(safe) == set()
    assert "us-ak/individuals" in alaska_keys(taken)


def test_no_alaskans_no_obligation():
    evaluation = run(affected={"US-CA": 5})
    assert evaluation.reason("us-ak/individuals") == "no affected residents of US-AK"


def test_law_in_force_from_1_july_2009():
    before = alaska(events={"discovered_at": "2009-06-30T10:00:00-08:00"})
    after = alaska(events={"discovered_at": "2009-07-01T10:00:00-08:00"})

    assert before.reason("us-ak/individuals").startswith("not in force on 2009-06-30")
    assert after.obligation("us-ak/individuals").rule_version == "2009-07-01"


def test_service_provider_tells_the_information_distributor():
    evaluation = alaska(organisation={"roles": ["service_provider"]})

    assert alaska_keys(evaluation) == {"us-ak/data_owner"}
