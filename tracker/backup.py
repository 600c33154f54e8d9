"""Backups: one archive with the database, the instance folder and the signing key, and its restore.

`tracker backup FILE` writes a gzip'd tar archive:

    manifest.json            format, when, from which database and schema revision, and the
                             SHA-256 and size of every other member
    database/TABLE.jsonl     every row of every table, one JSON array per line, column order
                             as in the manifest; instants in ISO 8601 with their UTC offset
    instance/...             the instance folder (configuration, secret key, signing key and
                             certificate, signed reports, uploaded files), without the SQLite
                             database itself, which the table files carry
    settings/NAME/FILE       key, certificate and trust-root files that settings name outside
                             the instance folder (TRACKER_SIGNING_KEY and the like)

The tables are read in one transaction, a snapshot in which no half-finished change is seen,
while the application goes on writing (a read transaction on SQLite's WAL, REPEATABLE READ on
PostgreSQL). Files are copied after the snapshot, so every file the rows name is there. The
rows are written in a form both databases read: a SQLite backup restores onto PostgreSQL too.

`tracker restore FILE` checks every checksum before it writes anything, refuses a database or an
instance folder that already holds data, migrates the empty database to the backup's schema
revision, loads the rows, then migrates to the current revision.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Column, Date, Integer, LargeBinary, MetaData, Table, func, select, text
from sqlalchemy.engine import Connection, Engine

from .db import Base, UTCDateTime, load_models, make_engine
from .errors import TrackerError

log = logging.getLogger(__name__)

FORMAT = "tracker-backup/1"
MANIFEST = "manifest.json"
BATCH = 1000
# Files of the SQLite database in the instance folder: the table files carry their content.
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
# Settings naming files outside the instance folder that a restored instance needs.
FILE_SETTINGS = ("SIGNING_P12", "SIGNING_KEY", "SIGNING_CERT", "TRUST_ROOTS")


class BackupError(TrackerError):
    """A backup that cannot be written, or an archive that cannot be restored."""


@dataclass(frozen=True)
class Summary:
    tables: dict[str, int]  # rows per table
    files: int  # instance and settings files
    revision: str


# Writing a backup.


def write_backup(config: dict[str, Any], target: Path) -> Summary:
    """Write the archive of the configured instance to `target` (replaced only once complete)."""
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the archive file to write.")
    load_models()
    engine = _reading_engine(config["DATABASE_URL"])
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as work:
        staging = Path(work)
        try:
            tables, revision, dialect = _dump_database(engine, staging / "database")
        finally:
            engine.dispose()
        files = _copy_instance(config, staging)
        manifest = _manifest(staging, tables, revision, dialect)
        _write_archive(staging, manifest, target)

    log.info("Backup written: %s tables, %s files, revision %s", len(tables), files, revision)
    return Summary(tables=tables, files=files, revision=revision)


def _reading_engine(url: str) -> Engine:
    """An engine whose transactions only read: a plain BEGIN on SQLite, not BEGIN IMMEDIATE."""
    from sqlalchemy import event

    from .db import _sqlite_begin

    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.remove(engine, "begin", _sqlite_begin)
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    return engine


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One connection whose reads all see the database as of one instant."""
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def _dump_database(engine: Engine, folder: Path) -> tuple[dict[str, int], str, str]:
    folder.mkdir()
    counts: dict[str, int] = {}
    with _snapshot(engine) as connection:
        revision = _revision(connection)
        present = set(_table_names(connection))
        for table in Base.metadata.sorted_tables:
            if table.name in present:
                counts[table.name] = _dump_table(connection, table, folder)
    return counts, revision, engine.dialect.name


def _revision(connection: Connection) -> str:
    try:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())
    except Exception as exc:  # the table is missing: the database was never migrated
        raise BackupError(
            "The database has no schema revision; run `tracker db upgrade` first."
        ) from exc


def _table_names(connection: Connection) -> list[str]:
    from sqlalchemy import inspect

    return inspect(connection).get_table_names()


def _dump_table(connection: Connection, table: Table, folder: Path) -> int:
    columns = list(table.columns)
    order = list(table.primary_key.columns) or columns
    rows = 0
    with (folder / f"{table.name}.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps([column.name for column in columns]) + "\n")
        result = connection.execution_options(yield_per=BATCH).execute(
            select(*columns).order_by(*order)
        )
        for row in result:
            values = [_encode(column, value) for column, value in zip(columns, row, strict=True)]
            handle.write(json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n")
            rows += 1
    return rows


def _encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    return value


def _copy_instance(config: dict[str, Any], staging: Path) -> int:
    instance = Path(config["INSTANCE"])
    skipped = _sqlite_files(config["DATABASE_URL"])
    copied = 0
    for path in sorted(instance.rglob("*")) if instance.is_dir() else []:
        if path.is_file() and not path.is_symlink() and path.resolve() not in skipped:
            _copy(path, staging / "instance" / path.relative_to(instance))
            copied += 1

    for name in FILE_SETTINGS:
        for source in _setting_files(config.get(name)):
            if _is_inside(source, instance):
                continue  # already in the instance copy
            _copy(source, staging / "settings" / name / source.name)
            copied += 1
    return copied


def _sqlite_files(url: str) -> set[Path]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return set()
    database = Path(parsed.database).expanduser().resolve()
    return {Path(f"{database}{suffix}") for suffix in SQLITE_SUFFIXES}


def _setting_files(value: Any) -> list[Path]:
    if not value:
        return []
    paths = [Path(part.strip()).expanduser() for part in str(value).split(",") if part.strip()]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise BackupError(f"The file {missing[0]} named in the settings does not exist.")
    return paths


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)


def _manifest(staging: Path, tables: dict[str, int], revision: str, dialect: str) -> dict[str, Any]:
    from . import __name__ as package

    members = {
        path.relative_to(staging).as_posix(): {"sha256": _sha256(path), "size": path.stat().st_size}
        for path in sorted(staging.rglob("*"))
        if path.is_file()
    }
    return {
        "format": FORMAT,
        "product": package,
        "created_at": datetime.now().astimezone().isoformat(),
        "database": dialect,
        "revision": revision,
        "tables": tables,
        "files": members,
    }


def _write_archive(staging: Path, manifest: dict[str, Any], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(data), 0o600
        archive.addfile(info, io.BytesIO(data))
        for name in manifest["files"]:
            archive.add(staging / name, arcname=name, recursive=False)
    os.replace(partial, target)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Restoring a backup.


def restore_backup(config: dict[str, Any], source: Path) -> Summary:
    """Restore the archive onto the configured instance, whose database must be empty."""
    from .db import alembic_config

    load_models()
    with tempfile.TemporaryDirectory(prefix="tracker-restore-") as work:
        staging = Path(work)
        manifest = _unpack(Path(source), staging)
        instance = Path(config["INSTANCE"])
        _check_instance_is_new(staging, instance)

        url = config["DATABASE_URL"]
        _migrate(alembic_config(url), url, manifest["revision"])
        engine = make_engine(url)
        try:
            tables = _load_database(engine, staging / "database", manifest)
        finally:
            engine.dispose()
        files = _place_files(staging, instance)
        _migrate(alembic_config(url), url, "head")

    log.info("Backup restored: %s tables, %s files", len(tables), files)
    return Summary(tables=tables, files=files, revision=manifest["revision"])


def _unpack(source: Path, staging: Path) -> dict[str, Any]:
    """Extract the archive after checking its manifest, member names and every checksum."""
    if not source.is_file():
        raise BackupError(f"There is no backup file {source}.")
    try:
        with tarfile.open(source, mode="r:gz") as archive:
            manifest = _read_manifest(archive)
            expected = set(manifest["files"]) | {MANIFEST}
            names = {member.name for member in archive.getmembers()}
            if names != expected:
                extra = sorted(names ^ expected)
                raise BackupError(f"The backup's members do not match its manifest: {extra[0]}.")
            for member in archive.getmembers():
                _extract(archive, member, staging)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"The file {source} is not a readable tracker backup: {exc}.") from exc

    for name, entry in manifest["files"].items():
        path = staging / name
        if _sha256(path) != entry["sha256"] or path.stat().st_size != entry["size"]:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum.")
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
        manifest = json.loads(handle.read().decode("utf-8")) if handle else None
    except (KeyError, ValueError) as exc:
        raise BackupError("The archive has no readable manifest.json; it is no backup.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"The archive is not a {FORMAT} backup.")
    return manifest


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, staging: Path) -> None:
    """Write one regular file under `staging`; any other kind or a path outside is refused."""
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts:
        raise BackupError(f"The backup holds an entry that is not allowed: {member.name}.")
    if member.name == MANIFEST:
        return
    destination = staging.joinpath(*name.parts)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"The backup entry {member.name} cannot be read.")
    with destination.open("wb") as out:
        shutil.copyfileobj(handle, out)


def _check_instance_is_new(staging: Path, instance: Path) -> None:
    conflicts = [
        path.relative_to(staging / "instance").as_posix()
        for path in sorted((staging / "instance").rglob("*"))
        if path.is_file()
        and (instance / path.relative_to(staging / "instance")).exists()
        and _sha256(instance / path.relative_to(staging / "instance")) != _sha256(path)
    ]
    if conflicts:
        raise BackupError(
            f"The instance folder {instance} already has other files such as {conflicts[0]}; "
            "restore onto a new instance folder."
        )


def _migrate(config: Any, url: str, revision: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    if revision != "head" and revision not in {rev.revision for rev in script.walk_revisions()}:
        raise BackupError(
            f"The backup's schema revision {revision} is newer than this tracker knows; "
            "restore it with the version of the tracker that wrote it, or a later one."
        )
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
    finally:
        engine.dispose()


def _load_database(engine: Engine, folder: Path, manifest: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        _check_database_is_empty(connection)
        for name in _restore_order(manifest["tables"]):
            counts[name] = _load_table(connection, name, folder / f"{name}.jsonl")
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, list(counts))
    return counts


# A database holding any of these holds someone's records; migrations seed other tables only.
RECORD_TABLES = ("users", "incidents", "audit_events")


def _check_database_is_empty(connection: Connection) -> None:
    """Refuse a database with records; clear what the migrations seeded, as the backup has it."""
    present = set(_table_names(connection))
    for name in RECORD_TABLES:
        table = Base.metadata.tables[name]
        if name in present and connection.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(
                f"The database already holds data (table {name}); restore onto a new, "
                "empty database."
            )
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in present:
            connection.execute(table.delete())


def _restore_order(tables: dict[str, int]) -> list[str]:
    known = [table.name for table in Base.metadata.sorted_tables if table.name in tables]
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise BackupError(f"The backup has the table {unknown[0]}, which this tracker lacks.")
    return known


def _load_table(connection: Connection, name: str, path: Path) -> int:
    model = Base.metadata.tables[name]
    with path.open(encoding="utf-8") as handle:
        names = json.loads(handle.readline())
        table = Table(name, MetaData(), *[_column(model, column) for column in names])
        batch: list[dict[str, Any]] = []
        rows = 0
        for line in handle:
            values = json.loads(line)
            batch.append(
                {column: _decode(table.c[column], values[i]) for i, column in enumerate(names)}
            )
            rows += 1
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                batch = []
        if batch:
            connection.execute(table.insert(), batch)
    return rows


def _column(model: Table, name: str) -> Column[Any]:
    if name not in model.c:
        raise BackupError(f"The backup's column {model.name}.{name} is unknown to this tracker.")
    return Column(name, model.c[name].type)


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    return value


def _reset_sequences(connection: Connection, names: list[str]) -> None:
    """Move each serial id's sequence past the restored rows, so new rows get new ids."""
    for name in names:
        table = Base.metadata.tables[name]
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": name, "column": keys[0].name},
        ).scalar()
        if not sequence:
            continue
        largest = connection.execute(select(func.max(keys[0]))).scalar() or 0
        connection.execute(
            text("SELECT setval(:sequence, :next, false)"),
            {"sequence": sequence, "next": largest + 1},
        )


def _place_files(staging: Path, instance: Path) -> int:
    placed = 0
    for part in ("instance", "settings"):
        root = staging / part
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if not path.is_file():
                continue
            relative = path.relative_to(root)
            destination = instance / relative if part == "instance" else instance / part / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            os.chmod(destination, 0o600)
            placed += 1
    return placed


# The commands.


def register_commands(main: Any) -> None:
    import click

    @main.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(file: Path) -> None:
        """Write a consistent backup of the database and instance folder to FILE, while the
        application runs."""
        from .config import load_config

        summary = write_backup(load_config(), file)
        rows = sum(summary.tables.values())
        click.echo(
            f"Backup written to {file}: {rows} rows in {len(summary.tables)} tables, "
            f"{summary.files} files, schema revision {summary.revision}."
        )

    @main.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    def restore_command(file: Path) -> None:
        """Restore the backup FILE onto this instance, whose database must be empty."""
        from .config import load_config

        summary = restore_backup(load_config(), file)
        rows = sum(summary.tables.values())
        click.echo(
            f"Restored {rows} rows in {len(summary.tables)} tables and {summary.files} files "
            f"from {file}. Check the audit trail with `tracker audit verify`."
        )
