"""India DPDP Rules 2025 rule 7: the 72-hour detailed report, from 2027-05-13."""

from .support import due, owed, run

INDIA = {
    "timezone": "Asia/Kolkata",
    "events": {"aware_at": "2027-06-10T18:30:00+05:30"},
    "affected": {"IN": 40},
    "assessment": {"risk_of_harm": "unlikely"},
}


def dpdp(**sections):
    return run(**{**INDIA, **sections})


def test_detailed_report_72_hours_after_awareness():
    evaluation = dpdp()

    # 10 June 2027 18:30 IST is 13:00 UTC; 72 hours later is 13 June 13:00 UTC.
    assert due(evaluation, "in-dpdp/supervisory_authority/final") == "2027-06-13T13:00:00+00:00"
    assert evaluation.obligation("in-dpdp/supervisory_authority/final").rule_version == (
        "2027-05-13"
    )


def test_intimation_and_individuals_without_delay_whatever_the_risk():
    evaluation = dpdp()

    for key in ("in-dpdp/supervisory_authority/initial", "in-dpdp/individuals"):
        obligation = evaluation.obligation(key)
        assert obligation.due is None
        assert obligation.due_kind == "without_undue_delay"


def test_encryption_does_not_exempt():
    evaluation = dpdp(data={"encrypted": True, "key_compromised": False})
    assert "in-dpdp/individuals" in owed(evaluation)


def test_not_in_force_the_day_before_rule_7_commences():
    evaluation = dpdp(events={"aware_at": "2027-05-12T10:00:00+05:30"})

    assert not {key for key in owed(evaluation) if key.startswith("in-dpdp/")}
    assert evaluation.reason("in-dpdp/individuals").startswith("not in force on 2027-05-12")


def test_the_day_rule_7_commences():
    evaluation = dpdp(events={"aware_at": "2027-05-13T10:00:00+05:30"})
    assert due(evaluation, "in-dpdp/supervisory_authority/final") == "2027-05-16T04:30:00+00:00"


def test_not_applicable_without_residents_or_establishment_in_india():
    evaluation = dpdp(affected={"LK": 40}, organisation={"main_establishment": "LK"})
    assert evaluation.reason("in-dpdp/individuals") == (
        "no affected residents of IN and no main establishment there"
    )
