"""Arizona A.R.S. 18-552 and its 2006 predecessor, with literal expected dates."""

import pytest

from .support import due, owed, run

AZ = {"timezone": "America/Phoenix", "affected": {"US-AZ": 1500}}
DETERMINED = {
    "discovered_at": "2026-02-25T10:00:00-07:00",
    "determined_at": "2026-03-02T10:00:00-07:00",
}


def arizona(**sections):
    return run(**{**AZ, **sections})


def arizona_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-az/")}


def test_individuals_attorney_general_and_agencies_45_days_after_determination():
    evaluation = arizona(events=DETERMINED)

    for key in ("us-az/individuals", "us-az/attorney_general", "us-az/consumer_reporting_agencies"):
        assert due(evaluation, key) == "2026-04-17T06:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_attorney_general_more_than_1000(count, owes):
    keys = arizona_keys(arizona(affected={"US-AZ": count}))

    assert ("us-az/attorney_general" in keys) is owes
    assert ("us-az/consumer_reporting_agencies" in keys) is owes


def test_day_before_hb_2154_no_fixed_date_and_no_attorney_general():
    evaluation = arizona(events={"discovered_at": "2018-08-02T10:00:00-07:00"})
    obligation = evaluation.obligation("us-az/individuals")

    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2006-12-31"
    assert evaluation.reason("us-az/attorney_general").startswith("not in force on 2018-08-02")


def test_day_hb_2154_took_effect_45_days():
    evaluation = arizona(events={"discovered_at": "2018-08-03T10:00:00-07:00"})
    obligation = evaluation.obligation("us-az/individuals")

    assert obligation.due.isoformat() == "2018-09-18T06:59:59.999999+00:00"
    assert obligation.rule_version == "2018-08-03"


def test_online_credentials_alone_count_only_under_hb_2154():
    before = arizona(
        events={"discovered_at": "2018-08-02T10:00:00-07:00"},
        data={"categories": ["credentials"]},
    )
    after = arizona(
        events={"discovered_at": "2018-08-03T10:00:00-07:00"},
        data={"categories": ["credentials"]},
    )

    assert arizona_keys(before) == set()
    assert "us-az/individuals" in arizona_keys(after)


def test_law_enforcement_delay_then_45_days_after_release():
    delay = {
        "agency": "Arizona DPS",
        "requested_at": "2026-03-10T09:00:00-07:00",
        "released_at": "2026-04-01T09:00:00-07:00",
        "written": True,
    }
    evaluation = arizona(events=DETERMINED, law_enforcement_delay=delay)

    assert due(evaluation, "us-az/individuals") == "2026-05-17T06:59:59.999999+00:00"


def test_no_substantial_economic_loss_owes_nothing():
    evaluation = arizona(assessment={"risk_of_harm": "unlikely"})
    assert arizona_keys(evaluation) == set()


def test_encrypted_data_owe_nothing():
    evaluation = arizona(data={"encrypted": True, "key_compromised": False})
    assert arizona_keys(evaluation) == set()


def test_vendor_tells_the_owner():
    evaluation = arizona(organisation={"roles": ["service_provider"]})
    assert arizona_keys(evaluation) == {"us-az/data_owner"}
