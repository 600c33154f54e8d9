"""Database plumbing: engine, sessions, the declarative base and the UTC instant column."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, g
from sqlalchemy import DateTime, MetaData, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def now_utc() -> datetime:
    """The current instant, timezone-aware in UTC: the one clock the application reads."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An instant stored in UTC and always returned timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"Refusing to store the naive instant {value.isoformat()}.")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def normalise_url(url: str) -> str:
    """Accept `postgresql://user@host/db` as users write it and pick the installed driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        _make_sqlite_folder(url)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _make_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite database file, so that a first run needs no setup."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun explicitly in _sqlite_begin, so pysqlite must not begin its own.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # XXX: pysqlite's deferred BEGIN lets two writers both read and then fail on upgrade;
    # an immediate BEGIN takes the write lock first, which the audit chain and claims rely on.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed as one unit, or rolled back whole on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_session() -> Session:
    """The session of the current request: opened on first use, closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["tracker.sessions"]()
    return g.db_session


def lock_for_writing(session: Session, name: str) -> None:
    """Serialise writers of one kind (the audit chain, incident numbers) until commit.

    PostgreSQL takes a transaction-scoped advisory lock; SQLite already holds the database
    write lock, since every transaction there begins IMMEDIATE.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(name.encode("utf-8"))
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def load_models() -> None:
    """Import every domain package's models module, so that Base.metadata knows all tables."""
    package = importlib.import_module("tracker")
    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg:
            continue
        try:
            importlib.import_module(f"tracker.{info.name}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"tracker.{info.name}.models":
                raise


def alembic_config(url: str) -> Any:
    """The Alembic configuration for our migrations, found inside the installed package."""
    from alembic.config import Config

    from .resources import data_path

    config = Config()
    config.set_main_option("script_location", str(data_path("migrations")))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade_database(url: str) -> str:
    """Apply every migration not yet applied to the database at `url`; return the revision."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        config = alembic_config(url)
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()

    log.info("Database on %s is at revision %s", engine.url.get_backend_name(), revision)
    return revision or "base"
