"""Kansas K.S.A. 50-7a02: no fixed limit, agencies for more than 1,000 consumers."""

import pytest

from .support import owed, run

KS = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-KS": 400},
}


def kansas(**sections):
    return run(**{**KS, **sections})


def kansas_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ks/")}


def test_individuals_without_unreasonable_delay():
    obligation = kansas().obligation("us-ks/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.citation == "K.S.A. 50-7a02(a)"
    # Policy target: 72 hours after 2026-03-05 09:30 CST (15:30 UTC).
    assert obligation.target.isoformat() == "2026-03-08T15:30:00+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = kansas(affected={"US-KS": count})

    assert ("us-ks/consumer_reporting_agencies" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-ks/consumer_reporting_agencies") == (
            "1000 affected residents of US-KS; it needs more than 1000"
        )


def test_no_attorney_general():
    evaluation = kansas(affected={"US-KS": 50000})
    assert kansas_keys(evaluation) == {"us-ks/individuals", "us-ks/consumer_reporting_agencies"}


def test_not_in_force_before_2007():
    evaluation = kansas(events={"discovered_at": "2006-12-31T10:00:00-06:00"})
    assert evaluation.reason("us-ks/individuals").startswith("not in force on 2006-12-31")


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["name", "government_id"], True),
        (["ssn"], False),
        (["credentials"], False),
        (["name", "biometric"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = kansas(data={"categories": categories})
    assert ("us-ks/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = kansas(data={"categories": ["name", "health"]})

    assert kansas_keys(evaluation) == set()
    assert evaluation.reason("us-ks/individuals") == (
        "the data (health, name) are not personal information under K.S.A. 50-7a01(g)"
    )


def test_misuse_unlikely_exempts_residents_and_so_the_agencies():
    evaluation = kansas(affected={"US-KS": 5000}, assessment={"risk_of_harm": "unlikely"})
    assert kansas_keys(evaluation) == set()


def test_encryption_safe_harbour_lost_with_the_key():
    safe = kansas(data={"encrypted": True})
    exposed = kansas(data={"encrypted": True, "key_compromised": True})

    assert kansas_keys(safe) == set()
    assert "us-ks/individuals" in owed(exposed)


def test_law_enforcement_delay_holds_the_notice():
    evaluation = kansas(
        law_enforcement_delay={
            "agency": "Kansas Bureau of Investigation",
            "requested_at": "2026-03-06T09:00:00-06:00",
            "released_at": None,
            "written": False,
        }
    )

    assert evaluation.obligation("us-ks/individuals").due_kind == "tolled"


def test_vendor_tells_the_owner():
    evaluation = kansas(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-ks/data_owner").due_kind == "without_undue_delay"
    assert "us-ks/individuals" not in owed(evaluation)
