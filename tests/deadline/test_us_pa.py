"""Pennsylvania 73 P.S. 2301-2330 across Act 151 of 2022 and Act 33 of 2024."""

import pytest

from .support import due, owed, run

PA = {"affected": {"US-PA": 800}}
TOLD = {"us-pa/individuals": "2026-03-20T16:00:00-04:00"}


def pennsylvania(**sections):
    return run(**{**PA, **sections})


def test_individuals_without_unreasonable_delay():
    obligation = pennsylvania().obligation("us-pa/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.citation == "73 P.S. 2303(a)"


def test_attorney_general_concurrently_with_the_residents():
    evaluation = pennsylvania(notices=TOLD)
    assert due(evaluation, "us-pa/attorney_general") == "2026-03-20T20:00:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_attorney_general_more_than_500(count, owes):
    evaluation = pennsylvania(affected={"US-PA": count}, notices=TOLD)
    assert ("us-pa/attorney_general" in owed(evaluation)) is owes


def test_act_33_boundary_for_the_attorney_general():
    before = pennsylvania(
        events={"discovered_at": "2024-09-20T10:00:00-04:00"},
        notices={"us-pa/individuals": "2024-09-25T12:00:00-04:00"},
    )
    after = pennsylvania(
        events={"discovered_at": "2024-09-20T10:00:00-04:00"},
        notices={"us-pa/individuals": "2024-09-26T12:00:00-04:00"},
    )

    assert before.reason("us-pa/attorney_general").startswith("not in force on 2024-09-25")
    assert due(after, "us-pa/attorney_general") == "2024-09-26T16:00:00+00:00"


def test_health_information_counts_from_act_151():
    health = {"categories": ["name", "health"]}
    before = pennsylvania(data=health, events={"discovered_at": "2023-05-01T10:00:00-04:00"})
    after = pennsylvania(data=health, events={"discovered_at": "2023-05-02T10:00:00-04:00"})

    assert "us-pa/individuals" not in owed(before)
    assert "us-pa/individuals" in owed(after)


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = pennsylvania(affected={"US-PA": count})
    assert ("us-pa/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_no_risk_of_harm_exception():
    evaluation = pennsylvania(assessment={"risk_of_harm": "unlikely"}, notices=TOLD)
    assert {"us-pa/individuals", "us-pa/attorney_general"} <= owed(evaluation)


def test_no_residents_or_encrypted_data_owe_nothing():
    elsewhere = pennsylvania(affected={"US-NJ": 800})
    encrypted = pennsylvania(data={"encrypted": True})

    assert elsewhere.reason("us-pa/individuals") == "no affected residents of US-PA"
    assert not {key for key in owed(encrypted) if key.startswith("us-pa/")}
