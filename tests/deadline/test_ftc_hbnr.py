"""FTC Health Breach Notification Rule (16 CFR 318), 2009 and 2024 versions, literal dates."""

import pytest

from .support import due, owed, run

VENDOR = {
    "organisation": {"roles": ["controller"]},
    "events": {"discovered_at": "2026-02-09T10:00:00-05:00"},
    "data": {"categories": ["name", "health"]},
    "affected": {"US-NY": 800},
}


def hbnr(**sections):
    return run(**{**VENDOR, **sections})


def test_individuals_60_days_after_discovery():
    obligation = hbnr().obligation("ftc-hbnr/individuals")

    # Day 60 after 9 February 2026 is 10 April, end of day in New York (EDT).
    assert obligation.due.isoformat() == "2026-04-11T03:59:59.999999+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.rule_version == "2024-07-29"


def test_ftc_with_the_individuals_notice_while_it_has_not_been_given():
    obligation = hbnr().obligation("ftc-hbnr/ftc")

    assert obligation.due.isoformat() == "2026-04-11T03:59:59.999999+00:00"
    assert obligation.depends_on == "ftc-hbnr/individuals"


def test_ftc_on_the_day_the_individuals_were_told():
    evaluation = hbnr(notices={"ftc-hbnr/individuals": "2026-03-02T15:00:00-05:00"})
    assert due(evaluation, "ftc-hbnr/ftc") == "2026-03-02T20:00:00+00:00"


@pytest.mark.parametrize(
    ("count", "ftc_now", "annual_log"),
    [(499, False, True), (500, True, False), (501, True, False)],
)
def test_ftc_500_or_more_in_total_else_annual_log(count, ftc_now, annual_log):
    keys = owed(hbnr(affected={"US-NY": count}))

    assert ("ftc-hbnr/ftc" in keys) is ftc_now
    assert ("ftc-hbnr/ftc/annual_log" in keys) is annual_log


def test_annual_log_60_days_after_the_year_end():
    evaluation = hbnr(affected={"US-NY": 20})

    # The year 2027 is not a leap year: day 60 after 31 December 2026 is 1 March 2027 (EST).
    assert due(evaluation, "ftc-hbnr/ftc/annual_log") == "2027-03-02T04:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("affected", "media"),
    [({"US-NY": 499}, False), ({"US-NY": 500}, True), ({"US-NY": 300, "US-NJ": 300}, False)],
)
def test_media_counts_residents_of_one_state(affected, media):
    assert ("ftc-hbnr/media" in owed(hbnr(affected=affected))) is media


def test_service_provider_tells_the_vendor_within_60_days():
    evaluation = hbnr(organisation={"roles": ["service_provider"]})

    assert due(evaluation, "ftc-hbnr/data_owner") == "2026-04-11T03:59:59.999999+00:00"
    assert "ftc-hbnr/individuals" not in owed(evaluation)


@pytest.mark.parametrize(
    "sections",
    [
        {"data": {"categories": ["name", "ssn"]}},
        {"data": {"encrypted": True, "key_compromised": False}},
        {"organisation": {"roles": ["covered_entity"]}},
    ],
    ids=["no-health-data", "encrypted", "hipaa-covered-entity"],
)
def test_nothing_owed(sections):
    assert not {key for key in owed(hbnr(**sections)) if key.startswith("ftc-hbnr/")}


def test_day_before_the_2024_amendment_ftc_within_10_business_days():
    evaluation = hbnr(events={"discovered_at": "2024-07-28T10:00:00-04:00"})

    ftc = evaluation.obligation("ftc-hbnr/ftc")
    # Sunday 28 July 2024: business days 29 July to 9 August, no federal holiday between.
    assert ftc.due.isoformat() == "2024-08-10T03:59:59.999999+00:00"
    assert ftc.rule_version == "2009-09-24"
    assert due(evaluation, "ftc-hbnr/individuals") == "2024-09-27T03:59:59.999999+00:00"
    assert evaluation.obligation("ftc-hbnr/individuals").rule_version == "2009-09-24"


def test_day_the_2024_amendment_took_effect_ftc_with_the_individuals():
    evaluation = hbnr(events={"discovered_at": "2024-07-29T10:00:00-04:00"})

    ftc = evaluation.obligation("ftc-hbnr/ftc")
    assert ftc.due.isoformat() == "2024-09-28T03:59:59.999999+00:00"
    assert ftc.rule_version == "2024-07-29"


def test_not_in_force_before_2009_09_24():
    evaluation = hbnr(events={"discovered_at": "2009-09-23T10:00:00-04:00"})
    assert evaluation.reason("ftc-hbnr/individuals").startswith("not in force on 2009-09-23")


def test_an_organisation_abroad_with_no_us_residents_affected_owes_nothing():
    evaluation = hbnr(
        organisation={"roles": ["controller"], "main_establishment": "DE"},
        affected={"DE": 900},
    )
    assert not [key for key in owed(evaluation) if key.startswith("ftc-hbnr/")]


def test_a_us_vendor_whose_counts_are_not_known_yet_owes_the_notices():
    evaluation = hbnr(
        organisation={"roles": ["controller"], "main_establishment": "US"},
        affected={},
    )
    assert "ftc-hbnr/individuals" in owed(evaluation)
