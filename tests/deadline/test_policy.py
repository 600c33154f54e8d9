"""The incident response policy: response times by severity and the post-mortem."""

import pytest

from .support import due, owed, run

IRISH = {"timezone": "Europe/Dublin", "organisation": {"main_establishment": "IE"}}


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        ("SEV-1", "2026-03-13T09:15:00+00:00"),
        ("SEV-2", "2026-03-13T10:00:00+00:00"),
        ("SEV-3", "2026-03-13T13:00:00+00:00"),
        # Friday: the next business day is Monday.
        ("SEV-4", "2026-03-16T23:59:59.999999+00:00"),
    ],
)
def test_response_time_by_severity(severity, expected):
    evaluation = run(
        incident={"severity": severity},
        events={"discovered_at": "2026-03-13T09:00:00+00:00"},
        **IRISH,
    )
    assert due(evaluation, "policy/internal/response") == expected


def test_no_severity_no_response_time():
    evaluation = run(incident={"title": "Unrated", "severity": None}, **IRISH)
    assert evaluation.reason("policy/internal/response") == (
        "the incident has no severity; it applies to SEV-1"
    )


def test_post_mortem_five_business_days_after_resolution_over_irish_holidays():
    evaluation = run(
        events={
            "discovered_at": "2026-12-20T09:00:00+00:00",
            "resolved_at": "2026-12-24T17:00:00+00:00",
        },
        **IRISH,
    )
    # 25 Dec and 1 Jan are holidays, 26-27 Dec a weekend: 28, 29, 30, 31 Dec and 4 Jan.
    assert due(evaluation, "policy/internal/post_mortem") == "2027-01-04T23:59:59.999999+00:00"


def test_post_mortem_waits_for_resolution():
    evaluation = run(**IRISH)

    assert "policy/internal/post_mortem" not in owed(evaluation)
    assert evaluation.reason("policy/internal/post_mortem") == (
        "resolution is not recorded yet (resolved_at); the clock starts then"
    )


OUTAGE = {
    **IRISH,
    "incident": {"title": "Checkout slow", "severity": "SEV-2", "category": "outage"},
}


@pytest.mark.parametrize(
    ("resolved_at", "status_notice", "regulator_check"),
    [
        # Still degraded: both are listed, from the start of the outage.
        (None, True, True),
        # Exactly 5 minutes is not "over 5 minutes".
        ("2026-03-13T09:05:00+00:00", False, False),
        ("2026-03-13T09:05:01+00:00", True, False),
        ("2026-03-13T13:00:00+00:00", True, False),
        ("2026-03-13T13:00:01+00:00", True, True),
    ],
)
def test_outage_status_notice_over_5_minutes_and_regulator_check_over_4_hours(
    resolved_at, status_notice, regulator_check
):
    evaluation = run(
        events={
            "occurred_at": "2026-03-13T09:00:00+00:00",
            "discovered_at": "2026-03-13T09:02:00+00:00",
            "resolved_at": resolved_at,
        },
        **OUTAGE,
    )
    keys = owed(evaluation)

    assert ("policy/customer/status_notice" in keys) is status_notice
    assert ("policy/internal/regulator_check" in keys) is regulator_check
    if status_notice:
        assert due(evaluation, "policy/customer/status_notice") == "2026-03-13T09:05:00+00:00"
    if regulator_check:
        assert due(evaluation, "policy/internal/regulator_check") == "2026-03-13T13:00:00+00:00"


def test_short_outage_reason_names_its_length():
    evaluation = run(
        events={
            "occurred_at": "2026-03-13T09:00:00+00:00",
            "discovered_at": "2026-03-13T09:00:00+00:00",
            "resolved_at": "2026-03-13T09:04:00+00:00",
        },
        **OUTAGE,
    )
    assert evaluation.reason("policy/customer/status_notice") == (
        "it lasted 4 minutes from occurrence to resolution; it applies to one lasting longer "
        "than 5 minutes"
    )


def test_ongoing_outage_counts_from_discovery_when_the_start_is_unknown():
    evaluation = run(events={"discovered_at": "2026-03-13T09:00:00+00:00"}, **OUTAGE)
    obligation = evaluation.obligation("policy/customer/status_notice")

    assert obligation.due.isoformat() == "2026-03-13T09:05:00+00:00"
    assert any("taken to last longer than 5 minutes" in note for note in obligation.notes)


def test_no_status_notice_for_a_security_incident():
    evaluation = run(
        incident={"title": "Phishing", "severity": "SEV-2", "category": "security"},
        events={"occurred_at": "2026-03-13T09:00:00+00:00"},
        **{"timezone": IRISH["timezone"], "organisation": IRISH["organisation"]},
    )
    assert "policy/customer/status_notice" not in owed(evaluation)
    assert "policy/internal/regulator_check" not in owed(evaluation)
