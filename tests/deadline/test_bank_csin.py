"""Banking agencies' computer-security incident notification: 36 hours after determination."""

from .support import due, owed, run

BANK = {
    "organisation": {"roles": ["credit_institution"], "main_establishment": "US"},
    "events": {
        "discovered_at": "2026-03-06T20:00:00-05:00",
        "determined_at": "2026-03-07T08:00:00-05:00",
    },
    "affected": {"US-NY": 5000},
}


def csin(**sections):
    return run(**{**BANK, **sections})


def test_regulator_36_hours_after_determination_across_dst():
    obligation = csin().obligation("bank-csin/regulator")

    # 7 March 08:00 EST is 13:00 UTC; 36 real hours later: 9 March 01:00 UTC, 21:00 EDT on 8 March.
    assert obligation.due.isoformat() == "2026-03-09T01:00:00+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.trigger == "determined_at"
    assert obligation.rule_version == "2022-05-01"


def test_without_a_determination_discovery_stands_for_it():
    evaluation = csin(events={"discovered_at": "2026-03-06T20:00:00-05:00"})
    # 7 March 01:00 UTC + 36 hours.
    assert due(evaluation, "bank-csin/regulator") == "2026-03-08T13:00:00+00:00"


def test_not_for_organisations_that_are_not_banks():
    evaluation = csin(organisation={"roles": ["financial_institution"]})

    assert "bank-csin/regulator" not in owed(evaluation)
    assert "credit_institution" in evaluation.reason("bank-csin/regulator")


def test_before_the_compliance_date():
    evaluation = csin(events={"determined_at": "2022-04-30T10:00:00-04:00"})
    assert evaluation.reason("bank-csin/regulator").startswith("not in force on 2022-04-30")
