"""California Civ. Code 1798.82 before and after SB 446, with literal expected dates."""

import pytest

from .support import due, owed, run

CA = {"timezone": "America/Los_Angeles", "affected": {"US-CA": 1200}}


def california(**sections):
    return run(**{**CA, **sections})


def test_day_before_sb_446_no_fixed_date():
    evaluation = california(events={"discovered_at": "2025-12-31T10:00:00-08:00"})
    obligation = evaluation.obligation("us-ca/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2003-07-01"
    assert obligation.target.isoformat() == "2026-01-03T18:00:00+00:00"


def test_day_sb_446_took_effect_30_days():
    evaluation = california(events={"discovered_at": "2026-01-01T10:00:00-08:00"})
    obligation = evaluation.obligation("us-ca/individuals")

    assert obligation.due.isoformat() == "2026-02-01T07:59:59.999999+00:00"
    assert obligation.rule_version == "2026-01-01"
    assert obligation.basis == (
        "30 calendar days after discovery on 2026-01-01 ends 2026-01-31 23:59 PST"
    )
    assert obligation.citation == "Cal. Civ. Code 1798.82(a) as amended by SB 446"


def test_weekend_deadline_names_the_later_date_of_ccp_12():
    evaluation = california(events={"discovered_at": "2026-01-01T10:00:00-08:00"})
    notes = evaluation.obligation("us-ca/individuals").notes

    assert (
        "2026-01-31 is a Saturday; under Cal. Code Civ. Proc. 12 and 12a the deadline may move "
        "to Monday 2026-02-02. The strict, earlier date is shown."
    ) in notes


def test_attorney_general_15_days_after_the_notice_given():
    evaluation = california(
        events={"discovered_at": "2026-01-05T10:00:00-08:00"},
        notices={"us-ca/individuals": "2026-01-20T09:00:00-08:00"},
    )
    obligation = evaluation.obligation("us-ca/attorney_general")

    assert obligation.due.isoformat() == "2026-02-05T07:59:59.999999+00:00"
    assert obligation.trigger == "notice:us-ca/individuals"
    assert obligation.depends_on is None
    assert obligation.basis == (
        "15 calendar days after notice us-ca/individuals given on 2026-01-20 "
        "ends 2026-02-04 23:59 PST"
    )


def test_attorney_general_before_the_notice_counts_from_its_deadline():
    evaluation = california(events={"discovered_at": "2026-01-01T10:00:00-08:00"})
    obligation = evaluation.obligation("us-ca/attorney_general")

    assert obligation.due.isoformat() == "2026-02-16T07:59:59.999999+00:00"
    assert obligation.depends_on == "us-ca/individuals"
    assert "not given yet, counted from its own deadline 2026-01-31 23:59 PST" in obligation.basis


def test_attorney_general_before_sb_446_follows_the_notice_without_a_date():
    evaluation = california(events={"discovered_at": "2025-06-01T10:00:00-07:00"})
    obligation = evaluation.obligation("us-ca/attorney_general")

    assert obligation.due is None
    assert obligation.rule_version == "2012-01-01"
    assert obligation.depends_on == "us-ca/individuals"


@pytest.mark.parametrize(("count", "owes"), [(499, False), (500, False), (501, True)])
def test_attorney_general_more_than_500_residents(count, owes):
    evaluation = california(affected={"US-CA": count})

    assert ("us-ca/attorney_general" in owed(evaluation)) is owes
    if not owes:
        assert evaluation.reason("us-ca/attorney_general") == (
            f"{count} affected residents of US-CA; it needs more than 500"
        )


@pytest.mark.parametrize(
    ("categories", "discovered", "owes"),
    [
        (["name", "ssn"], "2026-03-05T09:30:00-08:00", True),
        (["ssn"], "2026-03-05T09:30:00-08:00", False),
        (["name", "email"], "2026-03-05T09:30:00-08:00", False),
        (["credentials"], "2026-03-05T09:30:00-08:00", True),
        (["credentials"], "2013-06-01T09:30:00-07:00", False),
        (["name", "health"], "2026-03-05T09:30:00-08:00", True),
        (["name", "health"], "2007-06-01T09:30:00-07:00", False),
        (["name", "genetic"], "2021-12-31T09:30:00-08:00", False),
        (["name", "genetic"], "2022-01-01T09:30:00-08:00", True),
    ],
)
def test_personal_information_as_defined_on_the_day(categories, discovered, owes):
    evaluation = california(data={"categories": categories}, events={"discovered_at": discovered})
    assert ("us-ca/individuals" in owed(evaluation)) is owes


def test_encryption_safe_harbour_lost_with_the_key():
    safe = california(data={"encrypted": True})
    exposed = california(data={"encrypted": True, "key_compromised": True})

    assert "us-ca/individuals" not in owed(safe)
    assert due(exposed, "us-ca/individuals") == "2026-04-05T06:59:59.999999+00:00"


def test_no_californians_no_california():
    evaluation = run(affected={"US-TX": 100})
    assert evaluation.reason("us-ca/individuals") == "no affected residents of US-CA"


def test_vendor_tells_the_data_owner():
    evaluation = california(organisation={"roles": ["service_provider"]})

    assert "us-ca/data_owner" in owed(evaluation)
    assert "us-ca/individuals" not in owed(evaluation)


def test_no_role_given_is_taken_as_data_owner_and_says_so():
    evaluation = california(organisation={"roles": []})
    notes = evaluation.obligation("us-ca/individuals").notes

    assert any("taken to be controller and data owner" in note for note in notes)
