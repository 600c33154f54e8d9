"""The Washington import on PostgreSQL: the same rows, the same dates, no duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tracker.audit.service import verify_chain
from tracker.db import make_engine, make_session_factory, transaction, upgrade_database
from tracker.importer import washington
from tracker.importer.models import ImportRecord
from tracker.importer.service import import_rows
from tracker.notice.models import Obligation

from .conftest import write_csv
from .test_washington import HEADER, wa_row

pytestmark = pytest.mark.postgres


def test_import_twice_on_postgresql(postgres_url, tmp_path):
    rows = [wa_row("1", "02/29/2020", "04/15/2020"), wa_row("2", "", "05/01/2020")]
    path = write_csv(tmp_path / "wa.csv", HEADER, rows)
    upgrade_database(postgres_url)
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)
    try:
        for _ in range(2):
            with transaction(sessions) as session:
                import_rows(session, "wa-ago", path.name, "0" * 64, washington.read(path))

        with transaction(sessions) as session:
            assert session.scalar(select(func.count()).select_from(ImportRecord)) == 2
            due = session.scalars(
                select(Obligation.due_at).where(Obligation.key == "us-wa/attorney_general")
            ).one()
            assert due.isoformat() == "2020-04-15T06:59:59.999999+00:00"
            assert verify_chain(session).is_intact
    finally:
        engine.dispose()
