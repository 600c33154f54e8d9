"""North Dakota N.D. Cent. Code 51-30 and its 2015 amendment."""

import pytest

from .support import owed, run

ND = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-ND": 300},
}


def north_dakota(**sections):
    return run(**{**ND, **sections})


def test_individuals_without_unreasonable_delay():
    obligation = north_dakota().obligation("us-nd/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-08T15:30:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(250, False), (251, True)])
def test_attorney_general_more_than_250(count, owes):
    evaluation = north_dakota(affected={"US-ND": count})
    assert ("us-nd/attorney_general" in owed(evaluation)) is owes


def test_attorney_general_and_health_information_from_2015_08_01():
    health = {"categories": ["name", "health"]}
    before = north_dakota(data=health, events={"discovered_at": "2015-07-31T10:00:00-05:00"})
    after = north_dakota(data=health, events={"discovered_at": "2015-08-01T10:00:00-05:00"})
    card = north_dakota(events={"discovered_at": "2015-07-31T10:00:00-05:00"})

    assert "us-nd/individuals" not in owed(before)
    assert {"us-nd/individuals", "us-nd/attorney_general"} <= owed(after)
    assert card.reason("us-nd/attorney_general").startswith("not in force on 2015-07-31")


def test_date_of_birth_with_a_name_is_covered():
    assert "us-nd/individuals" in owed(north_dakota(data={"categories": ["name", "dob"]}))


def test_no_risk_of_harm_exception():
    evaluation = north_dakota(assessment={"risk_of_harm": "unlikely"})
    assert "us-nd/individuals" in owed(evaluation)


def test_no_residents_or_encrypted_data_owe_nothing():
    elsewhere = north_dakota(affected={"US-SD": 300})
    encrypted = north_dakota(data={"encrypted": True})

    assert elsewhere.reason("us-nd/individuals") == "no affected residents of US-ND"
    assert "us-nd/individuals" not in owed(encrypted)
