"""The recipient directory: who receives each notice the rule files name, and how it reaches
them, from templates/letters/recipients.toml; and the customers of the incidents' contracts.

The file is validated at load: a field that does not fit is refused with its path in the file
(`recipient[3].portal`) and what was expected, as the rule files and playbooks are.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import access
from ..datafile import field_problems
from ..deadline import text
from ..deadline.rulebook import load_rulebook
from ..errors import TrackerError
from ..incident.models import Incident
from ..resources import data_path

log = logging.getLogger(__name__)

DIRECTORY = "letters/recipients.toml"
# How a notice is handed over: an online portal, an e-mail, a postal letter, or a form (a
# document or web form the authority prescribes, sent as its page says).
METHODS = ("portal", "email", "letter", "form")
# An entry whose source is this takes its legal source from the obligation's own rule file.
RULE_FILE = "rule file"
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

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
KeyPattern = Annotated[str, Field(pattern=r"^[a-z0-9*:-]+/[a-z_*]+(/[a-z_*]+)?$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
Words = Annotated[str, Field(min_length=1, max_length=1000)]


def _https(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or re.search(r"\s", value):
        raise ValueError(f"expected an https:// address; got {value!r}")
    return value


Https = Annotated[str, AfterValidator(_https)]


class DirectoryError(TrackerError):
    """A recipient directory that cannot be loaded; the message names the file and field."""


class Entry(BaseModel):
    """One recipient and how a notice reaches it; `chosen_by` marks one chosen per incident."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    name: Words
    # The obligation keys it receives, as shell-style patterns (`us-*/attorney_general`).
    keys: Annotated[tuple[KeyPattern, ...], Field(min_length=1)]
    # For a regime with one authority per country (GDPR): the main establishments it serves.
    countries: tuple[Country, ...] = ()
    method: Literal[METHODS]  # type: ignore[valid-type]
    # How the notice is submitted, in words.
    submission: Words
    # The breach-reporting page or form; `site` is the authority's site where no such page
    # was confirmed, which `notes` then says.
    portal: Https | None = None
    site: Https | None = None
    email: Email | None = None
    address: str = ""
    phone: str = ""
    # For a recipient that depends on the organisation or the incident: how it is chosen.
    chosen_by: str = ""
    source: Https | Literal["rule file"]
    reviewed: date
    notes: str = ""

    @model_validator(mode="after")
    def _reachable(self) -> Entry:
        if self.source == RULE_FILE and not self.chosen_by:
            raise ValueError("only an entry with chosen_by may take its source from the rule file")
        if self.site and not self.portal and not self.notes:
            raise ValueError("an entry with a site but no portal needs notes saying why")
        if self.chosen_by or self.notes:
            return self
        if self.method in ("portal", "form") and not self.portal:
            raise ValueError(
                f"the method {self.method!r} needs the portal or form address, or notes saying"
                " why it is not given"
            )
        if self.method == "email" and not self.email:
            raise ValueError("the method 'email' needs the email address, or notes saying why not")
        if self.method == "letter" and not self.address:
            raise ValueError("the method 'letter' needs the address, or notes saying why not")
        return self

    @property
    def is_per_organisation(self) -> bool:
        return bool(self.chosen_by)

    def serves(self, key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in self.keys)


class DirectoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    recipient: Annotated[tuple[Entry, ...], Field(min_length=1)]

    @field_validator("recipient")
    @classmethod
    def _unique_ids(cls, recipients: tuple[Entry, ...]) -> tuple[Entry, ...]:
        seen: set[str] = set()
        for entry in recipients:
            if entry.id in seen:
                raise ValueError(f"the id {entry.id!r} is used twice")
            seen.add(entry.id)
        return recipients


@dataclass(frozen=True)
class Regulator:
    """An obligation key of the rulebook addressed to an authority, with its entries."""

    key: str
    regime: str
    regime_name: str
    citation: str
    entries: tuple[Entry, ...]
    references: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Party:
    """A directory entry for people or parties of the incident, with the keys it serves."""

    entry: Entry
    keys: tuple[str, ...]


@dataclass
class Customer:
    """A contract party, the notice periods agreed with it, and the incidents it appears in."""

    party: str
    slug: str
    periods: set[str] = field(default_factory=set)
    incidents: list[Incident] = field(default_factory=list)


def load_directory(path: Path) -> tuple[Entry, ...]:
    """Read and validate a directory file, or raise DirectoryError naming path and field."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DirectoryError(
            f"{path}: the file is not valid TOML: {exc}.", {"": str(exc)}
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryError(f"{path}: the file cannot be read: {exc}.", {"": str(exc)}) from None

    try:
        loaded = DirectoryFile.model_validate(document)
    except PydanticValidationError as exc:
        fields = field_problems(exc, "the header of templates/letters/recipients.toml")
        location, problem = next(iter(fields.items()))
        raise DirectoryError(f"{path}: {location or 'file'}: {problem}.", fields) from None
    return loaded.recipient


@cache
def entries() -> tuple[Entry, ...]:
    """The shipped directory, loaded once."""
    found = load_directory(data_path("templates") / DIRECTORY)
    log.info("Loaded %d recipient directory entries", len(found))
    return found


def reviewed() -> date:
    """The oldest review date of the directory's entries."""
    return min(entry.reviewed for entry in entries())


def entries_for(key: str, country: str | None = None) -> list[Entry]:
    """The recipients of notices for the obligation key.

    Where a regime has one authority per country (GDPR), an entry names the countries of the
    main establishment it serves: with the country known, only its entry is given, or the entry
    that says how the authority is chosen when the directory holds none for that country;
    with no country, every entry for the key.
    """
    matching = [entry for entry in entries() if entry.serves(key)]
    by_country = [entry for entry in matching if entry.countries]
    if not country or not by_country:
        return matching
    chosen = [entry for entry in by_country if country in entry.countries]
    return chosen or [entry for entry in matching if not entry.countries]


def establishment_of(obligation: Any) -> str | None:
    """The country of the main establishment in the facts of the obligation's incident."""
    facts = obligation.incident.facts_document
    return (facts.get("organisation") or {}).get("main_establishment")


def unserved(keys: Iterable[str]) -> list[str]:
    """The obligation keys that no directory entry receives, sorted."""
    return sorted(key for key in keys if not entries_for(key))


def anchor(key: str) -> str:
    """The fragment of the directory page that lists the obligation key's recipient."""
    head, _, rest = key.partition("/")
    if head.startswith("contract:"):
        return f"contract-{head.removeprefix('contract:')}"
    if rest.split("/")[0] in PARTIES:
        found = entries_for(key)
        return f"party-{found[0].id}" if found else "parties"
    return key.replace("/", "-")


def regulators(keys: Iterable[str] | None = None) -> list[Regulator]:
    """Each obligation key addressed to an authority (all of the rulebook's by default)."""
    rulebook = load_rulebook()
    listed = []
    for key in sorted(rulebook.keys if keys is None else keys):
        if key.split("/")[1] in PARTIES or key not in rulebook.by_key:
            continue
        regime = rulebook.by_key[key]
        references = tuple((ref.title, str(ref.url)) for ref in regime.references)
        matching = tuple(entry for entry in entries() if entry.serves(key))
        listed.append(Regulator(key, regime.id, regime.name, regime.citation, matching, references))
    return listed


def parties(keys: Iterable[str] | None = None) -> list[Party]:
    """The entries for people and parties of the incident, each with the keys it serves."""
    given = load_rulebook().keys if keys is None else keys
    wanted = sorted(key for key in given if key.split("/")[1] in PARTIES)
    found = []
    for entry in entries():
        served = tuple(key for key in wanted if entry.serves(key))
        if served:
            found.append(Party(entry, served))
    return found


def customers(session: Session, viewer: Any, incident: Incident | None = None) -> list[Customer]:
    """The parties of the contracts named in the facts of the incidents `viewer` may see (or
    of one incident), by name."""
    query = select(Incident).where(access.visible_clause(viewer, Incident.id))
    if incident is not None:
        query = query.where(Incident.id == incident.id)
    found: dict[str, Customer] = {}
    for row in session.scalars(query.order_by(Incident.id)):
        for contract in json.loads(row.facts_json).get("contracts") or []:
            party = str(contract.get("party", "")).strip()
            if not party:
                continue
            slug = text.slug(party)
            customer = found.setdefault(slug, Customer(party, slug))
            customer.periods.add(str(contract.get("notify_within", "")))
            if row not in customer.incidents:
                customer.incidents.append(row)
    return sorted(found.values(), key=lambda customer: customer.party.casefold())
