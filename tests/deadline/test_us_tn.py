"""Tennessee Code 47-18-2107 across SB 2005 (2016) and SB 547 (2017)."""

import pytest

from .support import due, owed, run

TN = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-TN": 300},
}
ENCRYPTED = {"encrypted": True, "key_compromised": False}


def tennessee(**sections):
    return run(**{**TN, **sections})


def tn_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-tn/")}


def test_individuals_45_days_after_discovery():
    obligation = tennessee().obligation("us-tn/individuals")

    # 26 days to the end of March, 19 in April: Sunday 2026-04-19 CDT.
    assert obligation.due.isoformat() == "2026-04-20T04:59:59.999999+00:00"
    assert obligation.rule_version == "2017-04-04"
    assert any(
        "under Tenn. Code 1-3-102 the deadline may move to Monday 2026-04-20" in note
        for note in obligation.notes
    )


def test_45_days_after_law_enforcement_clearance():
    obligation = tennessee(
        law_enforcement_delay={
            "agency": "Tennessee Bureau of Investigation",
            "requested_at": "2026-03-10T10:00:00-05:00",
            "released_at": "2026-03-20T10:00:00-05:00",
            "written": True,
        }
    ).obligation("us-tn/individuals")

    # 11 days to the end of March, 30 in April, 4 in May: 2026-05-04 CDT.
    assert obligation.due.isoformat() == "2026-05-05T04:59:59.999999+00:00"


def test_sb_2005_boundary_from_no_limit_to_45_days():
    before = tennessee(events={"discovered_at": "2016-06-30T10:00:00-05:00"})
    after = tennessee(events={"discovered_at": "2016-07-01T10:00:00-05:00"})

    assert before.obligation("us-tn/individuals").due_kind == "without_undue_delay"
    # 30 days to the end of July, 15 in August: 2016-08-15.
    assert due(after, "us-tn/individuals") == "2016-08-16T04:59:59.999999+00:00"
    assert after.obligation("us-tn/individuals").rule_version == "2016-07-01"
    # Monday 2016-08-15 is a business day: no later date is named.
    assert not any("1-3-102" in note for note in after.obligation("us-tn/individuals").notes)


def test_encrypted_data_were_notifiable_between_sb_2005_and_sb_547():
    in_2016 = tennessee(data=ENCRYPTED, events={"discovered_at": "2016-07-01T10:00:00-05:00"})
    last_day = tennessee(data=ENCRYPTED, events={"discovered_at": "2017-04-03T10:00:00-05:00"})
    restored = tennessee(data=ENCRYPTED, events={"discovered_at": "2017-04-04T10:00:00-05:00"})
    before = tennessee(data=ENCRYPTED, events={"discovered_at": "2016-06-30T10:00:00-05:00"})

    assert "us-tn/individuals" in owed(in_2016)
    assert "us-tn/individuals" in owed(last_day)
    assert not tn_keys(restored)
    assert not tn_keys(before)


def test_compromised_key_removes_the_safe_harbour():
    evaluation = tennessee(data={"encrypted": True, "key_compromised": True})
    assert "us-tn/individuals" in owed(evaluation)


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = tennessee(affected={"US-TN": count})
    assert ("us-tn/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_no_risk_of_harm_exception():
    assert "us-tn/individuals" in owed(tennessee(assessment={"risk_of_harm": "unlikely"}))


def test_state_identification_cards_and_health_data_are_not_covered():
    evaluation = tennessee(data={"categories": ["name", "government_id", "health"]})

    assert not tn_keys(evaluation)
    assert evaluation.reason("us-tn/individuals") == (
        "the data (government_id, health, name) are not personal information under "
        "Tenn. Code 47-18-2107(a)"
    )


def test_vendor_45_days_at_the_latest():
    evaluation = tennessee(organisation={"roles": ["service_provider"]})

    assert due(evaluation, "us-tn/data_owner") == "2026-04-20T04:59:59.999999+00:00"
    assert "us-tn/individuals" not in owed(evaluation)
