"""Read days and counts that people typed into free-text fields, refusing to guess.

A day is taken only when the text names it without doubt. Several days, or a range, give the
earliest with a flag that says so; a month without a day gives its first day, flagged. Words
other than a few connectors ("on or about", "between ... and ..."), a missing year, a month/day
order that is not American, or a day after the form was filed make the text unreadable, and
the reason says which. Counts are read the same way: "Approximately 83,000" is 83,000 and
flagged as approximate; "Unknown" or "13 (previously 1)" is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
MONTH2 = MONTH.replace("?P<month>", "?P<month2>")
NUMERIC = re.compile(r"\b(?P<m>\d{1,2})\s*[/.-]\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<y>\d{2,4})\b")
MONTH_YEAR_NUMERIC = re.compile(r"\b(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\b")
WORDED = re.compile(
    MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s*-\s*(?:" + MONTH2 + r"\s+)?(?P<d2>\d{1,2}))?(?:,\s*|\s+)(?P<y>\d{1,4})\b",
    re.IGNORECASE,
)
MONTH_ONLY = re.compile(MONTH + r",?\s+(?P<y>\d{4})\b", re.IGNORECASE)

# Words that may stand around dates without changing what they say.
CONNECTORS = {
    "and",
    "to",
    "through",
    "thru",
    "between",
    "from",
    "until",
    "beginning",
    "starting",
}
APPROXIMATE = (
    "on or about",
    "on or around",
    "approximately",
    "approx",
    "appx",
    "around",
    "about",
)
RANGE_OPENERS = ("week of", "beginning", "starting")
NOT_GIVEN = {"unknown", "none", "n/a", "na", "not known", "pending", "tbd", "not provided"}
EARLIEST_YEAR = 1970


@dataclass
class Reading:
    """What a cell says: a value, why it was read with care, or why it could not be read."""

    value: date | int | None = None
    flags: list[str] = field(default_factory=list)
    problem: str | None = None


def read_day(text: str, latest: date | None = None) -> Reading:
    """The one day a free-text cell names, or its earliest when it names several."""
    cleaned = _normalise(text)
    if not cleaned:
        return Reading(problem="empty")
    if cleaned.strip(" .") in NOT_GIVEN:
        return Reading(problem=f"not a date: {text.strip()!r}")

    if re.fullmatch(r"\d{1,2}\s*[/.-]\s*\d{1,2}", cleaned):
        return Reading(problem=f"no year in {text.strip()!r}")
    found, rest, month_only = _find_days(cleaned)
    leftover = _leftover_words(rest)
    if leftover:
        return Reading(problem=f"prose, not a date (the words {' '.join(leftover[:4])!r})")
    if not found:
        return Reading(problem=f"no day, month and year in {text.strip()!r}")

    problems = [problem for _day, problem in found if problem]
    if problems:
        return Reading(problem=problems[0])
    days = [day for day, _problem in found if day is not None]
    late = [day for day in days if latest is not None and day > latest]
    if late:
        return Reading(problem=f"impossible date {late[0].isoformat()}: after {latest}")
    return Reading(value=min(days), flags=_day_flags(cleaned, days, month_only))


def read_count(text: str) -> Reading:
    """A whole number of people from a cell such as "1,455", "Approx. 9,200" or "7.5 million"."""
    cleaned = _normalise(text)
    if not cleaned:
        return Reading(problem="empty")
    flags = []
    for word in ("approximately", "approx.", "approx", "appx.", "appx", "about", "~"):
        if cleaned.startswith(word):
            cleaned = cleaned.removeprefix(word).strip()
            flags.append("approximate")
            break

    match = re.fullmatch(
        r"(?P<number>\d[\d,.]*)\s*(?P<scale>million|m)?\b\s*(?P<rest>[a-z ]*)", cleaned
    )
    if match is None or not _only_place_words(match["rest"]):
        return Reading(problem=f"not a count: {text.strip()!r}")
    number = _whole_number(match["number"], scale=match["scale"] is not None)
    if number is None:
        return Reading(problem=f"not a whole number: {text.strip()!r}")
    if match["scale"] and "approximate" not in flags:
        flags.append("approximate")
    return Reading(value=number, flags=flags)


def _normalise(text: str) -> str:
    text = (text or "").replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    text = re.sub(r"\s+,", ",", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _find_days(text: str) -> tuple[list[tuple[date | None, str | None]], str, bool]:
    """Every day the text names, with a problem for each one that is impossible."""
    found: list[tuple[date | None, str | None]] = []
    month_only = False

    def worded(match: re.Match[str]) -> str:
        year = int(match["y"])
        month = MONTHS[match["month"].lower()]
        found.append(_day(year, month, int(match["d"]), match[0]))
        if match["d2"]:
            month2 = MONTHS[match["month2"].lower()] if match["month2"] else month
            found.append(_day(year, month2, int(match["d2"]), match[0]))
        return " "

    def numeric(match: re.Match[str]) -> str:
        year = int(match["y"])
        if len(match["y"]) == 2:
            year += 2000
        elif len(match["y"]) == 3:
            found.append((None, f"impossible year {match['y']} in {match[0]!r}"))
            return " "
        found.append(_day(year, int(match["m"]), int(match["d"]), match[0]))
        return " "

    def month_year(match: re.Match[str]) -> str:
        nonlocal month_only
        month_only = True
        month = match["month"] if "month" in match.groupdict() else match["m"]
        number = MONTHS[month.lower()] if not month.isdigit() else int(month)
        found.append(_day(int(match["y"]), number, 1, match[0]))
        return " "

    rest = WORDED.sub(worded, text)
    rest = NUMERIC.sub(numeric, rest)
    rest = MONTH_ONLY.sub(month_year, rest)
    rest = MONTH_YEAR_NUMERIC.sub(month_year, rest)
    return found, rest, month_only


def _day(year: int, month: int, day: int, source: str) -> tuple[date | None, str | None]:
    if year < EARLIEST_YEAR:
        return None, f"impossible year {year} in {source!r}"
    if month > 12:
        return None, f"not a month/day/year date: {source!r} (month {month})"
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"impossible date {source!r}"


def _leftover_words(rest: str) -> list[str]:
    for phrase in (*APPROXIMATE, *RANGE_OPENERS):
        rest = rest.replace(phrase, " ")
    words = re.findall(r"[a-z0-9]+", rest)
    return [word for word in words if word not in CONNECTORS]


def _day_flags(text: str, days: list[date], month_only: bool) -> list[str]:
    flags = []
    if len(set(days)) > 1:
        flags.append("range or several dates: the earliest was taken")
    elif any(text.startswith(opener) for opener in RANGE_OPENERS):
        flags.append("open range: its first day was taken")
    if month_only:
        flags.append("month without a day: the first of the month was taken")
    if any(phrase in text for phrase in APPROXIMATE):
        flags.append("approximate date")
    return flags


def _only_place_words(rest: str) -> bool:
    allowed = {"maine", "me", "residents", "resident", "individuals", "persons", "people"}
    allowed |= {"in", "the", "united", "states", "us", "worldwide", "total"}
    return all(word in allowed for word in rest.split())


def _whole_number(text: str, scale: bool) -> int | None:
    """1,455 and 35000 are whole numbers; 7.5 is one only with "million" after it."""
    if scale:
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            return None
        return round(float(text) * 1_000_000)
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return int(text.replace(",", ""))
    return None
