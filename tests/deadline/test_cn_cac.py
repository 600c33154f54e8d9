"""China CAC 2025 incident reporting: 4 hours for a relatively major incident, then 30 days."""

import pytest

from .support import due, owed, run

CHINA = {
    "timezone": "Asia/Shanghai",
    "events": {"discovered_at": "2026-03-05T10:00:00+08:00"},
    "affected": {"CN": 1_000_000},
}


def cac(**sections):
    return run(**{**CHINA, **sections})


def test_provincial_cac_within_4_hours_of_discovery():
    evaluation = cac()

    # 10:00 CST is 02:00 UTC; 4 hours later is 06:00 UTC.
    assert due(evaluation, "cn-cac/regulator/initial") == "2026-03-05T06:00:00+00:00"
    assert evaluation.obligation("cn-cac/regulator/initial").rule_version == "2025-11-01"


@pytest.mark.parametrize(("count", "reportable"), [(999_999, False), (1_000_000, True)])
def test_one_million_or_more_people(count, reportable):
    assert ("cn-cac/regulator/initial" in owed(cac(affected={"CN": count}))) is reportable


def test_summary_report_30_days_after_handling():
    evaluation = cac(
        events={
            "discovered_at": "2026-03-05T10:00:00+08:00",
            "resolved_at": "2026-03-20T12:00:00+08:00",
        }
    )

    # Day 30 after 20 March is 19 April; the end of that day in CST (+08:00).
    assert due(evaluation, "cn-cac/regulator/final") == "2026-04-19T15:59:59.999999+00:00"


def test_summary_report_waits_for_the_end_of_handling():
    evaluation = cac()

    assert "cn-cac/regulator/final" not in owed(evaluation)
    assert "resolution" in evaluation.reason("cn-cac/regulator/final")


def test_not_in_force_before_1_november_2025():
    evaluation = cac(events={"discovered_at": "2025-10-31T10:00:00+08:00"})
    assert evaluation.reason("cn-cac/regulator/initial").startswith("not in force on 2025-10-31")


def test_critical_infrastructure_operators_report_within_1_hour():
    evaluation = cac(organisation={"roles": ["critical_infrastructure_operator", "controller"]})
    obligation = evaluation.obligation("cn-cac/regulator/initial")

    # 10:00 CST is 02:00 UTC; 1 hour later is 03:00 UTC.
    assert obligation.due.isoformat() == "2026-03-05T03:00:00+00:00"
    assert obligation.citation == (
        "CAC Measures (2025), Art. 4 (operators of critical information infrastructure)"
    )


def test_critical_infrastructure_below_the_grade_reports_nothing():
    evaluation = cac(
        organisation={"roles": ["critical_infrastructure_operator"]}, affected={"CN": 999_999}
    )
    assert "cn-cac/regulator/initial" not in owed(evaluation)
