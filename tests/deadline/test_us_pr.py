"""Puerto Rico Law No. 111 of 2005 (10 L.P.R.A. 4051-4055), with literal expected dates."""

from .support import due, owed, run

PR = {
    "timezone": "America/Puerto_Rico",
    "events": {"discovered_at": "2026-03-12T09:30:00-04:00"},
    "affected": {"US-PR": 3},
}


def puerto_rico(**sections):
    return run(**{**PR, **sections})


def pr_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-pr/")}


def test_daco_10_days_after_detection_even_on_a_holiday():
    obligation = puerto_rico().obligation("us-pr/state_agency")

    # Day 10 after Thursday 12 March is Sunday 22 March, Emancipation Day: the date stays.
    assert obligation.due.isoformat() == "2026-03-23T03:59:59.999999+00:00"
    assert obligation.citation == "10 L.P.R.A. 4052"


def test_daco_whatever_the_number_and_despite_law_enforcement():
    evaluation = puerto_rico(
        affected={"US-PR": 1},
        law_enforcement_delay={
            "agency": "Negociado de Investigaciones Especiales",
            "requested_at": "2026-03-13T10:00:00-04:00",
            "released_at": None,
            "written": True,
        },
    )

    assert due(evaluation, "us-pr/state_agency") == "2026-03-23T03:59:59.999999+00:00"
    assert evaluation.obligation("us-pr/individuals").due_kind == "tolled"


def test_citizens_as_expeditiously_as_possible():
    obligation = puerto_rico().obligation("us-pr/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-15T13:30:00+00:00"


def test_medical_and_tax_information_and_system_passwords_are_covered():
    for category in ("health", "tax_id", "credentials"):
        assert "us-pr/state_agency" in owed(puerto_rico(data={"categories": ["name", category]}))


def test_biometric_data_are_not_covered():
    evaluation = puerto_rico(data={"categories": ["name", "biometric"]})

    assert not pr_keys(evaluation)
    assert evaluation.reason("us-pr/individuals") == (
        "the data (biometric, name) are not personal information under 10 L.P.R.A. 4051(a)"
    )


def test_no_risk_of_harm_exception():
    evaluation = puerto_rico(assessment={"risk_of_harm": "unlikely"})
    assert {"us-pr/individuals", "us-pr/state_agency"} <= owed(evaluation)


def test_encrypted_data_owe_nothing_unless_the_key_was_taken():
    assert not pr_keys(puerto_rico(data={"encrypted": True}))
    assert "us-pr/state_agency" in owed(
        puerto_rico(data={"encrypted": True, "key_compromised": True})
    )


def test_data_bank_provider_tells_the_holder():
    evaluation = puerto_rico(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-pr/data_owner").due_kind == "without_undue_delay"
    assert pr_keys(evaluation) == {"us-pr/data_owner"}


def test_day_before_and_day_the_law_took_effect():
    before = puerto_rico(events={"discovered_at": "2006-01-04T10:00:00-04:00"})
    after = puerto_rico(events={"discovered_at": "2006-01-05T10:00:00-04:00"})

    assert before.reason("us-pr/state_agency").startswith("not in force on 2006-01-04")
    # Day 10 after 5 January 2006 is 15 January.
    assert due(after, "us-pr/state_agency") == "2006-01-16T03:59:59.999999+00:00"
