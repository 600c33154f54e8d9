"""The letters notices are drafted from: their required content, prefill and rendering.

templates/letters/catalogue.toml declares each letter: its template, the obligation keys it
fits and its fields. A field marked required must be filled before a notice can be approved.
"""

from __future__ import annotations

import fnmatch
import logging
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..deadline import text
from ..errors import ValidationError
from ..facts import Facts
from ..resources import data_path

log = logging.getLogger(__name__)

CATALOGUE = "letters/catalogue.toml"
MAX_FIELD_LENGTH = 20_000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    is_required: bool = False
    is_multiline: bool = False
    prefill: str | None = None


@dataclass(frozen=True)
class Letter:
    id: str
    title: str
    template: str
    fits: tuple[str, ...]
    fields: tuple[Field, ...]

    @property
    def names(self) -> list[str]:
        return [field.name for field in self.fields]

    @property
    def required(self) -> list[Field]:
        return [field for field in self.fields if field.is_required]

    def missing(self, content: dict[str, Any]) -> list[Field]:
        """The required fields that `content` leaves empty."""
        return [field for field in self.required if not str(content.get(field.name, "")).strip()]

    def fits_key(self, key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in self.fits)


@cache
def catalogue() -> tuple[Letter, ...]:
    """Every letter, in the catalogue's order (the generic letter last)."""
    path = data_path("templates") / CATALOGUE
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    return tuple(_letter(entry) for entry in document["letter"])


def _letter(entry: dict[str, Any]) -> Letter:
    fields = tuple(
        Field(
            name=item["name"],
            label=item["label"],
            is_required=bool(item.get("required", False)),
            is_multiline=bool(item.get("multiline", False)),
            prefill=item.get("prefill"),
        )
        for item in entry["fields"]
    )
    return Letter(entry["id"], entry["title"], entry["template"], tuple(entry["fits"]), fields)


def get_letter(letter_id: str) -> Letter:
    for letter in catalogue():
        if letter.id == letter_id:
            return letter
    known = ", ".join(letter.id for letter in catalogue())
    raise ValidationError(
        f"There is no letter {letter_id!r}; the letters are {known}.",
        {"letter": f"expected one of {known}"},
    )


def letter_for(key: str) -> Letter:
    """The first letter of the catalogue that fits the obligation key."""
    for letter in catalogue():
        if letter.fits_key(key):
            return letter
    return get_letter("generic")


def clean_content(letter: Letter, content: dict[str, Any]) -> dict[str, str]:
    """The content as text by field, refusing fields the letter does not have."""
    unknown = sorted(set(content) - set(letter.names))
    if unknown:
        raise ValidationError(
            f"The letter {letter.id} has no field {unknown[0]!r}; its fields are "
            f"{', '.join(letter.names)}.",
            {name: "unknown field" for name in unknown},
        )

    cleaned = {name: _text(name, value) for name, value in content.items()}
    return {name: cleaned.get(name, "") for name in letter.names}


def _text(name: str, value: Any) -> str:
    written = "" if value is None else str(value).replace("\r\n", "\n").strip()
    if len(written) > MAX_FIELD_LENGTH:
        raise ValidationError(
            f"The field {name} is {len(written)} characters long; at most {MAX_FIELD_LENGTH} "
            "are accepted.",
            {name: f"at most {MAX_FIELD_LENGTH} characters"},
        )
    return written


def prefill(letter: Letter, facts: Facts, key: str) -> dict[str, str]:
    """A first draft of the content, with what the facts already say."""
    values = _facts_values(facts, key)
    return {field.name: values.get(field.prefill or "", "") for field in letter.fields}


def _facts_values(facts: Facts, key: str) -> dict[str, str]:
    occurred = facts.events.occurred_at
    discovered = facts.event("discovered_at")
    affected = _affected_total(_affected_under(facts.affected, key))
    return {
        "organisation": facts.organisation.name or "",
        "description": facts.incident.description or facts.incident.title,
        "categories": ", ".join(category.replace("_", " ") for category in facts.data.categories),
        "records": "" if facts.data.records is None else str(facts.data.records),
        "affected_total": "" if affected is None else str(affected),
        "occurred_on": "" if occurred is None else _local_date(occurred, facts.timezone),
        "discovered_on": "" if discovered is None else _local_date(discovered, facts.timezone),
        "contract_party": _contract_party(facts, key),
        "recipient": key.split("/")[1].replace("_", " ") if "/" in key else "",
    }


def _affected_under(affected: dict[str, int], key: str) -> dict[str, int]:
    """The counts of the places whose law the obligation `key` is under.

    A letter to a European authority gives the people of the EEA, not everyone affected; an
    obligation of no regime (a contract) or of a regime bound to no place keeps every count.
    """
    from ..deadline.rulebook import load_rulebook

    regime = load_rulebook().by_key.get(key)
    if regime is None or not regime.countries:
        return affected
    return {
        code: count
        for code, count in affected.items()
        if code in regime.countries or code.split("-")[0] in regime.countries
    }


def _affected_total(affected: dict[str, int]) -> int | None:
    """People affected: country totals, else the sum of their subdivisions."""
    if not affected:
        return None
    countries: dict[str, int] = {}
    for code, count in affected.items():
        country = code.split("-")[0]
        if "-" not in code:
            countries[country] = max(countries.get(country, 0), count)
    subdivided: dict[str, int] = {}
    for code, count in affected.items():
        if "-" in code:
            country = code.split("-")[0]
            subdivided[country] = subdivided.get(country, 0) + count
    for country, total in subdivided.items():
        countries[country] = max(countries.get(country, 0), total)
    return sum(countries.values())


def _local_date(instant: Any, timezone: str) -> str:
    from zoneinfo import ZoneInfo

    return instant.astimezone(ZoneInfo(timezone)).date().isoformat()


def _contract_party(facts: Facts, key: str) -> str:
    regime = key.split("/")[0]
    if not regime.startswith("contract:"):
        return ""
    slug = regime.removeprefix("contract:")
    for contract in facts.contracts:
        if text.slug(contract.party) == slug:
            return contract.party
    return slug


def render(letter: Letter, content: dict[str, Any], **context: Any) -> str:
    """The letter as HTML; needs an application context for the templates."""
    from flask import render_template

    return render_template(letter.template, letter=letter, content=content, **context)
