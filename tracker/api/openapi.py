"""The OpenAPI 3.1 document of /api/v1, built from the pydantic models that check requests.

Each operation is declared once below with its body, query and answers; the schemas come from
the facts model and tracker.api.schemas, so that the document cannot drift from the checks.
A test holds this table and the application's URL map to each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..facts import Facts
from ..notice.attachments import KINDS as PROOF_KINDS
from ..plan.models import WHY_COUNT
from ..plan.reports import AUDIT_YEARS
from . import plan_schemas as plan
from . import schemas

REF = "#/components/schemas/{model}"
PDF = "application/pdf"
ZIP = "application/zip"
# A file kept as it was uploaded: sent back with the media type it was given.
ANY_FILE = "*/*"
UPLOAD = "application/octet-stream"
DOWNLOAD = {"Content-Disposition": "attachment, with the file's name made safe."}
MULTIPART = "multipart/form-data"
# The kinds of proof file a notice keeps, each served as a download.
PROOF_TYPES = tuple(sorted(set(PROOF_KINDS.values())))

ERRORS = {
    400: "The body is not JSON.",
    401: "No token, or the token is unknown, expired or revoked.",
    403: "The token may only read, or the role may not do this.",
    404: "Nothing has this id.",
    409: "The change is refused in the object's current state.",
    412: "If-Match names a version that is no longer the current one.",
    413: "The body is larger than the route accepts: 1024 KiB, or the upload limit for files.",
    415: "The body is not sent in the media type the route reads.",
    422: "A field or query parameter is not valid; `fields` names each with what is accepted.",
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    # A model; PDF; a tuple of the media types of a file download; None: any JSON object.
    answer: type[BaseModel] | str | tuple[str, ...] | None
    status: int = 200
    body: type[BaseModel] | None = None
    body_optional: bool = False
    # The media type of a body that is not a JSON model, such as a PDF to verify.
    raw_body: str | None = None
    # The multipart field that carries files, for an upload.
    files: str | None = None
    # The multipart field that carries the one file of an upload of a single file.
    file: str | None = None
    query: type[BaseModel] | None = None
    ids: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    request_headers: dict[str, str] = field(default_factory=dict)
    public: bool = False


INCIDENT = ("incident_id",)
OBLIGATION = ("obligation_id",)
NOTICE = ("notice_id",)
EVIDENCE = ("item_id",)
HOLD = ("hold_id",)
PLAYBOOK = ("playbook_id",)
CHECKLIST_ITEM = ("incident_id", "item_id")
BODY_ERRORS = (400, 413, 415, 422)
QUERY_ERRORS = (422,)

OPERATIONS = (
    Operation("get", "/openapi.json", "This document.", None, public=True),
    Operation(
        "post",
        "/deadlines",
        "Obligations for a facts document, as `tracker deadlines --json`; stores nothing.",
        schemas.Deadlines,
        body=Facts,
        query=schemas.DeadlinesQuery,
        errors=BODY_ERRORS,
    ),
    Operation(
        "post",
        "/incidents",
        "Create an incident from a facts document; its obligations are computed.",
        schemas.IncidentOne,
        status=201,
        body=Facts,
        errors=BODY_ERRORS,
        headers={"Location": "The incident's address in this API."},
    ),
    Operation(
        "get",
        "/incidents",
        "Incidents, newest first, optionally filtered, one page at a time: `page` (from 1) "
        "and `per_page` (1 to 200, 50 unless given); `next` and `previous` are the addresses "
        "of the neighbouring pages with the same filters. A page past the last answers 404.",
        schemas.Incidents,
        query=schemas.IncidentQuery,
        errors=(404, *QUERY_ERRORS),
    ),
    Operation(
        "get",
        "/incidents/{incident_id}",
        "One incident with its impact assessment and status history.",
        schemas.IncidentOne,
        ids=INCIDENT,
    ),
    Operation(
        "get",
        "/incidents/{incident_id}/facts",
        "The incident's facts document as stored.",
        Facts,
        ids=INCIDENT,
        headers={"ETag": "The version of the facts, for If-Match."},
    ),
    Operation(
        "put",
        "/incidents/{incident_id}/facts",
        "Replace the facts; the obligations are recomputed and returned.",
        schemas.FactsReplaced,
        body=Facts,
        ids=INCIDENT,
        errors=(*BODY_ERRORS, 409, 412),
        headers={"ETag": "The version of the facts now stored."},
        request_headers={"If-Match": "Replace only if the facts are still at this ETag."},
    ),
    Operation(
        "get",
        "/incidents/{incident_id}/obligations",
        "The incident's current obligations with their ids and notice status; with "
        "`history=true` also the superseded ones (is_current false) that earlier facts gave.",
        schemas.Obligations,
        query=schemas.IncidentObligationsQuery,
        ids=INCIDENT,
        errors=QUERY_ERRORS,
    ),
    Operation(
        "get",
        "/incidents/{incident_id}/timeline",
        "The incident's timeline, oldest first.",
        schemas.Timeline,
        ids=INCIDENT,
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/timeline",
        "Add an entry to the incident's timeline.",
        schemas.TimelineEntryOne,
        status=201,
        body=schemas.TimelineEntryCreate,
        ids=INCIDENT,
        errors=BODY_ERRORS,
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/status",
        "Move the incident along the status flow.",
        schemas.IncidentOne,
        body=schemas.StatusChangeCreate,
        ids=INCIDENT,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "get",
        "/obligations",
        "Current obligations across incidents, soonest deadline first, one page at a time: "
        "`page` (from 1) and `per_page` (1 to 200, 50 unless given); `next` and `previous` are "
        "the addresses of the neighbouring pages with the same filters. A page past the last "
        "answers 404.",
        schemas.ObligationPage,
        query=schemas.ObligationQuery,
        errors=(404, *QUERY_ERRORS),
    ),
    Operation(
        "get",
        "/obligations/{obligation_id}",
        "One obligation with its notices.",
        schemas.ObligationOne,
        ids=OBLIGATION,
    ),
    Operation(
        "post",
        "/obligations/{obligation_id}/notices",
        "Record a notice given outside the tracker, as given.",
        schemas.NoticeRecorded,
        status=201,
        body=schemas.NoticeRecord,
        ids=OBLIGATION,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "patch",
        "/incidents/{incident_id}/impact",
        "Change the impact assessment's fields that the body gives.",
        schemas.IncidentOne,
        body=schemas.ImpactChange,
        ids=INCIDENT,
        errors=BODY_ERRORS,
    ),
    Operation(
        "post",
        "/obligations/{obligation_id}/drafts",
        "Start a draft notice, prefilled from the facts.",
        schemas.NoticeRecorded,
        status=201,
        body=schemas.DraftCreate,
        body_optional=True,
        ids=OBLIGATION,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/obligations/{obligation_id}/not-required",
        "Close the obligation without a notice, with the reason.",
        schemas.NoticeRecorded,
        status=201,
        body=schemas.NotRequired,
        ids=OBLIGATION,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "get",
        "/notices/{notice_id}",
        "One notice with its content and its obligation.",
        schemas.NoticeRecorded,
        ids=NOTICE,
    ),
    Operation(
        "put",
        "/notices/{notice_id}/content",
        "Replace a draft's or an approved notice's content; approval is withdrawn.",
        schemas.NoticeRecorded,
        body=schemas.ContentChange,
        ids=NOTICE,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/notices/{notice_id}/approve",
        "Approve a draft whose required content is filled in; the content is frozen.",
        schemas.NoticeRecorded,
        body=schemas.Empty,
        body_optional=True,
        ids=NOTICE,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/notices/{notice_id}/send",
        "Record that the approved notice was sent; the obligations are recomputed.",
        schemas.NoticeRecorded,
        body=schemas.NoticeRecord,
        ids=NOTICE,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/notices/{notice_id}/acknowledge",
        "Record the recipient's acknowledgement of a sent notice.",
        schemas.NoticeRecorded,
        body=schemas.Acknowledgement,
        body_optional=True,
        ids=NOTICE,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/notices/{notice_id}/attachments",
        "Add proof files to a notice recorded as sent; each file in the field attachments.",
        schemas.NoticeRecorded,
        status=201,
        files="attachments",
        ids=NOTICE,
        errors=(409, 413, 415, 422),
    ),
    Operation(
        "get",
        "/notices/{notice_id}/attachments/{attachment_id}",
        "A proof file of the notice, as a download.",
        PROOF_TYPES,
        ids=(*NOTICE, "attachment_id"),
        headers=DOWNLOAD,
    ),
    Operation(
        "get",
        "/recipients",
        "The recipient directory, or with incident_id the recipients of one incident.",
        schemas.Recipients,
        query=schemas.RecipientsQuery,
        errors=(404, *QUERY_ERRORS),
    ),
    Operation(
        "get",
        "/incidents/{incident_id}/audit",
        "The incident's audit rows, oldest first, with their hashes in the chain.",
        schemas.AuditEvents,
        ids=INCIDENT,
    ),
    Operation(
        "get",
        "/incidents/{incident_id}/access",
        "Whether the incident is restricted to its team (need to know), and the team.",
        schemas.AccessOne,
        ids=INCIDENT,
    ),
    Operation(
        "put",
        "/incidents/{incident_id}/access",
        "Restrict the incident to its team, or open it again, and set the team's members.",
        schemas.AccessOne,
        body=schemas.AccessChange,
        ids=INCIDENT,
        errors=BODY_ERRORS,
    ),
    Operation("get", "/tokens", "The calling user's API tokens.", schemas.Tokens),
    Operation(
        "delete",
        "/tokens/{token_id}",
        "Revoke a token of one's own; administrators may revoke any.",
        schemas.TokenOne,
        ids=("token_id",),
    ),
    Operation("get", "/users", "The users, for administrators.", schemas.Users),
    Operation(
        "get",
        "/metrics",
        "Response metrics of the incidents that are not exercises, by severity and by month.",
        schemas.Metrics,
        query=schemas.MetricsQuery,
        errors=QUERY_ERRORS,
    ),
    Operation(
        "post",
        "/calendar-feed",
        "A new secret calendar address for the caller's deadlines, replacing any earlier one.",
        schemas.CalendarFeedState,
        status=201,
        body=schemas.Empty,
        body_optional=True,
        errors=BODY_ERRORS,
    ),
    Operation(
        "delete",
        "/calendar-feed",
        "Revoke the caller's calendar address; calendars that use it stop updating.",
        schemas.CalendarFeedState,
        errors=(404,),
    ),
    Operation(
        "get",
        "/reminder-policies",
        "The configured reminder policies, and those administrators stored over them.",
        schemas.ReminderPolicies,
    ),
    Operation(
        "put",
        "/reminder-policies/{scope}",
        "Store the reminder policy of a scope (default, severity:SEV-n or regime:NAME).",
        schemas.PolicyOne,
        body=schemas.PolicyChange,
        ids=("scope",),
        errors=BODY_ERRORS,
    ),
    Operation(
        "delete",
        "/reminder-policies/{scope}",
        "Remove the stored policy of a scope, so that the configured one applies again.",
        schemas.ReminderPolicies,
        ids=("scope",),
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/reports",
        "Export a signed PDF report of the incident, or a regulator submission.",
        schemas.ReportCreated,
        status=201,
        body=schemas.ReportRequest,
        body_optional=True,
        ids=INCIDENT,
        errors=(400, 413, 422),
    ),
    Operation(
        "get",
        "/reports/{export_id}",
        "The record of an exported report.",
        schemas.ReportOne,
        ids=("export_id",),
    ),
    Operation(
        "get",
        "/reports/{export_id}/pdf",
        "The signed PDF of an exported report.",
        PDF,
        ids=("export_id",),
    ),
    Operation(
        "post",
        "/verify",
        "Check a signed report sent as the body: integrity, trust, nothing added, export record.",
        schemas.ReportVerification,
        raw_body=PDF,
        errors=(413, 415),
    ),
    Operation(
        "post",
        "/evidence",
        "Record an evidence item, with the SHA-256 of an original kept elsewhere.",
        schemas.EvidenceOne,
        status=201,
        body=schemas.EvidenceCreate,
        errors=BODY_ERRORS,
        headers={"Location": "The item's address in this API."},
    ),
    Operation(
        "get",
        "/evidence/{item_id}",
        "One evidence item with its chain of custody and file checks.",
        schemas.EvidenceOne,
        ids=EVIDENCE,
    ),
    Operation(
        "post",
        "/evidence/{item_id}/transfers",
        "Append a transfer of custody, or a correction naming the transfer it corrects.",
        schemas.TransferOne,
        status=201,
        body=schemas.TransferCreate,
        ids=EVIDENCE,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/evidence/{item_id}/file",
        "Upload the item's file, one in the field file; the server hashes it and checks it "
        "against the recorded SHA-256. A mismatch is recorded in the check, the hash unchanged.",
        schemas.FileChecked,
        status=201,
        file="file",
        ids=EVIDENCE,
        errors=(413, 415, 422),
    ),
    Operation(
        "get",
        "/analysis",
        "The figures of the analysis page, as `tracker stats --json`: every imported set, or "
        "with source that one, over the records of incidents the token's user may see.",
        schemas.Analysis,
        query=schemas.AnalysisQuery,
        errors=QUERY_ERRORS,
    ),
    Operation(
        "post",
        "/holds",
        "Create a draft legal hold with its scope, custodians and system owners.",
        schemas.HoldOne,
        status=201,
        body=schemas.HoldCreate,
        errors=BODY_ERRORS,
        headers={"Location": "The hold's address in this API."},
    ),
    Operation(
        "get",
        "/holds",
        "The legal holds, newest first, optionally those of one incident.",
        schemas.Holds,
        query=schemas.HoldQuery,
        errors=QUERY_ERRORS,
    ),
    Operation(
        "get",
        "/holds/{hold_id}",
        "One legal hold with each custodian's status.",
        schemas.HoldOne,
        ids=HOLD,
        headers={"ETag": "The version of the hold's scope, for If-Match."},
    ),
    Operation(
        "put",
        "/holds/{hold_id}/scope",
        "Replace the hold's scope; an active hold's changed notice goes to everyone bound.",
        schemas.HoldOne,
        body=schemas.HoldScopeChange,
        ids=HOLD,
        errors=(*BODY_ERRORS, 409, 412),
        headers={"ETag": "The version of the hold's scope now stored."},
        request_headers={"If-Match": "Replace only if the hold is still at this ETag."},
    ),
    Operation(
        "post",
        "/holds/{hold_id}/custodians",
        "Bind one more custodian or system owner; on an active hold the notice goes out now.",
        schemas.HoldOne,
        status=201,
        body=schemas.HoldPerson,
        ids=HOLD,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/holds/{hold_id}/custodians/{custodian_id}/release",
        "Release one person from an open hold; if they were told, they are told so.",
        schemas.HoldOne,
        body=schemas.Empty,
        body_optional=True,
        ids=(*HOLD, "custodian_id"),
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/holds/{hold_id}/issue",
        "Issue a draft hold: each person's notice and personal link go to the outbox.",
        schemas.HoldOne,
        body=schemas.Empty,
        body_optional=True,
        ids=HOLD,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/holds/{hold_id}/release",
        "Release an active hold: release notices go out and every reminder stops.",
        schemas.HoldOne,
        body=schemas.HoldRelease,
        ids=HOLD,
        errors=(*BODY_ERRORS, 409),
    ),
    # The response plan: playbooks and incidents' checklists.
    Operation("get", "/playbooks", "Every playbook as it applies now.", plan.Playbooks),
    Operation(
        "get",
        "/playbooks/{playbook_id}",
        "One playbook with its TOML text.",
        plan.PlaybookOne,
        ids=PLAYBOOK,
        headers={"ETag": "The version of the playbook's text, for If-Match."},
    ),
    Operation(
        "put",
        "/playbooks/{playbook_id}",
        "Replace a playbook's text; incidents opened from now on get this version.",
        plan.PlaybookOne,
        body=plan.PlaybookChange,
        ids=PLAYBOOK,
        errors=(*BODY_ERRORS, 412),
        headers={"ETag": "The version of the text now stored."},
        request_headers={"If-Match": "Replace only if the text is still at this ETag."},
    ),
    Operation(
        "post",
        "/playbooks/{playbook_id}/reset",
        "Drop an administrator's edit of a playbook; the shipped file applies again.",
        plan.PlaybookOne,
        body=schemas.Empty,
        body_optional=True,
        ids=PLAYBOOK,
        errors=BODY_ERRORS,
        headers={"ETag": "The version of the text that now applies."},
    ),
    Operation(
        "get",
        "/incidents/{incident_id}/checklist",
        "The incident's playbook checklist, with who ticked each step and when.",
        plan.ChecklistOne,
        ids=INCIDENT,
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/checklist/{item_id}/tick",
        "Mark a step of the checklist done now; the tick goes on the timeline.",
        plan.ChecklistOne,
        body=plan.Tick,
        body_optional=True,
        ids=CHECKLIST_ITEM,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/checklist/{item_id}/untick",
        "Reopen a ticked step of the checklist, with the reason.",
        plan.ChecklistOne,
        body=plan.Untick,
        ids=CHECKLIST_ITEM,
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/resolve-with-open-criteria",
        "Resolve the incident while closure criteria are open, with counsel's reason.",
        schemas.IncidentOne,
        body=plan.ClosureOverride,
        ids=INCIDENT,
        errors=(*BODY_ERRORS, 409),
    ),
    # Post-mortems and their actions.
    Operation(
        "get",
        "/incidents/{incident_id}/post-mortem",
        "The incident's post-mortem (None until opened) and when it is due.",
        plan.PostMortemOne,
        ids=INCIDENT,
        headers={"ETag": "The version of the agenda and whys, for If-Match."},
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/post-mortem",
        "Open the post-mortem of a resolved incident; one already open is returned.",
        plan.PostMortemOne,
        body=schemas.Empty,
        body_optional=True,
        ids=INCIDENT,
        errors=(*BODY_ERRORS, 409),
        headers={"ETag": "The version of the agenda and whys, for If-Match."},
    ),
    Operation(
        "patch",
        "/incidents/{incident_id}/post-mortem",
        "Change the agenda fields of the post-mortem that the body gives.",
        plan.PostMortemOne,
        body=plan.AgendaChange,
        ids=INCIDENT,
        errors=(*BODY_ERRORS, 412),
        headers={"ETag": "The version of the agenda and whys now stored."},
        request_headers={"If-Match": "Change only if the post-mortem is still at this ETag."},
    ),
    Operation(
        "put",
        "/incidents/{incident_id}/post-mortem/whys/{position}",
        "Record the question and answer of one of the five whys.",
        plan.PostMortemOne,
        body=plan.WhyAnswer,
        ids=("incident_id", "position"),
        errors=(*BODY_ERRORS, 412),
        headers={"ETag": "The version of the agenda and whys now stored."},
        request_headers={"If-Match": "Change only if the post-mortem is still at this ETag."},
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/post-mortem/complete",
        "Declare the post-mortem complete: the whole agenda filled and the five whys answered.",
        plan.PostMortemOne,
        body=schemas.Empty,
        body_optional=True,
        ids=INCIDENT,
        errors=(*BODY_ERRORS, 409),
        headers={"ETag": "The version of the agenda and whys."},
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/post-mortem/actions",
        "Add a follow-up action to the post-mortem; its owner is reminded of its due date.",
        plan.ActionOne,
        status=201,
        body=plan.ActionCreate,
        ids=INCIDENT,
        errors=BODY_ERRORS,
    ),
    Operation(
        "post",
        "/actions/{action_id}/status",
        "Move a post-mortem action to pending, in progress or completed.",
        plan.ActionOne,
        body=plan.ActionStatusChange,
        ids=("action_id",),
        errors=BODY_ERRORS,
    ),
    Operation(
        "get",
        "/actions/overdue",
        "Post-mortem actions across incidents not completed after their due date, oldest first.",
        plan.Actions,
    ),
    Operation(
        "post",
        "/incidents/{incident_id}/post-mortem/report",
        "Export the signed PDF report of the incident's post-mortem.",
        schemas.ReportCreated,
        status=201,
        body=schemas.Empty,
        body_optional=True,
        ids=INCIDENT,
        errors=(*BODY_ERRORS, 409),
    ),
    # Exercises.
    Operation(
        "get",
        "/exercises",
        "Exercises of the plan, newest first, with their participants.",
        plan.Exercises,
    ),
    Operation(
        "post",
        "/exercises",
        "Open an exercise from a facts document; its mail goes to its participants only.",
        plan.ExerciseOne,
        status=201,
        body=plan.ExerciseCreate,
        errors=BODY_ERRORS,
        headers={"Location": "The exercise's address as an incident in this API."},
    ),
    # The compliance calendar.
    Operation(
        "get",
        "/calendar",
        "The plan's duties and their tasks due in the next 90 days, or open and due earlier.",
        plan.Calendar,
    ),
    Operation(
        "post",
        "/calendar/duties",
        "Add a recurring duty of the organisation's own; its tasks are laid out.",
        plan.DutyOne,
        status=201,
        body=plan.DutyCreate,
        errors=BODY_ERRORS,
    ),
    Operation(
        "put",
        "/calendar/duties/{duty_id}/owner",
        "Set the owner of a duty and of its open tasks.",
        plan.DutyOne,
        body=plan.DutyOwner,
        ids=("duty_id",),
        errors=BODY_ERRORS,
    ),
    Operation(
        "get",
        "/calendar/tasks/{task_id}",
        "One dated task of a duty, with its evidence files.",
        plan.TaskOne,
        ids=("task_id",),
    ),
    Operation(
        "post",
        "/calendar/tasks/{task_id}/complete",
        "Record a task as done, with the evidence and who took part.",
        plan.TaskOne,
        body=plan.TaskCompletion,
        ids=("task_id",),
        errors=(*BODY_ERRORS, 409),
    ),
    Operation(
        "post",
        "/calendar/tasks/{task_id}/evidence",
        "Keep the body, a file of any media type, as evidence that the task was done.",
        plan.EvidenceFileOne,
        status=201,
        raw_body=UPLOAD,
        query=plan.EvidenceQuery,
        ids=("task_id",),
        errors=(413, 415, 422),
    ),
    Operation(
        "get",
        "/calendar/evidence/{evidence_id}",
        "An evidence file as uploaded, as a download.",
        ANY_FILE,
        ids=("evidence_id",),
        headers=DOWNLOAD,
    ),
    # The plan's periodic reports and the annual audit pack.
    Operation(
        "get",
        "/plan-reports",
        "The plan's monthly and quarterly reports, newest first.",
        plan.PlanReports,
    ),
    Operation(
        "get",
        "/plan-reports/{report_id}",
        "One plan report with its figures and its HTML as generated.",
        plan.PlanReportOne,
        ids=("report_id",),
    ),
    Operation(
        "get",
        "/plan-reports/{report_id}/pdf",
        "A plan report's signed PDF, as a download.",
        PDF,
        ids=("report_id",),
        headers=DOWNLOAD,
    ),
    Operation(
        "get",
        "/audit-packs/{year}",
        "A zip of the year's signed plan and incident reports, with a manifest.",
        ZIP,
        ids=("year",),
        headers=DOWNLOAD,
    ),
)

# Path parameters that are not 32-bit ids: names, and numbers with a range of their own.
TEXT_PARAMETERS = {"export_id", "playbook_id"}
NUMBER_PARAMETERS = {"position": (1, WHY_COUNT), "year": AUDIT_YEARS}


@cache
def openapi_document() -> dict[str, Any]:
    """The document; its server address is relative to where it is served."""
    refs, components = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Breach-notification deadline tracker",
            "version": "1",
            "description": (
                "Incidents, their facts, the notification obligations that follow from them "
                "with the legal basis of each date, and the notices that meet them. Every "
                "instant carries an offset; errors are JSON with a field-by-field account."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


def _schemas() -> tuple[dict[tuple[type[BaseModel], str], str], dict[str, Any]]:
    """Every model's schema under components, and the reference to each (model, mode)."""
    wanted: set[tuple[type[BaseModel], str]] = {(schemas.Error, "serialization")}
    for operation in OPERATIONS:
        if isinstance(operation.answer, type):
            wanted.add((operation.answer, "serialization"))
        if operation.body is not None:
            wanted.add((operation.body, "validation"))
    ordered = sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1]))
    keyed, top = models_json_schema(ordered, ref_template=REF)  # type: ignore[arg-type]
    refs = {pair: schema["$ref"] for pair, schema in keyed.items()}
    return refs, top["$defs"]


def _operation(operation: Operation, refs: dict[Any, str]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "operationId": _operation_id(operation),
        "summary": operation.summary,
        "responses": _responses(operation, refs),
    }
    parameters = [_path_parameter(name) for name in operation.ids]
    if operation.query is not None:
        parameters.extend(_query_parameters(operation.query))
    for name, description in operation.request_headers.items():
        parameters.append(
            {
                "name": name,
                "in": "header",
                "required": False,
                "description": description,
                "schema": {"type": "string"},
            }
        )
    if parameters:
        document["parameters"] = parameters
    if operation.body is not None:
        document["requestBody"] = {
            "required": not operation.body_optional,
            "content": {"application/json": {"schema": _ref(refs, operation.body, "validation")}},
        }
    if operation.raw_body is not None:
        document["requestBody"] = {
            "required": True,
            "content": {operation.raw_body: {"schema": {"type": "string", "format": "binary"}}},
        }
    binary = {"type": "string", "format": "binary"}
    parts = {}
    if operation.files is not None:
        parts[operation.files] = {"type": "array", "items": binary, "minItems": 1}
    if operation.file is not None:
        parts[operation.file] = binary
    if parts:
        schema = {
            "type": "object",
            "properties": parts,
            "required": list(parts),
            "additionalProperties": False,
        }
        document["requestBody"] = {"required": True, "content": {MULTIPART: {"schema": schema}}}
    if operation.public:
        document["security"] = []
    return document


def _responses(operation: Operation, refs: dict[Any, str]) -> dict[str, Any]:
    responses: dict[str, Any] = {str(operation.status): _success(operation, refs)}
    codes = set(operation.errors)
    if not operation.public:
        codes.update((401, 403))
    if operation.ids:
        codes.add(404)
    error = {"application/json": {"schema": _ref(refs, schemas.Error, "serialization")}}
    for code in sorted(codes):
        responses[str(code)] = {"description": ERRORS[code], "content": error}
    return responses


def _success(operation: Operation, refs: dict[Any, str]) -> dict[str, Any]:
    answer = operation.answer
    if answer is None:
        content = {"application/json": {"schema": {"type": "object"}}}
    elif answer == ANY_FILE:
        content = {ANY_FILE: {"schema": {"type": "string", "format": "binary"}}}
    elif isinstance(answer, tuple):
        content = {
            kind: {"schema": {"type": "string", "contentMediaType": kind}} for kind in answer
        }
    elif isinstance(answer, str):
        content = {answer: {"schema": {"type": "string", "contentMediaType": answer}}}
    else:
        content = {"application/json": {"schema": _ref(refs, answer, "serialization")}}
    success: dict[str, Any] = {"description": operation.summary, "content": content}
    if operation.headers:
        success["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in operation.headers.items()
        }
    return success


def _ref(refs: dict[Any, str], model: Any, mode: str) -> dict[str, str]:
    return {"$ref": refs[(model, mode)]}


def _path_parameter(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1}
    if name in NUMBER_PARAMETERS:
        least, most = NUMBER_PARAMETERS[name]
        schema = {"type": "integer", "minimum": least, "maximum": most}
    elif name.endswith("_id") and name not in TEXT_PARAMETERS:
        schema = {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    properties = model.model_json_schema(mode="validation")["properties"]
    parameters = []
    for name, schema in properties.items():
        schema = _without_null(schema)
        description = schema.pop("description", None)
        schema.pop("title", None)
        parameter = {"name": name, "in": "query", "required": False, "schema": schema}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent or a string: drop the `null` a None default adds."""
    schema = dict(schema)
    variants = [item for item in schema.pop("anyOf", []) if item.get("type") != "null"]
    if len(variants) == 1:
        schema = {**variants[0], **schema}
    if "default" in schema and schema["default"] is None:
        del schema["default"]
    return schema


def _operation_id(operation: Operation) -> str:
    words = [part for part in operation.path.split("/") if part and not part.startswith("{")]
    stem = "_".join(word.replace(".", "_") for word in words)
    return f"{operation.method}_{stem}" + ("_one" if operation.path.endswith("}") else "")
