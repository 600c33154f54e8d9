"""Mississippi Code 75-24-29, with literal expected dates."""

from .support import owed, run

MS = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-MS": 40},
}


def mississippi(**sections):
    return run(**{**MS, **sections})


def ms_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ms/")}


def test_individuals_without_unreasonable_delay():
    obligation = mississippi().obligation("us-ms/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 72 hours after 2026-03-05 15:30 UTC.
    assert obligation.target.isoformat() == "2026-03-08T15:30:00+00:00"
    assert obligation.rule_version == "2011-07-01"


def test_no_agency_or_consumer_reporting_notice():
    keys = ms_keys(mississippi(affected={"US-MS": 50000}))
    assert keys == {"us-ms/individuals"}


def test_not_likely_to_result_in_harm_exempts():
    evaluation = mississippi(assessment={"risk_of_harm": "unlikely"})

    assert not ms_keys(evaluation)
    assert evaluation.reason("us-ms/individuals") == (
        "the assessment found a risk of harm unlikely, which this law exempts"
    )


def test_day_before_and_day_the_law_took_effect():
    before = mississippi(events={"discovered_at": "2011-06-30T10:00:00-05:00"})
    after = mississippi(events={"discovered_at": "2011-07-01T10:00:00-05:00"})

    assert before.reason("us-ms/individuals").startswith("not in force on 2011-06-30")
    assert "us-ms/individuals" in owed(after)


def test_health_data_and_credentials_are_not_covered():
    evaluation = mississippi(data={"categories": ["name", "health", "credentials"]})

    assert not ms_keys(evaluation)
    assert evaluation.reason("us-ms/individuals") == (
        "the data (credentials, health, name) are not personal information under "
        "Miss. Code 75-24-29(2)(b)"
    )


def test_encrypted_data_owe_nothing_unless_the_key_was_taken():
    assert not ms_keys(mississippi(data={"encrypted": True}))
    assert "us-ms/individuals" in owed(
        mississippi(data={"encrypted": True, "key_compromised": True})
    )


def test_vendor_tells_the_owner_as_soon_as_practicable():
    evaluation = mississippi(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-ms/data_owner").due_kind == "without_undue_delay"
    assert "us-ms/individuals" not in owed(evaluation)
