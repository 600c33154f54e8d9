"""CERT-In Directions of 28 April 2022: 6 hours from noticing the incident."""

from .support import due, owed, run


def test_6_hours_after_discovery():
    evaluation = run(
        timezone="Asia/Kolkata",
        events={"discovered_at": "2026-03-05T22:00:00+05:30"},
        affected={"IN": 3},
    )

    # 22:00 IST is 16:30 UTC; 6 hours later is 22:30 UTC, 04:00 IST on 6 March.
    assert due(evaluation, "in-certin/csirt") == "2026-03-05T22:30:00+00:00"
    assert evaluation.obligation("in-certin/csirt").rule_version == "2022-06-28"


def test_an_indian_establishment_is_enough():
    evaluation = run(affected={"US-CA": 3}, organisation={"main_establishment": "IN"})
    # 6 hours after the base discovery, 5 March 09:30 EST (14:30 UTC).
    assert due(evaluation, "in-certin/csirt") == "2026-03-05T20:30:00+00:00"


def test_not_applicable_without_indian_residents_or_establishment():
    evaluation = run(affected={"US-CA": 3}, organisation={"main_establishment": "US"})

    assert "in-certin/csirt" not in owed(evaluation)
    assert evaluation.reason("in-certin/csirt") == (
        "no affected residents of IN and no main establishment there"
    )


def test_not_in_force_before_28_june_2022():
    evaluation = run(events={"discovered_at": "2022-06-27T10:00:00+05:30"}, affected={"IN": 3})
    assert evaluation.reason("in-certin/csirt").startswith("not in force on 2022-06-27")
