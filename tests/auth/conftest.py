"""The objects the route tests call routes with: one of every kind, all of one incident."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tracker.auth import access
from tracker.auth.models import User
from tracker.db import now_utc
from tracker.evidence import service as evidence
from tracker.hold import service as holds
from tracker.notice import attachments, lifecycle
from tracker.notice.models import Attachment, Obligation
from tracker.plan.models import WHY_COUNT, Action, ChecklistItem, PostMortem, Why
from tracker.reminder.models import MailMessage, Reminder
from tracker.report.models import ReportExport, ReportJob

# Values of the route parameters that name nothing of an incident.
UNSCOPED_VALUES: dict[str, Any] = {
    "playbook_id": "security",
    "position": 1,
    "regime_id": "gdpr",
    "duty_id": 999_999,
    "task_id": 999_999,
    "evidence_id": 999_999,
    "report_id": 999_999,
    "year": 2026,
    "scope": "default",
    "token": "no-such-setup-link",
    "token_id": 999_999,
    "filename": "tracker.css",
}


@pytest.fixture
def objects(make_user, make_incident, session):
    """One object of every kind a route names, all of one incident, made by an administrator."""
    owner = make_user("administrator")
    incident = make_incident(actor=owner)
    values = incident_objects(session, owner, incident)
    session.commit()
    return {
        **values,
        "export_id": "00000000-0000-0000-0000-000000000000",
        "attachment_id": 999_999,
        **UNSCOPED_VALUES,
    }


def incident_objects(session: Any, owner: User, incident: Any) -> dict[str, Any]:
    """The incident's obligation, notice, evidence item, outbox message, report job, action,
    legal hold, custodian and checklist step, by the route parameter that names each."""
    obligation = session.scalars(
        select(Obligation).where(Obligation.incident_id == incident.id).order_by(Obligation.id)
    ).first()
    notice = lifecycle.create_notice(session, obligation, owner)
    item = evidence.create_item(
        session,
        owner,
        description="Web server logs",
        collected_by="Responder",
        collected_at=now_utc(),
        incident_id=incident.id,
    )
    message = _message_row(session, incident)
    job = _job_row(session, incident)
    action = _action_row(session, incident)
    hold = holds.create_hold(
        session,
        owner,
        name="Portal logs",
        incident_ids=[incident.id],
        people=[holds.Person(name="Kim Keeper", email="kim@example.com")],
    )
    step = session.scalars(
        select(ChecklistItem)
        .where(ChecklistItem.incident_id == incident.id)
        .order_by(ChecklistItem.id)
    ).first()
    session.flush()
    return {
        "incident_id": incident.id,
        "obligation_id": obligation.id,
        "notice_id": notice.id,
        "item_id": item.id,
        "message_id": message.id,
        "job_id": job.id,
        "action_id": action.id,
        "hold_id": hold.id,
        "custodian_id": hold.people[0].id,
        "checklist_item_id": step.id,
    }


def _message_row(session: Any, incident: Any) -> Any:
    """An outbox message sent for one of the incident's reminders."""
    reminder = session.scalars(select(Reminder).where(Reminder.incident_id == incident.id)).first()
    message = MailMessage(
        reminder_id=reminder.id,
        recipient="counsel@example.com",
        subject="Deadline in 24 hours",
        body_text="Deadline",
        body_html="<p>Deadline</p>",
        message_id=f"<{uuid.uuid4()}@tracker>",
        status="kept",
    )
    session.add(message)
    session.flush()
    return message


def _action_row(session: Any, incident: Any) -> Any:
    """A post-mortem of the incident, with its five whys, and one tracked action."""
    post_mortem = PostMortem(incident_id=incident.id)
    for position in range(1, WHY_COUNT + 1):
        post_mortem.whys.append(Why(incident_id=incident.id, position=position))
    session.add(post_mortem)
    session.flush()
    action = Action(
        post_mortem_id=post_mortem.id,
        incident_id=incident.id,
        description="Rotate the keys",
        owner="owner@example.com",
        priority="high",
        due_on=date(2026, 4, 1),
        success_measure="Keys rotated",
    )
    session.add(action)
    session.flush()
    return action


def _job_row(session: Any, incident: Any) -> Any:
    job = ReportJob(id=str(uuid.uuid4()), incident_id=incident.id, kind="incident", status="failed")
    job.error = "test"
    session.add(job)
    session.flush()
    return job


@pytest.fixture
def two_incidents(app, session, make_user, make_incident):
    """The objects of two incidents, A and B, with a proof file on each one's notice."""
    from tracker.notice.models import Notice

    owner = make_user("administrator")
    found = []
    for _ in range(2):
        incident = make_incident(actor=owner)
        values = incident_objects(session, owner, incident)
        notice = session.get(Notice, values["notice_id"])
        values["attachment_id"] = attachment_row(
            session, notice.id, incident, Path(app.instance_path)
        ).id
        found.append(values)
    session.commit()
    return found[0], found[1], owner


@pytest.fixture
def restricted(app, session, objects, make_user):
    """The objects' incident restricted to a team with one counsel; another counsel outside.

    Its notice has a stored proof file and its report export a stored PDF, so that the team
    can read both."""
    from tracker.incident.models import Incident

    member = make_user("counsel")
    outsider = make_user("counsel")
    incident = session.get(Incident, objects["incident_id"])
    access.set_access(session, incident, True, [member.id], session.get(User, 1))
    instance = Path(app.instance_path)
    export = export_row(session, incident, instance)
    attachment = attachment_row(session, objects["notice_id"], incident, instance)
    session.commit()
    return {**objects, "export_id": export.id, "attachment_id": attachment.id}, member, outsider


def export_row(session: Any, incident: Any, instance: Path) -> Any:
    """A report export record of the incident, with a stand-in PDF file where it is kept."""
    export = ReportExport(
        id=str(uuid.uuid4()),
        kind="incident",
        incident_id=incident.id,
        sha256=uuid.uuid4().hex * 2,
        facts_sha256="0" * 64,
        rule_versions={},
        signer_name="Test",
        signer_role="Counsel",
        certificate_subject="CN=Test",
        signature_level="B-B",
        path=f"reports/{uuid.uuid4().hex}.pdf",
        size=9,
    )
    path = instance / export.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7\n")
    session.add(export)
    session.flush()
    return export


def attachment_row(session: Any, notice_id: int, incident: Any, instance: Path) -> Any:
    """A proof file of the notice, stored where the notice pages look for it."""
    data = b"Proof of sending"
    row = Attachment(
        notice_id=notice_id,
        incident_id=incident.id,
        filename="proof.txt",
        content_type="text/plain",
        size=len(data),
        sha256=attachments.Checked("proof.txt", "text/plain", data).sha256,
        stored_name=uuid.uuid4().hex,
    )
    session.add(row)
    session.flush()
    path = attachments.stored_path(attachments.folder_of(instance), row)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return row
