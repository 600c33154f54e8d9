"""What the API accepts and returns for the response plan: playbooks, checklists, post-mortems.

Like tracker.api.schemas, every model refuses keys it does not know. The services check the
values themselves (an owner's address, a duty's key) and name the field they refuse.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from ..facts import CATEGORIES
from ..plan.playbooks import SECTIONS
from .schemas import Strict, Text

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
