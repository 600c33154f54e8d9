"""US Virgin Islands 14 V.I.C. 2208, with literal expected dates."""

from .support import owed, run

VI = {
    "timezone": "America/St_Thomas",
    "events": {"discovered_at": "2026-03-05T09:30:00-04:00"},
    "affected": {"US-VI": 5},
}


def virgin_islands(**sections):
    return run(**{**VI, **sections})


def vi_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-vi/")}


def test_individuals_without_unreasonable_delay():
    obligation = virgin_islands().obligation("us-vi/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 09:30 AST is 13:30 UTC; 72 hours later.
    assert obligation.target.isoformat() == "2026-03-08T13:30:00+00:00"
    assert obligation.rule_version == "2005-10-17"


def test_no_attorney_general_or_agency_notice():
    assert vi_keys(virgin_islands(affected={"US-VI": 50000})) == {"us-vi/individuals"}


def test_no_risk_of_harm_exception():
    assert "us-vi/individuals" in owed(virgin_islands(assessment={"risk_of_harm": "unlikely"}))


def test_health_data_are_not_covered():
    evaluation = virgin_islands(data={"categories": ["name", "health"]})

    assert not vi_keys(evaluation)
    assert evaluation.reason("us-vi/individuals") == (
        "the data (health, name) are not personal information under 14 V.I.C. 2208(e)"
    )


def test_encrypted_data_owe_nothing_unless_the_key_was_taken():
    assert not vi_keys(virgin_islands(data={"encrypted": True}))
    assert "us-vi/individuals" in owed(
        virgin_islands(data={"encrypted": True, "key_compromised": True})
    )


def test_vendor_tells_the_owner_immediately():
    evaluation = virgin_islands(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-vi/data_owner").due_kind == "without_undue_delay"
    assert vi_keys(evaluation) == {"us-vi/data_owner"}


def test_residents_elsewhere_owe_nothing_here():
    evaluation = virgin_islands(affected={"US-PR": 5})
    assert evaluation.reason("us-vi/individuals") == "no affected residents of US-VI"
