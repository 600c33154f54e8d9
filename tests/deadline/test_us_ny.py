"""New York Gen. Bus. Law 899-aa across S2659B, S.804 and S2376B, with literal expected dates."""

import pytest

from .support import due, owed, run

NY = {"affected": {"US-NY": 600}}


def new_york(**sections):
    return run(**{**NY, **sections})


def test_individuals_30_days_after_discovery():
    obligation = new_york().obligation("us-ny/individuals")

    # Day 30 after 2026-03-05 is Saturday 2026-04-04; the strict date stays the date.
    assert obligation.due.isoformat() == "2026-04-05T03:59:59.999999+00:00"
    assert obligation.rule_version == "2024-12-21"
    assert any(
        "under N.Y. Gen. Constr. Law 25-a the deadline may move to Monday 2026-04-06" in note
        for note in obligation.notes
    )


def test_day_before_s2659b_no_fixed_date():
    evaluation = new_york(events={"discovered_at": "2024-12-20T10:00:00-05:00"})
    obligation = evaluation.obligation("us-ny/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2005-12-07"


def test_day_s2659b_took_effect_30_days():
    evaluation = new_york(events={"discovered_at": "2024-12-21T10:00:00-05:00"})

    # 10 days to the end of December, 20 in January: 2025-01-20 EST.
    assert due(evaluation, "us-ny/individuals") == "2025-01-21T04:59:59.999999+00:00"


def test_attorney_general_with_the_notice_to_residents():
    given = new_york(notices={"us-ny/individuals": "2026-03-20T16:00:00-04:00"})
    pending = new_york()

    assert due(given, "us-ny/attorney_general") == "2026-03-20T20:00:00+00:00"
    assert due(pending, "us-ny/attorney_general") == "2026-04-05T03:59:59.999999+00:00"
    assert pending.obligation("us-ny/attorney_general").depends_on == "us-ny/individuals"


def test_attorney_general_for_a_single_resident():
    assert "us-ny/attorney_general" in owed(new_york(affected={"US-NY": 1}))


def test_dfs_72_hours_after_determination_for_a_covered_entity():
    evaluation = new_york(
        organisation={"roles": ["nydfs_covered_entity", "controller"]},
        events={
            "discovered_at": "2026-03-04T09:30:00-05:00",
            "determined_at": "2026-03-05T09:30:00-05:00",
        },
    )
    obligation = evaluation.obligation("us-ny/nydfs")

    assert obligation.due.isoformat() == "2026-03-08T14:30:00+00:00"
    assert obligation.citation == "N.Y. Gen. Bus. Law 899-aa(8)(a) as amended by S.804"


def test_dfs_only_for_covered_entities():
    evaluation = new_york()
    assert evaluation.reason("us-ny/nydfs") == (
        "it applies to the roles nydfs_covered_entity; the organisation's roles are controller"
    )


def test_dfs_not_before_s2659b():
    evaluation = new_york(
        organisation={"roles": ["nydfs_covered_entity", "controller"]},
        events={"discovered_at": "2024-12-20T10:00:00-05:00"},
    )
    assert evaluation.reason("us-ny/nydfs").startswith("not in force on 2024-12-20")


@pytest.mark.parametrize(("count", "owes"), [(5000, False), (5001, True)])
def test_consumer_reporting_agencies_more_than_5000(count, owes):
    evaluation = new_york(affected={"US-NY": count})
    assert ("us-ny/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_hipaa_covered_entity_copies_hhs_notice_within_5_business_days():
    evaluation = new_york(
        organisation={"roles": ["covered_entity", "data_owner"]},
        data={"categories": ["name", "health"]},
        notices={"hipaa/hhs": "2026-03-20T16:00:00-04:00"},
    )

    # Friday 2026-03-20, then Monday 23 to Friday 27.
    assert due(evaluation, "us-ny/attorney_general/supplement") == (
        "2026-03-28T03:59:59.999999+00:00"
    )
    assert "us-ny/attorney_general/annual_log" not in owed(evaluation)


def test_hipaa_annual_log_copy():
    evaluation = new_york(
        organisation={"roles": ["covered_entity"]},
        affected={"US-NY": 20},
        data={"categories": ["name", "health"]},
        notices={"hipaa/hhs/annual_log": "2027-02-26T12:00:00-05:00"},
    )

    # Friday 2027-02-26, then Monday 1 March to Friday 5 March.
    assert due(evaluation, "us-ny/attorney_general/annual_log") == (
        "2027-03-06T04:59:59.999999+00:00"
    )


def test_health_information_counts_from_s2376b():
    health = {"categories": ["name", "health"]}
    before = new_york(data=health, events={"discovered_at": "2025-03-20T10:00:00-04:00"})
    after = new_york(data=health, events={"discovered_at": "2025-03-21T10:00:00-04:00"})

    assert "us-ny/individuals" not in owed(before)
    assert due(after, "us-ny/individuals") == "2025-04-21T03:59:59.999999+00:00"


def test_credentials_alone_count_from_the_shield_act():
    credentials = {"categories": ["credentials"]}
    before = new_york(data=credentials, events={"discovered_at": "2019-10-22T10:00:00-04:00"})
    after = new_york(data=credentials, events={"discovered_at": "2019-10-23T10:00:00-04:00"})

    assert "us-ny/individuals" not in owed(before)
    assert "us-ny/individuals" in owed(after)


def test_no_residents_or_encrypted_data_owe_nothing():
    elsewhere = new_york(affected={"US-NJ": 600})
    encrypted = new_york(data={"encrypted": True})

    assert elsewhere.reason("us-ny/individuals") == "no affected residents of US-NY"
    assert not {key for key in owed(encrypted) if key.startswith("us-ny/")}


def test_vendor_30_day_limit_from_s2659b():
    evaluation = new_york(organisation={"roles": ["processor"]})
    assert due(evaluation, "us-ny/data_owner") == "2026-04-05T03:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("count", "cause", "risk", "owes"),
    [
        (501, "accidental_disclosure", "unlikely", True),
        (501, "misdelivery", "unlikely", True),
        (500, "accidental_disclosure", "unlikely", False),
        (501, "external_attack", "unlikely", False),
        (501, "accidental_disclosure", "likely", False),
        (501, "accidental_disclosure", "unknown", False),
    ],
)
def test_written_no_harm_determination_to_the_attorney_general(count, cause, risk, owes):
    evaluation = run(
        incident={"title": "Spreadsheet sent to the wrong team", "cause": cause},
        events={
            "discovered_at": "2026-03-05T09:30:00-05:00",
            "determined_at": "2026-03-09T15:00:00-04:00",
        },
        affected={"US-NY": count},
        assessment={"risk_of_harm": risk},
    )
    key = "us-ny/attorney_general/no_harm_determination"

    assert (key in owed(evaluation)) is owes
    if owes:
        # 10 days after 9 March (EDT from 8 March) ends 19 March 23:59 EDT.
        assert due(evaluation, key) == "2026-03-20T03:59:59.999999+00:00"
        # The notice to residents stays listed: the earlier reading.
        assert "us-ny/individuals" in owed(evaluation)


def test_no_harm_determination_not_before_the_shield_act():
    evaluation = run(
        incident={"title": "Misdelivered letters", "cause": "misdelivery"},
        events={"discovered_at": "2019-10-22T10:00:00-04:00"},
        affected={"US-NY": 900},
        assessment={"risk_of_harm": "unlikely"},
    )
    assert evaluation.reason("us-ny/attorney_general/no_harm_determination") == (
        "not in force on 2019-10-22, the day its clock started (in force from 2019-10-23)"
    )
