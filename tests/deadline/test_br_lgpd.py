"""Brazil LGPD and ANPD Resolution 15/2024: business days against Brazil's national holidays."""

from .support import due, owed, run

BRAZIL = {
    "timezone": "America/Sao_Paulo",
    "events": {"aware_at": "2026-03-02T10:00:00-03:00"},
    "affected": {"BR": 2000},
    "assessment": {"risk_of_harm": "likely"},
}


def lgpd(**sections):
    return run(**{**BRAZIL, **sections})


def test_anpd_and_data_subjects_within_3_business_days():
    evaluation = lgpd()

    # Monday 2 March: business days 3, 4 and 5 March; the end of Thursday 5 March, BRT (-03:00).
    assert due(evaluation, "br-lgpd/supervisory_authority") == "2026-03-06T02:59:59.999999+00:00"
    assert due(evaluation, "br-lgpd/individuals") == "2026-03-06T02:59:59.999999+00:00"
    obligation = evaluation.obligation("br-lgpd/supervisory_authority")
    assert obligation.citation == "Resolucao CD/ANPD 15/2024 Art. 6"
    assert obligation.rule_version == "2024-04-26"


def test_tiradentes_day_is_skipped():
    evaluation = lgpd(events={"aware_at": "2026-04-16T10:00:00-03:00"})

    # Thursday 16 April: Friday 17, Monday 20, (Tuesday 21 is Tiradentes), Wednesday 22 April.
    assert due(evaluation, "br-lgpd/supervisory_authority") == "2026-04-23T02:59:59.999999+00:00"


def test_a_small_processing_agent_has_6_business_days():
    evaluation = lgpd(organisation={"roles": ["small_processing_agent"]})

    # 3, 4, 5, 6, 9 and 10 March: the end of Tuesday 10 March, BRT.
    assert due(evaluation, "br-lgpd/supervisory_authority") == "2026-03-11T02:59:59.999999+00:00"
    assert evaluation.obligation("br-lgpd/individuals").citation.endswith("2/2022 Art. 14")


def test_a_small_agent_that_also_lists_controller_gets_the_earlier_date():
    evaluation = lgpd(organisation={"roles": ["controller", "small_processing_agent"]})
    assert due(evaluation, "br-lgpd/supervisory_authority") == "2026-03-06T02:59:59.999999+00:00"


def test_supplement_20_business_days_after_the_communication():
    evaluation = lgpd(notices={"br-lgpd/supervisory_authority": "2026-03-04T15:00:00-03:00"})

    # From Thursday 5 March, 20 business days end Wednesday 1 April (Good Friday is 3 April).
    assert due(evaluation, "br-lgpd/supervisory_authority/supplement") == (
        "2026-04-02T02:59:59.999999+00:00"
    )


def test_supplement_counts_from_the_deadline_while_the_communication_is_pending():
    obligation = lgpd().obligation("br-lgpd/supervisory_authority/supplement")

    # 20 business days after Thursday 5 March: 6 March ... Thursday 2 April.
    assert obligation.due.isoformat() == "2026-04-03T02:59:59.999999+00:00"
    assert obligation.depends_on == "br-lgpd/supervisory_authority"


def test_before_resolution_15_2024_a_reasonable_time():
    evaluation = lgpd(events={"aware_at": "2024-04-25T10:00:00-03:00"})

    obligation = evaluation.obligation("br-lgpd/supervisory_authority")
    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2020-09-18"


def test_the_day_resolution_15_2024_took_effect():
    evaluation = lgpd(events={"aware_at": "2024-04-26T10:00:00-03:00"})

    # Friday 26 April 2024: 29 and 30 April, (1 May is Labour Day), Thursday 2 May.
    assert due(evaluation, "br-lgpd/supervisory_authority") == "2024-05-03T02:59:59.999999+00:00"


def test_no_relevant_risk_no_communication():
    evaluation = lgpd(assessment={"risk_of_harm": "unlikely"})

    assert not {key for key in owed(evaluation) if key.startswith("br-lgpd/")}
    assert evaluation.reason("br-lgpd/supervisory_authority") == (
        "the assessed risk of harm is unlikely; it applies to a likely risk"
    )


def test_not_applicable_without_brazilian_residents_or_establishment():
    evaluation = lgpd(affected={"AR": 50}, organisation={"main_establishment": "AR"})
    assert evaluation.reason("br-lgpd/individuals") == (
        "no affected residents of BR and no main establishment there"
    )
