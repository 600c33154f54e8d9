"""Free-text days and counts: read when unambiguous, flagged when taken with care, else refused."""

from datetime import date

import pytest

from tracker.importer.text import read_count, read_day

FILED = date(2020, 9, 11)
RANGE = ["range or several dates: the earliest was taken"]


@pytest.mark.parametrize(
    ("text", "day", "flags"),
    [
        ("03/16/2020", date(2020, 3, 16), []),
        ("5/20/2020", date(2020, 5, 20), []),
        ("12/19/18", date(2018, 12, 19), []),
        ("08.06.2020", date(2020, 8, 6), []),
        ("07 / 18 / 2020", date(2020, 7, 18), []),
        ("6-24-2020", date(2020, 6, 24), []),
        ("February 19, 2020", date(2020, 2, 19), []),
        ("July 16 2020", date(2020, 7, 16), []),
        ("Aug. 24, 2020", date(2020, 8, 24), []),
        ("September 3 ,2019", date(2019, 9, 3), []),
        ("01/15/2020-06/25/2020", date(2020, 1, 15), RANGE),
        ("June 22-25, 2020", date(2020, 6, 22), RANGE),
        ("January 22-February 4, 2020", date(2020, 1, 22), RANGE),
        ("between March 16, 2020 and July 9, 2020", date(2020, 3, 16), RANGE),
        ("07/11/2020 and 08/03/2020", date(2020, 7, 11), RANGE),
        ("Week of March 2, 2020", date(2020, 3, 2), ["open range: its first day was taken"]),
        ("May 2020", date(2020, 5, 1), ["month without a day: the first of the month was taken"]),
        ("On or about 06/05/2020", date(2020, 6, 5), ["approximate date"]),
    ],
)  # fmt: skip
def test_days_read(text, day, flags):
    reading = read_day(text, latest=FILED)
    assert (reading.value, reading.flags, reading.problem) == (day, flags, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Unknown", "not a date: 'Unknown'"),
        ("N/A", "not a date: 'N/A'"),
        ("", "empty"),
        ("June 1, 2929", "impossible date 2929-06-01: after 2020-09-11"),
        ("April 12, 202", "impossible year 202 in 'april 12, 202'"),
        ("6/18", "no year in '6/18'"),
        ("25/03/2020", "not a month/day/year date: '25/03/2020' (month 25)"),
        ("02/30/2020", "impossible date '02/30/2020'"),
        ("by September 18, 2020", "prose, not a date (the words 'by')"),
        ("Early December 2019", "prose, not a date (the words 'early')"),
        ("*See description", "prose, not a date (the words 'see description')"),
    ],
)
def test_days_refused_with_the_reason(text, problem):
    reading = read_day(text, latest=FILED)
    assert (reading.value, reading.problem) == (None, problem)


@pytest.mark.parametrize(
    ("text", "count", "flags"),
    [
        ("1,455", 1455, []),
        ("35000", 35000, []),
        ("Approximately 83,000", 83000, ["approximate"]),
        ("Approx. 9,200", 9200, ["approximate"]),
        ("~15", 15, ["approximate"]),
        ("13 Maine residents", 13, []),
        ("60842 in the United States", 60842, []),
        ("7.5 million", 7_500_000, ["approximate"]),
        ("Approx. 4.28M", 4_280_000, ["approximate"]),
    ],
)
def test_counts_read(text, count, flags):
    reading = read_count(text)
    assert (reading.value, reading.flags, reading.problem) == (count, flags, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Unknown", "not a count: 'Unknown'"),
        ("???", "not a count: '???'"),
        ("13 (previously 1)", "not a count: '13 (previously 1)'"),
        ("2, 35, 4, 1, 1, 3", "not a count: '2, 35, 4, 1, 1, 3'"),
        ("17.748", "not a whole number: '17.748'"),
        ("Approximately 70,60", "not a whole number: 'Approximately 70,60'"),
    ],
)
def test_counts_refused_with_the_reason(text, problem):
    reading = read_count(text)
    assert (reading.value, reading.problem) == (None, problem)
