"""The reminder schedule: instants written out literally, DST days, and refused policies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.errors import ValidationError
from tracker.reminder.policy import Policy, local_days_after, next_overdue, parse_policy, schedule


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def table(instants: list) -> list[tuple[str, str]]:
    return [(instant.step, instant.at.isoformat()) for instant in instants]


def test_default_schedule_of_a_72_hour_obligation() -> None:
    # GDPR Art. 33: 72 hours from 2026-03-05T14:30Z; the deadline falls on the day New York
    # moves its clocks forward, which the hours do not notice and the overdue day does.
    instants = schedule(
        Policy(), utc("2026-03-08T14:30:00Z"), utc("2026-03-05T14:30:00Z"), "America/New_York"
    )

    assert table(instants) == [
        ("half", "2026-03-07T02:30:00+00:00"),
        ("24h", "2026-03-07T14:30:00+00:00"),
        ("4h", "2026-03-08T10:30:00+00:00"),
        ("1h", "2026-03-08T13:30:00+00:00"),
        ("due", "2026-03-08T14:30:00+00:00"),
        ("overdue-1", "2026-03-09T14:30:00+00:00"),
    ]


def test_default_schedule_of_a_30_day_obligation() -> None:
    # California's 30 days end at the end of 2026-04-04 in New York (EDT).
    due = datetime(2026, 4, 5, 3, 59, 59, 999999, tzinfo=UTC)
    instants = schedule(Policy(), due, utc("2026-03-05T14:30:00Z"), "America/New_York")

    assert table(instants) == [
        ("half", "2026-03-20T21:14:59+00:00"),
        ("24h", "2026-04-04T03:59:59.999999+00:00"),
        ("4h", "2026-04-04T23:59:59.999999+00:00"),
        ("1h", "2026-04-05T02:59:59.999999+00:00"),
        ("due", "2026-04-05T03:59:59.999999+00:00"),
        ("overdue-1", "2026-04-06T03:59:59.999999+00:00"),
    ]


def test_steps_before_the_clock_started_are_dropped() -> None:
    # A 15-minute response target: 24h, 4h and 1h before it would precede the incident.
    instants = schedule(
        Policy(), utc("2026-03-05T14:45:00Z"), utc("2026-03-05T14:30:00Z"), "America/New_York"
    )

    assert table(instants) == [
        ("half", "2026-03-05T14:37:30+00:00"),
        ("due", "2026-03-05T14:45:00+00:00"),
        ("overdue-1", "2026-03-06T14:45:00+00:00"),
    ]


def test_without_a_start_there_is_no_half_way_reminder() -> None:
    policy = parse_policy("half, 2d, due", "none")
    instants = schedule(policy, utc("2026-06-10T12:00:00Z"), None, "UTC")

    assert table(instants) == [
        ("2d", "2026-06-08T12:00:00+00:00"),
        ("due", "2026-06-10T12:00:00+00:00"),
    ]


@pytest.mark.parametrize(
    ("zone", "due", "expected"),
    [
        # Berlin moves to CEST on 2026-03-29: 10:00 local stays 10:00, so UTC moves an hour.
        (
            "Europe/Berlin",
            "2026-03-27T09:00:00Z",
            ["2026-03-28T09:00:00+00:00", "2026-03-29T08:00:00+00:00", "2026-03-30T08:00:00+00:00"],
        ),
        # Berlin back to CET on 2026-10-25.
        (
            "Europe/Berlin",
            "2026-10-24T08:00:00Z",
            ["2026-10-25T09:00:00+00:00", "2026-10-26T09:00:00+00:00", "2026-10-27T09:00:00+00:00"],
        ),
        # New York back to EST on 2026-11-01.
        (
            "America/New_York",
            "2026-10-31T14:00:00Z",
            ["2026-11-01T15:00:00+00:00", "2026-11-02T15:00:00+00:00", "2026-11-03T15:00:00+00:00"],
        ),
        # New York to EDT on 2026-03-08: 02:30 does not exist that day; it lands after the gap.
        (
            "America/New_York",
            "2026-03-07T07:30:00Z",
            ["2026-03-08T07:30:00+00:00", "2026-03-09T06:30:00+00:00", "2026-03-10T06:30:00+00:00"],
        ),
    ],
)
def test_daily_overdue_reminders_keep_local_time_across_dst(
    zone: str, due: str, expected: list[str]
) -> None:
    policy = Policy()
    instants = [next_overdue(policy, utc(due), zone, count) for count in range(3)]

    assert [instant.step for instant in instants] == ["overdue-1", "overdue-2", "overdue-3"]
    assert [instant.at.isoformat() for instant in instants] == expected


def test_weekly_overdue_reminders_count_local_weeks() -> None:
    policy = parse_policy(["due"], "weekly")
    following = next_overdue(policy, utc("2026-03-25T09:00:00Z"), "Europe/Berlin", 0)

    assert following is not None
    assert following.at.isoformat() == "2026-04-01T08:00:00+00:00"


def test_no_overdue_cadence_means_no_overdue_reminder() -> None:
    policy = parse_policy(["due"], "none")

    assert next_overdue(policy, utc("2026-03-25T09:00:00Z"), "UTC", 0) is None


def test_local_days_after_is_plain_arithmetic_on_a_day_without_change() -> None:
    assert local_days_after(utc("2026-06-01T10:00:00Z"), "Europe/London", 2) == utc(
        "2026-06-03T10:00:00Z"
    )


def test_policy_text_is_normalised() -> None:
    policy = parse_policy(" Half, 48h ,30m, due, due ", "Daily")

    assert policy == Policy(("half", "48h", "30m", "due"), "daily")


@pytest.mark.parametrize(
    ("steps", "overdue", "field", "words"),
    [
        ("half, soon", "daily", "policy.steps", "'soon' is not understood"),
        ("24 hours", "daily", "policy.steps", "'24 hours' is not understood"),
        (42, "daily", "policy.steps", "must be a list"),
        ("due", "hourly", "policy.overdue", "'hourly' is not understood"),
    ],
)
def test_bad_policies_are_refused_by_field(steps: object, overdue: str, field: str, words: str):
    with pytest.raises(ValidationError) as caught:
        parse_policy(steps, overdue)

    assert words in caught.value.message
    assert field in caught.value.fields
