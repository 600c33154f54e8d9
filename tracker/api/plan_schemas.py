"""What the API accepts and returns for the response plan: playbooks, checklists, post-mortems.

Like tracker.api.schemas, every model refuses keys it does not know. The services check the
values themselves (an owner's address, a duty's key) and name the field they refuse.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from ..facts import CATEGORIES, Facts
from ..plan.models import ACTION_STATUSES, CADENCES, PRIORITIES, TASK_STATUSES
from ..plan.playbooks import SECTIONS
from ..plan.postmortem import TEXT_LIMIT
from .schemas import IncidentDetail, IncidentSummary, Strict, Text

# Playbooks.


class PlaybookChange(Strict):
    # The text is stored exactly as sent, its whitespace included.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str = Field(
        min_length=1,
        max_length=200_000,
        description="The playbook's whole TOML text, in the format of docs/playbooks.md.",
    )


class PlaybookStep(Strict):
    id: str
    text: str
    detail: str


class Playbook(Strict):
    id: str
    title: str
    categories: list[Literal[CATEGORIES]]  # type: ignore[valid-type]
    is_fallback: bool = Field(description="Serves incidents without a category.")
    source: str
    reviewed: date
    version: str = Field(description="The first 12 hex digits of the SHA-256 of its text.")
    is_edited: bool = Field(description="An administrator's edit replaces the shipped file.")
    steps: list[PlaybookStep]
    validation: list[PlaybookStep]
    closure: list[PlaybookStep]


class PlaybookText(Playbook):
    text: str = Field(description="The TOML text, to edit and send back.")


class Playbooks(Strict):
    playbooks: list[Playbook]


class PlaybookOne(Strict):
    playbook: PlaybookText


# An incident's checklist.


class Tick(Strict):
    note: Text = Field("", description="What was done; it goes on the timeline.")


class Untick(Strict):
    reason: Text = Field(min_length=1, description="Why the step is reopened; kept on record.")


class ClosureOverride(Strict):
    reason: Text = Field(
        min_length=1, description="Why the incident is resolved with closure criteria open."
    )


class ChecklistItem(Strict):
    id: int
    section: Literal[SECTIONS]  # type: ignore[valid-type]
    step_id: str
    text: str
    position: int
    done_at: datetime | None
    done_by_id: int | None
    note: str


class SectionProgress(Strict):
    done: int
    total: int


class Progress(Strict):
    steps: SectionProgress
    validation: SectionProgress
    closure: SectionProgress


class Checklist(Strict):
    incident_id: int
    playbook_id: str
    title: str
    version: str = Field(description="The playbook version the steps were copied from.")
    attached_at: datetime
    override_reason: str = Field(description="Counsel's reason for resolving with criteria open.")
    override_at: datetime | None
    override_by_id: int | None
    progress: Progress
    items: list[ChecklistItem]


class ChecklistOne(Strict):
    checklist: Checklist | None = Field(description="None for an incident without a playbook.")


# Post-mortems and their actions.

Review = Annotated[str, Field(max_length=TEXT_LIMIT)]


class AgendaChange(Strict):
    """The agenda fields to change; those left out stay as they are."""

    timeline: Review = ""
    impact: Review = ""
    root_cause: Review = Field("", description="The root cause as concluded, after the whys.")
    response_effectiveness: Review = ""
    improvements: Review = ""


class WhyAnswer(Strict):
    question: Review = ""
    answer: Review = Field(min_length=1)


class ActionCreate(Strict):
    description: Review = Field(min_length=1)
    owner: str = Field(
        max_length=320, description="The owner's e-mail address: reminders go there."
    )
    priority: Literal[PRIORITIES]  # type: ignore[valid-type]
    due_on: date = Field(description="A local date in the incident's zone; due by its end.")
    success_measure: Review = Field(
        min_length=1, description="How the organisation will know that the action worked."
    )


class ActionStatusChange(Strict):
    status: Literal[ACTION_STATUSES]  # type: ignore[valid-type]


class Why(Strict):
    position: int
    question: str
    answer: str
    answered_at: datetime | None
    answered_by_id: int | None


class Action(Strict):
    id: int
    incident_id: int
    incident_reference: str
    description: str
    owner: str
    priority: Literal[PRIORITIES]  # type: ignore[valid-type]
    due_on: date
    due_at: datetime = Field(
        description="The midnight that ends the due date in the incident's zone."
    )
    status: Literal[ACTION_STATUSES]  # type: ignore[valid-type]
    is_overdue: bool
    success_measure: str
    completed_at: datetime | None
    created_at: datetime
    created_by_id: int | None
    updated_at: datetime


class PostMortem(Strict):
    id: int
    incident_id: int
    timeline: str
    impact: str
    root_cause: str
    response_effectiveness: str
    improvements: str
    created_at: datetime
    created_by_id: int | None
    updated_at: datetime
    updated_by_id: int | None
    completed_at: datetime | None
    completed_by_id: int | None
    whys: list[Why]
    actions: list[Action]


class PostMortemOne(Strict):
    post_mortem: PostMortem | None = Field(description="None until the post-mortem is opened.")
    due_at: datetime | None = Field(
        description="When the review is due (policy/internal/post_mortem), once resolved."
    )


class ActionOne(Strict):
    action: Action


class Actions(Strict):
    actions: list[Action]


# Exercises.

# One line of the web form's list: no line breaks.
Person = Annotated[str, Field(min_length=1, max_length=400, pattern=r"^[^\r\n]*$")]


class ExerciseCreate(Strict):
    facts: Facts = Field(description="The drill's incident-facts/1 document.")
    participants: list[Person] = Field(
        min_length=1,
        max_length=1000,
        description="One entry a person, `Name <address>` or `address`, numbered from 1 in "
        "errors; the exercise's mail goes to them only.",
    )


class Participant(Strict):
    name: str
    email: str


class Exercise(IncidentSummary):
    participants: list[Participant]


class ExerciseDetail(IncidentDetail):
    participants: list[Participant]


class Exercises(Strict):
    exercises: list[Exercise]


class ExerciseOne(Strict):
    exercise: ExerciseDetail


# The compliance calendar.


class DutyCreate(Strict):
    key: str = Field(
        max_length=60, description="Lower-case letters, digits and hyphens: backup-restore."
    )
    title: str = Field(min_length=1, max_length=200)
    description: Review = ""
    cadence: Literal[CADENCES]  # type: ignore[valid-type]
    first_due_on: date = Field(description="Later due dates follow it by the cadence.")
    timezone: str = Field(max_length=64, description="The IANA zone its dates are local to.")
    owner: str = Field("", max_length=320, description="The owner's e-mail address.")


class DutyOwner(Strict):
    owner: str = Field(max_length=320, description="An e-mail address; empty for no owner.")


class TaskCompletion(Strict):
    notes: Review = Field("", description="Evidence of completion; required without a file.")
    participants: list[Person] = Field([], max_length=1000, description="Who took part.")


class EvidenceQuery(Strict):
    filename: str = Field(
        min_length=1, max_length=255, description="The file's name, for display and download."
    )


class Duty(Strict):
    id: int
    key: str
    title: str
    description: str
    cadence: Literal[CADENCES]  # type: ignore[valid-type]
    first_due_on: date
    timezone: str
    owner: str
    is_builtin: bool = Field(description="One of the plan's own duties, which stay.")
    is_active: bool
    created_at: datetime


class EvidenceFile(Strict):
    id: int
    task_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by_id: int | None
    download_url: str


class Task(Strict):
    id: int
    duty_id: int
    duty_key: str
    title: str
    due_on: date = Field(description="A local date in the duty's zone.")
    owner: str
    status: Literal[TASK_STATUSES]  # type: ignore[valid-type]
    completed_at: datetime | None
    completed_by_id: int | None
    notes: str
    participants: list[str]
    evidence: list[EvidenceFile]


class Calendar(Strict):
    today: date = Field(description="Today in the caller's zone.")
    until: date = Field(description="The last day shown; open tasks due earlier are shown too.")
    tasks: list[Task]
    duties: list[Duty]


class DutyOne(Strict):
    duty: Duty


class TaskOne(Strict):
    task: Task


class EvidenceFileOne(Strict):
    evidence: EvidenceFile
    task: Task


# The plan's periodic reports.


class PlanReport(Strict):
    id: int
    period: Literal["monthly", "quarterly"]
    starts_on: date
    ends_on: date
    timezone: str
    generated_at: datetime
    figures: dict[str, Any] = Field(description="The figures as computed when generated.")
    export_id: str | None = Field(
        description="The signed PDF's export record, for /reports/{export_id} and /verify."
    )
    pdf_url: str


class PlanReportDetail(PlanReport):
    html: str = Field(description="The report as generated, kept unchanged.")


class PlanReports(Strict):
    reports: list[PlanReport]


class PlanReportOne(Strict):
    report: PlanReportDetail
