"""Quebec Law 25 (CQLR c. P-39.1, s. 3.5): prompt notice, the investigation hold, the scope."""

from .support import owed, run

QUEBEC = {
    "timezone": "America/Toronto",
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"CA-QC": 12},
    "assessment": {"risk_of_harm": "high"},
}

KEYS = {"ca-qc/supervisory_authority", "ca-qc/individuals"}


def quebec(**sections):
    return run(**{**QUEBEC, **sections})


def test_commission_and_persons_concerned_promptly():
    evaluation = quebec()

    assert owed(evaluation) >= KEYS
    obligation = evaluation.obligation("ca-qc/supervisory_authority")
    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # Policy target: 72 real hours after 5 March 09:30 EST (14:30 UTC).
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"
    assert obligation.rule_version == "2022-09-22"


def test_a_police_investigation_holds_only_the_notice_to_persons():
    delay = {
        "agency": "Surete du Quebec",
        "requested_at": "2026-03-06T10:00:00-05:00",
        "released_at": None,
        "written": True,
    }
    evaluation = quebec(law_enforcement_delay=delay)

    assert evaluation.obligation("ca-qc/individuals").due_kind == "tolled"
    assert evaluation.obligation("ca-qc/supervisory_authority").due_kind == "without_undue_delay"


def test_no_risk_of_serious_injury_no_notice():
    evaluation = quebec(assessment={"risk_of_harm": "unlikely"})

    assert not KEYS & owed(evaluation)
    assert evaluation.reason("ca-qc/individuals") == (
        "the assessed risk of harm is unlikely; it applies to a likely risk"
    )


def test_residents_of_other_provinces_do_not_count():
    evaluation = quebec(affected={"CA-ON": 500})

    assert not KEYS & owed(evaluation)
    assert evaluation.reason("ca-qc/supervisory_authority") == "no affected residents of CA-QC"
    assert "ca-pipeda/individuals" in owed(evaluation)


def test_not_in_force_before_22_september_2022():
    evaluation = quebec(events={"discovered_at": "2022-09-21T10:00:00-04:00"})
    assert evaluation.reason("ca-qc/individuals").startswith("not in force on 2022-09-21")
