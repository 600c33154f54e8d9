"""The notice pages on PostgreSQL: draft, approve and send with proof, and the instants read
back in UTC with the due date the notice was sent against."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from sqlalchemy import select

from tracker.auth.service import create_user
from tracker.db import make_engine, make_session_factory, upgrade_database
from tracker.incident.service import create_incident
from tracker.notice.models import Notice, Obligation

from ..conftest import PASSWORD

pytestmark = pytest.mark.postgres


def test_notice_pages_on_postgresql(postgres_url, make_app, facts):
    upgrade_database(postgres_url)
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        user = create_user(session, "counsel@example.com", "counsel", PASSWORD, "test setup")
        incident = create_incident(session, facts, user)
        session.commit()
        row = session.scalars(
            select(Obligation).where(
                Obligation.incident_id == incident.id,
                Obligation.key == "gdpr/supervisory_authority",
            )
        ).one()
        obligation_id, due = row.id, row.due_at

    client = make_app(DATABASE_URL=postgres_url).test_client()
    client.post("/login", data={"email": "counsel@example.com", "password": PASSWORD})
    created = client.post(f"/obligations/{obligation_id}/notices", data={"letter": "generic"})
    notice_id = int(created.headers["Location"].rsplit("/", 1)[1])
    content = {
        "content-organisation": "Example Corp",
        "content-recipient": "Data Protection Commission",
        "content-summary": "Credential stuffing against the portal.",
        "content-measures": "Passwords reset.",
        "content-contact": "dpo@example.com",
    }
    edited = client.post(f"/notices/{notice_id}/content", data=content)
    approved = client.post(f"/notices/{notice_id}/approve")
    sending = {
        "sent_local": "2026-03-08T08:00",
        "sent_zone": "America/New_York",
        "channel": "email",
        "reference": "DPC-1",
        "attachments": [(BytesIO(b"%PDF-1.7\n%%EOF\n"), "receipt.pdf")],
    }
    sent = client.post(f"/notices/{notice_id}/send", data=sending)

    assert [created.status_code, edited.status_code, approved.status_code] == [302, 302, 302]
    assert sent.status_code == 302
    with sessions() as session:
        notice = session.get(Notice, notice_id)
        assert notice.status == "sent"
        assert notice.sent_at == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
        assert notice.sent_at.tzinfo is UTC
        assert notice.due_at_sent == due
        assert [proof.filename for proof in notice.attachments] == ["receipt.pdf"]
    engine.dispose()
