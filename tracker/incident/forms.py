"""The incident pages' forms, the plain-language labels they show, and local-time entry.

A person enters a time as a local date and time with its time zone; the product stores the
instant with its offset. A local time that does not exist (clocks moved forward) or exists
twice (clocks moved back) is refused with a message, never guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..facts import CATEGORIES, FIRST_YEAR, FORMAT, LAST_YEAR, SEVERITIES, iana_zone_names
from .models import CUSTOMER_IMPACT, DATA_LOSS, TIMELINE_KINDS

SEVERITY_LABELS = {
    "SEV-1": "SEV-1 critical",
    "SEV-2": "SEV-2 high",
    "SEV-3": "SEV-3 medium",
    "SEV-4": "SEV-4 low",
}
CATEGORY_LABELS = {
    "security": "Security",
    "outage": "System outage",
    "data": "Data incident",
    "third_party": "Third party",
    "operational": "Operational",
}
STATUS_LABELS = {
    "detected": "Detected",
    "investigating": "Investigating",
    "mitigating": "Mitigating",
    "resolved": "Resolved",
    "post_mortem": "Post-mortem",
}
CAUSE_LABELS = {
    "external_attack": "Attack from outside",
    "insider_wrongful": "Wrongful act of an insider",
    "accidental_disclosure": "Accidental disclosure",
    "misdelivery": "Sent to the wrong recipient",
    "loss_or_theft": "Loss or theft of a device or papers",
    "system_error": "System error",
    "other": "Other",
    "unknown": "Not known yet",
}
ROLE_LABELS = {
    "controller": "Controller: decides why and how personal data is processed (GDPR)",
    "processor": "Processor: processes personal data for a controller (GDPR)",
    "covered_entity": "Covered entity: health plan, clearinghouse or provider (HIPAA)",
    "business_associate": "Business associate of a covered entity (HIPAA)",
    "financial_institution": "Financial institution (GLBA)",
    "merchant": "Merchant accepting payment cards (PCI)",
    "service_provider": "Service provider to merchants or other businesses",
    "public_company": "Public company reporting to the SEC",
    "financial_entity": "Financial entity (DORA)",
    "essential_entity": "Essential entity (NIS2)",
    "important_entity": "Important entity (NIS2)",
    "credit_institution": "Credit institution (DORA)",
    "payment_institution": "Payment institution (DORA)",
    "nydfs_covered_entity": "Covered entity of the New York DFS (23 NYCRR 500)",
    "data_owner": "Owns or licenses the data (US state laws)",
    "licensee": "Licensee of the data (US state laws)",
    "agent_of_covered_entity": "Business associate acting as the covered entity's agent",
    "information_broker": "Information broker",
    "consumer_reporting_agency": "Consumer reporting agency",
    "small_processing_agent": "Small processing agent (LGPD)",
    "communications_provider": "Provider of a public electronic communications service (UK PECR)",
    "critical_infrastructure_operator": "Operator of critical information infrastructure (China)",
}
EVENT_LABELS = {
    "occurred_at": "When the incident began",
    "discovered_at": "When the organisation discovered it (or should have)",
    "aware_at": "When it was reasonably certain that personal data was affected",
    "determined_at": "When it was determined that a notifiable breach occurred",
    "scope_identified_at": "When the scope was established",
    "assessment_completed_at": "When a required assessment was completed",
    "contained_at": "When it was contained",
    "resolved_at": "When it was resolved",
    "materiality_determined_at": "When it was determined to be material (SEC)",
    "classified_major_at": "When it was classified as major (DORA)",
    "ransom_paid_at": "When a ransom was paid",
}
# Short names of the events, for the contract trigger picker.
EVENT_SHORT_LABELS = {
    "occurred_at": "Start of the incident",
    "discovered_at": "Discovery",
    "aware_at": "Awareness",
    "determined_at": "Determination",
    "scope_identified_at": "Scope established",
    "assessment_completed_at": "Assessment completed",
    "contained_at": "Containment",
    "resolved_at": "Resolution",
    "materiality_determined_at": "Materiality determined",
    "classified_major_at": "Classified major",
    "ransom_paid_at": "Ransom paid",
}
DATA_CATEGORY_LABELS = {
    "name": "Names",
    "email": "E-mail addresses",
    "phone": "Telephone numbers",
    "address": "Postal addresses",
    "dob": "Dates of birth",
    "ssn": "Social security numbers",
    "tax_id": "Tax identification numbers",
    "drivers_license": "Driver's licence numbers",
    "passport": "Passport numbers",
    "government_id": "Other government identity numbers",
    "financial_account": "Bank or financial account numbers",
    "payment_card": "Payment card numbers",
    "payment_card_with_code": "Payment card numbers with security code or PIN",
    "credentials": "User names with passwords or security questions",
    "health": "Health or medical information",
    "health_insurance": "Health insurance information",
    "biometric": "Biometric data",
    "genetic": "Genetic data",
    "precise_geolocation": "Precise location",
    "other": "Other personal data",
}
RISK_LABELS = {
    "unlikely": "Unlikely: no risk to the people affected",
    "likely": "A risk to the people affected",
    "high": "A high risk to the people affected (GDPR Art. 34)",
    "unknown": "Not assessed yet",
}
BRAND_LABELS = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "discover": "Discover",
    "jcb": "JCB",
}
KIND_LABELS = {
    "note": "Note",
    "action": "Action taken",
    "decision": "Decision",
    "communication": "Communication",
    "status": "Status change",
}
DATA_LOSS_LABELS = {"none": "No loss", "partial": "Partial loss", "complete": "Complete loss"}
CUSTOMER_IMPACT_LABELS = {"none": "None", "degraded": "Degraded", "unavailable": "Unavailable"}

# Countries whose subdivisions the area picker lists; any valid ISO 3166-2 code is accepted.
SUBDIVISION_COUNTRIES = ("US", "CA", "AU", "GB", "DE", "IN", "BR", "MX", "ES", "IT", "FR")

UTC_OFFSET_PREFIX = "UTC"

# The kinds a person may add; status entries are written by the status flow itself.
ENTRY_KINDS = tuple(kind for kind in TIMELINE_KINDS if kind != "status")


class LocalTimeError(ValueError):
    """A local date and time, or its zone, that cannot be read; `field` is local or zone."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA time zones installed, sorted, for the time-zone pickers and their checks."""
    return tuple(sorted(iana_zone_names()))


@cache
def region_options() -> tuple[tuple[str, str], ...]:
    """ISO 3166 countries and the subdivisions of SUBDIVISION_COUNTRIES, as (code, name)."""
    countries = sorted((c.alpha_2, c.name) for c in pycountry.countries)
    names = dict(countries)
    subdivisions = sorted(
        (s.code, f"{s.name}, {names.get(s.country_code, s.country_code)}")
        for s in pycountry.subdivisions
        if s.country_code in SUBDIVISION_COUNTRIES
    )
    return tuple(countries + subdivisions)


@cache
def country_options() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((c.alpha_2, c.name) for c in pycountry.countries))


def resolve_zone(name: str) -> tzinfo:
    """An IANA zone, or a fixed offset written UTC+01:00; LocalTimeError otherwise."""
    name = name.strip()
    if not name:
        raise LocalTimeError(
            "Choose the time zone of this time; a time without a zone is ambiguous.", "zone"
        )
    if name.startswith(UTC_OFFSET_PREFIX) and name[3:4] in ("+", "-"):
        return _fixed_offset(name)
    if name not in zone_names():
        raise LocalTimeError(
            f"The time zone {name!r} is unknown; choose an IANA zone such as Europe/Berlin "
            "or America/New_York, or a fixed offset such as UTC+01:00.",
            "zone",
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LocalTimeError(f"The time zone {name!r} is not installed.", "zone") from None


def _fixed_offset(name: str) -> tzinfo:
    try:
        parsed = datetime.strptime(name[3:], "%z")
    except ValueError:
        raise LocalTimeError(
            f"The offset {name!r} cannot be read; write it as UTC+01:00 or UTC-05:00.", "zone"
        ) from None
    offset = parsed.utcoffset() or timedelta(0)
    return UTC if offset == timedelta(0) else timezone(offset)


def parse_local(local: str, zone_name: str) -> datetime | None:
    """The instant of a local date and time in a zone; None when no time was entered."""
    local = local.strip()
    if not local:
        return None

    zone = resolve_zone(zone_name)
    naive = _read_local(local)
    offsets = {naive.replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)}
    instant = naive.replace(tzinfo=zone)

    if _wall_time(instant.astimezone(UTC), zone) != naive:
        raise LocalTimeError(
            f"The time {local} does not exist in {zone_name} (the clocks moved forward); "
            "check the time.",
            "local",
        )
    if len(offsets) > 1:
        choices = " or ".join(sorted(offset_label(o) for o in offsets if o is not None))
        raise LocalTimeError(
            f"The time {local} occurs twice in {zone_name} (the clocks moved back); "
            f"choose the offset as the zone instead: {choices}.",
            "local",
        )
    return instant


def _read_local(local: str) -> datetime:
    try:
        naive = datetime.fromisoformat(local)
    except ValueError:
        raise LocalTimeError(
            f"The date and time {local!r} cannot be read; enter it as 2026-03-05T09:30.",
            "local",
        ) from None
    if naive.tzinfo is not None:
        raise LocalTimeError(
            f"Enter {local!r} as a local time without an offset and choose its time zone.",
            "local",
        )
    if not FIRST_YEAR <= naive.year <= LAST_YEAR:
        raise LocalTimeError(
            f"The date {local!r} is outside the years {FIRST_YEAR} to {LAST_YEAR} that "
            "incident facts accept; check the year.",
            "local",
        )
    return naive


def _wall_time(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)


def offset_label(offset: timedelta) -> str:
    """A fixed offset as the zone pickers write it: UTC+05:30, UTC-04:00."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{UTC_OFFSET_PREFIX}{sign}{hours:02d}:{rest:02d}"


def split_instant(instant: datetime, zone_name: str) -> tuple[str, str]:
    """An instant as (local date-time, zone) for a form, in `zone_name` where unambiguous.

    Where the local time would occur twice in that zone, the instant's own offset is used as
    the zone, so that the form reads back as exactly the same instant.
    """
    try:
        zone = resolve_zone(zone_name)
    except LocalTimeError:
        zone, zone_name = UTC, "UTC"
    local = instant.astimezone(zone)
    naive = local.replace(tzinfo=None, fold=0)
    if {naive.replace(tzinfo=zone, fold=f).utcoffset() for f in (0, 1)} != {local.utcoffset()}:
        offset = local.utcoffset() or timedelta(0)
        local = instant.astimezone(timezone(offset))
        zone_name = offset_label(offset)
    return format_local(local.replace(tzinfo=None)), zone_name


def format_local(naive: datetime) -> str:
    """A local time as a datetime-local input value: seconds only when there are some."""
    if naive.microsecond:
        return naive.isoformat()
    if naive.second:
        return naive.strftime("%Y-%m-%dT%H:%M:%S")
    return naive.strftime("%Y-%m-%dT%H:%M")


def _choices(labels: dict[str, str], values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, labels.get(value, value)) for value in values]


class CreateForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    severity = SelectField("Severity", choices=_choices(SEVERITY_LABELS, SEVERITIES))
    category = SelectField("Category", choices=_choices(CATEGORY_LABELS, CATEGORIES))
    description = TextAreaField("Description", validators=[Length(max=20000)])
    timezone = StringField(
        "The organisation's legal time zone for this incident", validators=[DataRequired()]
    )
    discovered_local = StringField(
        "When the organisation discovered it (local time in that zone)",
        validators=[DataRequired()],
    )


def first_facts(form: CreateForm, discovered_at: datetime | None) -> dict[str, Any]:
    """The first facts document of an incident (or an exercise), from the short create form."""
    incident: dict[str, Any] = {
        "title": (form.title.data or "").strip(),
        "severity": form.severity.data,
        "category": form.category.data,
    }
    if (form.description.data or "").strip():
        incident["description"] = form.description.data.strip()
    return {
        "format": FORMAT,
        "incident": incident,
        "timezone": (form.timezone.data or "").strip(),
        "events": {"discovered_at": discovered_at.isoformat() if discovered_at else None},
    }


class StatusForm(FlaskForm):
    status = StringField("New status", validators=[DataRequired()])
    note = StringField("Note on the change (optional)", validators=[Length(max=2000)])


class TimelineForm(FlaskForm):
    at_local = StringField("When it happened (empty: now)")
    at_zone = StringField("Time zone")
    kind = SelectField("Kind", choices=_choices(KIND_LABELS, ENTRY_KINDS))
    text = TextAreaField("What happened", validators=[DataRequired(), Length(max=20000)])


class ImpactForm(FlaskForm):
    impact_systems = TextAreaField("Systems affected (one per line)")
    impact_users = StringField("Users affected (a whole number)")
    impact_data_compromised = TextAreaField("Data compromised")
    impact_data_loss = SelectField(
        "Loss of data", choices=[("", "Not assessed"), *_choices(DATA_LOSS_LABELS, DATA_LOSS)]
    )
    revenue_impact = TextAreaField("Revenue impact")
    customer_impact = SelectField(
        "Customer impact",
        choices=[("", "Not assessed"), *_choices(CUSTOMER_IMPACT_LABELS, CUSTOMER_IMPACT)],
    )
    brand_impact = TextAreaField("Brand impact")
    regulatory_impact = TextAreaField("Regulatory impact")


class UploadForm(FlaskForm):
    facts_file = FileField("Facts file (.json, incident-facts/1)")
