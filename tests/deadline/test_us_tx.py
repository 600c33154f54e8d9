"""Texas Bus. & Com. Code 521.053 across HB 4390 and SB 768, with literal expected dates."""

import pytest

from .support import due, owed, run

TX = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-TX": 300},
}


def texas(**sections):
    return run(**{**TX, **sections})


def test_individuals_60_days_after_determination():
    evaluation = texas(
        events={
            "discovered_at": "2026-03-02T09:30:00-06:00",
            "determined_at": "2026-03-05T09:30:00-06:00",
        }
    )
    obligation = evaluation.obligation("us-tx/individuals")

    assert obligation.due.isoformat() == "2026-05-05T04:59:59.999999+00:00"
    assert obligation.rule_version == "2020-01-01"
    assert obligation.citation == "Tex. Bus. & Com. Code 521.053(b) as amended by HB 4390"


def test_attorney_general_30_days_and_roll_forward_note():
    obligation = texas().obligation("us-tx/attorney_general")

    # 2026-04-04 is a Saturday: the strict date stays, the Monday is only a note.
    assert obligation.due.isoformat() == "2026-04-05T04:59:59.999999+00:00"
    assert obligation.rule_version == "2023-09-01"
    assert any(
        "under Tex. Gov't Code 311.014 the deadline may move to Monday 2026-04-06" in note
        for note in obligation.notes
    )


@pytest.mark.parametrize(("count", "owes"), [(249, False), (250, True), (251, True)])
def test_attorney_general_250_or_more_texans(count, owes):
    assert ("us-tx/attorney_general" in owed(texas(affected={"US-TX": count}))) is owes


def test_day_before_sb_768_the_attorney_general_had_60_days():
    evaluation = texas(events={"discovered_at": "2023-08-31T10:00:00-05:00"})

    assert due(evaluation, "us-tx/attorney_general") == "2023-10-31T04:59:59.999999+00:00"
    assert evaluation.obligation("us-tx/attorney_general").rule_version == "2020-01-01"


def test_day_sb_768_took_effect_30_days():
    evaluation = texas(events={"discovered_at": "2023-09-01T10:00:00-05:00"})

    assert due(evaluation, "us-tx/attorney_general") == "2023-10-02T04:59:59.999999+00:00"
    # Day 60 after 1 September is 31 October.
    assert due(evaluation, "us-tx/individuals") == "2023-11-01T04:59:59.999999+00:00"


def test_hb_4390_boundary_for_individuals():
    before = texas(events={"discovered_at": "2019-12-31T10:00:00-06:00"})
    after = texas(events={"discovered_at": "2020-01-01T10:00:00-06:00"})

    assert before.obligation("us-tx/individuals").due_kind == "without_undue_delay"
    assert before.reason("us-tx/attorney_general").startswith("not in force on 2019-12-31")
    # 2020 is a leap year: day 60 after 1 January is 1 March.
    assert due(after, "us-tx/individuals") == "2020-03-02T05:59:59.999999+00:00"
    assert due(after, "us-tx/attorney_general") == "2020-03-02T05:59:59.999999+00:00"


@pytest.mark.parametrize(("count", "owes"), [(10000, False), (10001, True)])
def test_consumer_reporting_agencies_more_than_10000(count, owes):
    evaluation = texas(affected={"US-TX": count})

    assert ("us-tx/consumer_reporting_agencies" in owed(evaluation)) is owes
    if owes:
        obligation = evaluation.obligation("us-tx/consumer_reporting_agencies")
        assert obligation.due_kind == "without_undue_delay"
        assert obligation.depends_on == "us-tx/individuals"


def test_health_information_is_covered_without_a_name():
    assert "us-tx/individuals" in owed(texas(data={"categories": ["health"]}))


def test_email_alone_is_not_sensitive_personal_information():
    evaluation = texas(data={"categories": ["name", "email"]})

    assert not {key for key in owed(evaluation) if key.startswith("us-tx/")}


def test_no_texans_or_encrypted_data_owe_nothing():
    elsewhere = texas(affected={"US-OK": 300})
    encrypted = texas(data={"encrypted": True, "key_compromised": False})

    assert elsewhere.reason("us-tx/individuals") == "no affected residents of US-TX"
    assert not {key for key in owed(encrypted) if key.startswith("us-tx/")}


def test_no_risk_of_harm_exception():
    evaluation = texas(assessment={"risk_of_harm": "unlikely"})
    assert "us-tx/individuals" in owed(evaluation)


def test_vendor_tells_the_owner_immediately():
    evaluation = texas(organisation={"roles": ["service_provider"]})

    assert evaluation.obligation("us-tx/data_owner").due_kind == "without_undue_delay"
    assert "us-tx/individuals" not in owed(evaluation)
