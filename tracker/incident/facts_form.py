"""The facts editor: the incident-facts/1 document as plain form fields, and back.

`FactsEditor.from_document` fills the fields from a stored document; `FactsEditor.from_form`
reads a posted form; `FactsEditor.to_document` builds the document again, keeping the stored
document's own wording of every value the form left unchanged, so that a document shown and
saved unchanged stays identical. Errors are kept per form field, to show beside it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from werkzeug.datastructures import MultiDict

from ..errors import FactsError
from ..facts import (
    EVENTS,
    FORMAT,
    MAX_COUNT,
    OBLIGATION_KEY_PATTERN,
    Assessment,
    Contract,
    DataFacts,
    Events,
    Facts,
    IncidentInfo,
    LawEnforcementDelay,
    Organisation,
    parse_facts,
)
from .forms import LocalTimeError, parse_local, split_instant

# Blank rows offered below the filled ones, and added by each "more rows" button.
BLANK_ROWS = 2
MORE_ROWS = 3
ROW_SECTIONS = ("affected", "contract", "notice")

# The sections of the document that follow a model of the facts format.
SUBMODELS: dict[str, type[BaseModel]] = {
    "incident": IncidentInfo,
    "organisation": Organisation,
    "events": Events,
    "data": DataFacts,
    "assessment": Assessment,
    "law_enforcement_delay": LawEnforcementDelay,
    "contracts": Contract,
}
# Checkbox lists: their order carries no meaning, so a reordering is no change.
UNORDERED = frozenset({"roles", "categories", "payment_brands"})
LIST_FIELDS = ("affected_services", "tags")
CHECKBOXES = ("roles", "categories", "payment_brands")
FLAGS = ("encrypted", "key_compromised", "led_written")
# Form fields of simple document paths.
PLAIN_FIELDS = {
    "incident.title": "title",
    "incident.description": "description",
    "incident.severity": "severity",
    "incident.category": "category",
    "incident.cause": "cause",
    "incident.affected_services": "affected_services",
    "incident.affected_customers": "affected_customers",
    "incident.detected_by": "detected_by",
    "incident.assigned_to": "assigned_to",
    "incident.tags": "tags",
    "timezone": "timezone",
    "organisation.name": "org_name",
    "organisation.roles": "roles",
    "organisation.main_establishment": "main_establishment",
    "data.categories": "categories",
    "data.records": "records",
    "data.encrypted": "encrypted",
    "data.key_compromised": "key_compromised",
    "assessment.risk_of_harm": "risk_of_harm",
    "assessment.rationale": "rationale",
    "payment_brands": "payment_brands",
    "law_enforcement_delay.agency": "led_agency",
    "law_enforcement_delay.requested_at": "led_requested_at_local",
    "law_enforcement_delay.released_at": "led_released_at_local",
    "law_enforcement_delay.written": "led_written",
    "law_enforcement_delay": "led_released_at_local",
}


def facts_version(document: Mapping[str, Any]) -> str:
    """A short fingerprint of the facts, less the status.

    Resolving or reopening also changes the facts' resolved_at, so an editor opened before
    then is refused rather than saving over the resolution.
    """
    copy = json.loads(json.dumps(document))
    copy.get("incident", {}).pop("status", None)
    text = json.dumps(copy, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass
class FactsEditor:
    """The editor's fields as posted strings, its row counts, and its errors by field."""

    values: MultiDict[str, str] = field(default_factory=MultiDict)
    rows: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    # Row index in the document's lists -> row index in the form, for contracts.
    _contract_rows: list[int] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def checked(self, name: str, option: str = "yes") -> bool:
        return option in self.values.getlist(name)

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.general)

    def row_range(self, section: str) -> range:
        return range(self.rows.get(section, BLANK_ROWS))

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> FactsEditor:
        """The form fields of a valid stored facts document."""
        facts = parse_facts(dict(document))
        editor = cls()
        editor._fill_incident(facts)
        editor._fill_events(facts)
        editor._fill_rows(facts)
        return editor

    @classmethod
    def from_form(cls, form: MultiDict[str, str]) -> FactsEditor:
        """The fields as posted, with each row section's number of rows."""
        editor = cls(values=MultiDict(form))
        for section in ROW_SECTIONS:
            editor.rows[section] = _row_count(form.get(f"{section}_rows", ""))
        return editor

    def add_rows(self, section: str) -> None:
        if section in ROW_SECTIONS:
            self.rows[section] = self.row_range(section).stop + MORE_ROWS

    def to_document(self, base: Mapping[str, Any]) -> dict[str, Any] | None:
        """The facts document of the form, or None with `errors` filled in.

        `base` is the stored document: values the form leaves unchanged keep its wording.
        """
        proposed = self._proposed(base)
        if self.errors:
            return None

        document = merge(Facts, proposed, base)
        try:
            parse_facts(document)
        except FactsError as exc:
            self._attach(exc.fields)
            return None
        return document

    # Filling the form from a document.

    def _set(self, name: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            if value:
                self.values[name] = "yes"
            return
        if isinstance(value, list):
            self.values.setlist(name, [str(item) for item in value])
            return
        self.values[name] = str(value)

    def _fill_incident(self, facts: Facts) -> None:
        info = facts.incident
        for path, name in PLAIN_FIELDS.items():
            if path.startswith("law_enforcement_delay") or path in ("timezone",):
                continue
            section, _, key = path.partition(".")
            source = info if section == "incident" else getattr(facts, section)
            value = getattr(source, key) if key else source
            if name in LIST_FIELDS:
                value = "\n".join(value)
            self._set(name, value)
        self._set("timezone", facts.timezone)
        self._set("status", info.status)

    def _fill_events(self, facts: Facts) -> None:
        zone = facts.timezone
        for name in EVENTS:
            self._set_instant(name, getattr(facts.events, name), zone)
            self.values.setdefault(f"{name}_zone", zone)

        delay = facts.law_enforcement_delay
        self.values["led_requested_at_zone"] = zone
        self.values["led_released_at_zone"] = zone
        if delay is not None:
            self._set("led_agency", delay.agency)
            self._set("led_written", delay.written)
            self._set_instant("led_requested_at", delay.requested_at, zone)
            self._set_instant("led_released_at", delay.released_at, zone)

    def _set_instant(self, prefix: str, instant: datetime | None, zone: str) -> None:
        if instant is None:
            return
        local, zone_name = split_instant(instant, zone)
        self.values[f"{prefix}_local"] = local
        self.values[f"{prefix}_zone"] = zone_name

    def _fill_rows(self, facts: Facts) -> None:
        zone = facts.timezone
        for index, (code, count) in enumerate(facts.affected.items()):
            self.values[f"affected-{index}-code"] = code
            self.values[f"affected-{index}-count"] = str(count)
        for index, contract in enumerate(facts.contracts):
            self.values[f"contract-{index}-party"] = contract.party
            self.values[f"contract-{index}-notify_within"] = contract.notify_within
            self.values[f"contract-{index}-trigger"] = contract.trigger
        for index, (key, instant) in enumerate(facts.notices.items()):
            self.values[f"notice-{index}-key"] = key
            self._set_instant(f"notice-{index}-at", instant, zone)

        self.rows["affected"] = len(facts.affected) + BLANK_ROWS
        self.rows["contract"] = len(facts.contracts) + BLANK_ROWS
        self.rows["notice"] = len(facts.notices) + BLANK_ROWS
        for index in self.row_range("notice"):
            self.values.setdefault(f"notice-{index}-at_zone", zone)

    # Reading the form into a document.

    def _proposed(self, base: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "incident": self._incident(base),
            "timezone": self._text("timezone"),
            "organisation": {
                "name": self._text("org_name") or None,
                "roles": self.values.getlist("roles"),
                "main_establishment": self._text("main_establishment").upper() or None,
            },
            "events": {name: self._instant(name) for name in EVENTS},
            "notices": self._notices(),
            "data": {
                "categories": self.values.getlist("categories"),
                "records": self._count("records"),
                "encrypted": self.checked("encrypted"),
                "key_compromised": self.checked("key_compromised"),
            },
            "affected": self._affected(),
            "assessment": {
                "risk_of_harm": self._text("risk_of_harm") or "unknown",
                "rationale": self._text("rationale"),
            },
            "law_enforcement_delay": self._delay(),
            "contracts": self._contracts(),
            "payment_brands": self.values.getlist("payment_brands"),
        }

    def _incident(self, base: Mapping[str, Any]) -> dict[str, Any]:
        if not self._text("title"):
            self.errors["title"] = "Enter a title for the incident."
        return {
            "title": self._text("title"),
            "description": self._text("description"),
            "severity": self._text("severity") or None,
            "category": self._text("category") or None,
            "status": base.get("incident", {}).get("status"),
            "affected_services": self._lines("affected_services"),
            "affected_customers": self._count("affected_customers"),
            "detected_by": self._text("detected_by") or None,
            "assigned_to": self._text("assigned_to") or None,
            "tags": self._lines("tags"),
            "cause": self._text("cause") or None,
        }

    def _text(self, name: str) -> str:
        return self.value(name).replace("\r\n", "\n").strip()

    def _lines(self, name: str) -> list[str]:
        return [line.strip() for line in self._text(name).split("\n") if line.strip()]

    def _count(self, name: str) -> int | None:
        text = self._text(name)
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            self.errors[name] = f"Enter a whole number such as 1200; {text!r} is not one."
            return None

    def _instant(self, prefix: str) -> str | None:
        try:
            instant = parse_local(self.value(f"{prefix}_local"), self.value(f"{prefix}_zone"))
        except LocalTimeError as exc:
            self.errors[f"{prefix}_{exc.field}"] = exc.message
            return None
        return None if instant is None else instant.isoformat()

    def _affected(self) -> dict[str, int | None]:
        affected: dict[str, int | None] = {}
        for index in self._filled_rows("affected", ("code", "count")):
            code = self._text(f"affected-{index}-code").upper()
            count = self._count(f"affected-{index}-count")
            if not code:
                self.errors[f"affected-{index}-code"] = "Enter the country or state code."
            elif code in affected:
                self.errors[f"affected-{index}-code"] = (
                    f"{code} is already in another row; give its count in one row."
                )
            elif count is None and f"affected-{index}-count" not in self.errors:
                self.errors[f"affected-{index}-count"] = "Enter how many people, such as 1200."
            else:
                affected[code] = count
        return affected

    def _contracts(self) -> list[dict[str, str]]:
        contracts = []
        self._contract_rows = []
        for index in self._filled_rows("contract", ("party", "notify_within")):
            if not self._text(f"contract-{index}-party"):
                self.errors[f"contract-{index}-party"] = "Enter the other party to the contract."
            contracts.append(
                {
                    "party": self._text(f"contract-{index}-party"),
                    "notify_within": self._text(f"contract-{index}-notify_within"),
                    "trigger": self._text(f"contract-{index}-trigger") or "discovered_at",
                }
            )
            self._contract_rows.append(index)
        return contracts

    def _notices(self) -> dict[str, str | None]:
        notices: dict[str, str | None] = {}
        for index in self._filled_rows("notice", ("key", "at_local")):
            key = self._text(f"notice-{index}-key")
            instant = self._instant(f"notice-{index}-at")
            if not OBLIGATION_KEY_PATTERN.match(key):
                self.errors[f"notice-{index}-key"] = (
                    f"Enter an obligation key such as hipaa/individuals; got {key!r}."
                )
            elif key in notices:
                self.errors[f"notice-{index}-key"] = f"{key} is already in another row."
            elif instant is None and f"notice-{index}-at_local" not in self.errors:
                self.errors[f"notice-{index}-at_local"] = "Enter when the notice was given."
            else:
                notices[key] = instant
        return notices

    def _delay(self) -> dict[str, Any] | None:
        names = ("led_agency", "led_requested_at_local", "led_released_at_local")
        if not any(self._text(name) for name in names) and not self.checked("led_written"):
            return None
        delay = {
            "agency": self._text("led_agency"),
            "requested_at": self._instant("led_requested_at"),
            "released_at": self._instant("led_released_at"),
            "written": self.checked("led_written"),
        }
        if not delay["agency"]:
            self.errors["led_agency"] = "Enter the agency that asked for the delay."
        if delay["requested_at"] is None:
            self.errors.setdefault(
                "led_requested_at_local", "Enter when the agency asked for the delay."
            )
        return delay

    def _filled_rows(self, section: str, names: Iterable[str]) -> list[int]:
        """Rows with something entered and not marked for removal."""
        names = tuple(names)
        return [
            index
            for index in self.row_range(section)
            if not self.checked(f"{section}-{index}-remove")
            and any(self._text(f"{section}-{index}-{name}") for name in names)
        ]

    # Errors from the facts format, placed beside their fields.

    def attach(self, fields: Mapping[str, str]) -> None:
        """Show the refusal's messages beside the fields they name."""
        self._attach(fields)

    def _attach(self, fields: Mapping[str, str]) -> None:
        for path, message in fields.items():
            name = self._field_of(path, message)
            text = message[:1].upper() + message[1:]
            text = text if text.endswith(".") else f"{text}."
            if name is None:
                self.general.append(f"{path or 'The facts'}: {text}")
            else:
                self.errors.setdefault(name, text)

    def _field_of(self, path: str, message: str) -> str | None:
        head, _, rest = path.partition(".")
        if head == "events" and rest:
            return f"{rest.split('.')[0]}_local"
        if head == "affected" and rest:
            return self._affected_field(rest)
        if head == "notices" and rest:
            index = self._row_of("notice", "key", rest)
            return None if index is None else f"notice-{index}-at_local"
        if head == "contracts" and rest:
            position, _, name = rest.partition(".")
            return self._contract_field(position, name)
        if path == "" and "discovered_at" in message:
            return "discovered_at_local"
        for prefix, name in PLAIN_FIELDS.items():
            if path == prefix or path.startswith(f"{prefix}."):
                return name
        return None

    def _affected_field(self, code: str) -> str | None:
        index = self._row_of("affected", "code", code)
        if index is None:
            return None
        count = self._text(f"affected-{index}-count")
        is_count = count.lstrip("-").isdigit() and not 0 <= int(count) <= MAX_COUNT
        return f"affected-{index}-{'count' if is_count else 'code'}"

    def _contract_field(self, position: str, name: str) -> str | None:
        if not position.isdigit() or int(position) >= len(self._contract_rows):
            return None
        index = self._contract_rows[int(position)]
        return f"contract-{index}-{name or 'party'}"

    def _row_of(self, section: str, name: str, value: str) -> int | None:
        for index in self.row_range(section):
            if self._text(f"{section}-{index}-{name}").upper() == value.upper():
                return index
        return None


def _row_count(text: str) -> int:
    count = int(text) if text.isdigit() else BLANK_ROWS
    return max(0, min(count, 500))


# Keeping the stored wording of unchanged values.


def merge(model: type[BaseModel], proposed: Mapping[str, Any], base: Any) -> dict[str, Any]:
    """`proposed` with the base's own value wherever the two mean the same, and without the
    keys that the base leaves out and the proposal leaves at their default."""
    base = base if isinstance(base, Mapping) else {}
    result: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in proposed:
            continue
        value = proposed[name]
        if name in base and same(value, base[name], unordered=name in UNORDERED):
            result[name] = base[name]
        elif name not in base and not info.is_required() and same(value, _default(info)):
            continue
        else:
            result[name] = _merge_value(name, value, base.get(name))
    return result


def _merge_value(name: str, value: Any, base: Any) -> Any:
    submodel = SUBMODELS.get(name)
    if submodel is not None and isinstance(value, Mapping):
        return merge(submodel, value, base)
    if submodel is not None and isinstance(value, list):
        base_items = base if isinstance(base, list) else []
        return [
            merge(submodel, item, base_items[i] if i < len(base_items) else None)
            for i, item in enumerate(value)
        ]
    if isinstance(value, Mapping) and isinstance(base, Mapping):
        return {
            key: base[key] if key in base and same(item, base[key]) else item
            for key, item in value.items()
        }
    return value


def _default(info: Any) -> Any:
    default = info.get_default(call_default_factory=True)
    return default.model_dump(mode="json") if isinstance(default, BaseModel) else default


def same(a: Any, b: Any, unordered: bool = False) -> bool:
    """Whether two document values mean the same: instants by the moment they name, empty
    text like no text, and checkbox lists regardless of order."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        if unordered:
            return sorted(map(str, a)) == sorted(map(str, b))
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str):
        return a == b or _same_instant(a, b)
    return type(a) is type(b) and a == b


def _same_instant(a: str, b: str) -> bool:
    try:
        first = datetime.fromisoformat(a.replace("Z", "+00:00"))
        second = datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return False
    if first.tzinfo is None or second.tzinfo is None:
        return False
    return first == second
