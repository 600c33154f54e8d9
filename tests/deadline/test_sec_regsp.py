"""SEC Regulation S-P (2024): customers within 30 days of awareness, with literal dates."""

from .support import due, owed, run

BROKER = {
    "organisation": {"roles": ["financial_institution"]},
    "events": {"aware_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-NY": 80},
    "assessment": {"risk_of_harm": "likely"},
}


def regsp(**sections):
    return run(**{**BROKER, **sections})


def test_customers_within_30_days_of_awareness():
    obligation = regsp().obligation("sec-regsp/individuals")

    # Day 30 after 5 March is Saturday 4 April; the end of that day in New York (EDT, -04:00).
    assert obligation.due.isoformat() == "2026-04-05T03:59:59.999999+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.rule_version == "2025-12-03"


def test_no_substantial_harm_no_notice():
    evaluation = regsp(assessment={"risk_of_harm": "unlikely"})

    assert "sec-regsp/individuals" not in owed(evaluation)
    assert "exempts" in evaluation.reason("sec-regsp/individuals")


def test_an_attorney_general_delay_holds_the_notice():
    delay = {
        "agency": "US Attorney General",
        "requested_at": "2026-03-20T12:00:00-04:00",
        "released_at": None,
        "written": True,
    }
    assert regsp(law_enforcement_delay=delay).obligation("sec-regsp/individuals").due_kind == (
        "tolled"
    )


def test_not_for_other_organisations():
    evaluation = regsp(organisation={"roles": ["controller"]})

    assert "sec-regsp/individuals" not in owed(evaluation)
    assert "financial_institution" in evaluation.reason("sec-regsp/individuals")


def test_before_and_on_the_compliance_date_of_larger_entities():
    before = regsp(events={"aware_at": "2025-12-02T10:00:00-05:00"})
    first_day = regsp(events={"aware_at": "2025-12-03T10:00:00-05:00"})

    assert before.reason("sec-regsp/individuals").startswith("not in force on 2025-12-02")
    # Day 30 after 3 December 2025 is 2 January 2026, end of day EST (-05:00).
    assert due(first_day, "sec-regsp/individuals") == "2026-01-03T04:59:59.999999+00:00"
