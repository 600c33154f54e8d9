"""FTC Safeguards Rule notice (16 CFR 314.4(j)) with literal expected dates."""

import pytest

from .support import due, owed, run

INSTITUTION = {
    "organisation": {"roles": ["financial_institution"]},
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-NY": 800},
}


def safeguards(**sections):
    return run(**{**INSTITUTION, **sections})


def test_ftc_30_days_after_discovery():
    obligation = safeguards().obligation("glba-ftc/ftc")

    # Day 30 after 5 March is Saturday 4 April, end of day in New York (EDT).
    assert obligation.due.isoformat() == "2026-04-05T03:59:59.999999+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.citation == "16 CFR 314.4(j)(1)"
    assert obligation.rule_version == "2024-05-13"


def test_weekend_deadline_names_the_ftc_computation_rule():
    notes = safeguards().obligation("glba-ftc/ftc").notes

    assert any("under 16 CFR 4.3(a) the deadline may move to Monday 2026-04-06" in n for n in notes)


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, True), (501, True)])
def test_at_least_500_consumers(count, owes):
    assert ("glba-ftc/ftc" in owed(safeguards(affected={"US-NY": count}))) is owes


def test_consumers_count_wherever_they_live():
    evaluation = safeguards(affected={"US-NY": 300, "CA": 200})
    assert "glba-ftc/ftc" in owed(evaluation)


def test_only_financial_institutions():
    evaluation = safeguards(organisation={"roles": ["controller"]})

    assert "glba-ftc/ftc" not in owed(evaluation)
    assert "financial_institution" in evaluation.reason("glba-ftc/ftc")


def test_encrypted_information_is_not_a_notification_event_unless_the_key_was_taken():
    safe = safeguards(data={"encrypted": True, "key_compromised": False})
    exposed = safeguards(data={"encrypted": True, "key_compromised": True})

    assert "glba-ftc/ftc" not in owed(safe)
    assert due(exposed, "glba-ftc/ftc") == "2026-04-05T03:59:59.999999+00:00"


def test_not_in_force_the_day_before_2024_05_13():
    before = safeguards(events={"discovered_at": "2024-05-12T10:00:00-04:00"})
    first_day = safeguards(events={"discovered_at": "2024-05-13T10:00:00-04:00"})

    assert before.reason("glba-ftc/ftc").startswith("not in force on 2024-05-12")
    assert due(first_day, "glba-ftc/ftc") == "2024-06-13T03:59:59.999999+00:00"
