"""Idaho Code 28-51-105: notice after an investigation finds misuse likely; no fixed limit."""

import pytest

from .support import owed, run

ID = {
    "timezone": "America/Boise",
    "events": {"discovered_at": "2026-03-05T09:30:00-07:00"},
    "affected": {"US-ID": 600},
}


def idaho(**sections):
    return run(**{**ID, **sections})


def idaho_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-id/")}


def test_individuals_without_unreasonable_delay():
    obligation = idaho().obligation("us-id/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.citation == "Idaho Code 28-51-105(1)"
    # Policy target: 72 hours after 2026-03-05 09:30 MST (16:30 UTC).
    assert obligation.target.isoformat() == "2026-03-08T16:30:00+00:00"


def test_no_attorney_general_or_agencies_however_many_residents():
    assert idaho_keys(idaho(affected={"US-ID": 50000})) == {"us-id/individuals"}


def test_not_in_force_before_july_2006():
    evaluation = idaho(events={"discovered_at": "2006-06-30T10:00:00-06:00"})
    assert evaluation.reason("us-id/individuals").startswith("not in force on 2006-06-30")


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["name", "payment_card"], True),
        (["ssn"], False),
        (["credentials"], False),
        (["name", "biometric"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = idaho(data={"categories": categories})
    assert ("us-id/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = idaho(data={"categories": ["name", "health"]})

    assert idaho_keys(evaluation) == set()
    assert evaluation.reason("us-id/individuals") == (
        "the data (health, name) are not personal information under Idaho Code 28-51-104(5)"
    )


def test_misuse_unlikely_exempts_the_owner_but_not_the_vendor():
    owner = idaho(assessment={"risk_of_harm": "unlikely"})
    vendor = idaho(assessment={"risk_of_harm": "unlikely"}, organisation={"roles": ["processor"]})

    assert idaho_keys(owner) == set()
    assert idaho_keys(vendor) == {"us-id/data_owner"}


def test_encryption_safe_harbour_lost_with_the_key():
    safe = idaho(data={"encrypted": True})
    exposed = idaho(data={"encrypted": True, "key_compromised": True})

    assert idaho_keys(safe) == set()
    assert "us-id/individuals" in owed(exposed)


def test_law_enforcement_delay_holds_the_notice():
    evaluation = idaho(
        law_enforcement_delay={
            "agency": "Idaho State Police",
            "requested_at": "2026-03-06T09:00:00-07:00",
            "released_at": None,
            "written": False,
        }
    )

    assert evaluation.obligation("us-id/individuals").due_kind == "tolled"


def test_vendor_tells_the_owner_immediately():
    evaluation = idaho(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-id/data_owner").due_kind == "without_undue_delay"
    assert "us-id/individuals" not in owed(evaluation)
