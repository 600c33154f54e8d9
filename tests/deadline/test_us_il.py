"""Illinois Personal Information Protection Act, 815 ILCS 530, across its amendments."""

import pytest

from .support import due, owed, run

IL = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-IL": 800},
}
HOSPITAL = {"roles": ["covered_entity"]}
PHI = {"categories": ["name", "health"]}


def illinois(**sections):
    return run(**{**IL, **sections})


def illinois_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-il/")}


def test_individuals_without_unreasonable_delay():
    obligation = illinois().obligation("us-il/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2012-01-01"


def test_attorney_general_no_later_than_the_consumers():
    evaluation = illinois(notices={"us-il/individuals": "2026-03-20T16:00:00-05:00"})
    obligation = evaluation.obligation("us-il/attorney_general")

    assert obligation.due.isoformat() == "2026-03-20T21:00:00+00:00"
    assert obligation.citation == "815 ILCS 530/10(e) as added by PA 101-343"


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_attorney_general_more_than_500_residents(count, owes):
    evaluation = illinois(affected={"US-IL": count})

    assert ("us-il/attorney_general" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-il/attorney_general") == (
            "500 affected residents of US-IL; it needs more than 500"
        )


def test_attorney_general_from_pa_101_343():
    before = illinois(events={"discovered_at": "2019-12-31T10:00:00-06:00"})
    after = illinois(events={"discovered_at": "2020-01-01T10:00:00-06:00"})

    assert before.reason("us-il/attorney_general").startswith("not in force on 2019-12-31")
    assert after.obligation("us-il/attorney_general").rule_version == "2020-01-01"


def test_hipaa_entity_tells_the_attorney_general_5_business_days_after_hhs():
    evaluation = illinois(
        organisation=HOSPITAL, data=PHI, notices={"hipaa/hhs": "2026-04-14T10:00:00-05:00"}
    )
    obligation = evaluation.obligation("us-il/attorney_general")

    # Tuesday 14 April: Wed 15, Thu 16, Fri 17, Mon 20, Tue 21 (CDT).
    assert obligation.due.isoformat() == "2026-04-22T04:59:59.999999+00:00"
    assert obligation.citation == "815 ILCS 530/50 as added by PA 99-503"


def test_hipaa_entity_before_the_hhs_notice_counts_from_its_deadline():
    evaluation = illinois(organisation=HOSPITAL, data=PHI)
    obligation = evaluation.obligation("us-il/attorney_general")

    # HHS: 60 days after 5 March is Monday 4 May; then Tue 5 to Mon 11 May.
    assert obligation.due.isoformat() == "2026-05-12T04:59:59.999999+00:00"
    assert obligation.depends_on == "hipaa/hhs"


def test_hipaa_entity_with_a_small_breach_follows_the_annual_log():
    evaluation = illinois(organisation=HOSPITAL, data=PHI, affected={"US-IL": 100})

    assert "us-il/attorney_general" not in owed(evaluation)
    # HHS log: 60 days after 31 December 2026 is Monday 1 March 2027; then 2 to 8 March.
    assert due(evaluation, "us-il/attorney_general/annual_log") == (
        "2027-03-09T05:59:59.999999+00:00"
    )


def test_no_duty_to_consumer_reporting_agencies():
    evaluation = illinois(affected={"US-IL": 50000})
    assert illinois_keys(evaluation) == {"us-il/individuals", "us-il/attorney_general"}


@pytest.mark.parametrize(
    ("categories", "discovered", "owes"),
    [
        (["name", "ssn"], "2026-03-05T09:30:00-06:00", True),
        (["credentials"], "2016-12-31T09:30:00-06:00", False),
        (["credentials"], "2017-01-01T09:30:00-06:00", True),
        (["name", "health"], "2016-12-31T09:30:00-06:00", False),
        (["name", "biometric"], "2017-01-01T09:30:00-06:00", True),
    ],
)
def test_personal_information_as_defined_on_the_day(categories, discovered, owes):
    evaluation = illinois(data={"categories": categories}, events={"discovered_at": discovered})
    assert ("us-il/individuals" in owed(evaluation)) is owes


def test_genetic_data_are_not_covered():
    evaluation = illinois(data={"categories": ["name", "genetic"]})

    assert evaluation.reason("us-il/individuals") == (
        "the data (genetic, name) are not personal information under "
        "815 ILCS 530/5 as amended by PA 99-503"
    )


def test_no_risk_of_harm_exception():
    assert "us-il/individuals" in owed(illinois(assessment={"risk_of_harm": "unlikely"}))


def test_encryption_safe_harbour_lost_with_the_key():
    safe = illinois(data={"encrypted": True})
    exposed = illinois(data={"encrypted": True, "key_compromised": True})

    assert illinois_keys(safe) == set()
    assert "us-il/individuals" in owed(exposed)


@pytest.mark.parametrize(("written", "kind"), [(True, "tolled"), (False, "without_undue_delay")])
def test_only_a_written_law_enforcement_request_holds_the_notice(written, kind):
    evaluation = illinois(
        law_enforcement_delay={
            "agency": "Illinois State Police",
            "requested_at": "2026-03-06T09:00:00-06:00",
            "released_at": None,
            "written": written,
        }
    )

    assert evaluation.obligation("us-il/individuals").due_kind == kind


@pytest.mark.parametrize(
    ("discovered", "version", "kind"),
    [
        ("2006-06-26T09:30:00-05:00", "2006-01-01", "without_undue_delay"),
        ("2006-06-27T09:30:00-05:00", "2006-06-27", "tolled"),
        ("2012-01-01T09:30:00-06:00", "2012-01-01", "tolled"),
    ],
)
def test_law_enforcement_delay_from_pa_94_947(discovered, version, kind):
    evaluation = illinois(
        events={"discovered_at": discovered},
        law_enforcement_delay={
            "agency": "Illinois State Police",
            "requested_at": discovered,
            "released_at": None,
            "written": True,
        },
    )
    obligation = evaluation.obligation("us-il/individuals")

    assert obligation.rule_version == version
    assert obligation.due_kind == kind


def test_vendor_tells_the_owner_immediately():
    evaluation = illinois(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-il/data_owner").due_kind == "without_undue_delay"
    assert "us-il/individuals" not in owed(evaluation)
