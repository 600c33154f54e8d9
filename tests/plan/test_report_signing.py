"""A plan report whose signing fails in the sweep: kept, said in the outbox, signed later."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.conftest import login
from tracker.plan import reports
from tracker.plan.models import PeriodReport
from tracker.reminder.models import MailMessage, Reminder
from tracker.reminder.service import get_failed_reminders
from tracker.report.keys import CERT_FILE, KEY_FILE, init_keys, key_folder

FEBRUARY = datetime(2027, 2, 1, 0, 0, tzinfo=UTC)


def _config(app):
    return {
        key.removeprefix("TRACKER_"): value
        for key, value in app.config.items()
        if key.startswith("TRACKER_")
    }


def _monthly(session):
    query = select(Reminder).where(
        Reminder.target_kind == "plan_report", Reminder.step == "monthly"
    )
    return [(row.remind_at, row.status) for row in session.scalars(query.order_by(Reminder.id))]


def test_a_report_that_cannot_be_signed_is_kept_said_and_signed_at_a_later_sweep(
    session, make_app, make_user, sweeper, tmp_path
):
    counsel = make_user("counsel", email="casey@example.com")
    reports.ensure_schedule(session, "UTC", datetime(2027, 1, 15, 10, 0, tzinfo=UTC))
    session.commit()
    config = _config(make_app())
    init_keys(config)
    key_path = tmp_path / "signing-key.pem"
    key_path.write_text("this is not a private key\n")
    settings = {"SIGNING_KEY": str(key_path), "SIGNING_CERT": str(key_folder(config) / CERT_FILE)}

    result = sweeper(FEBRUARY, **settings)

    assert (result.queued, result.failed, result.messages) == (0, 1, 0)
    session.rollback()
    report = session.scalars(select(PeriodReport)).one()
    assert (report.period, report.starts_on, report.export) == ("monthly", date(2027, 1, 1), None)
    failed = get_failed_reminders(session)
    assert [(row.remind_at, row.status) for row in failed] == [(FEBRUARY, "failed")]
    assert failed[0].reason.startswith(
        f"the PLAN-2027-01 report was kept but could not be signed: The private key {key_path} "
        "cannot be read:"
    )
    assert failed[0].reason.endswith("It is tried again at the next sweep.")
    # The next month is planned all the same, and this one is tried again.
    assert _monthly(session) == [
        (FEBRUARY, "failed"),
        (datetime(2027, 3, 1, 0, 0, tzinfo=UTC), "pending"),
        (datetime(2027, 2, 1, 0, 0, 1, tzinfo=UTC), "pending"),
    ]

    app = make_app(**settings)
    client = app.test_client()
    login(client, counsel)
    outbox = client.get("/outbox").get_data(as_text=True)
    assert "the PLAN-2027-01 report was kept but could not be signed" in outbox
    listing = client.get("/plan-reports").get_data(as_text=True)
    assert "Not signed: the signing failed" in listing

    key_path.write_bytes((key_folder(config) / KEY_FILE).read_bytes())
    result = sweeper(datetime(2027, 2, 1, 0, 15, tzinfo=UTC), **settings)

    assert (result.queued, result.failed, result.messages) == (1, 0, 1)
    session.rollback()
    session.expire_all()
    report = session.scalars(select(PeriodReport)).one()
    assert report.export.kind == "plan_report"
    assert get_failed_reminders(session) == []
    assert _monthly(session) == [
        (FEBRUARY, "skipped"),
        (datetime(2027, 3, 1, 0, 0, tzinfo=UTC), "pending"),
        (datetime(2027, 2, 1, 0, 0, 1, tzinfo=UTC), "queued"),
    ]
    message = session.scalars(select(MailMessage)).one()
    assert (message.recipient, message.subject) == (
        "casey@example.com",
        "Monthly response plan report from 2027-01-01",
    )
    assert "Not signed" not in client.get("/plan-reports").get_data(as_text=True)
