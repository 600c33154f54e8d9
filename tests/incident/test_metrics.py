"""Response metrics: mean times, on-time notices, downtime and customers, by severity and month."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import FACTS
from tracker.auth import access
from tracker.incident import metrics
from tracker.incident.service import change_status
from tracker.notice import service
from tracker.notice.lifecycle import record_notice
from tracker.plan.exercise import start_exercise

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def facts(**changes):
    document = copy.deepcopy(FACTS)
    for section, values in changes.items():
        document[section] = {**document.get(section, {}), **values}
    return document


def quiet(title, severity, category, events, **incident):
    """Facts of an incident that touches no personal data, so that no law applies."""
    document = facts(
        incident={"title": title, "severity": severity, "category": category, **incident}
    )
    document["events"] = events
    document["data"] = {"categories": []}
    document["affected"] = {}
    return document


def move(session, incident, status, at, actor=None):
    reason = "Closed for the metrics test" if status == "resolved" else None
    change_status(session, incident, status, actor, closure_override=reason, at=at)


@pytest.fixture
def counsel(make_user):
    return make_user("counsel")


@pytest.fixture
def breach(session, make_incident, counsel):
    """SEV-1 breach: began 03-01 15:00 UTC, found 03-05 14:30, handled 15:30, resolved 03-10."""
    incident = make_incident(facts(events={"resolved_at": "2026-03-10T09:30:00-04:00"}))
    move(session, incident, "investigating", datetime(2026, 3, 5, 15, 30, tzinfo=UTC))
    rows = {row.key: row for row in service.get_obligations(session, incident)}
    record_notice(
        session,
        rows["gdpr/supervisory_authority"],
        counsel,
        datetime(2026, 3, 7, tzinfo=UTC),
        "portal",
    )
    session.commit()
    return incident


@pytest.fixture
def outage(session, make_incident):
    """SEV-1 outage: down 04-01 00:00 UTC, found 02:00, handled 02:15, resolved 08:00."""
    events = {
        "occurred_at": "2026-04-01T00:00:00Z",
        "discovered_at": "2026-04-01T02:00:00Z",
        "resolved_at": "2026-04-01T08:00:00Z",
    }
    incident = make_incident(
        quiet("Portal down", "SEV-1", "outage", events, affected_customers=300)
    )
    move(session, incident, "investigating", datetime(2026, 4, 1, 2, 15, tzinfo=UTC))
    session.commit()
    return incident


@pytest.fixture
def minor(session, make_incident, counsel):
    """SEV-3 operational incident found 04-20 12:00 UTC, resolved through the status flow."""
    events = {"discovered_at": "2026-04-20T12:00:00Z"}
    incident = make_incident(
        quiet("Slow reports", "SEV-3", "operational", events, affected_customers=20)
    )
    move(session, incident, "investigating", datetime(2026, 4, 20, 16, 0, tzinfo=UTC))
    move(session, incident, "resolved", datetime(2026, 4, 21, 12, 0, tzinfo=UTC), counsel)
    session.commit()
    return incident


@pytest.fixture
def drill(session):
    """A SEV-2 exercise of the plan, with figures that would skew every mean."""
    events = {"occurred_at": "2026-01-01T00:00:00Z", "discovered_at": "2026-04-01T00:00:00Z"}
    facts = quiet("Tabletop", "SEV-2", "security", events, affected_customers=9999)
    incident = start_exercise(session, facts, [("Ana", "ana@example.com")], None)
    session.commit()
    return incident


def test_overall_means_and_counts(session, breach, outage, minor, drill):
    result = metrics.get_metrics(session, NOW, "UTC", viewer=access.TRACKER)

    overall = result.overall
    assert result.exercises == 1
    assert overall.incidents == 3
    # (3 days 23 h 30 min + 2 h) / 2
    assert overall.time_to_detect == timedelta(days=2, minutes=45)
    # (1 h + 15 min + 4 h) / 3
    assert overall.time_to_respond == timedelta(hours=1, minutes=45)
    # (4 days 23 h + 6 h + 24 h) / 3
    assert overall.time_to_resolve == timedelta(days=2, hours=1, minutes=40)
    assert (overall.outages, overall.downtime) == (1, timedelta(hours=8))
    assert overall.affected_customers == 320


def test_on_time_notice_rate_counts_legal_dates_given_or_passed(session, breach, outage):
    overall = metrics.get_metrics(session, NOW, "UTC", viewer=access.TRACKER).overall

    # The breach's gdpr/supervisory_authority was given on time; its us-ca/individuals (due
    # 04-05) and us-ca/attorney_general (due 04-20) passed without notice, as did the
    # outage's gdpr/supervisory_authority (due 04-04: facts that name no data are read as
    # possibly personal). gdpr/individuals has no legal date and policy/* are the
    # organisation's own targets, so neither counts; ftc-hbnr (due 05-31) is not due yet.
    assert (overall.notices_on_time, overall.notices_due) == (1, 4)
    assert overall.on_time_rate == pytest.approx(0.25)

    before = metrics.get_metrics(
        session, datetime(2026, 4, 10, tzinfo=UTC), "UTC", viewer=access.TRACKER
    ).overall
    assert (before.notices_on_time, before.notices_due) == (1, 3)


def test_by_severity_in_plan_order(session, breach, outage, minor, drill):
    groups = metrics.get_metrics(session, NOW, "UTC", viewer=access.TRACKER).by_severity

    assert [(g.label, g.incidents, g.affected_customers) for g in groups] == [
        ("SEV-1", 2, 300),
        ("SEV-3", 1, 20),
    ]
    assert groups[0].time_to_respond == timedelta(minutes=37, seconds=30)
    assert groups[1].time_to_detect is None
    assert groups[1].time_to_resolve == timedelta(hours=24)


def test_months_are_counted_in_the_viewers_zone(session, breach, outage, minor):
    utc = metrics.get_metrics(session, NOW, "UTC", viewer=access.TRACKER).by_month
    new_york = metrics.get_metrics(session, NOW, "America/New_York", viewer=access.TRACKER).by_month

    assert [(g.label, g.incidents) for g in utc] == [("2026-03", 1), ("2026-04", 2)]
    # The outage was found at 22:00 on 31 March in New York.
    assert [(g.label, g.incidents) for g in new_york] == [("2026-03", 2), ("2026-04", 1)]


def test_figures_agree_with_the_incident_model(session, breach, outage, minor):
    by_id = {}
    for incident in (breach, outage, minor):
        session.refresh(incident)
        by_id[incident.id] = incident
    rows, _ = metrics._incidents(session, access.TRACKER)
    changes = metrics._status_changes(session, access.TRACKER)

    for row in rows:
        figures = metrics.figures_of(row, changes[row["id"]], (0, 0), "UTC")
        incident = by_id[row["id"]]
        assert figures.time_to_detect == incident.time_to_detect
        assert figures.time_to_respond == incident.time_to_respond
        assert figures.time_to_resolve == incident.time_to_resolve


def test_no_incidents_gives_empty_groups(session):
    result = metrics.get_metrics(session, NOW, viewer=access.TRACKER)

    assert result.overall.incidents == 0
    assert result.overall.time_to_detect is None
    assert result.overall.on_time_rate is None
    assert result.by_severity == [] and result.by_month == []


def test_the_metrics_page_draws_its_charts(client, make_user, login, breach, outage, minor):
    login(client, make_user("viewer"))

    html = client.get("/metrics").get_data(as_text=True)

    assert 'aria-current="page">Metrics</a>' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 6
    assert (
        '<title id="chart-time_to_resolve-title">Mean time to resolve by severity</title>' in html
    )
    assert "SEV-1: 2 days 14 h 30 min; SEV-3: 1 day." in html
    assert "<dt>Affected customers</dt><dd>320</dd>" in html
