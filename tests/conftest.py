"""Shared fixtures: a migrated application per test, its client and command runner, sessions,
factories for users and incidents, and the PostgreSQL lane."""

from __future__ import annotations

import copy
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker import create_app
from tracker.auth.models import User
from tracker.auth.service import create_user
from tracker.db import _sqlite_begin, make_engine, make_session_factory, upgrade_database
from tracker.incident.models import Incident
from tracker.incident.service import create_incident

PASSWORD = "correct horse battery staple"

FACTS: dict[str, Any] = {
    "format": "incident-facts/1",
    "incident": {"title": "Credential stuffing", "severity": "SEV-1", "category": "security"},
    "timezone": "America/New_York",
    "organisation": {"roles": ["controller"], "main_establishment": "IE"},
    "events": {
        "occurred_at": "2026-03-01T10:00:00-05:00",
        "discovered_at": "2026-03-05T09:30:00-05:00",
    },
    "data": {"categories": ["name", "ssn"], "records": 15000},
    "affected": {"US-CA": 1200, "DE": 40},
}

POSTGRES_ENV = "TRACKER_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Hash test passwords with small argon2id costs; the product's own costs take ~0.5 s."""
    from argon2 import PasswordHasher

    from tracker.auth import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per run; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "tracker.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(tmp_path: Path, migrated_template: Path) -> str:
    path = tmp_path / "tracker.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def make_app(tmp_path: Path, database_url: str) -> Iterator[Callable[..., Any]]:
    """Build an application on this test's database, with settings overridden."""
    apps = []

    def build(**overrides: Any) -> Any:
        settings = {
            "INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            **overrides,
        }
        app = create_app(settings)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["tracker.engine"].dispose()


@pytest.fixture
def app(make_app: Callable[..., Any]) -> Any:
    return make_app()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(tmp_path: Path, database_url: str) -> CliRunner:
    """Runs `tracker` commands against this test's database."""
    return CliRunner(
        env={
            "TRACKER_DATABASE_URL": database_url,
            "TRACKER_INSTANCE": str(tmp_path / "instance"),
            "TRACKER_SECRET_KEY": "test-secret-key",
        }
    )


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """The test's own session on the app's database, to arrange and to inspect.

    Its transactions begin DEFERRED, unlike the application's IMMEDIATE ones, so that a read
    here does not hold SQLite's write lock while the test client sends requests. It sees what
    requests committed once it starts a new transaction (after commit, rollback or expire_all).
    """
    engine = make_engine(database_url)
    event.remove(engine, "begin", _sqlite_begin)
    event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    db = make_session_factory(engine)()
    yield db
    db.close()
    engine.dispose()


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def build(role: str = "counsel", email: str | None = None, **fields: Any) -> User:
        email = email or f"{role}{next(counter)}@example.com"
        password = fields.pop("password", PASSWORD)
        user = create_user(session, email, role, password, "test setup", **fields)
        session.commit()
        return user

    return build


@pytest.fixture
def facts() -> dict[str, Any]:
    """A valid incident-facts/1 document, a fresh copy for each test to change."""
    return copy.deepcopy(FACTS)


@pytest.fixture
def make_incident(session: Session) -> Callable[..., Incident]:
    def build(facts: dict[str, Any] | None = None, actor: User | None = None) -> Incident:
        incident = create_incident(session, facts or copy.deepcopy(FACTS), actor)
        session.commit()
        return incident

    return build


def login(client: Any, user: User, password: str = PASSWORD) -> Any:
    """Sign `user` in through the login form; CSRF must be off in the client's app."""
    return client.post("/login", data={"email": user.email, "password": password})


@pytest.fixture(name="login")
def login_fixture() -> Callable[..., Any]:
    return login


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")

    import psycopg

    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a SQLite file, and PostgreSQL when the server is configured."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture
def db_session(db_url: str) -> Iterator[Session]:
    """A session on a freshly migrated database of each kind in `db_url`."""
    upgrade_database(db_url)
    engine = make_engine(db_url)
    db = make_session_factory(engine)()
    yield db
    db.close()
    engine.dispose()
