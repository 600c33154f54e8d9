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
