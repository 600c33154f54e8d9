"""Oregon ORS 646A.604 across SB 601, HB 4040 and SB 684, with literal expected dates."""

import pytest

from .support import due, owed, run

OR = {
    "timezone": "America/Los_Angeles",
    "events": {"discovered_at": "2026-03-05T09:30:00-08:00"},
    "affected": {"US-OR": 300},
}


def oregon(**sections):
    return run(**{**OR, **sections})


def test_individuals_and_attorney_general_45_days():
    evaluation = oregon()

    # 26 days to the end of March, 19 in April: 2026-04-19 PDT.
    assert due(evaluation, "us-or/individuals") == "2026-04-20T06:59:59.999999+00:00"
    assert due(evaluation, "us-or/attorney_general") == "2026-04-20T06:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(250, False), (251, True)])
def test_attorney_general_more_than_250(count, owes):
    evaluation = oregon(affected={"US-OR": count})
    assert ("us-or/attorney_general" in owed(evaluation)) is owes


def test_hb_4040_boundary():
    before = oregon(events={"discovered_at": "2018-06-01T10:00:00-07:00"})
    after = oregon(events={"discovered_at": "2018-06-02T10:00:00-07:00"})

    assert before.obligation("us-or/individuals").due_kind == "without_undue_delay"
    assert before.obligation("us-or/attorney_general").rule_version == "2016-01-01"
    # 28 days to the end of June, 17 in July.
    assert due(after, "us-or/individuals") == "2018-07-18T06:59:59.999999+00:00"


def test_attorney_general_notice_began_with_sb_601():
    evaluation = oregon(events={"discovered_at": "2015-12-31T10:00:00-08:00"})
    assert evaluation.reason("us-or/attorney_general").startswith("not in force on 2015-12-31")


def test_vendor_10_days_and_attorney_general():
    evaluation = oregon(organisation={"roles": ["processor"]})

    # Ten days after 2026-03-05 is 2026-03-15, in daylight time.
    assert due(evaluation, "us-or/data_owner") == "2026-03-16T06:59:59.999999+00:00"
    obligation = evaluation.obligation("us-or/attorney_general")
    assert obligation.citation == "ORS 646A.604(2)(b) as amended by SB 684"
    assert obligation.due_kind == "without_undue_delay"


@pytest.mark.parametrize(
    ("discovered", "owes"),
    [("2015-12-31T10:00:00-08:00", False), ("2016-01-01T10:00:00-08:00", True)],
)
def test_health_information_counts_from_sb_601(discovered, owes):
    evaluation = oregon(
        data={"categories": ["name", "health"]}, events={"discovered_at": discovered}
    )
    assert ("us-or/individuals" in owed(evaluation)) is owes


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = oregon(affected={"US-OR": count})
    assert ("us-or/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_no_likely_harm_exempts():
    evaluation = oregon(assessment={"risk_of_harm": "unlikely"})
    assert not {key for key in owed(evaluation) if key.startswith("us-or/")}
