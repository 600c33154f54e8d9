"""Iowa Code 715C.2, with the Attorney General's five business days from SF 2259."""

import pytest

from .support import due, owed, run

IA = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-IA": 800},
}


def iowa(**sections):
    return run(**{**IA, **sections})


def iowa_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ia/")}


def test_individuals_without_unreasonable_delay():
    obligation = iowa().obligation("us-ia/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2008-07-01"


def test_attorney_general_five_business_days_after_the_notice():
    evaluation = iowa(notices={"us-ia/individuals": "2026-03-20T16:00:00-05:00"})
    obligation = evaluation.obligation("us-ia/attorney_general")

    # Friday 20 March: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27 (CDT).
    assert obligation.due.isoformat() == "2026-03-28T04:59:59.999999+00:00"
    assert obligation.citation == "Iowa Code 715C.2(8) as amended by SF 2259"


def test_attorney_general_business_days_skip_memorial_day():
    evaluation = iowa(notices={"us-ia/individuals": "2026-05-22T16:00:00-05:00"})

    # Friday 22 May; Monday 25 May is Memorial Day: Tue 26, 27, 28, Fri 29, Mon 1 June.
    assert due(evaluation, "us-ia/attorney_general") == "2026-06-02T04:59:59.999999+00:00"


def test_attorney_general_before_the_notice_has_no_date():
    obligation = iowa().obligation("us-ia/attorney_general")

    assert obligation.due is None
    assert obligation.depends_on == "us-ia/individuals"


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_attorney_general_more_than_500_iowans(count, owes):
    evaluation = iowa(affected={"US-IA": count})

    assert ("us-ia/attorney_general" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-ia/attorney_general") == (
            "500 affected residents of US-IA; it needs more than 500"
        )


def test_attorney_general_from_sf_2259():
    before = iowa(events={"discovered_at": "2014-06-30T10:00:00-05:00"})
    after = iowa(events={"discovered_at": "2014-07-01T10:00:00-05:00"})

    assert before.reason("us-ia/attorney_general").startswith("not in force on 2014-06-30")
    assert after.obligation("us-ia/attorney_general").rule_version == "2014-07-01"


def test_no_duty_to_consumer_reporting_agencies():
    evaluation = iowa(affected={"US-IA": 50000})
    assert iowa_keys(evaluation) == {"us-ia/individuals", "us-ia/attorney_general"}


@pytest.mark.parametrize(
    ("categories", "owes"),
    [
        (["name", "ssn"], True),
        (["name", "biometric"], True),
        (["ssn"], False),
        (["credentials"], False),
    ],
)
def test_personal_information(categories, owes):
    evaluation = iowa(data={"categories": categories})
    assert ("us-ia/individuals" in owed(evaluation)) is owes


def test_health_data_are_not_covered():
    evaluation = iowa(data={"categories": ["name", "health"]})

    assert iowa_keys(evaluation) == set()
    assert evaluation.reason("us-ia/individuals") == (
        "the data (health, name) are not personal information under Iowa Code 715C.1(11)"
    )


def test_no_likelihood_of_financial_harm_exempts():
    assert iowa_keys(iowa(assessment={"risk_of_harm": "unlikely"})) == set()


def test_encryption_safe_harbour_lost_with_the_key():
    safe = iowa(data={"encrypted": True})
    exposed = iowa(data={"encrypted": True, "key_compromised": True})

    assert iowa_keys(safe) == set()
    assert "us-ia/individuals" in owed(exposed)


@pytest.mark.parametrize(("written", "kind"), [(True, "tolled"), (False, "without_undue_delay")])
def test_only_a_written_law_enforcement_request_holds_the_notice(written, kind):
    evaluation = iowa(
        law_enforcement_delay={
            "agency": "Iowa Division of Criminal Investigation",
            "requested_at": "2026-03-06T09:00:00-06:00",
            "released_at": None,
            "written": written,
        }
    )

    assert evaluation.obligation("us-ia/individuals").due_kind == kind


def test_vendor_tells_the_owner_immediately():
    evaluation = iowa(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-ia/data_owner").due_kind == "without_undue_delay"
    assert "us-ia/individuals" not in owed(evaluation)
