"""The recipient directory: regulators from templates/letters/recipients.toml and the rule
files, and customers from the contracts in the incidents' facts."""

from __future__ import annotations

import fnmatch
import json
import logging
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..deadline import text
from ..deadline.rulebook import load_rulebook
from ..incident.models import Incident
from ..resources import data_path

log = logging.getLogger(__name__)

DIRECTORY = "letters/recipients.toml"
# Recipients that are people or parties of the incident itself, not authorities.
PARTIES = frozenset(
    {
        "individuals",
        "customer",
        "controller",
        "covered_entity",
        "data_owner",
        "internal",
        "media",
        "consumer_reporting_agencies",
    }
)


@dataclass(frozen=True)
class Entry:
    """One authority and how a notice reaches it."""

    id: str
    name: str
    keys: tuple[str, ...]
    countries: tuple[str, ...]
    contact: str
    portal: str
    method: str
    source: str

    def serves(self, key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in self.keys)


@dataclass(frozen=True)
class Regulator:
    """An obligation key of the rulebook addressed to an authority, with its entries."""

    key: str
    regime: str
    regime_name: str
    citation: str
    entries: tuple[Entry, ...]
    references: tuple[tuple[str, str], ...]


@dataclass
class Customer:
    """A contract party, the notice periods agreed with it, and the incidents it appears in."""

    party: str
    slug: str
    periods: set[str] = field(default_factory=set)
    incidents: list[Incident] = field(default_factory=list)


@cache
def entries() -> tuple[Entry, ...]:
    path = data_path("templates") / DIRECTORY
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    return tuple(_entry(item) for item in document["recipient"])


def reviewed() -> str:
    path = data_path("templates") / DIRECTORY
    with path.open("rb") as handle:
        return str(tomllib.load(handle)["reviewed"])


def _entry(item: dict[str, Any]) -> Entry:
    return Entry(
        id=item["id"],
        name=item["name"],
        keys=tuple(item["keys"]),
        countries=tuple(item.get("countries", ())),
        contact=item.get("contact", ""),
        portal=item.get("portal", ""),
        method=item.get("method", ""),
        source=item["source"],
    )


def entries_for(key: str, country: str | None = None) -> list[Entry]:
    """The authorities that receive notices for the obligation key.

    A regime with one authority per country (GDPR) gives only the entry of the main
    establishment's country when that is known, else every entry for the key.
    """
    matching = [entry for entry in entries() if entry.serves(key)]
    if country and any(entry.countries for entry in matching):
        return [entry for entry in matching if not entry.countries or country in entry.countries]
    return matching


def regulators() -> list[Regulator]:
    """Every obligation key of the rulebook addressed to an authority, by key."""
    rulebook = load_rulebook()
    listed = []
    for key in sorted(rulebook.keys):
        if key.split("/")[1] in PARTIES:
            continue
        regime = rulebook.by_key[key]
        references = tuple((ref.title, str(ref.url)) for ref in regime.references)
        matching = tuple(entry for entry in entries() if entry.serves(key))
        listed.append(Regulator(key, regime.id, regime.name, regime.citation, matching, references))
    return listed


def customers(session: Session) -> list[Customer]:
    """The parties of the contracts named in any incident's facts, by name."""
    found: dict[str, Customer] = {}
    for incident in session.scalars(select(Incident).order_by(Incident.id)):
        for contract in json.loads(incident.facts_json).get("contracts") or []:
            party = str(contract.get("party", "")).strip()
            if not party:
                continue
            slug = text.slug(party)
            customer = found.setdefault(slug, Customer(party, slug))
            customer.periods.add(str(contract.get("notify_within", "")))
            if incident not in customer.incidents:
                customer.incidents.append(incident)
    return sorted(found.values(), key=lambda customer: customer.party.casefold())
