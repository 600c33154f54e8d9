"""Maryland PIPA, Md. Code Com. Law 14-3504, across HB 974 (2018) and HB 962 (2022)."""

import pytest

from .support import due, owed, run

MD = {"affected": {"US-MD": 400}}
RELEASED = {
    "agency": "Maryland State Police",
    "requested_at": "2026-03-10T09:00:00-04:00",
    "released_at": "2026-03-20T12:00:00-04:00",
    "written": True,
}


def maryland(**sections):
    return run(**{**MD, **sections})


def maryland_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-md/")}


def test_individuals_45_days_after_discovery():
    obligation = maryland().obligation("us-md/individuals")

    # 5 March + 45 days: 26 left in March, day 45 is 19 April (EDT).
    assert obligation.due.isoformat() == "2026-04-20T03:59:59.999999+00:00"
    assert obligation.rule_version == "2022-10-01"
    assert obligation.citation == "Md. Code Com. Law 14-3504(c) as amended by HB 962"


def test_under_hb_974_45_days_ran_from_the_end_of_the_investigation():
    evaluation = maryland(
        events={
            "discovered_at": "2020-03-02T10:00:00-05:00",
            "assessment_completed_at": "2020-03-20T12:00:00-04:00",
        }
    )
    obligation = evaluation.obligation("us-md/individuals")

    # 20 March + 45 days: 11 left in March, 30 in April, day 45 is 4 May.
    assert obligation.due.isoformat() == "2020-05-05T03:59:59.999999+00:00"
    assert obligation.rule_version == "2018-01-01"


def test_day_before_hb_962():
    evaluation = maryland(events={"discovered_at": "2022-09-30T10:00:00-04:00"})

    # No investigation recorded: discovery stands for it. 30 September + 45 is 14 November.
    assert due(evaluation, "us-md/individuals") == "2022-11-15T04:59:59.999999+00:00"
    assert evaluation.obligation("us-md/individuals").rule_version == "2018-01-01"


def test_day_hb_962_took_effect():
    evaluation = maryland(events={"discovered_at": "2022-10-01T10:00:00-04:00"})

    # 1 October + 45 days: 30 left in October, day 45 is 15 November (EST).
    assert due(evaluation, "us-md/individuals") == "2022-11-16T04:59:59.999999+00:00"
    assert evaluation.obligation("us-md/individuals").rule_version == "2022-10-01"


def test_before_hb_974_no_fixed_date():
    evaluation = maryland(events={"discovered_at": "2017-12-31T10:00:00-05:00"})
    assert evaluation.obligation("us-md/individuals").due_kind == "without_undue_delay"


def test_attorney_general_by_the_notice_to_individuals_for_any_number():
    evaluation = maryland(
        affected={"US-MD": 1}, notices={"us-md/individuals": "2026-03-20T16:00:00-04:00"}
    )
    obligation = evaluation.obligation("us-md/attorney_general")

    assert obligation.due.isoformat() == "2026-03-20T20:00:00+00:00"
    assert obligation.rule_version == "2022-10-01"


@pytest.mark.parametrize(("count", "owes"), [(999, False), (1000, True), (1001, True)])
def test_consumer_reporting_agencies_1000_or_more(count, owes):
    evaluation = maryland(affected={"US-MD": count})

    assert ("us-md/consumer_reporting_agencies" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-md/consumer_reporting_agencies") == (
            "999 affected residents of US-MD; it needs at least 1000"
        )


def test_seven_days_after_a_law_enforcement_release_even_before_day_45():
    obligation = maryland(law_enforcement_delay=RELEASED).obligation("us-md/individuals")

    # Released 20 March: 7 days later is 27 March.
    assert obligation.due.isoformat() == "2026-03-28T03:59:59.999999+00:00"
    other = "Read as deferring notice to the release, the delay would give 2026-04-19 23:59 EDT"
    assert any(other in note for note in obligation.notes)


def test_vendor_tells_the_owner_within_10_days():
    evaluation = maryland(organisation={"roles": ["service_provider"]})

    # 5 March + 10 days is 15 March (EDT).
    assert due(evaluation, "us-md/data_owner") == "2026-03-16T03:59:59.999999+00:00"
    assert "us-md/individuals" not in owed(evaluation)


def test_vendor_had_45_days_before_hb_962():
    evaluation = maryland(
        organisation={"roles": ["service_provider"]},
        events={"discovered_at": "2022-09-30T10:00:00-04:00"},
    )

    assert due(evaluation, "us-md/data_owner") == "2022-11-15T04:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("categories", "discovered", "owes"),
    [
        (["name", "ssn"], "2026-03-05T09:30:00-05:00", True),
        (["name", "health"], "2017-12-31T09:30:00-05:00", False),
        (["name", "health"], "2018-01-01T09:30:00-05:00", True),
        (["credentials"], "2018-01-01T09:30:00-05:00", True),
        (["genetic"], "2022-09-30T09:30:00-04:00", False),
        (["genetic"], "2022-10-01T09:30:00-04:00", True),
    ],
)
def test_personal_information_as_defined_on_the_day(categories, discovered, owes):
    evaluation = maryland(data={"categories": categories}, events={"discovered_at": discovered})
    assert ("us-md/individuals" in owed(evaluation)) is owes


def test_precise_geolocation_is_not_personal_information():
    evaluation = maryland(data={"categories": ["name", "precise_geolocation"]})

    assert maryland_keys(evaluation) == set()
    assert evaluation.reason("us-md/individuals") == (
        "the data (name, precise_geolocation) are not personal information under "
        "Md. Code Com. Law 14-3501(e) as amended by HB 962"
    )


def test_no_likelihood_of_misuse_exempts():
    evaluation = maryland(assessment={"risk_of_harm": "unlikely"})
    assert maryland_keys(evaluation) == set()


def test_encryption_safe_harbour_lost_with_the_key():
    safe = maryland(data={"encrypted": True})
    exposed = maryland(data={"encrypted": True, "key_compromised": True})

    assert maryland_keys(safe) == set()
    assert due(exposed, "us-md/individuals") == "2026-04-20T03:59:59.999999+00:00"
