import hashlib
import json
import os
import re
import stat
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from report_samples import EVALUATION, page_texts
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.auth.service import create_token
from tracker.config import load_config
from tracker.errors import ValidationError
from tracker.notice import lifecycle
from tracker.notice.service import get_obligations
from tracker.report import jobs, service
from tracker.report.manifest import facts_digest
from tracker.report.verify import verify_pdf


class FixedEvaluation:
    """The engine's answer for these tests, in its to_dict() form."""

    def __init__(self, document):
        self.document = document

    def to_dict(self):
        return json.loads(json.dumps(self.document))


def fixed(facts):
    return FixedEvaluation(EVALUATION)


@pytest.fixture
def instance_config(app):
    return {
        key.removeprefix("TRACKER_"): value
        for key, value in app.config.items()
        if key.startswith("TRACKER_")
    }


@pytest.fixture
def exported(session, make_incident, make_user, instance_config):
    incident = make_incident()
    counsel = make_user("counsel", name="Inès Müller")
    export = service.export_report(session, incident, counsel, instance_config, evaluate=fixed)
    session.commit()
    return incident, counsel, export


def test_export_stores_the_file_and_records_it(exported, instance_config, session):
    incident, counsel, export = exported
    path = Path(instance_config["INSTANCE"]) / export.path
    data = path.read_bytes()

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert export.size == len(data)
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert export.facts_sha256 == facts_digest(incident.facts_document)
    assert export.rule_versions == {
        "gdpr/supervisory_authority": "2018-05-25",
        "us-ca/individuals": "2020-01-01",
    }
    assert export.signer_name == "Inès Müller"
    assert export.created_by_id == counsel.id
    assert export.signature_level == "B-B"

    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).one()
    assert event.incident_id == incident.id
    assert event.object_type == "report_export"
    assert event.object_id == export.id
    assert event.actor_id == counsel.id
    assert json.loads(event.after)["sha256"] == export.sha256


def test_exported_report_carries_its_data_and_verifies(exported, instance_config, session):
    incident, _, export = exported
    data = service.read_pdf(instance_config, export)

    attached = pypdf.PdfReader(BytesIO(data)).attachments
    assert json.loads(attached["facts.json"][0]) == incident.facts_document
    assert json.loads(attached["obligations.json"][0]) == EVALUATION
    manifest = json.loads(attached["report.json"][0])
    assert manifest["export_id"] == export.id
    assert manifest["incident_id"] == incident.id

    pages = page_texts(data)
    assert all(incident.reference in text for text in pages)
    assert "incident.create" in " ".join(pages)
    assert "Inès Müller" in " ".join(pages)

    result = verify_pdf(data, instance_config, service.export_lookup(session))
    assert result.problems == []
    assert result.is_valid
    assert result.export["id"] == export.id


def test_gdpr_submission_carries_article_33_content(session, make_incident, instance_config):
    incident = make_incident()
    export = service.export_report(
        session,
        incident,
        None,
        instance_config,
        kind="submission",
        obligation_key="gdpr/supervisory_authority",
        evaluate=fixed,
    )
    session.commit()
    text = " ".join(page_texts(service.read_pdf(instance_config, export)))
    assert "Notification of a personal data breach (GDPR Article 33)" in text
    assert "2026-03-09 15:00 EDT" in text
    assert export.obligation_key == "gdpr/supervisory_authority"
    assert export.rule_versions == {"gdpr/supervisory_authority": "2018-05-25"}


def test_incident_report_logs_the_notices_given(session, make_incident, make_user, app):
    incident = make_incident()
    counsel = make_user("counsel")
    obligation = next(
        row for row in get_obligations(session, incident) if row.key == "us-ca/individuals"
    )
    sent_at = datetime(2026, 3, 20, 16, 0, tzinfo=UTC)
    lifecycle.record_notice(session, obligation, counsel, sent_at, "letter", "CA-LTR-0042")
    session.commit()
    config = load_config(environ={}, overrides={"INSTANCE": app.instance_path})

    export = service.export_report(session, incident, counsel, config)
    session.commit()

    text = " ".join(page_texts(service.read_pdf(config, export)))
    assert "Notice log" in text
    assert "us-ca/individuals 2026-03-20 12:00 EDT letter CA-LTR-0042" in text


def test_a_submission_for_an_obligation_not_owed_is_refused(session, make_incident, app):
    incident = make_incident()
    config = load_config(environ={}, overrides={"INSTANCE": app.instance_path})
    with pytest.raises(ValidationError, match="us-tx/individuals.*gdpr/supervisory_authority"):
        service.export_report(
            session,
            incident,
            None,
            config,
            kind="submission",
            obligation_key="us-tx/individuals",
            evaluate=fixed,
        )
    assert list((Path(app.instance_path) / "reports").glob("*.pdf")) == []


def test_cli_report_then_verify(runner, make_incident, tmp_path, monkeypatch):
    incident = make_incident()
    monkeypatch.setattr(service, "_evaluate", lambda incident, config, evaluate: EVALUATION)
    from tracker.cli import main

    out = tmp_path / "report.pdf"
    made = runner.invoke(main, ["report", incident.reference, "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert "SHA-256" in made.output

    checked = runner.invoke(main, ["verify", str(out)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip().endswith("VALID")
    assert f"incident_id {incident.id}" in checked.output

    altered = tmp_path / "altered.pdf"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    refused = runner.invoke(main, ["verify", str(altered)])
    assert refused.exit_code == 1
    assert refused.output.strip().endswith("NOT VALID")


def test_cli_verify_of_a_report_unknown_here_exits_3(runner, report, tmp_path):
    from tracker.cli import main

    path = tmp_path / "foreign.pdf"
    path.write_bytes(report.pdf)
    result = runner.invoke(main, ["verify", str(path)])
    assert result.exit_code == 3, result.output
    assert "NOT TRUSTED" in result.output


def test_cli_report_of_a_missing_incident_is_one_line(runner, tmp_path):
    from tracker.cli import main

    result = runner.invoke(main, ["report", "INC-1999-0001", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "There is no incident with the reference 'INC-1999-0001'." in result.output


def _token(session, user, scope="read-write"):
    _, text = create_token(session, user, user, scope=scope)
    session.commit()
    return {"Authorization": f"Bearer {text}"}


def test_api_export_returns_the_record_and_a_download(
    client, session, make_incident, make_user, monkeypatch
):
    monkeypatch.setattr(service, "_evaluate", lambda incident, config, evaluate: EVALUATION)
    incident = make_incident()
    headers = _token(session, make_user("counsel"))

    response = client.post(f"/api/v1/incidents/{incident.id}/reports", headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["export"]["incident_id"] == incident.id
    assert body["export"]["kind"] == "incident"

    download = client.get(body["download_url"], headers=headers)
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert hashlib.sha256(download.data).hexdigest() == body["export"]["sha256"]


def test_api_export_is_refused_to_a_viewer(client, session, make_incident, make_user):
    incident = make_incident()
    headers = _token(session, make_user("viewer"), scope="read-write")
    response = client.post(f"/api/v1/incidents/{incident.id}/reports", headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"kind": "submission"}, "obligation"),
        ({"kind": "summary"}, "kind"),
        ({"reason": 5}, "reason"),
    ],
)
def test_api_export_names_the_bad_field(
    client, session, make_incident, make_user, monkeypatch, body, field
):
    monkeypatch.setattr(service, "_evaluate", lambda incident, config, evaluate: EVALUATION)
    incident = make_incident()
    headers = _token(session, make_user("counsel"))
    response = client.post(f"/api/v1/incidents/{incident.id}/reports", json=body, headers=headers)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_api_export_of_a_missing_incident_is_404(client, session, make_user):
    headers = _token(session, make_user("counsel"))
    response = client.post("/api/v1/incidents/999/reports", headers=headers)
    assert response.status_code == 404
    assert "999" in response.json["error"]["message"]


def test_export_button_and_verify_page(
    app, client, session, make_incident, make_user, login, monkeypatch
):
    monkeypatch.setattr(service, "_evaluate", lambda incident, config, evaluate: EVALUATION)
    incident = make_incident()
    login(client, make_user("counsel"))

    exported = client.post(f"/incidents/{incident.id}/reports")
    assert exported.status_code == 302
    assert "/reports/jobs/" in exported.headers["Location"]
    jobs.wait_for_jobs(app)

    page = client.get(exported.headers["Location"])
    assert page.status_code == 200
    assert b"<h2>Ready</h2>" in page.data
    assert b'http-equiv="refresh"' not in page.data
    download = re.search(rb'href="(/reports/[0-9a-f-]{36}\.pdf)"', page.data).group(1).decode()
    pdf = client.get(download)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert download.encode() in client.get(f"/incidents/{incident.id}").data

    page = client.post(
        "/reports/verify",
        data={"file": (BytesIO(pdf.data), "report.pdf")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    assert b"report.pdf:\n    valid</h2>" in page.data
    assert b"BROKEN" not in page.data

    altered = bytearray(pdf.data)
    altered[100] ^= 0x01
    page = client.post(
        "/reports/verify",
        data={"file": (BytesIO(bytes(altered)), "report.pdf")},
        content_type="multipart/form-data",
    )
    assert b"altered or broken" in page.data


def test_incident_page_exports_a_regulator_submission(
    app, client, session, make_incident, make_user, login
):
    incident = make_incident()
    login(client, make_user("counsel"))
    page = client.get(f"/incidents/{incident.id}")
    assert b'<option value="submission:gdpr/supervisory_authority">' in page.data

    exported = client.post(
        f"/incidents/{incident.id}/reports",
        data={"report": "submission:gdpr/supervisory_authority"},
    )
    jobs.wait_for_jobs(app)

    job_page = client.get(exported.headers["Location"])
    assert b"<h2>Ready</h2>" in job_page.data
    (export,) = service.get_all(session, incident)
    assert export.kind == "submission"
    assert export.obligation_key == "gdpr/supervisory_authority"
    text = " ".join(page_texts(service.read_pdf(_config(app), export)))
    assert "Notification of a personal data breach (GDPR Article 33)" in text


def test_report_job_goes_through_its_steps(app, session, make_incident, make_user, monkeypatch):
    monkeypatch.setattr(service, "_evaluate", lambda incident, config, evaluate: EVALUATION)
    incident = make_incident()
    counsel = make_user("counsel")
    job = jobs.request_export(session, incident, counsel)
    session.commit()
    seen = []
    original = jobs._progress
    monkeypatch.setattr(jobs, "_progress", lambda *args: (seen.append(args[2]), original(*args))[1])

    jobs.run(app.extensions["tracker.sessions"], _config(app), job.id)

    session.expire_all()
    done = jobs.get(session, job.id)
    assert seen == ["rendering", "signing"]
    assert done.status == "done"
    assert done.export.incident_id == incident.id
    assert done.export.signer_name == counsel.name


def test_a_failed_job_says_why(app, session, make_incident, make_user):
    incident = make_incident()
    job = jobs.request_export(
        session, incident, make_user("counsel"), kind="submission", obligation_key="us-tx/x"
    )
    session.commit()

    jobs.run(app.extensions["tracker.sessions"], _config(app), job.id)

    session.expire_all()
    failed = jobs.get(session, job.id)
    assert failed.status == "failed"
    assert "The obligation 'us-tx/x' does not arise from this incident's facts" in failed.error
    assert failed.export_id is None


def test_a_job_is_run_once(app, session, make_incident, make_user, monkeypatch):
    monkeypatch.setattr(service, "_evaluate", lambda incident, config, evaluate: EVALUATION)
    job = jobs.request_export(session, make_incident(), make_user("counsel"))
    session.commit()
    factory = app.extensions["tracker.sessions"]

    jobs.run(factory, _config(app), job.id)
    jobs.run(factory, _config(app), job.id)

    assert len(service.get_all(session, job.incident)) == 1


def test_an_unfinished_job_long_ago_shows_as_interrupted(
    client, session, make_incident, make_user, login
):
    counsel = make_user("counsel")
    job = jobs.request_export(session, make_incident(), counsel)
    job.status = "rendering"
    job.updated_at = datetime(2026, 1, 1, tzinfo=UTC)
    session.commit()
    login(client, counsel)

    page = client.get(f"/reports/jobs/{job.id}")

    assert page.status_code == 200
    assert b"the process producing it stopped" in page.data
    session.expire_all()
    assert jobs.get(session, job.id).status == "failed"


def test_a_job_in_progress_refreshes_its_page(client, session, make_incident, make_user, login):
    counsel = make_user("counsel")
    job = jobs.request_export(session, make_incident(), counsel)
    session.commit()
    login(client, counsel)

    page = client.get(f"/reports/jobs/{job.id}")

    assert b'<meta http-equiv="refresh" content="2">' in page.data
    assert b"Waiting for a report worker" in page.data
    assert client.get("/reports/jobs/no-such-job").status_code == 404


def _config(app):
    return {
        key.removeprefix("TRACKER_"): value
        for key, value in app.config.items()
        if key.startswith("TRACKER_")
    }


def test_api_verify_answers_every_check(client, session, exported, instance_config, make_user):
    _, _, export = exported
    headers = {**_token(session, make_user("viewer")), "Content-Type": "application/pdf"}
    data = service.read_pdf(instance_config, export)

    valid = client.post("/api/v1/verify", data=data, headers=headers)
    altered = bytearray(data)
    altered[200] ^= 0x01
    broken = client.post("/api/v1/verify", data=bytes(altered), headers=headers)

    assert valid.status_code == 200
    assert valid.json["status"] == "valid"
    assert valid.json["export"]["id"] == export.id
    assert valid.json["sha256"] == export.sha256
    assert valid.json["problems"] == []
    assert broken.status_code == 200
    assert broken.json["status"] == "altered"
    assert broken.json["is_intact"] is False
    assert broken.json["problems"]


def test_api_verify_wants_a_pdf_body(client, session, make_user):
    headers = _token(session, make_user("viewer"))
    response = client.post("/api/v1/verify", json={"file": "x"}, headers=headers)
    assert response.status_code == 415
    assert "Content-Type application/pdf" in response.json["error"]["message"]

    garbage = client.post(
        "/api/v1/verify",
        data=b"not a pdf",
        headers={**headers, "Content-Type": "application/pdf"},
    )
    assert garbage.status_code == 200
    assert garbage.json["status"] == "altered"


def test_legal_hold_report_shows_each_custodian(session, make_incident, make_user, app):
    from tracker.hold import service as holds

    incident = make_incident()
    counsel = make_user("counsel")
    hold = holds.create_hold(
        session,
        counsel,
        name="Portal litigation hold",
        incident_ids=[incident.id],
        scope=holds.Scope(data_sources=("portal logs",)),
        people=[holds.Person("Björn Ødegård", "bjorn@example.com", manager_email="m@example.com")],
    )
    holds.issue(session, hold, counsel, now=datetime(2026, 3, 6, 15, 0, tzinfo=UTC))
    session.commit()
    config = _config(app)

    export = service.export_report(session, incident, counsel, config, kind="legal_hold")
    session.commit()

    text = " ".join(page_texts(service.read_pdf(config, export)))
    assert export.kind == "legal_hold"
    assert "Legal hold report" in text
    assert "Legal hold: Portal litigation hold" in text
    assert "data sources: portal logs" in text
    assert "Björn Ødegård" in text
    assert "2026-03-06 10:00 EST" in text


def test_custody_report_lists_every_transfer(session, make_incident, make_user, app):
    from tracker.evidence import service as evidence

    incident = make_incident()
    responder = make_user("responder")
    item = evidence.create_item(
        session,
        responder,
        description="Web server disk image",
        collected_by="Dana Ng",
        collected_at=datetime(2026, 3, 5, 16, 0, tzinfo=UTC),
        incident_id=incident.id,
        sha256="ab" * 32,
    )
    evidence.add_transfer(
        session,
        item,
        responder,
        from_party="Dana Ng",
        to_party="Forensics Ltd",
        at=datetime(2026, 3, 6, 9, 0, tzinfo=UTC),
        purpose="imaging analysis",
    )
    session.commit()
    config = _config(app)

    export = service.export_report(session, incident, responder, config, kind="custody")
    session.commit()

    text = " ".join(page_texts(service.read_pdf(config, export)))
    assert "Chain-of-custody report" in text
    assert "Chain of custody: Web server disk image" in text
    assert "2026-03-06 04:00 EST Dana Ng Forensics Ltd imaging analysis" in text
    assert "ab" * 32 in text.replace(" ", "")


@pytest.mark.parametrize(
    ("kind", "words"), [("legal_hold", "no legal hold"), ("custody", "no evidence")]
)
def test_a_record_report_without_records_is_refused(session, make_incident, app, kind, words):
    with pytest.raises(ValidationError, match=words):
        service.export_report(session, make_incident(), None, _config(app), kind=kind)


def test_cli_custody_report_without_evidence_is_one_line(runner, make_incident, tmp_path):
    from tracker.cli import main

    incident = make_incident()
    out = tmp_path / "custody.pdf"
    result = runner.invoke(main, ["report", incident.reference, "--kind", "custody", "--out", out])

    assert result.exit_code != 0
    assert "The incident has no evidence recorded yet" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_incident_report_draws_the_timeline_picture(session, make_incident, make_user, app):
    incident = make_incident()
    counsel = make_user("counsel")
    config = _config(app)

    export = service.export_report(session, incident, counsel, config)
    session.commit()

    pdf = service.read_pdf(config, export)
    text = " ".join(page_texts(pdf))
    assert "drawn as of the time of signing" in text
    assert "2026-03-05 09:30 EST · Discovery" in text
    assert "2026-03-08 10:30 EDT · Due: gdpr/supervisory_authority" in text
    assert "Deadline passed without notice" in text


def test_incident_report_carries_the_impact_assessment(session, make_incident, make_user, app):
    incident = make_incident()
    incident.impact_systems = ["customer portal", "SSO"]
    incident.impact_users = 15000
    incident.customer_impact = "degraded"
    incident.regulatory_impact = "GDPR and California notices"
    session.commit()
    config = _config(app)

    export = service.export_report(session, incident, make_user("counsel"), config)
    session.commit()

    text = " ".join(page_texts(service.read_pdf(config, export)))
    assert "Impact assessment" in text
    assert "Systems affected customer portal, SSO" in text
    assert "Users affected 15000" in text
    assert "Customer impact degraded" in text
    assert "Regulatory impact GDPR and California notices" in text
    assert "Time to detect 3 days 23 h 30 min" in text


def test_cli_verify_of_an_untrusted_signer_prints_no_traceback(report, tmp_path, database_url):
    """The real command in its own process: pyHanko's log lines must not reach stderr."""
    import subprocess
    import sys

    path = tmp_path / "foreign.pdf"
    path.write_bytes(report.pdf)
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE": str(tmp_path / "other-instance"),
        "TRACKER_SECRET_KEY": "test-secret-key",
    }
    done = subprocess.run(  # noqa: S603  (the installed command, with fixed arguments)
        [str(Path(sys.executable).parent / "tracker"), "verify", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    assert done.returncode == 3, done.stderr
    assert done.stderr == ""
    assert "Signer trust    NOT TRUSTED" in done.stdout
    assert "problem: The signer 'Organization: Tracker organisation, Common Name: Tracker " in (
        done.stdout
    )
    assert done.stdout.strip().endswith("NOT VALID")
