"""Japan APPI Art. 26: preliminary report, final report in 30 or 60 days, with literal dates."""

import pytest

from .support import due, owed, run

JAPAN = {
    "timezone": "Asia/Tokyo",
    "incident": {"cause": "external_attack"},
    "events": {"aware_at": "2026-03-05T10:00:00+09:00"},
    "data": {"categories": ["name", "email"]},
    "affected": {"JP": 50},
}


def appi(**sections):
    return run(**{**JAPAN, **sections})


def test_unauthorised_access_preliminary_in_3_days_final_in_60():
    evaluation = appi()

    # Preliminary: the end of 8 March JST (+09:00), 3 days after 5 March.
    assert due(evaluation, "jp-appi/supervisory_authority/initial") == (
        "2026-03-08T14:59:59.999999+00:00"
    )
    # 60 days counting 5 March as day 1: 27 in March, 30 in April, 3 in May; the end of 3 May.
    final = evaluation.obligation("jp-appi/supervisory_authority/final")
    assert final.due.isoformat() == "2026-05-03T14:59:59.999999+00:00"
    assert final.citation == "APPI Art. 26(1); Enforcement Rules Arts. 7(iii) and 8(2)"
    assert final.rule_version == "2022-04-01"


def test_sensitive_data_final_report_in_30_days_even_after_an_attack():
    evaluation = appi(data={"categories": ["name", "health"]})

    # 30 days counting 5 March as day 1: 27 in March and 3 in April; the end of 3 April JST.
    assert due(evaluation, "jp-appi/supervisory_authority/final") == (
        "2026-04-03T14:59:59.999999+00:00"
    )


@pytest.mark.parametrize(("count", "reportable"), [(1000, False), (1001, True)])
def test_more_than_1000_principals(count, reportable):
    evaluation = appi(incident={"cause": "misdelivery"}, affected={"JP": count})

    assert ("jp-appi/supervisory_authority/final" in owed(evaluation)) is reportable


def test_a_misdelivery_of_ordinary_data_is_not_reportable():
    evaluation = appi(incident={"cause": "misdelivery"})

    assert "jp-appi/supervisory_authority/initial" not in owed(evaluation)
    assert "jp-appi/individuals" in owed(evaluation)


def test_high_level_encryption_exempts_unless_the_key_was_taken():
    safe = appi(data={"encrypted": True, "key_compromised": False})
    exposed = appi(data={"encrypted": True, "key_compromised": True})

    assert not {key for key in owed(safe) if key.startswith("jp-appi/")}
    assert "jp-appi/supervisory_authority/initial" in owed(exposed)


def test_an_entrusted_business_tells_the_principal():
    evaluation = appi(organisation={"roles": ["processor"]})

    assert {key for key in owed(evaluation) if key.startswith("jp-appi/")} == {"jp-appi/controller"}


def test_before_the_2020_amendment_took_effect():
    evaluation = appi(events={"aware_at": "2022-03-31T10:00:00+09:00"})
    assert evaluation.reason("jp-appi/supervisory_authority/final").startswith(
        "not in force on 2022-03-31"
    )


def test_not_applicable_without_residents_or_establishment_in_japan():
    evaluation = appi(affected={"KR": 5}, organisation={"main_establishment": "KR"})
    assert evaluation.reason("jp-appi/individuals") == (
        "no affected residents of JP and no main establishment there"
    )
