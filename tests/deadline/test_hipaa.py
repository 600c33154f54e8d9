"""HIPAA Breach Notification Rule with literal expected dates."""

import pytest

from .support import due, owed, run

CE = {
    "organisation": {"roles": ["covered_entity"]},
    "events": {"discovered_at": "2026-02-09T10:00:00-05:00"},
    "data": {"categories": ["name", "health"]},
}


def hipaa(**sections):
    return run(**{**CE, **sections})


def test_individuals_60_days_after_discovery():
    obligation = hipaa(affected={"US-NY": 20}).obligation("hipaa/individuals")

    assert obligation.due.isoformat() == "2026-04-11T03:59:59.999999+00:00"
    assert obligation.basis == (
        "60 calendar days after discovery on 2026-02-09 ends 2026-04-10 23:59 EDT"
    )
    assert obligation.citation == "45 CFR 164.404(b)"
    assert obligation.rule_version == "2009-09-23"


@pytest.mark.parametrize(
    ("count", "hhs_now", "annual_log"),
    [(499, False, True), (500, True, False), (501, True, False)],
)
def test_hhs_500_or_more_in_total(count, hhs_now, annual_log):
    keys = owed(hipaa(affected={"US-NY": count}))

    assert ("hipaa/hhs" in keys) is hhs_now
    assert ("hipaa/hhs/annual_log" in keys) is annual_log


@pytest.mark.parametrize(("count", "media"), [(499, False), (500, False), (501, True)])
def test_media_more_than_500_residents_of_one_state(count, media):
    assert ("hipaa/media" in owed(hipaa(affected={"US-NY": count}))) is media


def test_media_counts_per_state_while_hhs_counts_in_total():
    keys = owed(hipaa(affected={"US-NY": 300, "US-NJ": 300}))

    assert "hipaa/hhs" in keys
    assert "hipaa/media" not in keys


def test_a_country_total_beside_its_states_is_used():
    keys = owed(hipaa(affected={"US": 450, "US-NY": 300, "US-NJ": 300}))

    assert "hipaa/hhs/annual_log" in keys
    assert "hipaa/hhs" not in keys


@pytest.mark.parametrize(
    ("discovered", "expected"),
    [
        # The log for 2023 is due 29 February 2024 (leap year), end of day.
        ("2023-06-01T10:00:00-04:00", "2024-03-01T04:59:59.999999+00:00"),
        ("2024-06-01T10:00:00-04:00", "2025-03-02T04:59:59.999999+00:00"),
        ("2024-12-31T22:00:00-05:00", "2025-03-02T04:59:59.999999+00:00"),
    ],
)
def test_annual_log_60_days_after_the_year_end(discovered, expected):
    evaluation = hipaa(events={"discovered_at": discovered}, affected={"US-NY": 20})
    assert due(evaluation, "hipaa/hhs/annual_log") == expected


def test_annual_log_basis_names_the_year():
    evaluation = hipaa(events={"discovered_at": "2023-06-01T10:00:00-04:00"}, affected={"US-NY": 2})
    assert evaluation.obligation("hipaa/hhs/annual_log").basis == (
        "60 calendar days after the end of 2023 (the year of discovery on 2023-06-01) "
        "ends 2024-02-29 23:59 EST"
    )


def test_encrypted_phi_is_secured_unless_the_key_was_compromised():
    health = ["name", "health"]
    secured = hipaa(data={"categories": health, "encrypted": True}, affected={"US-NY": 20})
    exposed = hipaa(
        data={"categories": health, "encrypted": True, "key_compromised": True},
        affected={"US-NY": 20},
    )

    assert not {key for key in owed(secured) if key.startswith("hipaa/")}
    assert "encryption safe harbour" in secured.reason("hipaa/individuals")
    assert "hipaa/individuals" in owed(exposed)


def test_low_probability_of_compromise_exempts():
    evaluation = hipaa(assessment={"risk_of_harm": "unlikely"}, affected={"US-NY": 20})
    assert "hipaa/individuals" not in owed(evaluation)


def test_no_health_data_no_hipaa():
    evaluation = hipaa(data={"categories": ["name", "ssn"]}, affected={"US-NY": 20})
    assert "hipaa/individuals" not in owed(evaluation)


@pytest.mark.parametrize("role", ["business_associate", "agent_of_covered_entity"])
def test_business_associate_tells_the_covered_entity(role):
    evaluation = hipaa(organisation={"roles": [role]}, affected={"US-NY": 20})

    assert due(evaluation, "hipaa/covered_entity") == "2026-04-11T03:59:59.999999+00:00"
    assert "hipaa/individuals" not in owed(evaluation)


def test_law_enforcement_delay_in_force_tolls():
    delay = {"agency": "FBI", "requested_at": "2026-03-01T12:00:00-05:00", "written": True}
    obligation = hipaa(law_enforcement_delay=delay, affected={"US-NY": 20}).obligation(
        "hipaa/individuals"
    )

    assert obligation.due is None
    assert obligation.due_kind == "tolled"
    assert obligation.basis == (
        "Held at the request of FBI since 2026-03-01 12:00 EST (written law-enforcement "
        "request, still in force); without it the date would be 2026-04-10 23:59 EDT"
    )


def test_released_delay_gives_the_earlier_reading_and_notes_the_other():
    delay = {
        "agency": "FBI",
        "requested_at": "2026-03-01T12:00:00-05:00",
        "released_at": "2026-05-01T10:00:00-04:00",
        "written": True,
    }
    obligation = hipaa(law_enforcement_delay=delay, affected={"US-NY": 20}).obligation(
        "hipaa/individuals"
    )

    assert obligation.due.isoformat() == "2026-05-01T14:00:00+00:00"
    assert obligation.due_kind == "fixed"
    assert "released on 2026-05-01 10:00 EDT" in obligation.basis
    # Tolled: 2026-04-10 23:59 EDT plus the 60 days 21 hours of the delay.
    assert "Read as tolling the clock, the delay would give 2026-06-10 20:59 EDT" in " ".join(
        obligation.notes
    )


def test_oral_request_holds_for_at_most_30_days():
    delay = {"agency": "US Secret Service", "requested_at": "2026-04-01T12:00:00-04:00"}
    obligation = hipaa(law_enforcement_delay=delay, affected={"US-NY": 20}).obligation(
        "hipaa/individuals"
    )

    assert obligation.due.isoformat() == "2026-05-02T03:59:59.999999+00:00"
    assert "ended by the 30d limit on an oral request" in obligation.basis


def test_request_after_the_deadline_does_not_move_it():
    delay = {"agency": "FBI", "requested_at": "2026-05-01T12:00:00-04:00", "written": True}
    obligation = hipaa(law_enforcement_delay=delay, affected={"US-NY": 20}).obligation(
        "hipaa/individuals"
    )

    assert obligation.due.isoformat() == "2026-04-11T03:59:59.999999+00:00"
    assert any("came after this deadline" in note for note in obligation.notes)


def test_the_annual_log_admits_no_delay():
    delay = {"agency": "FBI", "requested_at": "2026-03-01T12:00:00-05:00", "written": True}
    obligation = hipaa(law_enforcement_delay=delay, affected={"US-NY": 20}).obligation(
        "hipaa/hhs/annual_log"
    )

    assert obligation.due.isoformat() == "2027-03-02T04:59:59.999999+00:00"
    assert any("provides for none" in note for note in obligation.notes)
