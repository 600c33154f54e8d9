"""Montana Code Ann. 30-14-1704 across HB 74 (2015), with literal expected dates."""

from .support import due, owed, run

MT = {
    "timezone": "America/Denver",
    "events": {"discovered_at": "2026-03-05T09:30:00-07:00"},
    "affected": {"US-MT": 12},
}
TOLD = {"us-mt/individuals": "2026-03-20T16:00:00-06:00"}


def montana(**sections):
    return run(**{**MT, **sections})


def mt_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-mt/")}


def test_individuals_without_unreasonable_delay():
    obligation = montana().obligation("us-mt/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 72 hours after 2026-03-05 16:30 UTC.
    assert obligation.target.isoformat() == "2026-03-08T16:30:00+00:00"


def test_attorney_general_copy_at_the_same_time_whatever_the_count():
    evaluation = montana(notices=TOLD)

    # 16:00 MDT is 22:00 UTC.
    assert due(evaluation, "us-mt/attorney_general") == "2026-03-20T22:00:00+00:00"
    assert evaluation.obligation("us-mt/attorney_general").rule_version == "2015-10-01"


def test_attorney_general_copy_waits_for_the_residents_notice():
    obligation = montana().obligation("us-mt/attorney_general")

    assert obligation.due is None
    assert obligation.depends_on == "us-mt/individuals"


def test_hb_74_boundary_for_the_attorney_general_copy():
    before = montana(
        events={"discovered_at": "2015-09-20T10:00:00-06:00"},
        notices={"us-mt/individuals": "2015-09-30T12:00:00-06:00"},
    )
    after = montana(
        events={"discovered_at": "2015-09-20T10:00:00-06:00"},
        notices={"us-mt/individuals": "2015-10-01T12:00:00-06:00"},
    )

    assert before.reason("us-mt/attorney_general").startswith("not in force on 2015-09-30")
    assert due(after, "us-mt/attorney_general") == "2015-10-01T18:00:00+00:00"


def test_medical_records_count_from_hb_74():
    health = {"categories": ["name", "health"]}
    before = montana(data=health, events={"discovered_at": "2015-09-30T10:00:00-06:00"})
    after = montana(data=health, events={"discovered_at": "2015-10-01T10:00:00-06:00"})

    assert before.reason("us-mt/individuals") == (
        "the data (health, name) are not personal information under "
        "Mont. Code Ann. 30-14-1704(4)(b) (2005)"
    )
    assert "us-mt/individuals" in owed(after)


def test_online_credentials_are_not_covered():
    assert not mt_keys(montana(data={"categories": ["email", "credentials"]}))


def test_no_loss_or_injury_likely_means_no_breach():
    assert not mt_keys(montana(assessment={"risk_of_harm": "unlikely"}, notices=TOLD))


def test_encrypted_data_owe_nothing():
    assert not mt_keys(montana(data={"encrypted": True}, notices=TOLD))


def test_vendor_tells_the_owner_immediately():
    evaluation = montana(organisation={"roles": ["processor"]})

    assert evaluation.obligation("us-mt/data_owner").due_kind == "without_undue_delay"
    assert mt_keys(evaluation) == {"us-mt/data_owner"}
