"""New Hampshire N.H. Rev. Stat. 359-C:20."""

import pytest

from .support import due, owed, run

NH = {"affected": {"US-NH": 40}}


def new_hampshire(**sections):
    return run(**{**NH, **sections})


def nh_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-nh/")}


def test_individuals_as_soon_as_possible_after_determination():
    evaluation = new_hampshire(
        events={
            "discovered_at": "2026-03-02T09:00:00-05:00",
            "determined_at": "2026-03-05T09:30:00-05:00",
        }
    )
    obligation = evaluation.obligation("us-nh/individuals")

    assert obligation.due is None
    # Policy target: 72 hours after the determination, not after discovery.
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"


def test_attorney_general_no_later_than_the_residents():
    told = new_hampshire(notices={"us-nh/individuals": "2026-03-20T16:00:00-04:00"})
    pending = new_hampshire()

    assert due(told, "us-nh/attorney_general") == "2026-03-20T20:00:00+00:00"
    assert pending.obligation("us-nh/attorney_general").depends_on == "us-nh/individuals"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = new_hampshire(affected={"US-NH": count})
    assert ("us-nh/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    assert not nh_keys(new_hampshire(data={"categories": ["name", "health"]}))


def test_misuse_not_likely_exempts():
    assert not nh_keys(new_hampshire(assessment={"risk_of_harm": "unlikely"}))


def test_an_unknown_risk_never_exempts():
    assert "us-nh/individuals" in nh_keys(new_hampshire(assessment={"risk_of_harm": "unknown"}))


def test_no_residents_owe_nothing():
    evaluation = new_hampshire(affected={"US-VT": 40})
    assert evaluation.reason("us-nh/individuals") == "no affected residents of US-NH"
