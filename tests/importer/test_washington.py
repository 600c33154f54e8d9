"""`tracker import wa-ago`: the Washington Attorney General's records as incidents."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.audit.models import AuditEvent
from tracker.audit.service import verify_chain
from tracker.cli import main
from tracker.importer.models import ImportBatch, ImportRecord
from tracker.incident.models import Incident
from tracker.notice.models import Notice, Obligation

from .conftest import WA_FILE, real_file, write_csv

PACIFIC = ZoneInfo("America/Los_Angeles")
HEADER = [
    "DateAware",
    "DateSubmitted",
    "DataBreachCause",
    "DateStart",
    "DateEnd",
    "Name",
    "Id",
    "CyberattackType",
    "WashingtoniansAffected",
    "IndustryType",
    "BusinessType",
    "DaysElapsedBeforeNotification",
]


def wa_row(record_id: str, aware: str, submitted: str, **cells: str) -> dict[str, str]:
    def stamp(day: str) -> str:
        return f"{day} 12:00:00 AM" if day else ""

    return {
        "Id": record_id,
        "Name": f"Entity {record_id}",
        "DateAware": stamp(aware),
        "DateSubmitted": stamp(submitted),
        "WashingtoniansAffected": cells.pop("affected", "800"),
        "DataBreachCause": "Cyberattack",
        "CyberattackType": "Ransomware",
        "IndustryType": "Finance",
        **{key: stamp(value) if key.startswith("Date") else value for key, value in cells.items()},
    }


def run_import(runner, path):
    result = runner.invoke(main, ["import", "wa-ago", str(path)])
    assert result.exit_code == 0, result.output
    return result


def obligation(session, source_key, key="us-wa/attorney_general"):
    record = session.scalars(
        select(ImportRecord).where(ImportRecord.source_key == source_key)
    ).one()
    return session.scalars(
        select(Obligation).where(
            Obligation.incident_id == record.incident_id, Obligation.key == key
        )
    ).one()


def test_whole_file_days_to_notice_match_the_publishers_count(runner, session):
    result = run_import(runner, real_file(WA_FILE))

    assert "1109 rows; 1109 imported, of which 66 flagged and 23 kept without an incident" in (
        result.output
    )
    records = session.scalars(select(ImportRecord).order_by(ImportRecord.row_number)).all()
    assert len(records) == 1109
    checked = 0
    for record in records:
        if record.incident is None:
            assert record.data["published_days"] is None
            assert any("no awareness date" in flag for flag in record.flags)
            continue
        given = next(entry for entry in record.incident.timeline if entry.kind == "communication")
        aware = record.incident.discovered_at.astimezone(PACIFIC).date()
        days = (given.at.astimezone(PACIFIC).date() - aware).days
        assert days == record.data["published_days"], record.source_key
        checked += 1
    assert checked == 1086

    notices = session.scalars(select(Notice)).all()
    assert len(notices) == 1051
    for notice in notices:
        published = notice.obligation.incident.facts.incident.description
        assert "Washington Attorney General record" in published
        aware = notice.obligation.incident.discovered_at.astimezone(PACIFIC).date()
        record = session.scalars(
            select(ImportRecord).where(ImportRecord.incident_id == notice.incident_id)
        ).one()
        assert (notice.sent_at.astimezone(PACIFIC).date() - aware).days == record.data[
            "published_days"
        ]


def test_importing_the_same_file_twice_adds_nothing(runner, session):
    path = real_file(WA_FILE)
    run_import(runner, path)
    second = run_import(runner, path)

    assert "0 imported" in second.output
    assert "1109 already imported" in second.output
    assert session.scalar(select(func.count()).select_from(Incident)) == 1086
    assert session.scalar(select(func.count()).select_from(ImportRecord)) == 1109
    batches = session.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()
    assert [(batch.imported, batch.duplicates) for batch in batches] == [(1109, 0), (0, 1109)]
    actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("import.batch") == 2
    assert actions.count("incident.import") == 1086
    assert verify_chain(session).is_intact


def test_each_imported_incident_has_one_audit_row_in_an_intact_chain(runner, session):
    run_import(runner, real_file(WA_FILE))

    verified = runner.invoke(main, ["audit", "verify"])
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()

    assert verified.exit_code == 0
    assert verified.output == (
        "The audit trail is intact: 1087 rows, every hash and link checked.\n"
    )
    assert [row.seq for row in rows] == list(range(1, 1088))
    assert [row.action for row in rows] == ["incident.import"] * 1086 + ["import.batch"]
    incidents = session.scalars(select(Incident.id).order_by(Incident.id)).all()
    assert [int(row.object_id) for row in rows[:-1]] == incidents
    assert [row.incident_id for row in rows[:-1]] == incidents
    assert {row.actor_label for row in rows} == {"command line import"}


def test_a_record_key_is_unique_per_source(runner, session, tmp_path):
    run_import(runner, write_csv(tmp_path / "wa.csv", HEADER, [wa_row("7", "03/01/2021", "")]))
    record = session.scalars(select(ImportRecord)).one()

    session.add(
        ImportRecord(batch_id=record.batch_id, source="wa-ago", source_key="7", row_number=9)
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_45_days_before_hb_1071_and_30_days_from_it(runner, session, tmp_path):
    rows = [
        wa_row("1", "02/29/2020", "04/14/2020"),
        wa_row("2", "02/29/2020", "04/15/2020"),
        wa_row("3", "03/01/2020", "03/31/2020"),
        wa_row("4", "03/01/2020", "04/01/2020"),
    ]
    run_import(runner, write_csv(tmp_path / "wa.csv", HEADER, rows))

    before = obligation(session, "1")
    assert before.due_at.isoformat() == "2020-04-15T06:59:59.999999+00:00"
    assert before.rule_version == "2015-07-24"
    after = obligation(session, "3")
    assert after.due_at.isoformat() == "2020-04-01T06:59:59.999999+00:00"
    assert after.rule_version == "2020-03-01"

    on_time = {key: obligation(session, key).notices[0] for key in "1234"}
    assert {key: notice.sent_at <= notice.obligation.due_at for key, notice in on_time.items()} == {
        "1": True,
        "2": False,
        "3": True,
        "4": False,
    }
    assert on_time["2"].delay_reason == "The record does not say why."
    assert on_time["1"].delay_reason == ""


def test_a_real_row_becomes_an_incident_with_its_facts(runner, session, tmp_path):
    row = wa_row(
        "10427",
        "02/04/2021",
        "03/17/2021",
        affected="695",
        DateStart="02/04/2021",
        DateEnd="02/08/2021",
        DaysElapsedBeforeNotification="41",
    )
    run_import(runner, write_csv(tmp_path / "wa.csv", HEADER, [row]))

    incident = session.scalars(select(Incident)).one()
    facts = incident.facts_document
    assert facts["timezone"] == "America/Los_Angeles"
    assert facts["events"] == {
        "discovered_at": "2021-02-04T00:00:00-08:00",
        "aware_at": "2021-02-04T00:00:00-08:00",
        "occurred_at": "2021-02-04T00:00:00-08:00",
    }
    assert facts["affected"] == {"US-WA": 695}
    assert incident.tags == [
        "source:wa-ago",
        "industry:Finance",
        "cause:Cyberattack",
        "attack:Ransomware",
    ]
    assert incident.cause == "external_attack"
    assert [(entry.at.isoformat(), entry.kind) for entry in incident.timeline] == [
        ("2021-02-04T08:00:00+00:00", "note"),
        ("2021-02-08T08:00:00+00:00", "note"),
        ("2021-03-18T06:59:59.999999+00:00", "communication"),
    ]
    ag = obligation(session, "10427")
    assert ag.due_at.isoformat() == "2021-03-07T07:59:59.999999+00:00"
    assert ag.notices[0].status == "sent"
    assert ag.notices[0].reference == "WA AGO record 10427"
    keys = session.scalars(select(Obligation.key).order_by(Obligation.key)).all()
    assert keys == ["us-wa/attorney_general", "us-wa/individuals"]


def test_rows_without_awareness_or_count_are_kept_and_flagged(runner, session, tmp_path):
    rows = [
        wa_row("1", "", "10/01/2020"),
        wa_row("2", "05/01/2021", "06/01/2021", affected=""),
        wa_row("3", "05/01/2021", "06/01/2021", affected="500"),
    ]
    result = run_import(runner, write_csv(tmp_path / "wa.csv", HEADER, rows))

    assert "3 imported, of which 3 flagged and 1 kept without an incident" in result.output
    records = {r.source_key: r for r in session.scalars(select(ImportRecord))}
    assert records["1"].incident_id is None
    assert records["1"].flags == ["no awareness date (DateAware is empty): no clock can start"]
    assert records["2"].flags == [
        "WashingtoniansAffected is empty: no Washington count to apply",
        "no us-wa/attorney_general obligation: no affected residents of US-WA",
    ]
    assert records["3"].flags == [
        "no us-wa/attorney_general obligation: 500 affected residents of US-WA; "
        "it needs more than 500"
    ]


def test_a_file_of_another_shape_is_refused_in_one_line(runner, tmp_path):
    path = write_csv(tmp_path / "other.csv", ["Name", "When"], [{"Name": "x", "When": "y"}])
    result = runner.invoke(main, ["import", "wa-ago", str(path)])

    assert result.exit_code == 2
    assert result.output == (
        "error: The file other.csv is not a Washington Attorney General export: it has no "
        "column Id, DateAware, DateSubmitted, WashingtoniansAffected.\n"
    )


def test_an_imported_incident_page_shows_the_recorded_notice(
    runner, session, tmp_path, client, make_user, login
):
    row = wa_row("10427", "02/04/2021", "03/17/2021", affected="695")
    run_import(runner, write_csv(tmp_path / "wa.csv", HEADER, [row]))
    incident = session.scalars(select(Incident)).one()
    login(client, make_user("viewer"))

    page = client.get(f"/incidents/{incident.id}")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "obligation--settled" in text
    assert "Washington Attorney General record 10427." in text
    assert "Notice received by the Washington Attorney General (DateSubmitted)." in text
