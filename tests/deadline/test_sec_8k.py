"""SEC Form 8-K Item 1.05 with literal expected dates."""

import pytest

from .support import due, owed, run

PUBLIC = {"organisation": {"roles": ["public_company"]}}


@pytest.mark.parametrize(
    ("determined", "expected"),
    [
        # Friday: Mon 9, Tue 10, Wed 11, Thu 12; the day ends at 22:00 Eastern.
        ("2026-03-06T15:00:00-05:00", "2026-03-13T02:00:00+00:00"),
        # Saturday: the first business day, Monday 9, is day 1.
        ("2026-03-07T15:00:00-05:00", "2026-03-13T02:00:00+00:00"),
        # Sunday before Martin Luther King Jr. Day: Tuesday 20 is day 1.
        ("2026-01-18T15:00:00-05:00", "2026-01-24T03:00:00+00:00"),
        # Thursday 30 December 2027; New Year's Day 2028 observed on Friday 31 December.
        ("2027-12-30T15:00:00-05:00", "2028-01-07T03:00:00+00:00"),
    ],
)
def test_four_business_days_after_the_materiality_determination(determined, expected):
    evaluation = run(events={"materiality_determined_at": determined}, **PUBLIC)
    assert due(evaluation, "sec-8k/sec") == expected


def test_basis_in_eastern_time():
    evaluation = run(events={"materiality_determined_at": "2026-03-06T15:00:00-05:00"}, **PUBLIC)
    obligation = evaluation.obligation("sec-8k/sec")

    assert obligation.basis == (
        "4 business days after the materiality determination on 2026-03-06 "
        "ends 2026-03-12 22:00 EDT"
    )
    assert obligation.timezone == "America/New_York"


def test_materiality_not_recorded_uses_discovery_and_says_so():
    evaluation = run(events={"discovered_at": "2026-03-05T09:30:00-05:00"}, **PUBLIC)
    obligation = evaluation.obligation("sec-8k/sec")

    assert obligation.trigger == "discovered_at"
    assert obligation.due.isoformat() == "2026-03-12T02:00:00+00:00"
    assert "(not recorded; discovery on 2026-03-05 stands for it)" in obligation.basis


def test_before_item_1_05_took_effect():
    evaluation = run(events={"materiality_determined_at": "2023-12-17T12:00:00-05:00"}, **PUBLIC)
    assert evaluation.reason("sec-8k/sec").startswith("not in force on 2023-12-17")


def test_only_public_companies():
    assert "sec-8k/sec" not in owed(run())
