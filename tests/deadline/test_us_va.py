"""Virginia Code 18.2-186.6 across HB 2396 (2019), with literal expected dates."""

import pytest

from .support import owed, run

VA = {
    "timezone": "America/New_York",
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-VA": 60},
}


def virginia(**sections):
    return run(**{**VA, **sections})


def va_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-va/")}


def test_residents_and_attorney_general_without_unreasonable_delay():
    evaluation = virginia()

    for key in ("us-va/individuals", "us-va/attorney_general"):
        obligation = evaluation.obligation(key)
        assert obligation.due is None
        assert obligation.due_kind == "without_undue_delay"
        # 72 hours after 2026-03-05 14:30 UTC; no 45-day limit.
        assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"
    assert evaluation.obligation("us-va/individuals").citation == "Va. Code 18.2-186.6(B), (C)"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = virginia(affected={"US-VA": count})
    assert ("us-va/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_passport_numbers_count_from_hb_2396():
    passport = {"categories": ["name", "passport"]}
    before = virginia(data=passport, events={"discovered_at": "2019-06-30T10:00:00-04:00"})
    after = virginia(data=passport, events={"discovered_at": "2019-07-01T10:00:00-04:00"})

    assert not va_keys(before)
    assert after.obligation("us-va/individuals").rule_version == "2008-07-01"


def test_medical_information_is_not_personal_information():
    evaluation = virginia(data={"categories": ["name", "health", "health_insurance"]})

    assert not va_keys(evaluation)
    assert evaluation.reason("us-va/individuals") == (
        "the data (health, health_insurance, name) are not personal information under "
        "Va. Code 18.2-186.6(A) as amended by HB 2396"
    )


def test_biometric_data_are_not_covered():
    evaluation = virginia(data={"categories": ["name", "biometric"]})

    assert not va_keys(evaluation)
    assert evaluation.reason("us-va/individuals") == (
        "the data (biometric, name) are not personal information under "
        "Va. Code 18.2-186.6(A) as amended by HB 2396"
    )


def test_no_reasonable_belief_of_identity_theft_exempts():
    evaluation = virginia(assessment={"risk_of_harm": "unlikely"})
    assert not va_keys(evaluation)


def test_encrypted_data_owe_nothing():
    assert not va_keys(virginia(data={"encrypted": True}))


def test_vendor_tells_the_owner_without_unreasonable_delay():
    evaluation = virginia(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-va/data_owner").due_kind == "without_undue_delay"
    assert va_keys(evaluation) == {"us-va/data_owner"}
