"""Vermont 9 V.S.A. 2435 across Act 109 of 2012 and Act 89 of 2020."""

import pytest

from .support import due, owed, run

VT = {
    "timezone": "America/New_York",
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "affected": {"US-VT": 30},
}


def vermont(**sections):
    return run(**{**VT, **sections})


def vt_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-vt/")}


def test_individuals_45_days_after_discovery():
    obligation = vermont().obligation("us-vt/individuals")

    # 26 days to the end of March, 19 in April: Sunday 2026-04-19 EDT.
    assert obligation.due.isoformat() == "2026-04-20T03:59:59.999999+00:00"
    assert obligation.rule_version == "2012-05-08"


def test_attorney_general_preliminary_notice_14_business_days():
    evaluation = vermont()

    # From Thursday 5 March: 6, 9-13, 16-20, 23, 24, 25 March.
    assert due(evaluation, "us-vt/attorney_general") == "2026-03-26T03:59:59.999999+00:00"


def test_town_meeting_day_is_not_a_business_day():
    evaluation = vermont(events={"discovered_at": "2026-02-24T10:00:00-05:00"})

    # 25-27 February, 2 March, then 4-6, 9-13, 16 and 17 March; Tuesday 3 March is skipped.
    assert due(evaluation, "us-vt/attorney_general") == "2026-03-18T03:59:59.999999+00:00"


def test_consumer_notice_before_the_14th_business_day_brings_the_preliminary_notice_forward():
    evaluation = vermont(notices={"us-vt/individuals": "2026-03-12T11:00:00-04:00"})
    preliminary = evaluation.obligation("us-vt/attorney_general")

    # Consumers were told on 12 March, before 25 March: both notices are due then.
    assert preliminary.due.isoformat() == "2026-03-12T15:00:00+00:00"
    assert preliminary.trigger == "notice:us-vt/individuals"
    assert preliminary.basis.startswith("Concurrent with notice us-vt/individuals")
    assert "14 business days after discovery on 2026-03-05" in preliminary.basis
    assert due(evaluation, "us-vt/attorney_general/supplement") == "2026-03-12T15:00:00+00:00"


def test_consumer_notice_after_the_14th_business_day_leaves_the_preliminary_date():
    evaluation = vermont(notices={"us-vt/individuals": "2026-04-10T11:00:00-04:00"})
    preliminary = evaluation.obligation("us-vt/attorney_general")

    assert preliminary.due.isoformat() == "2026-03-26T03:59:59.999999+00:00"
    assert preliminary.trigger == "discovered_at"
    assert due(evaluation, "us-vt/attorney_general/supplement") == "2026-04-10T15:00:00+00:00"


def test_act_109_boundary():
    before = vermont(events={"discovered_at": "2012-05-07T10:00:00-04:00"})
    after = vermont(events={"discovered_at": "2012-05-08T10:00:00-04:00"})

    assert before.obligation("us-vt/individuals").due_kind == "without_undue_delay"
    assert before.reason("us-vt/attorney_general").startswith("not in force on 2012-05-07")
    # 23 days to the end of May, 22 in June: 2012-06-22.
    assert due(after, "us-vt/individuals") == "2012-06-23T03:59:59.999999+00:00"
    # 9-11, 14-18, 21-25 and, after Memorial Day on 28 May, 29 May 2012.
    assert due(after, "us-vt/attorney_general") == "2012-05-30T03:59:59.999999+00:00"


def test_login_credentials_alone_count_from_act_89():
    login = {"categories": ["email", "credentials"]}
    before = vermont(data=login, events={"discovered_at": "2020-06-30T10:00:00-04:00"})
    after = vermont(data=login, events={"discovered_at": "2020-07-01T10:00:00-04:00"})

    assert before.reason("us-vt/individuals") == (
        "the data (credentials, email) are not personal information under 9 V.S.A. 2430(5) (2006)"
    )
    assert "us-vt/individuals" in owed(after)


def test_contact_details_alone_are_not_covered():
    assert not vt_keys(vermont(data={"categories": ["name", "email", "phone"]}))


@pytest.mark.parametrize(("count", "owes"), [(1000, False), (1001, True)])
def test_consumer_reporting_agencies_more_than_1000(count, owes):
    evaluation = vermont(affected={"US-VT": count})
    assert ("us-vt/consumer_reporting_agencies" in owed(evaluation)) is owes


def test_misuse_not_reasonably_possible_exempts_consumers_but_not_the_attorney_general():
    evaluation = vermont(assessment={"risk_of_harm": "unlikely"})

    assert "us-vt/individuals" not in owed(evaluation)
    assert "us-vt/attorney_general" in owed(evaluation)


def test_encrypted_data_owe_nothing():
    assert not vt_keys(vermont(data={"encrypted": True}))


def test_vendor_tells_the_owner_immediately():
    evaluation = vermont(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-vt/data_owner").due_kind == "without_undue_delay"
    assert vt_keys(evaluation) == {"us-vt/data_owner"}
