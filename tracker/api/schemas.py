"""What the API accepts and returns, as pydantic models.

Request models validate bodies and query strings; response models are what the OpenAPI
document publishes, and the fuzzing tests hold every response to them. Both refuse keys they
do not know, so that the document describes each body exactly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..facts import CATEGORIES, CAUSES, SEVERITIES, STATUSES, Instant
from ..hold.models import CUSTODIAN_STATUSES
from ..incident.models import CUSTOMER_IMPACT, DATA_LOSS
from ..incident.service import LARGEST_PAGE, PAGE_SIZE
from ..notice.directory import Entry as RecipientEntry
from ..notice.models import CHANNELS, DUE_KINDS, NOTICE_STATUSES
from ..report.models import INCIDENT_KINDS as REPORT_KINDS
from ..report.models import KINDS as EXPORT_KINDS

# Timeline kinds a client may write; "status" entries come only from status changes.
ENTRY_KINDS = ("note", "action", "decision", "communication")
OBLIGATION_FILTERS = ("open", "settled", "all")
NOTICE_STATES = ("open", *NOTICE_STATUSES)

# The most incidents one page of the API's list holds.
LARGEST_PER_PAGE = 200

Text = Annotated[str, Field(max_length=10_000)]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Requests.


class DeadlinesQuery(Strict):
    at: Instant | None = Field(None, description="Count down from this instant (with offset).")


class IncidentQuery(Strict):
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    severity: Literal[SEVERITIES] | None = None  # type: ignore[valid-type]
    category: Literal[CATEGORIES] | None = None  # type: ignore[valid-type]
    q: str | None = Field(None, max_length=200, description="Text in the title or reference.")
    page: int = Field(
        1, ge=1, le=LARGEST_PAGE, description="The page to answer, 1 for the newest incidents."
    )
    per_page: int = Field(
        PAGE_SIZE, ge=1, le=LARGEST_PER_PAGE, description="How many incidents a page holds."
    )


class ObligationQuery(Strict):
    status: Literal[OBLIGATION_FILTERS] = Field(  # type: ignore[valid-type]
        "open", description="open: no notice has met it yet; settled: met or not required."
    )
    due_before: Instant | None = Field(
        None, description="Only those whose deadline (legal date, else target) is earlier."
    )
    regime: str | None = Field(None, max_length=60)
    recipient: str | None = Field(None, max_length=60)
    incident_id: Id | None = None
    page: int = Field(
        1, ge=1, le=LARGEST_PAGE, description="The page to answer, 1 for the soonest deadlines."
    )
    per_page: int = Field(
        PAGE_SIZE, ge=1, le=LARGEST_PER_PAGE, description="How many obligations a page holds."
    )


class IncidentObligationsQuery(Strict):
    history: bool = Field(
        False,
        description="true: also the superseded obligations (is_current false) that earlier "
        "facts gave, for the incident's history; only the current ones unless given.",
    )


class NoticeRecord(Strict):
    """A notice given outside the tracker, recorded as given."""

    sent_at: Instant
    channel: Literal[CHANNELS]  # type: ignore[valid-type]
    reference: str = Field("", max_length=200)
    delay_reason: Text = Field("", description="Required when sent_at is after the due date.")


class TimelineEntryCreate(Strict):
    text: Text = Field(min_length=1)
    kind: Literal[ENTRY_KINDS] = "note"  # type: ignore[valid-type]
    at: Instant | None = Field(None, description="When it happened; now when left out.")


class StatusChangeCreate(Strict):
    status: Literal[STATUSES]  # type: ignore[valid-type]
    note: Text = ""


class ImpactChange(Strict):
    """The fields of the impact assessment to change; those left out stay as they are."""

    impact_systems: list[Annotated[str, Field(max_length=200)]] = []
    impact_users: Annotated[int, Field(ge=0, le=2_147_483_647)] | None = None
    impact_data_compromised: Text = ""
    impact_data_loss: Literal[DATA_LOSS] | None = None  # type: ignore[valid-type]
    revenue_impact: Text = ""
    customer_impact: Literal[CUSTOMER_IMPACT] | None = None  # type: ignore[valid-type]
    brand_impact: Text = ""
    regulatory_impact: Text = ""


class Empty(Strict):
    """No fields: the action needs none."""


class DraftCreate(Strict):
    letter: str | None = Field(
        None, max_length=40, description="A letter of the catalogue; the fitting one if left out."
    )
    phase: str = Field("", max_length=40, description="Such as initial or supplement.")


class ContentChange(Strict):
    content: dict[str, Annotated[str, Field(max_length=20_000)]] = Field(
        description="The letter's fields by name; an approved notice goes back to draft."
    )


class Acknowledgement(Strict):
    acknowledged_at: Instant | None = Field(None, description="When; now if left out.")
    reference: str = Field("", max_length=200)


class NotRequired(Strict):
    reason: Text = Field(min_length=1, description="Why no notice is required; kept on record.")


class AccessChange(Strict):
    restricted: bool = Field(description="Need to know: only the team and administrators see it.")
    members: list[Id] = Field(
        default_factory=list, max_length=1000, description="User ids of the incident's team."
    )


class ReportRequest(Strict):
    kind: Literal[REPORT_KINDS] = "incident"  # type: ignore[valid-type]
    obligation: str | None = Field(None, description="The obligation key a submission answers.")
    reason: str | None = None


# Responses.


class ErrorDetail(Strict):
    message: str
    fields: dict[str, str] = Field(description="Each field path with what was expected.")


class Error(Strict):
    error: ErrorDetail


class ComputedObligation(Strict):
    """An obligation as `tracker deadlines --json` prints it."""

    key: str
    regime: str
    recipient: str
    stage: str | None
    due: datetime | None
    due_kind: Literal[DUE_KINDS]  # type: ignore[valid-type]
    trigger: str
    basis: str
    citation: str
    rule_version: str
    trigger_at: datetime | None
    timezone: str
    target: datetime | None
    target_basis: str | None
    notes: list[str]
    content: list[str]
    contractual: bool
    depends_on: str | None
    confidence: str
    given_at: datetime | None
    remaining_seconds: int | None = None
    overdue: bool | None = None


class NotApplicable(Strict):
    regime: str
    key: str | None = None
    recipient: str | None = None
    stage: str | None = None
    reason: str


class Deadlines(Strict):
    obligations: list[ComputedObligation]
    not_applicable: list[NotApplicable]


class NoticeSummary(Strict):
    id: int
    sequence: int
    phase: str
    status: Literal[NOTICE_STATUSES]  # type: ignore[valid-type]
    letter: str
    content_hash: str | None
    approved_by_id: int | None
    approved_at: datetime | None
    sent_at: datetime | None
    channel: Literal[CHANNELS] | None  # type: ignore[valid-type]
    sent_by_id: int | None
    reference: str
    delay_reason: str
    acknowledged_at: datetime | None
    not_required_reason: str
    decided_by_id: int | None
    attachments: list[str] = Field(description="The proof files' names; `proof` has the rest.")
    due_at_sending: datetime | None = Field(
        description="The obligation's legal date as it stood when the notice was sent; the "
        "date may move later with the facts. None before sending, or without a legal date."
    )
    sent_late: bool | None = Field(
        description="Sent after due_at_sending; false when it had no legal date then, None "
        "before sending."
    )


class StoredObligation(ComputedObligation):
    """A stored obligation: the computed one plus its id and where its notices stand."""

    id: int
    incident_id: int
    is_current: bool
    notice_status: Literal[NOTICE_STATES]  # type: ignore[valid-type]
    notices: list[NoticeSummary]


class Obligations(Strict):
    obligations: list[StoredObligation]


class ObligationPage(Strict):
    obligations: list[StoredObligation] = Field(description="This page, soonest deadline first.")
    page: int = Field(description="The page answered, from 1.")
    per_page: int
    pages: int = Field(description="How many pages the filtered list has; at least 1.")
    total: int = Field(description="How many obligations the filtered list has.")
    next: str | None = Field(
        description="The address of the next (later) page with the same filters; null on the last."
    )
    previous: str | None = Field(
        description="The address of the previous (sooner) page; null on the first."
    )


class ObligationOne(Strict):
    obligation: StoredObligation


class Proof(Strict):
    """A proof file of a notice: a portal receipt, the letter as sent."""

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: int | None
    uploaded_at: datetime
    download_url: str


class NoticeDetail(NoticeSummary):
    content: dict[str, str]
    proof: list[Proof]


class NoticeRecorded(Strict):
    notice: NoticeDetail
    obligation: StoredObligation


class StatusChange(Strict):
    from_status: Literal[STATUSES] | None  # type: ignore[valid-type]
    to_status: Literal[STATUSES]  # type: ignore[valid-type]
    at: datetime
    actor_id: int | None
    note: str


class TimelineEntry(Strict):
    id: int
    at: datetime
    kind: str
    text: str
    author_id: int | None
    created_at: datetime


class Timeline(Strict):
    timeline: list[TimelineEntry]


class TimelineEntryOne(Strict):
    entry: TimelineEntry


class Impact(Strict):
    impact_systems: list[str]
    impact_users: int | None
    impact_data_compromised: str
    impact_data_loss: Literal[DATA_LOSS] | None  # type: ignore[valid-type]
    revenue_impact: str
    customer_impact: Literal[CUSTOMER_IMPACT] | None  # type: ignore[valid-type]
    brand_impact: str
    regulatory_impact: str


class IncidentSummary(Strict):
    id: int
    reference: str
    title: str
    severity: Literal[SEVERITIES] | None  # type: ignore[valid-type]
    category: Literal[CATEGORIES] | None  # type: ignore[valid-type]
    status: Literal[STATUSES]  # type: ignore[valid-type]
    cause: Literal[CAUSES] | None  # type: ignore[valid-type]
    timezone: str
    discovered_at: datetime | None
    assigned_to: str | None
    created_at: datetime
    updated_at: datetime
    url: str


class IncidentDetail(IncidentSummary):
    description: str
    response_target: str | None
    affected_services: list[str]
    affected_customers: int | None
    detected_by: str | None
    tags: list[str]
    impact: Impact
    status_changes: list[StatusChange]


class Incidents(Strict):
    incidents: list[IncidentSummary] = Field(description="This page, newest first.")
    page: int = Field(description="The page answered, from 1.")
    per_page: int
    pages: int = Field(description="How many pages the filtered list has; at least 1.")
    total: int = Field(description="How many incidents the filtered list has.")
    next: str | None = Field(
        description="The address of the next (older) page with the same filters; null on the last."
    )
    previous: str | None = Field(
        description="The address of the previous (newer) page; null on the first."
    )


class IncidentOne(Strict):
    incident: IncidentDetail


class FactsReplaced(Strict):
    facts: dict[str, Any] = Field(description="The stored incident-facts/1 document.")
    obligations: list[StoredObligation] = Field(description="The obligations, recomputed.")


class ReportExport(Strict):
    id: str
    kind: Literal[EXPORT_KINDS]  # type: ignore[valid-type]
    incident_id: int | None = Field(description="None for a plan report, which covers a period.")
    incident_reference: str | None
    obligation_key: str | None
    sha256: str
    facts_sha256: str
    rule_versions: dict[str, str]
    signer: str
    signer_role: str
    certificate_subject: str
    signature_level: str
    path: str
    size: int
    created_at: datetime | None
    created_by: str | None


class ReportOne(Strict):
    export: ReportExport


class ReportCreated(ReportOne):
    download_url: str


class ReportVerification(Strict):
    status: Literal["valid", "altered", "unconfirmed"] = Field(
        description="valid: intact, trusted and known here; altered: the bytes are not those "
        "signed; unconfirmed: intact, but the signer is not trusted or no export matches."
    )
    sha256: str = Field(description="SHA-256 of the file as received, in hex.")
    signer: str | None
    signed_at: datetime | None
    timestamped_at: datetime | None = Field(description="The timestamp authority's time (B-T).")
    is_intact: bool
    is_trusted: bool
    is_unmodified: bool = Field(description="Nothing was appended after the signature.")
    is_known: bool = Field(description="An export record of this tracker matches the file.")
    facts_match: bool | None = Field(description="The embedded facts are those recorded.")
    export: ReportExport | None
    problems: list[str]
    notes: list[str]


class Token(Strict):
    id: int
    user_id: int
    prefix: str
    scope: Literal["read", "read-write"]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class Tokens(Strict):
    tokens: list[Token]


class TokenOne(Strict):
    token: Token


class User(Strict):
    id: int
    email: str
    name: str
    role: Literal["administrator", "counsel", "responder", "viewer"]
    timezone: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class Users(Strict):
    users: list[User]


class AuditEvent(Strict):
    seq: int
    at: datetime
    actor_id: int | None
    actor: str
    action: str
    object_type: str
    object_id: str | None
    before: Any
    after: Any
    hash: str


class AuditEvents(Strict):
    events: list[AuditEvent]


# Evidence and chain of custody.

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$", description="64 hex digits.")]
Short = Annotated[str, Field(max_length=200)]


class EvidenceCreate(Strict):
    """An evidence item; its SHA-256 when the original is kept elsewhere."""

    description: Text = Field(min_length=1)
    incident_id: Id | None = None
    source_system: str = Field("", max_length=300)
    collected_by: Short = Field(min_length=1)
    collected_at: Instant
    location: str = Field("", max_length=500)
    sha256: Sha256 | None = None
    hold_ids: list[Id] = Field([], max_length=100, description="Legal holds it is kept under.")


class TransferCreate(Strict):
    """A transfer of custody, or with `corrects` a correction of an earlier one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    from_party: Short = Field(alias="from", min_length=1)
    to_party: Short = Field(alias="to", min_length=1)
    at: Instant
    purpose: Text = Field(min_length=1)
    condition: Text = ""
    corrects: Id | None = Field(None, description="The id of the transfer this one corrects.")


class Transfer(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: int
    item_id: int
    from_party: str = Field(alias="from")
    to_party: str = Field(alias="to")
    at: datetime
    purpose: str
    condition: str
    corrects: int | None
    recorded_at: datetime


class HashCheck(Strict):
    id: int
    sha256: str
    expected: str | None
    matches: bool
    filename: str
    size: int
    checked_at: datetime


class Evidence(Strict):
    id: int
    incident_id: int | None
    description: str
    source_system: str
    collected_by: str
    collected_at: datetime
    location: str
    sha256: str | None
    hash_source: Literal["computed", "entered"] | None
    filename: str
    size: int | None
    hold_ids: list[int]
    holder: str
    transfers: list[Transfer]
    checks: list[HashCheck]


class EvidenceOne(Strict):
    evidence: Evidence


class TransferOne(Strict):
    transfer: Transfer
    evidence: Evidence


class FileChecked(Strict):
    """An uploaded evidence file's check against the record, and the item after it."""

    check: HashCheck
    evidence: Evidence


# The analysis of imported public breach records.


class AnalysisQuery(Strict):
    source: str | None = Field(None, max_length=100, description="One imported set, by name.")


class Verdicts(Strict):
    on_time: int
    late: int
    not_judged: int
    on_time_share: float | None


class VerdictGroup(Verdicts):
    group: str
    median_days: float | None


class DaysToNotify(Strict):
    count: int
    median: float | None
    mean: float | None
    p90: int | None
    max: int | None


class DaysBucket(Strict):
    days: str
    count: int


class Delay(Strict):
    reference: str | None
    title: str
    industry: str
    aware_on: date | None
    notified_on: date | None
    due_on: date | None
    verdict: Literal["on_time", "late", "not_judged"]
    days: int | None
    days_late: int | None


class FigureSet(Strict):
    source: str
    records: int
    totals: Verdicts
    by_year: list[VerdictGroup]
    by_industry: list[VerdictGroup]
    days_to_notify: DaysToNotify
    distribution: list[DaysBucket]
    worst_delays: list[Delay]


class Analysis(Strict):
    sets: list[FigureSet]


# Legal holds.

Line = Annotated[str, Field(max_length=500)]
Days = Annotated[int, Field(ge=1, le=3650)]


class HoldScope(Strict):
    starts_on: date | None = Field(None, description="Material from this day.")
    ends_on: date | None = Field(None, description="Material up to this day.")
    subjects: list[Line] = Field([], max_length=200)
    data_sources: list[Line] = Field(
        [], max_length=200, description="Systems, mailboxes, shared drives, chat."
    )


class HoldPerson(Strict):
    name: Short = Field(min_length=1)
    email: str = Field(min_length=3, max_length=320)
    manager_email: str = Field("", max_length=320)
    department: Short = ""
    role: Literal["custodian", "system_owner"] = "custodian"
    systems: str = Field("", max_length=2000, description="For system owners: what they run.")
    instructions: Text = Field("", description="For system owners: what to preserve and how.")


class HoldCreate(Strict):
    name: str = Field(min_length=1, max_length=300)
    description: Text = ""
    incident_ids: list[Id] = Field([], max_length=100)
    scope: HoldScope = HoldScope()
    custodians: list[HoldPerson] = Field([], max_length=1000)
    timezone: str | None = Field(None, max_length=64, description="Where days are counted.")
    reminder_days: Days | None = None
    escalation_days: Days | None = None
    renotice_days: Days | None = None


class HoldQuery(Strict):
    incident_id: Id | None = Field(None, description="Only the holds kept for this incident.")


class HoldScopeChange(Strict):
    scope: HoldScope = Field(description="The whole new scope: what it leaves out is emptied.")
    description: Text | None = Field(None, description="The hold's description; kept if left out.")


class HoldRelease(Strict):
    reason: Text = Field(min_length=1, description="Why the hold is released; kept on record.")


class HoldCustodian(Strict):
    id: int
    role: Literal["custodian", "system_owner"]
    name: str
    email: str
    department: str
    manager_email: str
    status: Literal[CUSTODIAN_STATUSES]  # type: ignore[valid-type]
    notified_version: int | None
    notified_at: datetime | None
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    released_at: datetime | None


class Hold(Strict):
    id: int
    name: str
    description: str
    status: Literal["draft", "active", "released"]
    incident_ids: list[int]
    scope: HoldScope
    owner_id: int
    timezone: str
    version: int
    reminder_days: int
    escalation_days: int
    renotice_days: int
    issued_at: datetime | None
    released_at: datetime | None
    release_reason: str
    custodians: list[HoldCustodian]


class HoldOne(Strict):
    hold: Hold


class Holds(Strict):
    holds: list[Hold]


class Access(Strict):
    restricted: bool
    members: list[int]


class AccessOne(Strict):
    access: Access


# The recipient directory.


class Reference(Strict):
    title: str
    url: str


class Regulator(Strict):
    key: str
    regime: str
    regime_name: str
    citation: str
    entries: list[RecipientEntry]
    references: list[Reference]


class RecipientParty(Strict):
    """A recipient among the people and parties of the incident, with the keys it serves."""

    entry: RecipientEntry
    keys: list[str]


class IncidentRecipients(Strict):
    obligation_id: int
    key: str
    entries: list[RecipientEntry]


class Customer(Strict):
    party: str
    slug: str
    periods: list[str] = Field(description="The notice periods agreed, such as 48h.")
    incident_ids: list[int]


class RecipientsQuery(Strict):
    incident_id: Id | None = Field(None, description="Only the recipients of this incident.")


class Recipients(Strict):
    reviewed: date = Field(description="The oldest review date of the directory's entries.")
    incident_id: int | None
    obligations: list[IncidentRecipients] = Field(
        description="With incident_id: each current obligation with its recipients."
    )
    regulators: list[Regulator]
    parties: list[RecipientParty]
    customers: list[Customer]


# Metrics, calendar feeds and reminder policies.


class MetricsQuery(Strict):
    timezone: str | None = Field(
        None, max_length=64, description="Where months are counted; the caller's zone if left out."
    )


class MetricSummary(Strict):
    """The measures of a group of incidents; a time is None where no incident tells it."""

    label: str
    incidents: int
    time_to_detect_seconds: float | None = Field(description="Mean, occurrence to discovery.")
    time_to_respond_seconds: float | None = Field(
        description="Mean, detection to the first move out of detected."
    )
    time_to_resolve_seconds: float | None = Field(description="Mean, detection to resolution.")
    downtime_seconds: float | None = Field(description="Mean downtime of the outages.")
    outages: int
    affected_customers: int
    notices_due: int = Field(description="Legal notices whose date passed, or that were given.")
    notices_on_time: int = Field(description="Of those, the ones given by their legal date.")
    on_time_rate: float | None = Field(description="notices_on_time / notices_due, 0 to 1.")


class Metrics(Strict):
    timezone: str
    exercises: int = Field(description="Exercises of the plan, left out of every figure.")
    overall: MetricSummary
    by_severity: list[MetricSummary]
    by_month: list[MetricSummary]


class CalendarFeed(Strict):
    url: str = Field(description="The secret address for calendar clients; shown only once.")
    token: str
    created_at: datetime | None


class CalendarFeedState(Strict):
    feed: CalendarFeed | None


Step = Annotated[str, Field(max_length=20)]


class PolicyChange(Strict):
    steps: list[Step] = Field(
        max_length=50, description="Before the deadline: half, durations such as 24h, and due."
    )
    overdue: Literal["daily", "weekly", "none"] = "daily"


class ConfiguredPolicy(Strict):
    scope: str
    steps: list[str]
    overdue: Literal["daily", "weekly", "none"]


class StoredPolicy(ConfiguredPolicy):
    updated_at: datetime | None
    updated_by_id: int | None


class PolicyOne(Strict):
    policy: StoredPolicy


class ReminderPolicies(Strict):
    configured: list[ConfiguredPolicy]
    stored: list[StoredPolicy]
