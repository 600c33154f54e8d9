"""Swiss revFADP Art. 24: no legal date, the policy target, and when it does not apply."""

from tracker.deadline import evaluate

from .support import make_facts, owed, run

SWISS = {
    "timezone": "Europe/Zurich",
    "events": {"aware_at": "2026-03-27T10:00:00+01:00"},
    "affected": {"CH": 40},
    "assessment": {"risk_of_harm": "high"},
}


def swiss(**sections):
    return run(**{**SWISS, **sections})


def test_fdpic_as_soon_as_possible_with_the_policy_target_across_dst():
    obligation = swiss().obligation("ch-fadp/supervisory_authority")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 72 real hours after 27 March 10:00 CET (09:00 UTC): 30 March 09:00 UTC, 11:00 CEST.
    assert obligation.target.isoformat() == "2026-03-30T09:00:00+00:00"
    assert obligation.target_basis.startswith("Policy target, not law: 72 hours after awareness")
    assert obligation.citation == "revFADP Art. 24(1)-(2); DPO Art. 15(1)"
    assert obligation.rule_version == "2023-09-01"


def test_the_organisation_sets_its_own_target():
    facts = make_facts(**SWISS)
    obligation = evaluate(facts, policy_target_hours=24).obligation("ch-fadp/individuals")

    assert obligation.due is None
    assert obligation.target.isoformat() == "2026-03-28T09:00:00+00:00"


def test_the_fdpic_only_for_a_likely_high_risk():
    evaluation = swiss(assessment={"risk_of_harm": "likely"})

    assert "ch-fadp/supervisory_authority" not in owed(evaluation)
    assert evaluation.reason("ch-fadp/supervisory_authority") == (
        "the assessed risk of harm is likely; it applies to a high risk"
    )
    assert "ch-fadp/individuals" in owed(evaluation)


def test_no_risk_no_notice_at_all():
    evaluation = swiss(assessment={"risk_of_harm": "unlikely"})
    assert not {key for key in owed(evaluation) if key.startswith("ch-fadp/")}


def test_the_processor_tells_the_controller_whatever_the_risk():
    evaluation = swiss(
        organisation={"roles": ["processor"]}, assessment={"risk_of_harm": "unlikely"}
    )

    assert {key for key in owed(evaluation) if key.startswith("ch-fadp/")} == {"ch-fadp/controller"}
    assert evaluation.obligation("ch-fadp/controller").target.isoformat() == (
        "2026-03-30T09:00:00+00:00"
    )


def test_a_swiss_establishment_is_enough():
    evaluation = swiss(affected={"DE": 10}, organisation={"main_establishment": "CH"})
    assert "ch-fadp/supervisory_authority" in owed(evaluation)


def test_not_applicable_without_swiss_residents_or_establishment():
    evaluation = swiss(affected={"DE": 10}, organisation={"main_establishment": "DE"})

    assert not {key for key in owed(evaluation) if key.startswith("ch-fadp/")}
    assert evaluation.reason("ch-fadp/supervisory_authority") == (
        "no affected residents of CH and no main establishment there"
    )


def test_not_in_force_before_the_revised_act():
    evaluation = swiss(events={"aware_at": "2023-08-31T10:00:00+02:00"})
    assert evaluation.reason("ch-fadp/supervisory_authority").startswith(
        "not in force on 2023-08-31"
    )
