"""Canada PIPEDA ss. 10.1-10.2: "as soon as feasible" after determination, and its scope."""

from .support import owed, run

CANADA = {
    "timezone": "America/Toronto",
    "events": {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "determined_at": "2026-03-05T09:30:00-05:00",
    },
    "affected": {"CA-ON": 300, "CA-QC": 20},
    "assessment": {"risk_of_harm": "likely"},
}

KEYS = {"ca-pipeda/supervisory_authority", "ca-pipeda/individuals", "ca-pipeda/state_agency"}


def pipeda(**sections):
    return run(**{**CANADA, **sections})


def test_commissioner_individuals_and_organisations_as_soon_as_feasible():
    evaluation = pipeda()

    assert owed(evaluation) >= KEYS
    for key in KEYS:
        obligation = evaluation.obligation(key)
        assert obligation.due is None
        assert obligation.due_kind == "without_undue_delay"
        assert obligation.trigger == "determined_at"
        # Policy target: 72 real hours after 5 March 09:30 EST, across the 8 March DST change.
        assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"
    assert evaluation.obligation("ca-pipeda/individuals").rule_version == "2018-11-01"


def test_without_a_determination_the_clock_runs_from_discovery():
    evaluation = pipeda(events={"discovered_at": "2026-03-02T09:30:00-05:00"})

    obligation = evaluation.obligation("ca-pipeda/supervisory_authority")
    # 72 hours after 2 March 09:30 EST (14:30 UTC).
    assert obligation.target.isoformat() == "2026-03-05T14:30:00+00:00"
    assert "discovery" in obligation.basis


def test_no_real_risk_of_significant_harm_no_notice():
    evaluation = pipeda(assessment={"risk_of_harm": "unlikely"})

    assert not KEYS & owed(evaluation)
    assert evaluation.reason("ca-pipeda/supervisory_authority") == (
        "the assessed risk of harm is unlikely; it applies to a likely risk"
    )


def test_an_unknown_risk_does_not_exempt():
    assert owed(pipeda(assessment={"risk_of_harm": "unknown"})) >= KEYS


def test_quebec_residents_alone_bring_in_pipeda():
    assert owed(pipeda(affected={"CA-QC": 3})) >= KEYS


def test_not_applicable_without_canadian_residents_or_establishment():
    evaluation = pipeda(affected={"US-NY": 50}, organisation={"main_establishment": "US"})

    assert not KEYS & owed(evaluation)
    assert evaluation.reason("ca-pipeda/individuals") == (
        "no affected residents of CA and no main establishment there"
    )


def test_not_in_force_before_1_november_2018():
    evaluation = pipeda(events={"determined_at": "2018-10-31T12:00:00-04:00"})
    assert evaluation.reason("ca-pipeda/individuals").startswith("not in force on 2018-10-31")
