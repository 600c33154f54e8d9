"""Washington RCW 19.255.010 across its amendments, with literal expected dates."""

import pytest

from .support import owed, run

WA = {"timezone": "America/Los_Angeles", "affected": {"US-WA": 800}}


def washington(**sections):
    return run(**{**WA, **sections})


def test_day_before_hb_1071_45_days():
    evaluation = washington(events={"discovered_at": "2020-02-29T10:00:00-08:00"})
    obligation = evaluation.obligation("us-wa/individuals")

    assert obligation.due.isoformat() == "2020-04-15T06:59:59.999999+00:00"
    assert obligation.rule_version == "2015-07-24"
    assert obligation.basis == (
        "45 calendar days after discovery on 2020-02-29 ends 2020-04-14 23:59 PDT"
    )


def test_day_hb_1071_took_effect_30_days():
    evaluation = washington(events={"discovered_at": "2020-03-01T10:00:00-08:00"})

    individuals = evaluation.obligation("us-wa/individuals")
    attorney_general = evaluation.obligation("us-wa/attorney_general")
    assert individuals.due.isoformat() == "2020-04-01T06:59:59.999999+00:00"
    assert individuals.rule_version == "2020-03-01"
    assert attorney_general.due.isoformat() == "2020-04-01T06:59:59.999999+00:00"


def test_before_2015_no_fixed_date_and_no_attorney_general():
    evaluation = washington(events={"discovered_at": "2010-05-03T10:00:00-07:00"})

    assert evaluation.obligation("us-wa/individuals").due_kind == "without_undue_delay"
    assert evaluation.reason("us-wa/attorney_general").startswith("not in force on 2010-05-03")


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, False), (501, True)])
def test_attorney_general_more_than_500_washingtonians(count, owes):
    evaluation = washington(affected={"US-WA": count})
    assert ("us-wa/attorney_general" in owed(evaluation)) is owes


def test_no_risk_of_harm_exempts():
    evaluation = washington(assessment={"risk_of_harm": "unlikely"})
    assert not {key for key in owed(evaluation) if key.startswith("us-wa/")}


def test_weekend_deadline_names_rcw_1_12_040():
    evaluation = washington(events={"discovered_at": "2026-03-05T10:00:00-08:00"})
    notes = evaluation.obligation("us-wa/individuals").notes

    assert any("under RCW 1.12.040 the deadline may move to Monday 2026-04-06" in n for n in notes)


def test_health_data_counts_only_after_hb_1071():
    before = washington(
        data={"categories": ["name", "health"]},
        events={"discovered_at": "2020-02-29T10:00:00-08:00"},
    )
    after = washington(
        data={"categories": ["name", "health"]},
        events={"discovered_at": "2020-03-01T10:00:00-08:00"},
    )

    assert "us-wa/individuals" not in owed(before)
    assert "us-wa/individuals" in owed(after)
