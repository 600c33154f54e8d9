"""NIS2 Art. 23 with literal expected dates."""

from .support import due, owed, run

ESSENTIAL = {
    "timezone": "Europe/Berlin",
    "organisation": {"roles": ["essential_entity"], "main_establishment": "DE"},
}


def test_early_warning_and_notification_across_the_dst_change():
    evaluation = run(events={"aware_at": "2026-03-28T10:00:00+01:00"}, **ESSENTIAL)

    assert due(evaluation, "nis2/csirt/early_warning") == "2026-03-29T09:00:00+00:00"
    assert due(evaluation, "nis2/csirt/notification") == "2026-03-31T09:00:00+00:00"
    assert evaluation.obligation("nis2/csirt/early_warning").basis == (
        "24 hours after awareness on 2026-03-28 10:00 CET ends 2026-03-29 11:00 CEST"
    )


def test_final_report_one_month_after_the_notification():
    evaluation = run(
        events={"aware_at": "2026-01-29T10:00:00+01:00"},
        notices={"nis2/csirt/notification": "2026-01-31T12:00:00+01:00"},
        **ESSENTIAL,
    )
    assert due(evaluation, "nis2/csirt/final") == "2026-02-28T22:59:59.999999+00:00"


def test_final_report_in_a_leap_year():
    evaluation = run(
        events={"aware_at": "2028-01-29T10:00:00+01:00"},
        notices={"nis2/csirt/notification": "2028-01-31T12:00:00+01:00"},
        **ESSENTIAL,
    )
    assert due(evaluation, "nis2/csirt/final") == "2028-02-29T22:59:59.999999+00:00"


def test_customers_without_undue_delay():
    evaluation = run(events={"aware_at": "2026-03-28T10:00:00+01:00"}, **ESSENTIAL)
    assert evaluation.obligation("nis2/customer").due_kind == "without_undue_delay"


def test_before_the_application_date():
    evaluation = run(events={"aware_at": "2024-10-17T10:00:00+02:00"}, **ESSENTIAL)
    assert "nis2/csirt/early_warning" not in owed(evaluation)
