"""UK PECR reg. 5A: 24 hours to the ICO until 2025-08-19, 72 hours from 2025-08-20."""

import pytest

from .support import due, owed, run

PROVIDER = {
    "timezone": "Europe/London",
    "organisation": {"roles": ["communications_provider", "controller"]},
    "affected": {"GB": 40},
    "assessment": {"risk_of_harm": "likely"},
}


def pecr(**sections):
    return run(**{**PROVIDER, **sections})


@pytest.mark.parametrize(
    ("discovered", "expected", "version"),
    [
        # 19 August 2025, 10:00 BST = 09:00 UTC: the old 24 hours.
        ("2025-08-19T10:00:00+01:00", "2025-08-20T09:00:00+00:00", "2011-05-26"),
        # 20 August 2025, the day the Data (Use and Access) Act change took effect: 72 hours.
        ("2025-08-20T10:00:00+01:00", "2025-08-23T09:00:00+00:00", "2025-08-20"),
        # 00:30 BST on 20 August is still 19 August in UTC; the local day decides: 72 hours.
        ("2025-08-20T00:30:00+01:00", "2025-08-22T23:30:00+00:00", "2025-08-20"),
    ],
)
def test_ico_report_24_then_72_hours(discovered, expected, version):
    evaluation = pecr(events={"discovered_at": discovered})
    obligation = evaluation.obligation("uk-pecr/supervisory_authority")

    assert due(evaluation, "uk-pecr/supervisory_authority") == expected
    assert obligation.rule_version == version


def test_basis_and_citation_of_the_72_hour_rule():
    obligation = pecr(events={"discovered_at": "2026-01-12T09:15:00+00:00"}).obligation(
        "uk-pecr/supervisory_authority"
    )
    assert obligation.due.isoformat() == "2026-01-15T09:15:00+00:00"
    assert obligation.citation == "PECR reg. 5A(2) as amended by the Data (Use and Access) Act 2025"
    assert obligation.basis.startswith("72 hours after discovery on 2026-01-12 09:15 GMT")


def test_only_communications_providers_report_under_pecr():
    evaluation = run(**{**PROVIDER, "organisation": {"roles": ["controller"]}})

    assert "uk-pecr/supervisory_authority" not in owed(evaluation)
    assert "uk-gdpr/supervisory_authority" in owed(evaluation)
    assert "communications_provider" in evaluation.reason("uk-pecr/supervisory_authority")


def test_no_uk_residents_no_pecr_report():
    evaluation = pecr(affected={"FR": 40})
    assert evaluation.reason("uk-pecr/supervisory_authority") == (
        "no affected residents of GB and no main establishment there"
    )


@pytest.mark.parametrize(
    ("encrypted", "key_compromised", "owed_to_people"),
    [(False, False, True), (True, False, False), (True, True, True)],
)
def test_subscribers_unless_the_data_were_unintelligible(
    encrypted, key_compromised, owed_to_people
):
    evaluation = pecr(
        data={
            "categories": ["name", "phone"],
            "encrypted": encrypted,
            "key_compromised": key_compromised,
        }
    )
    assert ("uk-pecr/individuals" in owed(evaluation)) is owed_to_people
    assert "uk-pecr/supervisory_authority" in owed(evaluation)


def test_subscribers_not_told_when_harm_unlikely():
    evaluation = pecr(assessment={"risk_of_harm": "unlikely"})
    assert "uk-pecr/individuals" not in owed(evaluation)
