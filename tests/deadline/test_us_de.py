"""Delaware Del. Code tit. 6, ch. 12B before and after HB 180, with literal expected dates."""

import pytest

from .support import due, owed, run

DE = {"affected": {"US-DE": 800}}
DETERMINED = {
    "discovered_at": "2026-02-27T10:00:00-05:00",
    "determined_at": "2026-03-02T10:00:00-05:00",
}


def delaware(**sections):
    return run(**{**DE, **sections})


def delaware_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-de/")}


def test_individuals_60_days_after_the_determination():
    evaluation = delaware(events=DETERMINED)
    obligation = evaluation.obligation("us-de/individuals")

    # 2 March + 60 days: 29 left in March, 30 in April, day 60 is 1 May (EDT).
    assert obligation.due.isoformat() == "2026-05-02T03:59:59.999999+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.trigger == "determined_at"
    assert obligation.rule_version == "2018-04-14"
    assert obligation.citation == "Del. Code tit. 6, 12B-102(c) as amended by HB 180"
    assert obligation.basis == (
        "Without undue delay and at the latest 60 calendar days after determination of the "
        "breach on 2026-03-02, which ends 2026-05-01 23:59 EDT"
    )


def test_without_a_determination_the_discovery_stands_for_it():
    # 5 March + 60 days: 26 left in March, 30 in April, day 60 is 4 May.
    assert due(delaware(), "us-de/individuals") == "2026-05-05T03:59:59.999999+00:00"


def test_day_before_hb_180_no_fixed_date_and_no_attorney_general():
    evaluation = delaware(events={"discovered_at": "2018-04-13T10:00:00-04:00"})
    obligation = evaluation.obligation("us-de/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2005-06-28"
    assert evaluation.reason("us-de/attorney_general").startswith("not in force on 2018-04-13")


def test_day_hb_180_took_effect_60_days():
    evaluation = delaware(events={"discovered_at": "2018-04-14T10:00:00-04:00"})

    # 14 April + 60 days: 16 left in April, 31 in May, day 60 is 13 June.
    assert due(evaluation, "us-de/individuals") == "2018-06-14T03:59:59.999999+00:00"
    assert evaluation.obligation("us-de/individuals").rule_version == "2018-04-14"


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_attorney_general_more_than_500_residents(count, owes):
    evaluation = delaware(affected={"US-DE": count})

    assert ("us-de/attorney_general" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-de/attorney_general") == (
            "500 affected residents of US-DE; it needs more than 500"
        )


def test_attorney_general_no_later_than_the_residents():
    evaluation = delaware(notices={"us-de/individuals": "2026-03-20T16:00:00-04:00"})

    assert due(evaluation, "us-de/attorney_general") == "2026-03-20T20:00:00+00:00"


def test_attorney_general_before_the_notice_takes_its_deadline():
    evaluation = delaware(events=DETERMINED)
    obligation = evaluation.obligation("us-de/attorney_general")

    assert obligation.due.isoformat() == "2026-05-02T03:59:59.999999+00:00"
    assert obligation.depends_on == "us-de/individuals"


def test_no_duty_to_consumer_reporting_agencies():
    evaluation = delaware(affected={"US-DE": 50000})
    assert delaware_keys(evaluation) == {"us-de/individuals", "us-de/attorney_general"}


@pytest.mark.parametrize(
    ("categories", "discovered", "owes"),
    [
        (["name", "ssn"], "2026-03-05T09:30:00-05:00", True),
        (["ssn"], "2026-03-05T09:30:00-05:00", False),
        (["credentials"], "2026-03-05T09:30:00-05:00", False),
        (["name", "credentials"], "2026-03-05T09:30:00-05:00", True),
        (["name", "health"], "2018-04-13T09:30:00-04:00", False),
        (["name", "health"], "2018-04-14T09:30:00-04:00", True),
        (["name", "genetic"], "2026-03-05T09:30:00-05:00", True),
        (["name", "biometric"], "2026-03-05T09:30:00-05:00", True),
    ],
)
def test_personal_information_as_defined_on_the_day(categories, discovered, owes):
    evaluation = delaware(data={"categories": categories}, events={"discovered_at": discovered})
    assert ("us-de/individuals" in owed(evaluation)) is owes


def test_email_with_a_name_is_not_personal_information():
    evaluation = delaware(data={"categories": ["name", "email"]})

    assert evaluation.reason("us-de/individuals") == (
        "the data (email, name) are not personal information under "
        "Del. Code tit. 6, 12B-101(7) as amended by HB 180"
    )


def test_harm_unlikely_exempts_the_residents_and_so_the_attorney_general():
    evaluation = delaware(assessment={"risk_of_harm": "unlikely"})

    assert evaluation.reason("us-de/individuals") == (
        "the assessment found a risk of harm unlikely, which this law exempts"
    )
    assert "us-de/attorney_general" not in owed(evaluation)


def test_encryption_safe_harbour_lost_with_the_key():
    safe = delaware(data={"encrypted": True})
    exposed = delaware(data={"encrypted": True, "key_compromised": True})

    assert delaware_keys(safe) == set()
    assert due(exposed, "us-de/individuals") == "2026-05-05T03:59:59.999999+00:00"


def test_law_enforcement_delay_defers_notice_to_the_release():
    evaluation = delaware(
        events=DETERMINED,
        law_enforcement_delay={
            "agency": "Delaware State Police",
            "requested_at": "2026-03-10T09:00:00-05:00",
            "released_at": "2026-05-20T12:00:00-04:00",
            "written": True,
        },
    )

    assert due(evaluation, "us-de/individuals") == "2026-05-20T16:00:00+00:00"


def test_vendor_tells_the_owner():
    evaluation = delaware(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-de/data_owner").due_kind == "without_undue_delay"
    assert "us-de/individuals" not in owed(evaluation)
