"""Arkansas Personal Information Protection Act, before and after Act 1030 of 2019."""

import pytest

from .support import due, owed, run

AR = {"timezone": "America/Chicago", "affected": {"US-AR": 1500}}


def arkansas(**sections):
    return run(**{**AR, **sections})


def arkansas_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ar/")}


def test_individuals_without_undue_delay():
    obligation = arkansas().obligation("us-ar/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2005-08-12"


def test_attorney_general_45_days_after_the_determination():
    evaluation = arkansas(
        events={
            "discovered_at": "2026-02-20T10:00:00-06:00",
            "determined_at": "2026-03-02T10:00:00-06:00",
        }
    )

    assert due(evaluation, "us-ar/attorney_general") == "2026-04-17T04:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_attorney_general_more_than_1000(count, owes):
    evaluation = arkansas(affected={"US-AR": count})
    assert ("us-ar/attorney_general" in owed(evaluation)) is owes


def test_day_before_act_1030_no_attorney_general_and_no_biometrics():
    evaluation = arkansas(
        events={"discovered_at": "2019-07-22T10:00:00-05:00"},
        data={"categories": ["name", "biometric"]},
    )

    assert arkansas_keys(evaluation) == set()
    assert "not personal information" in evaluation.reason("us-ar/individuals")


def test_day_act_1030_took_effect():
    evaluation = arkansas(
        events={"discovered_at": "2019-07-23T10:00:00-05:00"},
        data={"categories": ["name", "biometric"]},
    )

    assert arkansas_keys(evaluation) == {"us-ar/individuals", "us-ar/attorney_general"}
    assert due(evaluation, "us-ar/attorney_general") == "2019-09-07T04:59:59.999999+00:00"


def test_medical_information_is_covered():
    evaluation = arkansas(data={"categories": ["name", "health"]})
    assert "us-ar/individuals" in owed(evaluation)


def test_no_reasonable_likelihood_of_harm_owes_nothing():
    evaluation = arkansas(assessment={"risk_of_harm": "unlikely"})
    assert arkansas_keys(evaluation) == set()


def test_encrypted_data_owe_nothing():
    evaluation = arkansas(data={"encrypted": True, "key_compromised": False})
    assert arkansas_keys(evaluation) == set()


def test_vendor_tells_the_owner():
    evaluation = arkansas(organisation={"roles": ["processor"]})
    assert arkansas_keys(evaluation) == {"us-ar/data_owner"}
