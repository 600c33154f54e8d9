"""Colorado C.R.S. 6-1-716 before and after HB 18-1128, with literal expected dates."""

import pytest

from .support import due, owed, run

CO = {"timezone": "America/Denver", "affected": {"US-CO": 1500}}
DETERMINED = {
    "discovered_at": "2026-02-25T10:00:00-07:00",
    "determined_at": "2026-03-02T10:00:00-07:00",
}


def colorado(**sections):
    return run(**{**CO, **sections})


def colorado_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-co/")}


def test_individuals_and_attorney_general_30_days_after_determination():
    evaluation = colorado(events=DETERMINED)
    obligation = evaluation.obligation("us-co/individuals")

    assert obligation.due.isoformat() == "2026-04-02T05:59:59.999999+00:00"
    assert obligation.rule_version == "2018-09-01"
    assert due(evaluation, "us-co/attorney_general") == "2026-04-02T05:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, True)])
def test_attorney_general_500_or_more(count, owes):
    evaluation = colorado(affected={"US-CO": count})
    assert ("us-co/attorney_general" in owed(evaluation)) is owes


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = colorado(affected={"US-CO": count})
    assert ("us-co/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_day_before_hb_18_1128_no_fixed_date_and_no_attorney_general():
    evaluation = colorado(events={"discovered_at": "2018-08-31T10:00:00-06:00"})

    assert evaluation.obligation("us-co/individuals").due_kind == "without_undue_delay"
    assert evaluation.obligation("us-co/individuals").rule_version == "2006-09-01"
    assert evaluation.reason("us-co/attorney_general").startswith("not in force on 2018-08-31")


def test_day_hb_18_1128_took_effect_30_days():
    evaluation = colorado(events={"discovered_at": "2018-09-01T10:00:00-06:00"})

    assert due(evaluation, "us-co/individuals") == "2018-10-02T05:59:59.999999+00:00"


def test_law_enforcement_delay_then_30_days_after_release():
    delay = {
        "agency": "Colorado Bureau of Investigation",
        "requested_at": "2026-03-05T09:00:00-07:00",
        "released_at": "2026-03-20T09:00:00-06:00",
        "written": False,
    }
    evaluation = colorado(events=DETERMINED, law_enforcement_delay=delay)

    assert due(evaluation, "us-co/individuals") == "2026-04-20T05:59:59.999999+00:00"


def test_health_data_with_a_name_count_only_under_hb_18_1128():
    before = colorado(
        events={"discovered_at": "2018-08-31T10:00:00-06:00"},
        data={"categories": ["name", "health"]},
    )
    after = colorado(
        events={"discovered_at": "2018-09-01T10:00:00-06:00"},
        data={"categories": ["name", "health"]},
    )

    assert colorado_keys(before) == set()
    assert "us-co/individuals" in colorado_keys(after)


def test_misuse_not_reasonably_likely_owes_nothing():
    evaluation = colorado(assessment={"risk_of_harm": "unlikely"})
    assert colorado_keys(evaluation) == set()


def test_encrypted_data_owe_nothing():
    evaluation = colorado(data={"encrypted": True, "key_compromised": False})
    assert colorado_keys(evaluation) == set()
