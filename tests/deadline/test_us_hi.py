"""Hawaii Haw. Rev. Stat. 487N-2, with the Office of Consumer Protection for large breaches."""

import pytest

from .support import owed, run

HI = {
    "timezone": "Pacific/Honolulu",
    "events": {"discovered_at": "2026-03-05T09:30:00-10:00"},
    "affected": {"US-HI": 1500},
}


def hawaii(**sections):
    return run(**{**HI, **sections})


def hawaii_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-hi/")}


def test_individuals_without_unreasonable_delay():
    obligation = hawaii().obligation("us-hi/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.citation == "Haw. Rev. Stat. 487N-2(a)"
    # Policy target: 72 hours after 2026-03-05 09:30 HST (19:30 UTC).
    assert obligation.target.isoformat() == "2026-03-08T19:30:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_office_of_consumer_protection_and_agencies_more_than_1000(count, owes):
    evaluation = hawaii(affected={"US-HI": count})
    keys = hawaii_keys(evaluation)

    assert ("us-hi/state_agency" in keys) is owes
    assert ("us-hi/consumer_reporting_agencies" in keys) is owes
    if not owes:
        assert evaluation.reason("us-hi/state_agency") == (
            "1000 affected residents of US-HI; it needs more than 1000"
        )


def test_office_of_consumer_protection_follows_the_notice():
    evaluation = hawaii(notices={"us-hi/individuals": "2026-03-20T10:00:00-10:00"})
    obligation = evaluation.obligation("us-hi/state_agency")

    assert obligation.due_kind == "without_undue_delay"
    assert obligation.trigger == "notice:us-hi/individuals"
    assert obligation.depends_on is None


def test_not_in_force_before_2007():
    evaluation = hawaii(events={"discovered_at": "2006-12-31T10:00:00-10:00"})
    assert evaluation.reason("us-hi/individuals").startswith("not in force on 2006-12-31")


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["name", "drivers_license"], True),
        (["ssn"], False),
        (["credentials"], False),
        (["name", "biometric"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = hawaii(data={"categories": categories})
    assert ("us-hi/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = hawaii(data={"categories": ["name", "health"]})

    assert hawaii_keys(evaluation) == set()
    assert evaluation.reason("us-hi/individuals") == (
        "the data (health, name) are not personal information under Haw. Rev. Stat. 487N-1"
    )


def test_no_risk_of_harm_owes_nothing_to_individuals():
    evaluation = hawaii(assessment={"risk_of_harm": "unlikely"})

    assert "us-hi/individuals" not in owed(evaluation)
    assert "us-hi/state_agency" not in owed(evaluation)


def test_encryption_safe_harbour_lost_with_the_key():
    safe = hawaii(data={"encrypted": True})
    exposed = hawaii(data={"encrypted": True, "key_compromised": True})

    assert hawaii_keys(safe) == set()
    assert "us-hi/individuals" in owed(exposed)


def test_law_enforcement_delay_holds_the_notice():
    evaluation = hawaii(
        law_enforcement_delay={
            "agency": "Honolulu Police Department",
            "requested_at": "2026-03-06T09:00:00-10:00",
            "released_at": None,
            "written": False,
        }
    )

    assert evaluation.obligation("us-hi/individuals").due_kind == "tolled"


def test_vendor_tells_the_owner_immediately():
    evaluation = hawaii(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-hi/data_owner").due_kind == "without_undue_delay"
    assert "us-hi/individuals" not in owed(evaluation)
