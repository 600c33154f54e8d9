"""Kentucky KRS 365.732: no fixed limit, agencies for more than 1,000 persons."""

import pytest

from .support import owed, run

KY = {"affected": {"US-KY": 400}}


def kentucky(**sections):
    return run(**{**KY, **sections})


def kentucky_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ky/")}


def test_individuals_without_unreasonable_delay():
    obligation = kentucky().obligation("us-ky/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2014-07-15"


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = kentucky(affected={"US-KY": count})

    assert ("us-ky/consumer_reporting_agencies" in owed(evaluation)) is owes
    if owes:
        obligation = evaluation.obligation("us-ky/consumer_reporting_agencies")
        assert obligation.depends_on == "us-ky/individuals"


def test_no_attorney_general():
    evaluation = kentucky(affected={"US-KY": 50000})
    assert kentucky_keys(evaluation) == {"us-ky/individuals", "us-ky/consumer_reporting_agencies"}


def test_in_force_from_15_july_2014():
    before = kentucky(events={"discovered_at": "2014-07-14T10:00:00-04:00"})
    after = kentucky(events={"discovered_at": "2014-07-15T10:00:00-04:00"})

    assert before.reason("us-ky/individuals").startswith("not in force on 2014-07-14")
    assert "us-ky/individuals" in owed(after)


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["name", "drivers_license"], True),
        (["ssn"], False),
        (["credentials"], False),
        (["name", "health"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = kentucky(data={"categories": categories})
    assert ("us-ky/individuals" in owed(evaluation)) is owes


def test_state_id_numbers_are_not_covered():
    evaluation = kentucky(data={"categories": ["name", "government_id"]})

    assert kentucky_keys(evaluation) == set()
    assert evaluation.reason("us-ky/individuals") == (
        "the data (government_id, name) are not personal information under KRS 365.732(1)(c)"
    )


def test_no_identity_theft_or_fraud_likely_exempts():
    assert kentucky_keys(kentucky(assessment={"risk_of_harm": "unlikely"})) == set()


def test_encryption_safe_harbour_lost_with_the_key():
    safe = kentucky(data={"encrypted": True})
    exposed = kentucky(data={"encrypted": True, "key_compromised": True})

    assert kentucky_keys(safe) == set()
    assert "us-ky/individuals" in owed(exposed)


def test_vendor_tells_the_owner():
    evaluation = kentucky(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-ky/data_owner").due_kind == "without_undue_delay"
    assert "us-ky/individuals" not in owed(evaluation)
