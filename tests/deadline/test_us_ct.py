"""Connecticut Gen. Stat. 36a-701b across PA 12-1, PA 18-90 and PA 21-59."""

from .support import due, owed, run

CT = {"timezone": "America/New_York", "affected": {"US-CT": 30}}


def connecticut(**sections):
    return run(**{**CT, **sections})


def connecticut_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-ct/")}


def test_individuals_60_days_after_discovery():
    evaluation = connecticut(events={"discovered_at": "2026-03-05T09:30:00-05:00"})
    obligation = evaluation.obligation("us-ct/individuals")

    assert obligation.due.isoformat() == "2026-05-05T03:59:59.999999+00:00"
    assert obligation.rule_version == "2021-10-01"


def test_attorney_general_not_later_than_the_residents_for_any_number():
    evaluation = connecticut(affected={"US-CT": 1})
    obligation = evaluation.obligation("us-ct/attorney_general")

    assert obligation.due.isoformat() == "2026-05-05T03:59:59.999999+00:00"
    assert obligation.depends_on == "us-ct/individuals"


def test_attorney_general_with_the_notice_given():
    evaluation = connecticut(notices={"us-ct/individuals": "2026-03-20T12:00:00-04:00"})

    assert due(evaluation, "us-ct/attorney_general") == "2026-03-20T16:00:00+00:00"


def test_day_before_pa_21_59_ninety_days():
    evaluation = connecticut(events={"discovered_at": "2021-09-30T10:00:00-04:00"})
    obligation = evaluation.obligation("us-ct/individuals")

    assert obligation.due.isoformat() == "2021-12-30T04:59:59.999999+00:00"
    assert obligation.rule_version == "2018-10-01"


def test_day_pa_21_59_took_effect_sixty_days():
    evaluation = connecticut(events={"discovered_at": "2021-10-01T10:00:00-04:00"})
    obligation = evaluation.obligation("us-ct/individuals")

    assert obligation.due.isoformat() == "2021-12-01T04:59:59.999999+00:00"
    assert obligation.rule_version == "2021-10-01"


def test_before_pa_18_90_no_fixed_date():
    evaluation = connecticut(events={"discovered_at": "2018-09-30T10:00:00-04:00"})
    assert evaluation.obligation("us-ct/individuals").due_kind == "without_undue_delay"


def test_attorney_general_only_from_pa_12_1():
    evaluation = connecticut(events={"discovered_at": "2012-09-30T10:00:00-04:00"})
    assert evaluation.reason("us-ct/attorney_general").startswith("not in force on")


def test_health_data_count_only_from_pa_21_59():
    before = connecticut(
        events={"discovered_at": "2021-09-30T10:00:00-04:00"},
        data={"categories": ["name", "health"]},
    )
    after = connecticut(
        events={"discovered_at": "2021-10-01T10:00:00-04:00"},
        data={"categories": ["name", "health"]},
    )

    assert connecticut_keys(before) == set()
    assert "us-ct/individuals" in connecticut_keys(after)


def test_no_likely_harm_owes_nothing():
    evaluation = connecticut(assessment={"risk_of_harm": "unlikely"})
    assert connecticut_keys(evaluation) == set()


def test_encrypted_data_owe_nothing():
    evaluation = connecticut(data={"encrypted": True, "key_compromised": False})
    assert connecticut_keys(evaluation) == set()
