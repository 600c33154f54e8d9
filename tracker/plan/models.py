"""The response plan kept with each incident: its checklist, post-mortem, actions and drills.

A checklist is a copy of the playbook's steps made when the playbook is attached, so that a
later edit of the playbook never rewrites what a responder ticked. Administrators' playbook
edits are rows here, over the shipped files.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, now_utc
from ..incident.models import Incident
from ..report.models import ReportExport
from .playbooks import SECTIONS

PRIORITIES = ("high", "medium", "low")
ACTION_STATUSES = ("pending", "in_progress", "completed")
WHY_COUNT = 5


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class PlaybookOverride(Base):
    """An administrator's edit of one playbook, validated before it was stored."""

    __tablename__ = "playbook_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The id of the shipped playbook it replaces (its file name without .toml).
    playbook_id: Mapped[str] = mapped_column(String(60), unique=True)
    # The whole TOML text, as the administrator saved it.
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()


class IncidentPlaybook(Base):
    """The playbook attached to an incident, and counsel's override of the closure criteria."""

    __tablename__ = "incident_playbooks"
    audit_type = "incident_playbook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), unique=True
    )
    playbook_id: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(120))
    # The playbook text's version (SHA-256 prefix) when it was attached.
    version: Mapped[str] = mapped_column(String(12))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Set when counsel resolved the incident while closure criteria were still open.
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    incident: Mapped[Incident] = relationship()
    override_by: Mapped[User | None] = relationship()
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="checklist", order_by="ChecklistItem.position", cascade="all, delete-orphan"
    )

    def section(self, name: str) -> list[ChecklistItem]:
        return [item for item in self.items if item.section == name]

    @property
    def open_closure(self) -> list[ChecklistItem]:
        return [item for item in self.section("closure") if item.done_at is None]


class ChecklistItem(Base):
    __tablename__ = "checklist_items"
    __table_args__ = (
        UniqueConstraint("checklist_id", "step_id", name="uq_checklist_items_checklist_step"),
        CheckConstraint(_one_of("section", SECTIONS), name="section"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("incident_playbooks.id", ondelete="CASCADE"), index=True
    )
    # Kept beside the checklist so that the audit trail files the tick under its incident.
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str] = mapped_column(String(20))
    step_id: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)
    # Who ticked it and when; both None while the step is open.
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    checklist: Mapped[IncidentPlaybook] = relationship(back_populates="items")
    done_by: Mapped[User | None] = relationship()


class PostMortem(Base):
    """The post-incident review, with the plan's agenda as its fields."""

    __tablename__ = "post_mortems"
    audit_type = "post_mortem"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), unique=True
    )
    timeline: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    # The root cause as concluded, after the five whys.
    root_cause: Mapped[str] = mapped_column(Text, default="")
    response_effectiveness: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When the review was declared complete, and by whom.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    incident: Mapped[Incident] = relationship()
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    whys: Mapped[list[Why]] = relationship(
        back_populates="post_mortem", order_by="Why.position", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="post_mortem", order_by="Action.id", cascade="all, delete-orphan"
    )


class Why(Base):
    """One of the five whys: the question asked and the answer recorded, with who and when."""

    __tablename__ = "post_mortem_whys"
    __table_args__ = (
        UniqueConstraint("post_mortem_id", "position", name="uq_post_mortem_whys_position"),
    )
    audit_type = "post_mortem_why"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_mortem_id: Mapped[int] = mapped_column(
        ForeignKey("post_mortems.id", ondelete="CASCADE"), index=True
    )
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    # 1 to 5.
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    post_mortem: Mapped[PostMortem] = relationship(back_populates="whys")
    answered_by: Mapped[User | None] = relationship()


class Action(Base):
    """A follow-up action of a post-mortem, tracked to completion."""

    __tablename__ = "post_mortem_actions"
    __table_args__ = (
        CheckConstraint(_one_of("priority", PRIORITIES), name="priority"),
        CheckConstraint(_one_of("status", ACTION_STATUSES), name="status"),
    )
    audit_type = "post_mortem_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_mortem_id: Mapped[int] = mapped_column(
        ForeignKey("post_mortems.id", ondelete="CASCADE"), index=True
    )
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    # The owner's e-mail address: reminders go there.
    owner: Mapped[str] = mapped_column(String(320))
    priority: Mapped[str] = mapped_column(String(10))
    # A local date in the incident's legal time zone; the action is due by the end of it.
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    # How the organisation will know that the action worked.
    success_measure: Mapped[str] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    post_mortem: Mapped[PostMortem] = relationship(back_populates="actions")
    incident: Mapped[Incident] = relationship()


class ExerciseParticipant(Base):
    """A person taking part in an exercise; the only addresses its mail may go to."""

    __tablename__ = "exercise_participants"
    __table_args__ = (
        UniqueConstraint("incident_id", "email", name="uq_exercise_participants_email"),
    )
    audit_type = "exercise_participant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    # Stored lower-cased.
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")


CADENCES = ("monthly", "quarterly", "annually")
TASK_STATUSES = ("open", "done")


class Duty(Base):
    """A recurring duty of the plan (such as a quarterly tabletop exercise), or an added one."""

    __tablename__ = "plan_duties"
    __table_args__ = (CheckConstraint(_one_of("cadence", CADENCES), name="cadence"),)
    audit_type = "duty"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A short stable name such as tabletop-exercise.
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    cadence: Mapped[str] = mapped_column(String(10))
    # The first due date; later ones follow it by the cadence, as local dates.
    first_due_on: Mapped[date] = mapped_column(Date)
    # The zone in which its dates are local dates, and the owner's e-mail address.
    timezone: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(320), default="")
    # True for the plan's own duties, which can be given an owner but not removed.
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    tasks: Mapped[list[DutyTask]] = relationship(
        back_populates="duty", order_by="DutyTask.due_on", cascade="all, delete-orphan"
    )


class DutyTask(Base):
    """One dated occurrence of a duty, with its owner, evidence and who took part."""

    __tablename__ = "plan_duty_tasks"
    __table_args__ = (
        UniqueConstraint("duty_id", "due_on", name="uq_plan_duty_tasks_due_on"),
        CheckConstraint(_one_of("status", TASK_STATUSES), name="status"),
    )
    audit_type = "duty_task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("plan_duties.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    owner: Mapped[str] = mapped_column(String(320), default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Evidence of completion in words, and the people who took part (names or addresses).
    notes: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)

    duty: Mapped[Duty] = relationship(back_populates="tasks")
    completed_by: Mapped[User | None] = relationship()
    evidence: Mapped[list[TaskEvidence]] = relationship(
        back_populates="task", order_by="TaskEvidence.id", cascade="all, delete-orphan"
    )


class TaskEvidence(Base):
    """A file kept as evidence that a calendar task was done, in the instance folder."""

    __tablename__ = "plan_task_evidence"
    audit_type = "task_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("plan_duty_tasks.id", ondelete="CASCADE"), index=True
    )
    # The name the user gave the file, for display and download only.
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # The file's name under the instance folder's plan-evidence/; never from user input.
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    task: Mapped[DutyTask] = relationship(back_populates="evidence")


class PeriodReport(Base):
    """A monthly or quarterly report of the plan, generated on schedule and kept for download."""

    __tablename__ = "plan_reports"
    __table_args__ = (
        UniqueConstraint("period", "starts_on", name="uq_plan_reports_period_start"),
        CheckConstraint("period IN ('monthly', 'quarterly')", name="period"),
    )
    audit_type = "plan_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(10))
    # The first and last local day the report covers, in the organisation's zone.
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    # The figures as computed, and the rendered HTML kept as it was generated.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    html: Mapped[str] = mapped_column(Text)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # The signed PDF of the report, kept and verified like an incident's reports.
    export_id: Mapped[str | None] = mapped_column(ForeignKey("report_exports.id"))

    export: Mapped[ReportExport | None] = relationship()


# Registers the guard that keeps an exercise's mail among its participants, wherever the
# models are loaded (web process, scheduler, command line).
from . import exercise  # noqa: E402, F401
