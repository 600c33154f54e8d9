"""District of Columbia D.C. Code 28-3852 before and after D.C. Law 23-98."""

import pytest

from .support import due, owed, run

DC = {"affected": {"US-DC": 300}}


def district(**sections):
    return run(**{**DC, **sections})


def dc_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-dc/")}


def test_individuals_without_unreasonable_delay():
    obligation = district().obligation("us-dc/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2020-06-17"
    # Policy target: 72 hours after discovery on 2026-03-05 09:30 EST (14:30 UTC).
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"


def test_attorney_general_no_later_than_the_residents():
    evaluation = district(notices={"us-dc/individuals": "2026-03-20T16:00:00-04:00"})
    obligation = evaluation.obligation("us-dc/attorney_general")

    assert due(evaluation, "us-dc/attorney_general") == "2026-03-20T20:00:00+00:00"
    assert obligation.citation == "D.C. Code 28-3852(b-1) as amended by D.C. Law 23-98"


@pytest.mark.parametrize(("count", "owes"), [(49, False), (50, True), (51, True)])
def test_attorney_general_50_or_more_residents(count, owes):
    evaluation = district(affected={"US-DC": count})

    assert ("us-dc/attorney_general" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-dc/attorney_general") == (
            "49 affected residents of US-DC; it needs at least 50"
        )


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = district(affected={"US-DC": count})

    assert ("us-dc/consumer_reporting_agencies" in owed(evaluation)) is owes
    if owes:
        obligation = evaluation.obligation("us-dc/consumer_reporting_agencies")
        assert obligation.depends_on == "us-dc/individuals"


def test_attorney_general_from_8_june_2020_the_earlier_of_two_reported_dates():
    before = district(events={"discovered_at": "2020-06-07T10:00:00-04:00"})
    after = district(events={"discovered_at": "2020-06-08T10:00:00-04:00"})

    assert before.reason("us-dc/attorney_general").startswith("not in force on 2020-06-07")
    assert after.obligation("us-dc/attorney_general").rule_version == "2020-06-08"


def test_day_before_17_june_2020_no_harm_exception():
    events = {"discovered_at": "2020-06-16T10:00:00-04:00"}
    evaluation = district(events=events, assessment={"risk_of_harm": "unlikely"})

    assert evaluation.obligation("us-dc/individuals").rule_version == "2007-07-01"


def test_day_law_23_98_took_effect_harm_unlikely_exempts():
    events = {"discovered_at": "2020-06-17T10:00:00-04:00"}
    evaluation = district(events=events, assessment={"risk_of_harm": "unlikely"})

    assert evaluation.reason("us-dc/individuals") == (
        "the assessment found a risk of harm unlikely, which this law exempts"
    )


@pytest.mark.parametrize(
    ("categories", "discovered", "owes"),
    [
        (["name", "ssn"], "2026-03-05T09:30:00-05:00", True),
        (["ssn"], "2026-03-05T09:30:00-05:00", True),
        (["ssn"], "2020-06-07T09:30:00-04:00", False),
        (["credentials"], "2020-06-07T09:30:00-04:00", False),
        (["credentials"], "2020-06-08T09:30:00-04:00", True),
        (["name", "health"], "2020-06-07T09:30:00-04:00", False),
        (["name", "genetic"], "2020-06-08T09:30:00-04:00", True),
        (["name", "passport"], "2026-03-05T09:30:00-05:00", True),
    ],
)
def test_personal_information_as_defined_on_the_day(categories, discovered, owes):
    evaluation = district(data={"categories": categories}, events={"discovered_at": discovered})
    assert ("us-dc/individuals" in owed(evaluation)) is owes


def test_precise_geolocation_is_not_personal_information():
    evaluation = district(data={"categories": ["name", "precise_geolocation"]})

    assert dc_keys(evaluation) == set()
    assert evaluation.reason("us-dc/individuals") == (
        "the data (name, precise_geolocation) are not personal information under "
        "D.C. Code 28-3851(3) as amended by D.C. Law 23-98"
    )


def test_encryption_safe_harbour_lost_with_the_key():
    safe = district(data={"encrypted": True})
    exposed = district(data={"encrypted": True, "key_compromised": True})

    assert dc_keys(safe) == set()
    assert "us-dc/individuals" in owed(exposed)


def test_law_enforcement_delay_holds_the_notice():
    evaluation = district(
        law_enforcement_delay={
            "agency": "Metropolitan Police Department",
            "requested_at": "2026-03-06T09:00:00-05:00",
            "released_at": None,
            "written": True,
        }
    )

    assert evaluation.obligation("us-dc/individuals").due_kind == "tolled"


def test_vendor_tells_the_owner():
    evaluation = district(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-dc/data_owner").due_kind == "without_undue_delay"
    assert "us-dc/individuals" not in owed(evaluation)
