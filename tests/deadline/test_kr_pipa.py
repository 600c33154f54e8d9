"""South Korea PIPA Art. 34: 72 hours to data subjects and, on three grounds, to the PIPC."""

import pytest

from .support import due, owed, run

KOREA = {
    "timezone": "Asia/Seoul",
    "incident": {"cause": "misdelivery"},
    "events": {"aware_at": "2026-03-05T10:00:00+09:00"},
    "data": {"categories": ["name", "email"]},
    "affected": {"KR": 50},
}


def pipa(**sections):
    return run(**{**KOREA, **sections})


def test_data_subjects_within_72_hours():
    obligation = pipa().obligation("kr-pipa/individuals")

    # 10:00 KST is 01:00 UTC; 72 hours later is 8 March 01:00 UTC.
    assert obligation.due.isoformat() == "2026-03-08T01:00:00+00:00"
    assert obligation.rule_version == "2023-09-15"


@pytest.mark.parametrize(("count", "reportable"), [(999, False), (1000, True), (1001, True)])
def test_pipc_for_1000_or_more(count, reportable):
    evaluation = pipa(affected={"KR": count})
    assert ("kr-pipa/supervisory_authority" in owed(evaluation)) is reportable


def test_pipc_for_a_hacking_leak_of_any_size():
    evaluation = pipa(incident={"cause": "external_attack"})

    assert due(evaluation, "kr-pipa/supervisory_authority") == "2026-03-08T01:00:00+00:00"
    assert evaluation.obligation("kr-pipa/supervisory_authority").citation.endswith("40(1)(3)")


def test_pipc_for_unique_identifying_information():
    evaluation = pipa(data={"categories": ["name", "government_id"]})
    assert evaluation.obligation("kr-pipa/supervisory_authority").citation.endswith("40(1)(2)")


def test_before_the_2023_amendment_without_delay_and_no_legal_date():
    evaluation = pipa(events={"aware_at": "2023-09-14T10:00:00+09:00"})

    obligation = evaluation.obligation("kr-pipa/individuals")
    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    assert obligation.rule_version == "2011-09-30"
    assert "kr-pipa/supervisory_authority" not in owed(evaluation)


def test_the_day_the_72_hours_took_effect():
    evaluation = pipa(events={"aware_at": "2023-09-15T10:00:00+09:00"})
    assert due(evaluation, "kr-pipa/individuals") == "2023-09-18T01:00:00+00:00"


def test_not_applicable_without_korean_residents_or_establishment():
    evaluation = pipa(affected={"JP": 5}, organisation={"main_establishment": "JP"})
    assert evaluation.reason("kr-pipa/individuals") == (
        "no affected residents of KR and no main establishment there"
    )
