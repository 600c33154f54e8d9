"""Guam 9 G.C.A. chapter 48, with literal expected dates."""

from .support import owed, run

GU = {
    "timezone": "Pacific/Guam",
    "events": {"discovered_at": "2026-03-05T09:30:00+10:00"},
    "affected": {"US-GU": 8},
}


def guam(**sections):
    return run(**{**GU, **sections})


def gu_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-gu/")}


def test_individuals_without_unreasonable_delay():
    obligation = guam().obligation("us-gu/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 09:30 in Guam is 23:30 UTC the day before; 72 hours later.
    assert obligation.target.isoformat() == "2026-03-07T23:30:00+00:00"
    assert obligation.citation == "9 G.C.A. 48.30(a), (c)"


def test_no_attorney_general_or_agency_notice():
    assert gu_keys(guam(affected={"US-GU": 50000})) == {"us-gu/individuals"}


def test_law_enforcement_release_moves_the_policy_target():
    obligation = guam(
        law_enforcement_delay={
            "agency": "Guam Police Department",
            "requested_at": "2026-03-06T10:00:00+10:00",
            "released_at": "2026-03-20T10:00:00+10:00",
            "written": True,
        }
    ).obligation("us-gu/individuals")

    assert obligation.target.isoformat() == "2026-03-20T00:00:00+00:00"


def test_no_belief_of_identity_theft_exempts():
    assert not gu_keys(guam(assessment={"risk_of_harm": "unlikely"}))


def test_health_data_are_not_covered():
    evaluation = guam(data={"categories": ["name", "health"]})

    assert not gu_keys(evaluation)
    assert evaluation.reason("us-gu/individuals") == (
        "the data (health, name) are not personal information under 9 G.C.A. 48.20"
    )


def test_encrypted_data_owe_nothing():
    assert not gu_keys(guam(data={"encrypted": True}))


def test_vendor_tells_the_owner_as_soon_as_practicable():
    evaluation = guam(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-gu/data_owner").due_kind == "without_undue_delay"
    assert gu_keys(evaluation) == {"us-gu/data_owner"}


def test_day_before_and_day_the_law_took_effect():
    before = guam(events={"discovered_at": "2009-08-09T10:00:00+10:00"})
    after = guam(events={"discovered_at": "2009-08-10T10:00:00+10:00"})

    assert before.reason("us-gu/individuals").startswith("not in force on 2009-08-09")
    assert "us-gu/individuals" in owed(after)
