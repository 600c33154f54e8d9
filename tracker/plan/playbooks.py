"""Playbooks: the plan's checklists per incident category, as TOML files validated at load.

The shipped files live in playbooks/ beside the rule files. An administrator's edit is kept
in the database (see models.PlaybookOverride) and wins over the shipped file of the same id;
it is validated with the same schema before it is stored. Nothing here touches Flask.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from ..datafile import field_problems
from ..errors import TrackerError
from ..facts import CATEGORIES
from ..resources import data_path

log = logging.getLogger(__name__)

# The three lists of a playbook, in the order the checklist shows them.
SECTIONS = ("steps", "validation", "closure")
SECTION_LABELS = {
    "steps": "Response steps",
    "validation": "Recovery validation",
    "closure": "Closure criteria",
}

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]


class PlaybookError(TrackerError):
    """A playbook that cannot be loaded; the message names the file, the field and the problem."""

    status_code = 422


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepSource(_Strict):
    id: Slug
    text: Annotated[str, Field(min_length=1, max_length=300)]
    detail: str = ""


class PlaybookSource(_Strict):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=120)]
    categories: list[Literal[CATEGORIES]] = []  # type: ignore[valid-type]
    # The playbook for incidents without a category (exactly one file says so).
    is_fallback: bool = False
    source: Annotated[str, Field(min_length=1)]
    reviewed: date
    steps: Annotated[list[StepSource], Field(min_length=1)]
    validation: Annotated[list[StepSource], Field(min_length=1)]
    closure: Annotated[list[StepSource], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_step_ids(self) -> PlaybookSource:
        seen: set[str] = set()
        for section in SECTIONS:
            for step in getattr(self, section):
                if step.id in seen:
                    raise ValueError(f"the step id {step.id!r} is used twice")
                seen.add(step.id)
        return self


@dataclass(frozen=True)
class Playbook:
    source: PlaybookSource
    # Where it came from: the shipped file's path, or "database" for an administrator's edit.
    origin: str
    text: str

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def title(self) -> str:
        return self.source.title

    @property
    def version(self) -> str:
        """The first 12 hex digits of the SHA-256 of its text: which edit a checklist used."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]

    def items(self) -> list[tuple[str, StepSource]]:
        """Every step with its section, in checklist order."""
        return [(section, step) for section in SECTIONS for step in getattr(self.source, section)]


def parse_playbook(text: str, origin: str, expected_id: str | None = None) -> Playbook:
    """Parse and validate one playbook's TOML text, or raise PlaybookError naming the field."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(
            f"{origin}: the text is not valid TOML: {exc}.", {"": str(exc)}
        ) from None

    try:
        source = PlaybookSource.model_validate(document)
    except PydanticValidationError as exc:
        raise _schema_error(origin, exc) from None

    if expected_id is not None and source.id != expected_id:
        raise PlaybookError(
            f"{origin}: id: the id {source.id!r} must stay {expected_id!r}.",
            {"id": f"expected {expected_id!r}"},
        )
    return Playbook(source=source, origin=origin, text=text)


def load_playbook_file(path: Path) -> Playbook:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError(f"{path}: the file cannot be read: {exc}.", {"": str(exc)}) from None
    return parse_playbook(text, str(path), expected_id=path.stem)


def shipped_playbooks(directory: Path | None = None) -> dict[str, Playbook]:
    """The playbooks of `directory` (playbooks/ by default), checked together; loaded once."""
    return _load(str((directory or data_path("playbooks")).resolve()))


@cache
def _load(directory: str) -> dict[str, Playbook]:
    playbooks = {
        path.stem: load_playbook_file(path) for path in sorted(Path(directory).glob("*.toml"))
    }
    check_coverage(playbooks, directory)
    log.info("Loaded %d playbooks from %s", len(playbooks), directory)
    return playbooks


def check_coverage(playbooks: dict[str, Playbook], where: str) -> None:
    """Each category has exactly one playbook, and one playbook serves incidents without one."""
    owners: dict[str, str] = {}
    for playbook in playbooks.values():
        for category in playbook.source.categories:
            if category in owners:
                raise PlaybookError(
                    f"{where}: categories: {category!r} is claimed by both {owners[category]!r} "
                    f"and {playbook.id!r}.",
                    {"categories": f"{category!r} belongs to one playbook only"},
                )
            owners[category] = playbook.id

    missing = [category for category in CATEGORIES if category not in owners]
    fallbacks = [playbook.id for playbook in playbooks.values() if playbook.source.is_fallback]
    if missing:
        raise PlaybookError(
            f"{where}: categories: no playbook covers {', '.join(missing)}.",
            {"categories": f"expected a playbook for {', '.join(missing)}"},
        )
    if len(fallbacks) != 1:
        raise PlaybookError(
            f"{where}: is_fallback: exactly one playbook must serve incidents without a "
            f"category; found {len(fallbacks)}.",
            {"is_fallback": "expected exactly one playbook with is_fallback = true"},
        )


def for_category(playbooks: dict[str, Playbook], category: str | None) -> Playbook:
    """The playbook of a category, or the fallback playbook."""
    for playbook in playbooks.values():
        if category in playbook.source.categories:
            return playbook
    return next(playbook for playbook in playbooks.values() if playbook.source.is_fallback)


# How a playbook's own constraints read when they fail.
WORDING = {
    "extra_forbidden": "unknown field; expected one of the fields of docs/playbooks.md",
    "string_pattern_mismatch": "expected lower-case letters, digits and hyphens; got {given!r}",
    "string_too_short": "expected some text",
    "too_short": "expected at least one entry",
}


def _schema_error(origin: str, exc: PydanticValidationError) -> PlaybookError:
    fields = field_problems(exc, "docs/playbooks.md", WORDING)
    location, problem = next(iter(fields.items()))
    return PlaybookError(f"{origin}: {location or 'file'}: {problem}.", fields)
