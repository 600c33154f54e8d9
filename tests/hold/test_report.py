"""The signed incident report carries the incident's legal holds and chain of custody."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pypdf

from tracker.config import load_config
from tracker.evidence import service as evidence
from tracker.hold import service
from tracker.report import service as reports

from .conftest import ISSUED


def test_the_report_lists_holds_with_each_persons_status_and_the_custody_chain(
    session, issued, owner, app
):
    incident = issued.incidents[0]
    jo = issued.people[0]
    link = service.new_link(session, jo, ISSUED)
    opened, person = service.open_link(session, jo.id, link, ISSUED)
    service.acknowledge(session, opened, person, "", ISSUED + timedelta(hours=1))
    item = evidence.create_item(
        session,
        owner,
        description="Auth server image",
        collected_by="Dana Cruz",
        collected_at=datetime(2026, 3, 5, 15, 0, tzinfo=UTC),
        incident_id=incident.id,
        sha256="ab" * 32,
    )
    evidence.add_transfer(
        session,
        item,
        owner,
        from_party="Dana Cruz",
        to_party="Forensics lab",
        at=datetime(2026, 3, 5, 17, 0, tzinfo=UTC),
        purpose="Imaging",
    )
    session.commit()
    config = load_config(environ={}, overrides={"INSTANCE": app.instance_path})

    export = reports.export_report(session, incident, owner, config)
    session.commit()

    pdf = pypdf.PdfReader(io.BytesIO(reports.read_pdf(config, export)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Legal holds" in text, text
    assert "Project Falcon breach" in text
    assert "Jo Doe: acknowledged; Sam Ops: overdue" in text
    assert "Evidence and chain of custody" in text
    assert "Forensics lab" in text and "ab" * 32 in text.replace(" ", "")
    assert "Chain of custody: Auth server image" in text
    assert "Dana Cruz Forensics lab Imaging" in text
    assert "Legal hold: Project Falcon breach" in text
    assert "Sam Ops (system owner) overdue" in text
