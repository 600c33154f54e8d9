"""`tracker backup` and `tracker restore`: a snapshot of a running instance, restored elsewhere."""

from __future__ import annotations

import io
import json
import os
import tarfile
import threading
import uuid
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tracker.audit.models import AuditEvent
from tracker.audit.service import verify_chain
from tracker.auth import access
from tracker.auth.models import User
from tracker.auth.service import create_token, create_user, find_token
from tracker.backup import BackupError, restore_backup, write_backup
from tracker.cli import main
from tracker.config import load_config
from tracker.db import Base, load_models, make_engine, make_session_factory, upgrade_database
from tracker.incident.models import Incident
from tracker.incident.service import create_incident
from tracker.notice import lifecycle
from tracker.notice.models import Obligation
from tracker.plan.models import Action, PostMortem
from tracker.report import service as reports

from .conftest import FACTS, PASSWORD, POSTGRES_ENV


@pytest.fixture
def other_url(db_url, tmp_path, request):
    """A second empty database of the same kind as `db_url`, to restore onto."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.db'}"
    return _new_postgres_database(request)


def _new_postgres_database(request) -> str:
    import psycopg

    base = make_url(os.environ[POSTGRES_ENV]).set(drivername="postgresql")
    admin = base.render_as_string(hide_password=False)
    name = f"tracker_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    return base.set(database=name).render_as_string(hide_password=False)


def settings(url: str, instance: Path) -> dict:
    return load_config(environ={}, overrides={"INSTANCE": str(instance), "DATABASE_URL": url})


@pytest.fixture
def populated(db_url, tmp_path):
    """An instance with users, a token, a restricted incident, a notice and a signed report."""
    upgrade_database(db_url)
    config = settings(db_url, tmp_path / "source")
    Path(config["INSTANCE"]).mkdir()
    (Path(config["INSTANCE"]) / "tracker.toml").write_text('MAIL_FROM = "privacy@example.com"\n')
    engine = make_engine(db_url)
    session = make_session_factory(engine)()

    admin = create_user(session, "ada@example.com", "administrator", PASSWORD, "test", name="Ada")
    counsel = create_user(session, "ana@example.com", "counsel", PASSWORD, "test", name="Ana Ñ")
    _token, text = create_token(session, counsel, admin, scope="read-write")
    incident = create_incident(session, dict(FACTS), counsel)
    access.set_access(session, incident, True, [counsel.id], admin)
    obligation = session.scalars(select(Obligation).order_by(Obligation.id)).first()
    lifecycle.create_notice(session, obligation, counsel)
    post_mortem = PostMortem(incident_id=incident.id)
    session.add(post_mortem)
    session.flush()
    session.add(
        Action(
            post_mortem_id=post_mortem.id,
            incident_id=incident.id,
            description="Rotate the keys",
            owner="owner@example.com",
            priority="high",
            due_on=date(2026, 4, 1),
            success_measure="Keys rotated",
        )
    )
    session.commit()
    export = reports.export_report(session, incident, counsel, config)
    session.commit()

    yield {"config": config, "session": session, "token": text, "export": export.id}
    session.close()
    engine.dispose()


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, as the models read them."""
    load_models()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def instance_files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith("tracker.db")
    }


def test_restore_brings_back_every_row_file_and_key(populated, db_url, other_url, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    summary = write_backup(populated["config"], archive)
    assert summary.tables["incidents"] == 1
    assert summary.tables["audit_events"] >= 6
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = settings(other_url, tmp_path / "restored")
    restored = restore_backup(target, archive)

    assert restored.tables == summary.tables
    assert table_rows(other_url) == table_rows(db_url)
    source_files = instance_files(Path(populated["config"]["INSTANCE"]))
    folders = {name.split("/")[0] for name in source_files}
    assert {"tracker.toml", "signing"} <= folders and len(source_files) >= 4
    assert instance_files(Path(target["INSTANCE"])) == source_files

    engine = make_engine(other_url)
    session = make_session_factory(engine)()
    try:
        report = verify_chain(session)
        assert report.is_intact and report.rows == summary.tables["audit_events"]
        assert find_token(session, populated["token"]) is not None  # tokens keep working
        restored_config = settings(other_url, Path(target["INSTANCE"]))
        export = reports.get(session, populated["export"])
        assert reports.read_pdf(restored_config, export)[:5] == b"%PDF-"
        new_user = create_user(session, "new@example.com", "viewer", PASSWORD, "test")
        session.commit()  # ids continue after the restored ones
        assert new_user.id == 3
        assert access.hidden_ids(session, new_user) == {session.scalar(select(Incident.id))}
    finally:
        session.close()
        engine.dispose()


def test_the_commands_back_up_and_restore_and_the_trail_verifies(populated, other_url, tmp_path):
    archive = tmp_path / "nightly.tar.gz"
    source = populated["config"]
    runner = CliRunner(
        env={"TRACKER_DATABASE_URL": source["DATABASE_URL"], "TRACKER_INSTANCE": source["INSTANCE"]}
    )
    written = runner.invoke(main, ["backup", str(archive)])
    assert written.exit_code == 0, written.output
    assert written.output.startswith(f"Backup written to {archive}: ")

    target = CliRunner(
        env={"TRACKER_DATABASE_URL": other_url, "TRACKER_INSTANCE": str(tmp_path / "new")}
    )
    restored = target.invoke(main, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    verified = target.invoke(main, ["audit", "verify"])
    assert verified.exit_code == 0
    assert "The audit trail is intact" in verified.output

    again = target.invoke(main, ["restore", str(archive)])
    assert again.exit_code == 2
    assert again.output.startswith("error: The database already holds data")


def test_a_damaged_archive_is_refused_before_anything_is_written(populated, other_url, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    write_backup(populated["config"], archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database/users.jsonl":
                data = data.replace(b"Ana", b"Eve")
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))

    target = settings(other_url, tmp_path / "restored")
    with pytest.raises(BackupError, match="database/users.jsonl does not match its checksum"):
        restore_backup(target, damaged)
    assert not (tmp_path / "restored").exists()


def test_an_archive_with_a_path_outside_is_refused(tmp_path, db_url, other_url):
    evil = tmp_path / "evil.tar.gz"
    manifest = json.dumps({"format": "tracker-backup/1", "files": {"../escape": {}}}).encode()
    with tarfile.open(evil, "w:gz") as archive:
        for name, data in (("manifest.json", manifest), ("../escape", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

    with pytest.raises(BackupError, match="not allowed: ../escape"):
        restore_backup(settings(other_url, tmp_path / "restored"), evil)
    assert not (tmp_path / "escape").exists()


def test_a_sqlite_backup_restores_onto_postgresql(tmp_path, request):
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"{POSTGRES_ENV} is not set")
    source = f"sqlite:///{tmp_path / 'source.db'}"
    upgrade_database(source)
    engine = make_engine(source)
    session = make_session_factory(engine)()
    counsel = create_user(session, "ana@example.com", "counsel", PASSWORD, "test")
    create_incident(session, dict(FACTS), counsel)
    session.commit()
    session.close()
    engine.dispose()
    archive = tmp_path / "backup.tar.gz"
    write_backup(settings(source, tmp_path / "a"), archive)

    target = _new_postgres_database(request)
    restore_backup(settings(target, tmp_path / "b"), archive)

    assert table_rows(target) == table_rows(source)


test_a_sqlite_backup_restores_onto_postgresql = pytest.mark.postgres(
    test_a_sqlite_backup_restores_onto_postgresql
)


def test_a_backup_taken_while_writers_run_is_a_consistent_snapshot(populated, other_url, tmp_path):
    """Each incident is written with its audit row and obligations in one transaction: a
    snapshot holds all of them or none, however the backup falls between the writes."""
    url = populated["config"]["DATABASE_URL"]
    stop = threading.Event()

    def write() -> None:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        try:
            while not stop.is_set():
                with factory() as session:
                    actor = session.get(User, 2)
                    create_incident(session, dict(FACTS), actor)
                    session.commit()
        finally:
            engine.dispose()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        archive = tmp_path / "live.tar.gz"
        summary = write_backup(populated["config"], archive)
    finally:
        stop.set()
        writer.join()

    restore_backup(settings(other_url, tmp_path / "restored"), archive)
    engine = make_engine(other_url)
    session = make_session_factory(engine)()
    try:
        incidents = session.scalar(select(func.count()).select_from(Incident))
        created = session.scalar(select(func.count()).where(AuditEvent.action == "incident.create"))
        orphans = session.scalar(
            select(func.count(Incident.id)).where(
                ~select(Obligation.id).where(Obligation.incident_id == Incident.id).exists()
            )
        )
        assert incidents == created == summary.tables["incidents"]
        assert orphans == 0
        assert verify_chain(session).is_intact
    finally:
        session.close()
        engine.dispose()
