"""Imported incidents get their category's playbook checklist, as incidents opened by hand do."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import FACTS
from tracker.cli import main
from tracker.incident.models import Incident
from tracker.incident.service import create_incident
from tracker.plan import service
from tracker.plan.models import ChecklistItem, IncidentPlaybook

from .conftest import MAINE_FILE, real_file, write_csv
from .test_mapping import files
from .test_washington import HEADER, wa_row


def _steps(checklist):
    return [(item.position, item.section, item.step_id, item.text) for item in checklist.items]


def test_an_imported_washington_record_has_the_checklist_of_a_new_incident(
    runner, session, tmp_path
):
    path = write_csv(tmp_path / "wa.csv", HEADER, [wa_row("10427", "02/04/2021", "03/17/2021")])
    assert runner.invoke(main, ["import", "wa-ago", str(path)]).exit_code == 0
    imported = session.scalars(select(Incident)).one()
    # The record names no category, so both get the general playbook.
    opened = create_incident(session, {**FACTS, "incident": {"title": "Opened by hand"}}, None)

    checklist = service.get_checklist(session, imported)

    assert imported.category is None
    assert (checklist.playbook_id, checklist.title) == ("general", "General incident")
    assert _steps(checklist) == _steps(service.get_checklist(session, opened))
    assert all(item.done_at is None for item in checklist.items)
    assert checklist.attached_at is not None


def test_a_register_without_categories_gets_the_general_playbook(runner, session, tmp_path):
    assert runner.invoke(main, files(tmp_path)).exit_code == 0

    checklists = session.scalars(select(IncidentPlaybook).order_by(IncidentPlaybook.id)).all()
    assert [row.playbook_id for row in checklists] == ["general", "general"]
    assert checklists[0].items[0].step_id == "assign-owner"


def test_every_incident_of_the_maine_file_has_one_checklist(runner, session):
    result = runner.invoke(main, ["import", "maine-ag", str(real_file(MAINE_FILE))])
    assert result.exit_code == 0, result.output

    incidents = session.scalar(select(func.count()).select_from(Incident))
    checklists = session.scalar(select(func.count()).select_from(IncidentPlaybook))
    assert (incidents, checklists) == (942, 942)
    per_incident = session.scalars(
        select(func.count()).select_from(ChecklistItem).group_by(ChecklistItem.incident_id)
    ).all()
    # Maine's records name no category: each gets the general playbook's 9 steps.
    assert set(per_incident) == {9}
