"""Alembic environment: our metadata, batch mode for SQLite, the caller's connection if given."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from tracker.db import Base, load_models, make_engine

load_models()
config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as connection:
            run_on(connection)
    finally:
        engine.dispose()


def run_on(connection: Connection) -> None:
    if connection.dialect.name == "sqlite" and not connection.in_transaction():
        # XXX: batch mode rebuilds a table by copying and dropping it, which enforced foreign
        # keys would refuse; the pragma only acts outside a transaction, so it goes to the
        # driver connection directly. upgrade_database() disposes of this connection after.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")

    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
