"""The closed vocabulary of rule files: recipients, stages, kinds, periods, events and regions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..facts import CAUSES, EVENTS

KINDS = (
    "us-state",
    "us-territory",
    "us-federal",
    "us-sectoral",
    "eu",
    "uk",
    "national",
    "subnational",
    "card-brand",
    "policy",
)

APPLIES_TO = ("residents", "residents_or_establishment", "organisation")

RECIPIENTS = (
    "individuals",
    "supervisory_authority",
    "regulator",
    "attorney_general",
    "state_agency",
    "consumer_reporting_agencies",
    "media",
    "hhs",
    "sec",
    "ftc",
    "nydfs",
    "card_brand",
    "acquirer",
    "controller",
    "covered_entity",
    "data_owner",
    "customer",
    "csirt",
    "internal",
)

STAGES = (
    "early_warning",
    "notification",
    "initial",
    "intermediate",
    "final",
    "annual_log",
    "supplement",
    "extortion_payment",
    "payment_justification",
    "response",
    "post_mortem",
    "status_notice",
    "regulator_check",
    "no_harm_determination",
)

CONFIDENCE = ("high", "medium", "low")
OPERATORS = (">", ">=", "<", "<=")
COUNTED_OVER = ("jurisdiction", "each", "total")
RISK_THRESHOLDS = ("likely", "high")
RISK_VALUES = ("unlikely", "likely", "high", "unknown")

#: Events that have no stand-in: until they happen, the clock has not started.
EVENTS_WITHOUT_STAND_IN = ("contained_at", "resolved_at", "ransom_paid_at")

#: For an event missing from the facts, the events that could stand for it; the earliest wins.
STAND_INS: dict[str, tuple[str, ...]] = {
    "occurred_at": ("discovered_at", "aware_at"),
    "discovered_at": ("aware_at",),
    "aware_at": ("discovered_at",),
    "determined_at": ("discovered_at", "aware_at"),
    "scope_identified_at": ("discovered_at", "aware_at"),
    "assessment_completed_at": ("discovered_at", "aware_at"),
    "materiality_determined_at": ("discovered_at", "aware_at"),
    "classified_major_at": ("aware_at", "discovered_at"),
}

EVENT_LABELS = {
    "occurred_at": "occurrence",
    "discovered_at": "discovery",
    "aware_at": "awareness",
    "determined_at": "determination of the breach",
    "scope_identified_at": "identification of the scope",
    "assessment_completed_at": "completion of the assessment",
    "contained_at": "containment",
    "resolved_at": "resolution",
    "materiality_determined_at": "the materiality determination",
    "classified_major_at": "classification as major",
    "ransom_paid_at": "the extortion payment",
}

#: Region names a rule file may list among its jurisdictions, and the countries they stand for.
_EU_MEMBER_STATES = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
)
REGIONS: dict[str, tuple[str, ...]] = {"EU": tuple(_EU_MEMBER_STATES.split())}
REGIONS["EEA"] = REGIONS["EU"] + ("IS", "LI", "NO")

ALL_CAUSES = CAUSES
ALL_EVENTS = EVENTS

NOTICE_PREFIX = "notice:"
YEAR_END_PREFIX = "year_end:"
WITHOUT_UNDUE_DELAY = "without undue delay"
CONCURRENT = "concurrent"

_AMOUNT_PERIOD = re.compile(r"^(?P<amount>[1-9]\d{0,3})(?P<unit>min|h|d|bd|mo)$")

UNIT_NAMES = {
    "min": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "d": ("calendar day", "calendar days"),
    "bd": ("business day", "business days"),
    "mo": ("month", "months"),
}


@dataclass(frozen=True, slots=True)
class Period:
    """A period of a rule: an amount and unit, or one of the two forms without a number."""

    amount: int | None
    unit: str | None
    form: str

    @property
    def is_elapsed(self) -> bool:
        return self.unit in ("min", "h")

    @property
    def is_numeric(self) -> bool:
        return self.amount is not None

    def describe(self) -> str:
        if self.amount is None:
            return self.form
        singular, plural = UNIT_NAMES[str(self.unit)]
        return f"{self.amount} {singular if self.amount == 1 else plural}"

    def __str__(self) -> str:
        return self.form


@cache
def parse_period(text: str) -> Period:
    """Read "72h", "30d", "4bd", "1mo", "15min", "without undue delay" or "concurrent"."""
    value = text.strip()
    if value in (WITHOUT_UNDUE_DELAY, CONCURRENT):
        return Period(None, None, value)

    match = _AMOUNT_PERIOD.match(value)
    if match is None:
        raise ValueError(
            f"expected a period such as 72h, 15min, 30d, 4bd, 1mo, "
            f"'{WITHOUT_UNDUE_DELAY}' or '{CONCURRENT}'; got {text!r}"
        )
    return Period(int(match["amount"]), match["unit"], value)
