"""Oklahoma 24 O.S. 161-166 before and under SB 626, with literal expected dates."""

import pytest

from .support import due, owed, run

OK = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-OK": 700},
}


def oklahoma(**sections):
    return run(**{**OK, **sections})


def test_individuals_without_unreasonable_delay():
    obligation = oklahoma().obligation("us-ok/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2026-01-01"


def test_attorney_general_60_days_after_the_notice_to_residents():
    evaluation = oklahoma(notices={"us-ok/individuals": "2026-03-20T10:00:00-05:00"})
    obligation = evaluation.obligation("us-ok/attorney_general")

    # 11 days to the end of March, 30 in April, 19 in May.
    assert obligation.due.isoformat() == "2026-05-20T04:59:59.999999+00:00"
    assert obligation.citation == "24 O.S. 163 as amended by SB 626"


def test_attorney_general_has_no_date_until_residents_are_told():
    obligation = oklahoma().obligation("us-ok/attorney_general")

    assert obligation.due is None
    assert obligation.depends_on == "us-ok/individuals"


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, True), (501, True)])
def test_attorney_general_500_or_more_oklahomans(count, owes):
    evaluation = oklahoma(affected={"US-OK": count})
    assert ("us-ok/attorney_general" in owed(evaluation)) is owes


def test_2025_discovery_notified_in_2026_falls_under_sb_626():
    evaluation = oklahoma(
        events={"discovered_at": "2025-12-31T10:00:00-06:00"},
        notices={"us-ok/individuals": "2026-01-10T10:00:00-06:00"},
    )

    assert evaluation.obligation("us-ok/individuals").rule_version == "2008-11-01"
    # 21 days to the end of January, 28 in February, 11 in March (CDT from 8 March).
    assert due(evaluation, "us-ok/attorney_general") == "2026-03-12T04:59:59.999999+00:00"


def test_no_attorney_general_notice_before_sb_626():
    evaluation = oklahoma(
        events={"discovered_at": "2025-12-30T10:00:00-06:00"},
        notices={"us-ok/individuals": "2025-12-31T10:00:00-06:00"},
    )
    assert evaluation.reason("us-ok/attorney_general").startswith("not in force on 2025-12-31")


def test_biometric_data_count_from_sb_626():
    biometric = {"categories": ["name", "biometric"]}
    before = oklahoma(data=biometric, events={"discovered_at": "2025-12-31T10:00:00-06:00"})
    after = oklahoma(data=biometric, events={"discovered_at": "2026-01-01T10:00:00-06:00"})

    assert "us-ok/individuals" not in owed(before)
    assert "us-ok/individuals" in owed(after)


def test_health_data_alone_owe_nothing():
    evaluation = oklahoma(data={"categories": ["name", "health"]})
    assert not {key for key in owed(evaluation) if key.startswith("us-ok/")}


def test_no_risk_of_identity_theft_exempts():
    evaluation = oklahoma(assessment={"risk_of_harm": "unlikely"})
    assert not {key for key in owed(evaluation) if key.startswith("us-ok/")}


def test_encrypted_data_owe_nothing_unless_the_key_was_taken():
    safe = oklahoma(data={"encrypted": True})
    exposed = oklahoma(data={"encrypted": True, "key_compromised": True})

    assert "us-ok/individuals" not in owed(safe)
    assert "us-ok/individuals" in owed(exposed)
