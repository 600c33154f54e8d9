"""The incident facts format, version 1: parsing, validation and serialisation.

Every way into and out of the product goes through `parse_facts` and `Facts.to_document`.
Unknown keys are refused so that a typo never silently drops a fact, and every error names
the field (as a dotted path) and what would be accepted.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from functools import cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from .errors import FactsError

FORMAT = "incident-facts/1"

SEVERITIES = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
CATEGORIES = ("security", "outage", "data", "third_party", "operational")
STATUSES = ("detected", "investigating", "mitigating", "resolved", "post_mortem")
CAUSES = (
    "external_attack",
    "insider_wrongful",
    "accidental_disclosure",
    "misdelivery",
    "loss_or_theft",
    "system_error",
    "other",
    "unknown",
)
ROLES = (
    "controller",
    "processor",
    "covered_entity",
    "business_associate",
    "financial_institution",
    "merchant",
    "service_provider",
    "public_company",
    "financial_entity",
    "essential_entity",
    "important_entity",
    "credit_institution",
    "payment_institution",
    "nydfs_covered_entity",
    "data_owner",
    "licensee",
    "agent_of_covered_entity",
    "information_broker",
    "consumer_reporting_agency",
    "small_processing_agent",
    "communications_provider",
    "critical_infrastructure_operator",
)
EVENTS = (
    "occurred_at",
    "discovered_at",
    "aware_at",
    "determined_at",
    "scope_identified_at",
    "assessment_completed_at",
    "contained_at",
    "resolved_at",
    "materiality_determined_at",
    "classified_major_at",
    "ransom_paid_at",
)
DATA_CATEGORIES = (
    "name",
    "email",
    "phone",
    "address",
    "dob",
    "ssn",
    "tax_id",
    "drivers_license",
    "passport",
    "government_id",
    "financial_account",
    "payment_card",
    "payment_card_with_code",
    "credentials",
    "health",
    "health_insurance",
    "biometric",
    "genetic",
    "precise_geolocation",
    "other",
)
RISK_LEVELS = ("unlikely", "likely", "high", "unknown")
PAYMENT_BRANDS = ("visa", "mastercard", "amex", "discover", "jcb")

# The years an instant may fall in.
FIRST_YEAR = 1900
LAST_YEAR = 2999

# The largest count of people or records, per jurisdiction and in total: more than the world's
# population, so a count above it is a typing error, never a fact.
MAX_COUNT = 10_000_000_000
# How far in the future an event may lie, for clocks that are slightly apart.
CLOCK_SKEW = timedelta(minutes=5)
# The events that start an incident, the earliest known of which no notice can precede.
START_EVENTS = {"occurred_at": "occurrence", "discovered_at": "discovery", "aware_at": "awareness"}

# A whole number from 1 to 9999 and a unit: the periods the deadline engine computes.
PERIOD_PATTERN = re.compile(r"^(?P<amount>[1-9]\d{0,3})(?P<unit>h|d|bd|mo)$")
OBLIGATION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]*(:[a-z0-9-]+)?/[a-z_]+(/[a-z_]+)?$")


def _instant(value: Any) -> Any:
    """Accept only ISO 8601 instants that carry an offset; a naive time is an error."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"expected an ISO 8601 instant with an offset, such as "
                f"2026-03-06T14:00:00-05:00; got {value!r}"
            ) from None
    else:
        raise ValueError(f"expected an ISO 8601 instant with an offset as a string; got {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"the instant {value!r} has no offset; add one, such as -05:00 or Z")
    check_year(parsed, value)
    return parsed


def check_year(instant: datetime, given: Any) -> None:
    """Refuse an instant outside the years FIRST_YEAR to LAST_YEAR, quoting `given`."""
    if not FIRST_YEAR <= instant.year <= LAST_YEAR:
        # Deadlines are counted in years around the instant; the far ends of the calendar
        # would run past what dates can hold.
        raise ValueError(
            f"expected an instant in the years {FIRST_YEAR} to {LAST_YEAR}; got {given!r}"
        )


Instant = Annotated[datetime, BeforeValidator(_instant)]


def _timezone(value: str) -> str:
    if value not in iana_zone_names():
        raise ValueError(
            f"expected an IANA time zone such as Europe/Berlin or America/New_York; got {value!r}"
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"the time zone {value!r} is not installed on this system") from None
    return value


# Files among the installed zones that are no place's time: the tz database's placeholder for
# a machine whose zone was never set (abbreviated "-00"), and copies of this machine's own zone.
NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})


@cache
def iana_zone_names() -> frozenset[str]:
    """The installed IANA time zones that name a place's time."""
    return frozenset(available_timezones() - NOT_ZONES)


def _region_code(value: str) -> str:
    if pycountry.countries.get(alpha_2=value) is not None:
        return value
    if "-" in value and pycountry.subdivisions.get(code=value) is not None:
        return value
    raise ValueError(
        f"expected an ISO 3166-1 country code (DE) or ISO 3166-2 subdivision code (US-CA); "
        f"got {value!r}"
    )


def _country_code(value: str) -> str:
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code such as IE; got {value!r}")
    return value


def _period(value: str) -> str:
    if not PERIOD_PATTERN.match(value):
        raise ValueError(
            "expected a period of 1 to 9999 units such as 24h, 3d, 5bd (business days) or "
            f"1mo; got {value!r}"
        )
    return value


TimeZoneName = Annotated[str, AfterValidator(_timezone)]
RegionCode = Annotated[str, AfterValidator(_region_code)]
CountryCode = Annotated[str, AfterValidator(_country_code)]
Period = Annotated[str, AfterValidator(_period)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IncidentInfo(_Strict):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    severity: Literal[SEVERITIES] | None = None  # type: ignore[valid-type]
    category: Literal[CATEGORIES] | None = None  # type: ignore[valid-type]
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    affected_services: list[str] = []
    affected_customers: Count | None = None
    detected_by: str | None = None
    assigned_to: str | None = None
    tags: list[str] = []
    cause: Literal[CAUSES] | None = None  # type: ignore[valid-type]


class Organisation(_Strict):
    name: str | None = None
    roles: list[Literal[ROLES]] = []  # type: ignore[valid-type]
    main_establishment: CountryCode | None = None


class Events(_Strict):
    occurred_at: Instant | None = None
    discovered_at: Instant | None = None
    aware_at: Instant | None = None
    determined_at: Instant | None = None
    scope_identified_at: Instant | None = None
    assessment_completed_at: Instant | None = None
    contained_at: Instant | None = None
    resolved_at: Instant | None = None
    materiality_determined_at: Instant | None = None
    classified_major_at: Instant | None = None
    ransom_paid_at: Instant | None = None


class DataFacts(_Strict):
    categories: list[Literal[DATA_CATEGORIES]] = []  # type: ignore[valid-type]
    records: Count | None = None
    encrypted: bool = False
    key_compromised: bool = False


class Assessment(_Strict):
    risk_of_harm: Literal[RISK_LEVELS] = "unknown"  # type: ignore[valid-type]
    rationale: str = ""


class LawEnforcementDelay(_Strict):
    agency: str = Field(min_length=1)
    requested_at: Instant
    released_at: Instant | None = None
    written: bool = False

    @model_validator(mode="after")
    def _release_after_request(self) -> LawEnforcementDelay:
        if self.released_at is not None and self.released_at < self.requested_at:
            raise ValueError("released_at must not be before requested_at")
        return self


class Contract(_Strict):
    party: str = Field(min_length=1)
    notify_within: Period
    trigger: Literal[EVENTS] = "discovered_at"  # type: ignore[valid-type]


class Facts(_Strict):
    format: Literal["incident-facts/1"]
    incident: IncidentInfo
    timezone: TimeZoneName
    organisation: Organisation = Organisation()
    events: Events
    notices: dict[str, Instant] = {}
    data: DataFacts = DataFacts()
    affected: dict[RegionCode, Count] = {}
    assessment: Assessment = Assessment()
    law_enforcement_delay: LawEnforcementDelay | None = None
    contracts: list[Contract] = []
    payment_brands: list[Literal[PAYMENT_BRANDS]] = []  # type: ignore[valid-type]

    @field_validator("notices")
    @classmethod
    def _notice_keys(cls, value: dict[str, datetime]) -> dict[str, datetime]:
        for key in value:
            if not OBLIGATION_KEY_PATTERN.match(key):
                raise ValueError(
                    f"the key {key!r} is not an obligation key such as hipaa/individuals "
                    "or nis2/csirt/early_warning"
                )
        return value

    @model_validator(mode="after")
    def _discovery_or_awareness(self) -> Facts:
        if self.events.discovered_at is None and self.events.aware_at is None:
            raise ValueError(
                "events needs discovered_at or aware_at (an instant with an offset); "
                "where only one is known, give that one"
            )
        return self

    @field_validator("affected")
    @classmethod
    def _affected_total(cls, value: dict[str, int]) -> dict[str, int]:
        total = sum(value.values())
        if total > MAX_COUNT:
            raise ValueError(
                f"expected counts adding up to at most {MAX_COUNT:,}; they add up to {total:,}"
            )
        return value

    def event(self, name: str) -> datetime | None:
        """The instant of an event; discovery and awareness stand in for each other."""
        value = getattr(self.events, name)
        if value is None and name == "discovered_at":
            return self.events.aware_at
        if value is None and name == "aware_at":
            return self.events.discovered_at
        return value

    def to_document(self) -> dict[str, Any]:
        """The facts as a JSON-ready document, keeping exactly the keys that were given."""
        return self.model_dump(mode="json", exclude_unset=True)

    def to_json(self) -> str:
        return json.dumps(self.to_document(), indent=2, ensure_ascii=False)


def earliest_start(facts: Facts) -> tuple[str, datetime] | None:
    """The earliest known of the occurrence, discovery and awareness, as (event word, instant)."""
    known = [
        (instant, word)
        for name, word in START_EVENTS.items()
        if (instant := getattr(facts.events, name)) is not None
    ]
    if not known:
        return None
    instant, word = min(known, key=lambda pair: pair[0])
    return word, instant


def check_not_future(facts: Facts, now: datetime) -> None:
    """Refuse facts to be saved whose events lie after `now` (give or take CLOCK_SKEW).

    Facts describe what happened; an event in the future would put deadlines in the future.
    Computing deadlines for planning may take such facts; saving them may not.
    """
    fields = {
        f"events.{name}": f"expected an instant not in the future; got {instant.isoformat()}"
        for name in EVENTS
        if (instant := getattr(facts.events, name)) is not None and instant > now + CLOCK_SKEW
    }
    if fields:
        first = next(iter(fields.items()))
        raise FactsError(f"The facts are not valid: {first[0]}: {first[1]}.", fields)


def parse_facts(document: Any) -> Facts:
    """Validate a facts document (a dict, or JSON text) and return it, or raise FactsError."""
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FactsError(
                f"The facts are not valid JSON: {exc}.", {"": "expected a JSON object"}
            ) from None
    if not isinstance(document, dict):
        raise FactsError(
            "The facts must be a JSON object with the keys of the incident-facts/1 format.",
            {"": "expected a JSON object"},
        )
    try:
        return Facts.model_validate(document)
    except PydanticValidationError as exc:
        fields = _field_messages(exc)
        first = next(iter(fields.items()))
        raise FactsError(
            f"The facts are not valid: {first[0] or 'document'}: {first[1]}.", fields
        ) from None


def _field_messages(exc: PydanticValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"] if not _is_type_tag(part))
        fields.setdefault(path, _describe(error))
    return fields


def _is_type_tag(part: Any) -> bool:
    # Pydantic adds validator names such as "function-after[...]" to locations.
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _describe(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key; check its spelling against the incident-facts/1 format"
    if kind == "missing":
        return "this field is required"
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"expected one of {allowed}; got {error.get('input')!r}"
    if kind in ("value_error", "assertion_error"):
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "less_than_equal":
        return f"expected a whole number of at most {MAX_COUNT:,}; got {error.get('input')!r}"
    if kind == "greater_than_equal":
        return f"expected a whole number of 0 or more; got {error.get('input')!r}"
    if kind.startswith("int_"):
        return f"expected a whole number; got {error.get('input')!r}"
    if kind.startswith("bool"):
        return f"expected true or false; got {error.get('input')!r}"
    return f"{error['msg']}; got {error.get('input')!r}"
