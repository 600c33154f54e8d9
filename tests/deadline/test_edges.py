"""The engine at its edges, through real rule files: each date is worked out by hand beside it.

Conventions (docs/rules-format.md): hours are elapsed time in UTC; a calendar day, business day or
month ends at 23:59:59.999999 local time in the rule's zone; the SEC day ends at 22:00 Eastern.
"""

import pytest

from .support import due, owed, run

NEW_YORK = {"timezone": "America/New_York", "organisation": {"main_establishment": "US"}}
WASHINGTON = {"timezone": "America/Los_Angeles", "affected": {"US-WA": 800}}
BERLIN = {"timezone": "Europe/Berlin", "affected": {"DE": 40}}
PHI = {"categories": ["name", "health"]}


def at(**events):
    return {"events": events}


# Daylight saving: hours stay real hours; calendar days end at local midnight.
DST = [
    # GDPR 72h. EU clocks go forward 2026-03-29 at 01:00 UTC: 2026-03-27 10:00 CET is 09:00 UTC;
    # 72 real hours later is 2026-03-30 09:00 UTC, which reads 11:00 CEST.
    (
        BERLIN,
        at(aware_at="2026-03-27T10:00:00+01:00"),
        "gdpr/supervisory_authority",
        "2026-03-30T09:00:00+00:00",
    ),
    # EU clocks go back 2026-10-25 at 01:00 UTC: 2026-10-23 10:00 CEST is 08:00 UTC;
    # plus 72 h is 2026-10-26 08:00 UTC, which reads 09:00 CET.
    (
        BERLIN,
        at(aware_at="2026-10-23T10:00:00+02:00"),
        "gdpr/supervisory_authority",
        "2026-10-26T08:00:00+00:00",
    ),
    # US clocks go forward 2026-03-08: 2026-03-06 14:00 EST is 19:00 UTC; plus 72 h is
    # 2026-03-09 19:00 UTC, which reads 15:00 EDT, not 14:00.
    (
        {**BERLIN, "timezone": "America/New_York"},
        at(aware_at="2026-03-06T14:00:00-05:00"),
        "gdpr/supervisory_authority",
        "2026-03-09T19:00:00+00:00",
    ),
    # US clocks go back 2026-11-01: 2026-10-30 12:00 EDT is 16:00 UTC; plus 72 h is
    # 2026-11-02 16:00 UTC, which reads 11:00 EST.
    (
        {**BERLIN, "timezone": "America/New_York"},
        at(aware_at="2026-10-30T12:00:00-04:00"),
        "gdpr/supervisory_authority",
        "2026-11-02T16:00:00+00:00",
    ),
    # Washington 30 calendar days across the spring change: 2026-02-10 + 30 days = 2026-03-12
    # (18 days to 28 February, 12 more), ending 23:59:59 PDT (-07:00) = 2026-03-13 06:59:59 UTC.
    (
        WASHINGTON,
        at(discovered_at="2026-02-10T10:00:00-08:00"),
        "us-wa/individuals",
        "2026-03-13T06:59:59.999999+00:00",
    ),
    # Across the autumn change: 2026-10-15 + 30 = 2026-11-14 (16 days to 31 October, 14 more),
    # ending 23:59:59 PST (-08:00) = 2026-11-15 07:59:59 UTC.
    (
        WASHINGTON,
        at(discovered_at="2026-10-15T10:00:00-07:00"),
        "us-wa/individuals",
        "2026-11-15T07:59:59.999999+00:00",
    ),
]


@pytest.mark.parametrize(("place", "events", "key", "expected"), DST)
def test_daylight_saving(place, events, key, expected):
    assert due(run(**place, **events), key) == expected


# Leap days, month ends and year ends.
CALENDAR = [
    # Washington 30 days from 2024-01-30: 1 day to 31 January, 29 more = 2024-02-29 (leap year);
    # end of day PST = 2024-03-01 07:59:59 UTC.
    (
        WASHINGTON,
        at(discovered_at="2024-01-30T10:00:00-08:00"),
        "us-wa/individuals",
        "2024-03-01T07:59:59.999999+00:00",
    ),
    # The same in 2023: 1 day to 31 January, 28 to 28 February, 1 more = 2023-03-01.
    (
        WASHINGTON,
        at(discovered_at="2023-01-30T10:00:00-08:00"),
        "us-wa/individuals",
        "2023-03-02T07:59:59.999999+00:00",
    ),
    # HIPAA 60 days from the leap day 2024-02-29: 31 days to 31 March, 29 more = 2024-04-29;
    # end of day EDT = 2024-04-30 03:59:59 UTC.
    (
        {**NEW_YORK, "organisation": {"roles": ["covered_entity"]}, "data": PHI},
        at(discovered_at="2024-02-29T09:00:00-05:00"),
        "hipaa/individuals",
        "2024-04-30T03:59:59.999999+00:00",
    ),
]


@pytest.mark.parametrize(("place", "events", "key", "expected"), CALENDAR)
def test_leap_days(place, events, key, expected):
    assert due(run(**place, **events), key) == expected


NIS2 = {**BERLIN, "organisation": {"roles": ["essential_entity"]}}
DORA = {**BERLIN, "organisation": {"roles": ["financial_entity"], "main_establishment": "DE"}}


@pytest.mark.parametrize(
    ("place", "notice", "given_at", "key", "expected"),
    [
        # NIS2 final report, 1 month after the notification. 31 January has no 28 February
        # twin in 2026: the month's last day, 2026-02-28, 23:59:59 CET = 22:59:59 UTC.
        (
            NIS2,
            "nis2/csirt/notification",
            "2026-01-31T10:00:00+01:00",
            "nis2/csirt/final",
            "2026-02-28T22:59:59.999999+00:00",
        ),
        # 31 March to 30 April, which is in summer time: 23:59:59 CEST = 21:59:59 UTC.
        (
            NIS2,
            "nis2/csirt/notification",
            "2026-03-31T10:00:00+02:00",
            "nis2/csirt/final",
            "2026-04-30T21:59:59.999999+00:00",
        ),
        # 30 December to 30 January, across the year end.
        (
            NIS2,
            "nis2/csirt/notification",
            "2026-12-30T10:00:00+01:00",
            "nis2/csirt/final",
            "2027-01-30T22:59:59.999999+00:00",
        ),
        # DORA final report, 1 month after the intermediate report: 2028-01-31 to 2028-02-29,
        # the last day of February in a leap year.
        (
            DORA,
            "dora/regulator/intermediate",
            "2028-01-31T10:00:00+01:00",
            "dora/regulator/final",
            "2028-02-29T22:59:59.999999+00:00",
        ),
    ],
)
def test_month_ends(place, notice, given_at, key, expected):
    evaluation = run(**place, notices={notice: given_at})
    assert due(evaluation, key) == expected


HIPAA_SMALL = {
    **NEW_YORK,
    "organisation": {"roles": ["covered_entity"]},
    "data": PHI,
    "affected": {"US-NY": 20},
}


@pytest.mark.parametrize(
    ("discovered_at", "expected"),
    [
        # Discovered in 2023: the year ends 2023-12-31; 31 days to 31 January, 29 to the leap
        # day: 2024-02-29, 23:59:59 EST = 2024-03-01 04:59:59 UTC.
        ("2023-06-01T10:00:00-04:00", "2024-03-01T04:59:59.999999+00:00"),
        # Discovered in 2025: 31 days to 31 January, 28 to 28 February, 1 more: 2026-03-01.
        ("2025-06-01T10:00:00-04:00", "2026-03-02T04:59:59.999999+00:00"),
        # 23:30 on 31 December 2024 in New York is already 2025 in UTC; the local year counts:
        # 2024 ends that day, and 60 days later is 2025-03-01 (2025 is not a leap year).
        ("2024-12-31T23:30:00-05:00", "2025-03-02T04:59:59.999999+00:00"),
        # 00:30 on 1 January 2024 in New York: the year is 2024, which ends 2024-12-31;
        # 60 days later is 2025-03-01.
        ("2024-01-01T00:30:00-05:00", "2025-03-02T04:59:59.999999+00:00"),
    ],
)
def test_hipaa_annual_log_year_ends(discovered_at, expected):
    evaluation = run(**HIPAA_SMALL, **at(discovered_at=discovered_at))
    assert due(evaluation, "hipaa/hhs/annual_log") == expected


# Business days: weekends and public holidays, with New Year's Day observed on 31 December.
BUSINESS_DAYS = [
    # SEC Form 8-K, 4 business days, day ending 22:00 Eastern. Wednesday 2027-12-29: Thursday 30
    # is day 1; Friday 31 is New Year's Day 2028 (a Saturday) observed; Monday 2028-01-03 is day 2,
    # Tuesday 4 day 3, Wednesday 5 day 4. 22:00 EST = 2028-01-06 03:00 UTC.
    (
        {"roles": ["public_company"]},
        at(materiality_determined_at="2027-12-29T10:00:00-05:00"),
        "sec-8k/sec",
        "2028-01-06T03:00:00+00:00",
    ),
    # Determined on the observed holiday itself: the first business day, Monday 2028-01-03, is
    # day 1 (General Instruction B.1), so day 4 is Thursday 2028-01-06; 22:00 EST.
    (
        {"roles": ["public_company"]},
        at(materiality_determined_at="2027-12-31T10:00:00-05:00"),
        "sec-8k/sec",
        "2028-01-07T03:00:00+00:00",
    ),
    # Determined on Friday 2026-03-06: Monday 9 to Thursday 12 are days 1 to 4; 22:00 EDT (the
    # clocks went forward on 8 March) = 2026-03-13 02:00 UTC.
    (
        {"roles": ["public_company"]},
        at(materiality_determined_at="2026-03-06T16:00:00-05:00"),
        "sec-8k/sec",
        "2026-03-13T02:00:00+00:00",
    ),
    # Policy post-mortem, 5 business days of the US calendar after resolution. Resolved Monday
    # 2021-12-27: Tuesday 28, Wednesday 29, Thursday 30 are days 1-3; Friday 31 is New Year's
    # Day 2022 observed; Monday 2022-01-03 is day 4, Tuesday 4 day 5; 23:59:59 EST.
    (
        {"main_establishment": "US"},
        at(resolved_at="2021-12-27T10:00:00-05:00"),
        "policy/internal/post_mortem",
        "2022-01-05T04:59:59.999999+00:00",
    ),
    # Policy SEV-4 response by the end of the next business day: Thursday 2021-12-30, then Friday
    # 31 (observed holiday) and the weekend are skipped: Monday 2022-01-03.
    (
        {"main_establishment": "US"},
        at(discovered_at="2021-12-30T10:00:00-05:00"),
        "policy/internal/response",
        "2022-01-04T04:59:59.999999+00:00",
    ),
    # With no establishment given, weekends only: Friday 31 December 2021 is a business day.
    (
        {},
        at(discovered_at="2021-12-30T10:00:00-05:00"),
        "policy/internal/response",
        "2022-01-01T04:59:59.999999+00:00",
    ),
]


@pytest.mark.parametrize(("organisation", "events", "key", "expected"), BUSINESS_DAYS)
def test_business_days(organisation, events, key, expected):
    severity = {"incident": {"severity": "SEV-4"}} if key == "policy/internal/response" else {}
    evaluation = run(timezone="America/New_York", organisation=organisation, **events, **severity)
    assert due(evaluation, key) == expected


# Thresholds, with each law's own operator and count.
THRESHOLDS = [
    # HIPAA HHS now: 500 or more in total (>=).
    ("hipaa/hhs", {"US-NY": 499}, False),
    ("hipaa/hhs", {"US-NY": 500}, True),
    ("hipaa/hhs", {"US-NY": 501}, True),
    ("hipaa/hhs", {"US-NY": 250, "US-NJ": 250}, True),
    # HIPAA annual log: fewer than 500 in total (<).
    ("hipaa/hhs/annual_log", {"US-NY": 499}, True),
    ("hipaa/hhs/annual_log", {"US-NY": 500}, False),
    # HIPAA media: more than 500 residents of one state (>, per state).
    ("hipaa/media", {"US-NY": 500}, False),
    ("hipaa/media", {"US-NY": 501}, True),
    ("hipaa/media", {"US-NY": 400, "US-NJ": 400}, False),
    # Washington attorney general: more than 500 Washington residents (>).
    ("us-wa/attorney_general", {"US-WA": 499}, False),
    ("us-wa/attorney_general", {"US-WA": 500}, False),
    ("us-wa/attorney_general", {"US-WA": 501}, True),
    # California attorney general: more than 500 California residents (>).
    ("us-ca/attorney_general", {"US-CA": 500}, False),
    ("us-ca/attorney_general", {"US-CA": 501}, True),
]


@pytest.mark.parametrize(("key", "affected", "is_owed"), THRESHOLDS)
def test_thresholds(key, affected, is_owed):
    evaluation = run(
        organisation={"roles": ["covered_entity", "controller"]},
        data={"categories": ["name", "ssn", "health"]},
        affected=affected,
        **at(discovered_at="2026-03-05T09:30:00-05:00"),
    )
    assert (key in owed(evaluation)) is is_owed, evaluation.reason(key)


@pytest.mark.parametrize(
    ("key", "place", "encrypted", "key_compromised", "is_owed"),
    [
        ("hipaa/individuals", {"affected": {"US-NY": 10}}, False, False, True),
        ("hipaa/individuals", {"affected": {"US-NY": 10}}, True, False, False),
        ("hipaa/individuals", {"affected": {"US-NY": 10}}, True, True, True),
        ("us-wa/individuals", {"affected": {"US-WA": 10}}, True, False, False),
        ("us-wa/individuals", {"affected": {"US-WA": 10}}, True, True, True),
        ("us-ca/individuals", {"affected": {"US-CA": 10}}, True, False, False),
        ("us-ca/individuals", {"affected": {"US-CA": 10}}, True, True, True),
        ("gdpr/individuals", {"affected": {"DE": 10}}, True, False, False),
        ("gdpr/individuals", {"affected": {"DE": 10}}, True, True, True),
        # GDPR Art. 33 has no encryption exception: the authority is told either way.
        ("gdpr/supervisory_authority", {"affected": {"DE": 10}}, True, False, True),
    ],
)
def test_encryption_safe_harbour(key, place, encrypted, key_compromised, is_owed):
    evaluation = run(
        organisation={"roles": ["covered_entity", "controller"]},
        data={
            "categories": ["name", "ssn", "health"],
            "encrypted": encrypted,
            "key_compromised": key_compromised,
        },
        assessment={"risk_of_harm": "high"},
        **place,
    )
    assert (key in owed(evaluation)) is is_owed, evaluation.reason(key)


@pytest.mark.parametrize(
    ("roles", "place", "owes", "owes_not"),
    [
        # A GDPR processor tells its controller; the controller's own notices are not its own.
        (["processor"], {"DE": 10}, {"gdpr/controller"}, {"gdpr/supervisory_authority"}),
        (["controller"], {"DE": 10}, {"gdpr/supervisory_authority"}, {"gdpr/controller"}),
        # A HIPAA business associate tells the covered entity, not the individuals or HHS.
        (
            ["business_associate"],
            {"US-NY": 600},
            {"hipaa/covered_entity"},
            {"hipaa/individuals", "hipaa/hhs"},
        ),
        (
            ["covered_entity"],
            {"US-NY": 600},
            {"hipaa/individuals", "hipaa/hhs"},
            {"hipaa/covered_entity"},
        ),
        # A Washington vendor tells the data owner.
        (
            ["service_provider"],
            {"US-WA": 600},
            {"us-wa/data_owner"},
            {"us-wa/individuals", "us-wa/attorney_general"},
        ),
    ],
)
def test_processor_and_business_associate_chains(roles, place, owes, owes_not):
    evaluation = run(
        organisation={"roles": roles},
        data={"categories": ["name", "ssn", "health"]},
        affected=place,
        assessment={"risk_of_harm": "high"},
    )
    assert owes <= owed(evaluation)
    assert not owes_not & owed(evaluation)


def test_business_associate_date_is_60_days_after_its_own_discovery():
    # 2026-03-05 + 60 days: 26 days to 31 March, 30 in April, 4 in May = 2026-05-04;
    # 23:59:59 EDT = 2026-05-05 03:59:59 UTC.
    evaluation = run(
        organisation={"roles": ["business_associate"]},
        data=PHI,
        affected={"US-NY": 600},
        **at(discovered_at="2026-03-05T09:30:00-05:00"),
    )
    assert due(evaluation, "hipaa/covered_entity") == "2026-05-05T03:59:59.999999+00:00"


def delay(requested_at, released_at=None, written=True):
    return {
        "law_enforcement_delay": {
            "agency": "FBI",
            "requested_at": requested_at,
            "released_at": released_at,
            "written": written,
        }
    }


HIPAA_CASE = {
    **NEW_YORK,
    "organisation": {"roles": ["covered_entity"]},
    "data": PHI,
    "affected": {"US-NY": 20},
    # 60 days from 2026-03-02: 29 to 31 March, 30 in April, 1 in May = 2026-05-01, 23:59:59 EDT.
    **at(discovered_at="2026-03-02T09:00:00-05:00"),
}
WASHINGTON_CASE = {
    **WASHINGTON,
    # 30 days from 2026-03-02: 29 to 31 March, 1 more = 2026-04-01, 23:59:59 PDT.
    **at(discovered_at="2026-03-02T10:00:00-08:00"),
}


@pytest.mark.parametrize(
    ("case", "held", "key", "expected"),
    [
        # No delay: the plain dates.
        (HIPAA_CASE, {}, "hipaa/individuals", "2026-05-02T03:59:59.999999+00:00"),
        (WASHINGTON_CASE, {}, "us-wa/individuals", "2026-04-02T06:59:59.999999+00:00"),
        # Released before the deadline: deferring to the release leaves 2026-05-01; tolling
        # would add the 30 days 23 hours of the delay. The earlier reading is the date.
        (
            HIPAA_CASE,
            delay("2026-03-10T09:00:00-05:00", "2026-04-10T09:00:00-04:00"),
            "hipaa/individuals",
            "2026-05-02T03:59:59.999999+00:00",
        ),
        # Released after the deadline: deferring gives the release, 2026-05-20 13:00 UTC; tolling
        # would add 30 days to 2026-05-01 (2026-05-31). The earlier is the release.
        (
            HIPAA_CASE,
            delay("2026-04-20T09:00:00-04:00", "2026-05-20T09:00:00-04:00"),
            "hipaa/individuals",
            "2026-05-20T13:00:00+00:00",
        ),
        # An oral request still in force holds for 30 days at most: 2026-04-20 + 30 days =
        # 2026-05-20, 23:59:59 EDT = 2026-05-21 03:59:59 UTC.
        (
            HIPAA_CASE,
            delay("2026-04-20T09:00:00-04:00", written=False),
            "hipaa/individuals",
            "2026-05-21T03:59:59.999999+00:00",
        ),
        # Washington defers notice to the release: 2026-04-20 12:00 PDT = 19:00 UTC.
        (
            WASHINGTON_CASE,
            delay("2026-03-10T09:00:00-08:00", "2026-04-20T12:00:00-07:00"),
            "us-wa/individuals",
            "2026-04-20T19:00:00+00:00",
        ),
        # Released before 1 April: the statutory date stands.
        (
            WASHINGTON_CASE,
            delay("2026-03-10T09:00:00-08:00", "2026-03-20T12:00:00-07:00"),
            "us-wa/individuals",
            "2026-04-02T06:59:59.999999+00:00",
        ),
        # A request made after the deadline does not move it.
        (
            WASHINGTON_CASE,
            delay("2026-04-05T09:00:00-07:00", "2026-05-01T12:00:00-07:00"),
            "us-wa/individuals",
            "2026-04-02T06:59:59.999999+00:00",
        ),
        # The Washington attorney general notice admits no delay.
        (
            {**WASHINGTON_CASE, "affected": {"US-WA": 800}},
            delay("2026-03-10T09:00:00-08:00", "2026-04-20T12:00:00-07:00"),
            "us-wa/attorney_general",
            "2026-04-02T06:59:59.999999+00:00",
        ),
    ],
)
def test_law_enforcement_delay(case, held, key, expected):
    assert due(run(**case, **held), key) == expected


def test_written_delay_in_force_holds_the_clock():
    evaluation = run(**WASHINGTON_CASE, **delay("2026-03-10T09:00:00-08:00"))
    obligation = evaluation.obligation("us-wa/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "tolled"


@pytest.mark.parametrize(
    ("place", "events", "key", "version", "expected"),
    [
        # Washington HB 1071 took effect 2020-03-01. The day before: 45 days from 2020-02-29 =
        # 31 to 31 March, 14 more = 2020-04-14, 23:59:59 PDT.
        (
            WASHINGTON,
            at(discovered_at="2020-02-29T10:00:00-08:00"),
            "us-wa/individuals",
            "2015-07-24",
            "2020-04-15T06:59:59.999999+00:00",
        ),
        # The day it took effect: 30 days from 2020-03-01 = 2020-03-31.
        (
            WASHINGTON,
            at(discovered_at="2020-03-01T10:00:00-08:00"),
            "us-wa/individuals",
            "2020-03-01",
            "2020-04-01T06:59:59.999999+00:00",
        ),
        (
            WASHINGTON,
            at(discovered_at="2020-02-29T10:00:00-08:00"),
            "us-wa/attorney_general",
            "2015-07-24",
            "2020-04-15T06:59:59.999999+00:00",
        ),
        (
            WASHINGTON,
            at(discovered_at="2020-03-01T10:00:00-08:00"),
            "us-wa/attorney_general",
            "2020-03-01",
            "2020-04-01T06:59:59.999999+00:00",
        ),
        # The local day decides: 2020-03-01 01:00 UTC is still 29 February in Washington.
        (
            WASHINGTON,
            at(discovered_at="2020-03-01T01:00:00+00:00"),
            "us-wa/individuals",
            "2015-07-24",
            "2020-04-15T06:59:59.999999+00:00",
        ),
        # California SB 446 (30 days) took effect 2026-01-01: 2026-01-01 + 30 = 2026-01-31,
        # 23:59:59 PST = 2026-02-01 07:59:59 UTC.
        (
            {"timezone": "America/Los_Angeles", "affected": {"US-CA": 1200}},
            at(discovered_at="2026-01-01T10:00:00-08:00"),
            "us-ca/individuals",
            "2026-01-01",
            "2026-02-01T07:59:59.999999+00:00",
        ),
        # SEC Item 1.05 applies from 2023-12-18 (a Monday): Tuesday 19 to Friday 22 are days 1-4,
        # 22:00 EST = 2023-12-23 03:00 UTC.
        (
            {"organisation": {"roles": ["public_company"]}},
            at(materiality_determined_at="2023-12-18T10:00:00-05:00"),
            "sec-8k/sec",
            "2023-12-18",
            "2023-12-23T03:00:00+00:00",
        ),
        # NIS2 applies from 2024-10-18: 72 hours from 2024-10-18 10:00 CEST (08:00 UTC).
        (
            NIS2,
            at(aware_at="2024-10-18T10:00:00+02:00"),
            "nis2/csirt/notification",
            "2024-10-18",
            "2024-10-21T08:00:00+00:00",
        ),
    ],
)
def test_the_day_a_new_version_took_effect(place, events, key, version, expected):
    evaluation = run(**place, **events)
    obligation = evaluation.obligation(key)

    assert obligation is not None, evaluation.reason(key)
    assert obligation.rule_version == version
    assert due(evaluation, key) == expected


@pytest.mark.parametrize(
    ("place", "events", "key"),
    [
        # The day before California SB 446: no fixed date, only "the most expedient time".
        (
            {"timezone": "America/Los_Angeles", "affected": {"US-CA": 1200}},
            at(discovered_at="2025-12-31T10:00:00-08:00"),
            "us-ca/individuals",
        ),
    ],
)
def test_the_day_before_a_fixed_period_there_is_no_legal_date(place, events, key):
    obligation = run(**place, **events).obligation(key)

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"


@pytest.mark.parametrize(
    ("place", "events", "key"),
    [
        (NIS2, at(aware_at="2024-10-17T10:00:00+02:00"), "nis2/csirt/notification"),
        (
            {"organisation": {"roles": ["public_company"]}},
            at(materiality_determined_at="2023-12-17T10:00:00-05:00"),
            "sec-8k/sec",
        ),
    ],
)
def test_the_day_before_a_law_took_effect_it_is_not_owed(place, events, key):
    evaluation = run(**place, **events)

    assert key not in owed(evaluation)
    assert "not in force" in str(evaluation.reason(key))


# Data categories: a breach of health data alone, for a HIPAA covered entity with residents of
# states whose definitions do and do not include medical information.
def test_a_phi_only_breach_owes_nothing_under_a_state_law_without_health_data():
    evaluation = run(
        organisation={"roles": ["covered_entity", "data_owner"]},
        data=PHI,
        affected={"US-CA": 10, "US-AK": 10, "US-KY": 10},
    )
    keys = owed(evaluation)

    assert {"hipaa/individuals", "hipaa/hhs/annual_log", "us-ca/individuals"} <= keys
    assert not {key for key in keys if key.startswith(("us-ak/", "us-ky/"))}
    for key in ("us-ak/individuals", "us-ky/individuals"):
        assert evaluation.reason(key).startswith("the data (health, name) are not personal")
