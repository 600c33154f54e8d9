"""GDPR Arts. 33 and 34 with literal expected dates."""

from tracker.deadline import evaluate

from .support import due, make_facts, owed, run

EU = {"affected": {"DE": 40}}


def test_authority_72_hours_after_awareness_across_us_dst():
    evaluation = run(events={"aware_at": "2026-03-06T14:00:00-05:00"}, **EU)

    obligation = evaluation.obligation("gdpr/supervisory_authority")
    assert obligation.due.isoformat() == "2026-03-09T19:00:00+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.trigger == "aware_at"
    assert obligation.basis == (
        "72 hours after awareness on 2026-03-06 14:00 EST ends 2026-03-09 15:00 EDT"
    )
    assert obligation.citation == "GDPR Art. 33(1)"
    assert obligation.rule_version == "2018-05-25"


def test_authority_72_hours_across_european_dst():
    evaluation = run(
        timezone="Europe/Berlin", events={"aware_at": "2026-03-27T10:00:00+01:00"}, **EU
    )
    assert due(evaluation, "gdpr/supervisory_authority") == "2026-03-30T09:00:00+00:00"
    assert evaluation.obligation("gdpr/supervisory_authority").basis.endswith(
        "ends 2026-03-30 11:00 CEST"
    )


def test_awareness_missing_uses_discovery_and_says_so():
    evaluation = run(events={"discovered_at": "2026-03-05T09:30:00-05:00"}, **EU)
    assert due(evaluation, "gdpr/supervisory_authority") == "2026-03-08T14:30:00+00:00"


def test_individuals_without_undue_delay_with_policy_target():
    facts = make_facts(
        events={"aware_at": "2026-03-06T14:00:00-05:00"}, assessment={"risk_of_harm": "high"}, **EU
    )
    obligation = evaluate(facts, policy_target_hours=24).obligation("gdpr/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-07T19:00:00+00:00"
    assert obligation.target_basis.startswith("Policy target, not law: 24 hours after awareness")
    assert obligation.to_dict()["due"] is None


def test_individuals_only_for_high_risk():
    likely = run(assessment={"risk_of_harm": "likely"}, **EU)

    assert "gdpr/individuals" not in owed(likely)
    assert likely.reason("gdpr/individuals") == (
        "the assessed risk of harm is likely; it applies to a high risk"
    )
    assert "gdpr/supervisory_authority" in owed(likely)


def test_unknown_risk_never_exempts():
    evaluation = run(assessment={"risk_of_harm": "unknown"}, **EU)

    assert {"gdpr/supervisory_authority", "gdpr/individuals"} <= owed(evaluation)
    assert any("unknown" in note for note in evaluation.obligation("gdpr/individuals").notes)


def test_unlikely_risk_exempts_the_authority_notice():
    evaluation = run(assessment={"risk_of_harm": "unlikely"}, **EU)
    assert "gdpr/supervisory_authority" not in owed(evaluation)


def test_encryption_exempts_individuals_unless_key_compromised():
    safe = run(data={"encrypted": True}, assessment={"risk_of_harm": "high"}, **EU)
    exposed = run(
        data={"encrypted": True, "key_compromised": True},
        assessment={"risk_of_harm": "high"},
        **EU,
    )

    assert "gdpr/individuals" not in owed(safe)
    assert "encryption safe harbour" in safe.reason("gdpr/individuals")
    assert "gdpr/supervisory_authority" in owed(safe)
    assert "gdpr/individuals" in owed(exposed)


def test_processor_tells_the_controller():
    evaluation = run(organisation={"roles": ["processor"]}, **EU)

    assert owed(evaluation) & {key for key in owed(evaluation) if key.startswith("gdpr/")} == {
        "gdpr/controller"
    }
    obligation = evaluation.obligation("gdpr/controller")
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"


def test_outside_the_eea_with_no_establishment_it_does_not_apply():
    evaluation = run(affected={"US-CA": 10}, organisation={"main_establishment": "US"})
    assert evaluation.reason("gdpr/supervisory_authority") == (
        "no affected residents of EEA and no main establishment there"
    )


def test_main_establishment_in_the_eu_is_enough():
    evaluation = run(affected={"US-CA": 10}, organisation={"main_establishment": "IE"})
    assert "gdpr/supervisory_authority" in owed(evaluation)


def test_eea_residents_outside_the_eu_count():
    evaluation = run(affected={"NO": 3})
    assert "gdpr/supervisory_authority" in owed(evaluation)
