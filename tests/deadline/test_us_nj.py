"""New Jersey N.J.S.A. 56:8-163 before and after P.L.2019, c.95."""

import pytest

from .support import due, owed, run

NJ = {"affected": {"US-NJ": 300}}


def new_jersey(**sections):
    return run(**{**NJ, **sections})


def nj_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-nj/")}


def test_individuals_without_unreasonable_delay():
    obligation = new_jersey().obligation("us-nj/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"


def test_state_police_no_later_than_the_customers():
    evaluation = new_jersey(notices={"us-nj/individuals": "2026-03-20T16:00:00-04:00"})
    obligation = evaluation.obligation("us-nj/state_agency")

    assert due(evaluation, "us-nj/state_agency") == "2026-03-20T20:00:00+00:00"
    assert obligation.citation == "N.J.S.A. 56:8-163(c)(1)"


def test_state_police_for_a_single_resident():
    assert "us-nj/state_agency" in owed(new_jersey(affected={"US-NJ": 1}))


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = new_jersey(affected={"US-NJ": count})
    assert ("us-nj/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_online_credentials_count_from_2019_09_01():
    credentials = {"categories": ["credentials"]}
    before = new_jersey(data=credentials, events={"discovered_at": "2019-08-31T10:00:00-04:00"})
    after = new_jersey(data=credentials, events={"discovered_at": "2019-09-01T10:00:00-04:00"})

    assert "us-nj/individuals" not in owed(before)
    assert "us-nj/individuals" in owed(after)
    assert after.obligation("us-nj/individuals").rule_version == "2006-01-01"


def test_health_data_are_not_covered():
    assert not nj_keys(new_jersey(data={"categories": ["name", "health"]}))


def test_misuse_not_reasonably_possible_exempts():
    assert not nj_keys(new_jersey(assessment={"risk_of_harm": "unlikely"}))


def test_encrypted_data_owe_nothing():
    assert not nj_keys(new_jersey(data={"encrypted": True}))
