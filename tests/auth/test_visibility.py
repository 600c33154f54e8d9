"""Pages and API lists across incidents show a restricted incident to its team only.

Every GET route that names no incident-scoped object (the board, metrics, analysis, recipients,
calendars, feeds, lists and the forms' pickers, and any route added later) is read by a user
outside the team, and must not carry the restricted incident's title, reference, hold or
contract party; the team and administrators see them where the page lists them.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from typing import Any

import pytest
from sqlalchemy import select

from tests.auth.conftest import UNSCOPED_VALUES, _action_row
from tests.auth.test_route_matrix import (
    RULE_PARAMETER,
    served,
    sign_in,
    token_of,
    url_for_rule,
)
from tests.conftest import FACTS
from tracker.auth import access
from tracker.auth.models import User
from tracker.hold import service as holds
from tracker.hold.models import LegalHold
from tracker.importer.models import ImportBatch, ImportRecord
from tracker.incident import metrics
from tracker.incident.models import Incident
from tracker.notice import calendar
from tracker.notice.lifecycle import record_notice
from tracker.notice.models import Obligation
from tracker.plan.exercise import start_exercise

SECRET_TITLE = "Zanzibar ransomware"
SECRET_PARTY = "Quillfeather Holdings"
SECRET_HOLD = "Quillfeather mailboxes"
SECRET_EXERCISE = "Zanzibar tabletop"
OPEN_TITLE = "Portal phishing"
OPEN_HOLD = "Portal logs"
SOURCE = "wa-ago"


def _facts(title: str, party: str | None = None) -> dict[str, Any]:
    facts = copy.deepcopy(FACTS)
    facts["incident"]["title"] = title
    if party:
        facts["contracts"] = [{"party": party, "notify_within": "48h", "trigger": "discovered_at"}]
    return facts


def _record(session: Any, batch: ImportBatch, incident: Incident, row: int) -> None:
    """An imported register row of the incident, with a notice given for its obligation."""
    obligation = session.scalars(
        select(Obligation).where(Obligation.incident_id == incident.id).order_by(Obligation.id)
    ).first()
    session.add(
        ImportRecord(
            batch=batch,
            source=SOURCE,
            source_key=f"key-{row}",
            row_number=row,
            incident_id=incident.id,
            notice_key=obligation.key,
            data={"industry": f"Industry of {incident.title}", "notified_on": "2026-03-20"},
            raw={"Name": incident.title},
        )
    )


@pytest.fixture
def world(session, make_user, make_incident):
    """An open incident and a restricted one, each with a hold, a contract, an overdue action
    and an imported record; a restricted exercise; a member of the team and an outsider."""
    admin = make_user("administrator")
    member, outsider = make_user("counsel"), make_user("counsel")
    shown = make_incident(_facts(OPEN_TITLE, "Open Party Inc"), actor=admin)
    secret = make_incident(_facts(SECRET_TITLE, SECRET_PARTY), actor=admin)
    drill = start_exercise(
        session, _facts(SECRET_EXERCISE), [("Pat Player", "pat@example.com")], admin
    )
    for incident in (secret, drill):
        access.set_access(session, incident, True, [member.id], admin)

    for incident, name in ((shown, OPEN_HOLD), (secret, SECRET_HOLD)):
        holds.create_hold(
            session,
            admin,
            name=name,
            incident_ids=[incident.id],
            people=[holds.Person(name="Kim Keeper", email="kim@example.com")],
        )
        _action_row(session, incident)
    # The register rows are incidents of their own, the second restricted like the secret.
    registered = make_incident(_facts(f"{OPEN_TITLE} register"), actor=admin)
    registered_secret = make_incident(_facts(f"{SECRET_TITLE} register"), actor=admin)
    access.set_access(session, registered_secret, True, [member.id], admin)
    batch = ImportBatch(source=SOURCE, filename="r.csv", sha256="0" * 64, actor_label="test")
    session.add(batch)
    _record(session, batch, registered, 1)
    _record(session, batch, registered_secret, 2)
    session.commit()
    return {
        "admin": admin,
        "member": member,
        "outsider": outsider,
        "shown": shown,
        "secret": secret,
        "drill": drill,
    }


def secrets_of(world: dict[str, Any]) -> list[str]:
    return [
        SECRET_TITLE,
        world["secret"].reference,
        SECRET_PARTY,
        SECRET_HOLD,
        SECRET_EXERCISE,
        world["drill"].reference,
        f"Industry of {SECRET_TITLE}",
    ]


def overview_urls(app: Any, values: dict[str, Any]) -> list[str]:
    """Every GET address of a route naming no incident-scoped object, with query strings that
    ask for the restricted incident by id and by reference where a page takes them."""
    urls = []
    for (endpoint, method), rule in sorted(served(app).items()):
        names = RULE_PARAMETER.findall(rule.rule)
        if method != "GET" or endpoint == "static" or set(names) & set(access.SCOPES):
            continue
        urls.append(url_for_rule(rule, {**UNSCOPED_VALUES, "custodian_id": 999_999, **values}))
    secret = values["secret"]
    return urls + [
        f"/board?incident={secret.id}",
        f"/board?incident={secret.reference}",
        "/board?imported=1",
        f"/evidence?incident={secret.id}",
        f"/holds?incident={secret.id}",
        f"/recipients?incident={secret.id}",
        f"/incidents?q={SECRET_TITLE.split()[0]}",
        f"/analysis?source={SOURCE}",
        f"/analysis/chart.svg?source={SOURCE}",
        f"/api/v1/incidents?q={SECRET_TITLE.split()[0]}",
        f"/api/v1/obligations?incident_id={secret.id}",
        "/api/v1/obligations?status=all",
    ]


def read_all(app, client, session, user: User, world: dict[str, Any]) -> dict[str, str]:
    """The body of every overview address, read as `user` (cookie on pages, token on the API)."""
    session.rollback()
    feed = calendar.create_feed(session, session.get(User, user.id))
    session.commit()
    headers = token_of(session, user)
    bodies = {}
    for url in overview_urls(app, {**world, "token": feed}):
        sign_in(client, session, user)
        response = client.get(url, headers=headers if url.startswith("/api/") else None)
        assert response.status_code < 500, (url, response.status_code)
        bodies[url] = readable(response)
    return bodies


def readable(response: Any) -> str:
    """The response as text; an archive as its member names and their contents."""
    data = response.get_data()
    if response.mimetype != "application/zip":
        return data.decode("utf-8", errors="replace")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(name, archive.read(name)) for name in archive.namelist()]
    return "\n".join(f"{name}\n{body.decode('utf-8', 'replace')}" for name, body in parts)


def test_no_page_across_incidents_shows_a_restricted_incident_outside_its_team(
    app, client, session, world
):
    bodies = read_all(app, client, session, world["outsider"], world)

    leaks = [
        f"{url} shows {secret!r}"
        for url, body in bodies.items()
        for secret in secrets_of(world)
        if secret in body and secret not in url  # a filter's own value is shown back
    ]
    assert len(bodies) >= 25
    assert not leaks, "\n".join(leaks)
    # The open incident is still there, so that the pages were not simply empty.
    assert OPEN_TITLE in bodies["/board"]
    assert OPEN_HOLD in bodies["/holds"] and OPEN_HOLD in bodies["/evidence/new"]
    assert "Open Party Inc" in bodies["/recipients"]
    assert f"Industry of {OPEN_TITLE}" in bodies["/analysis"]
    assert world["shown"].reference in bodies["/actions/overdue"]


def test_the_team_and_administrators_see_the_restricted_incident_on_those_pages(
    app, client, session, world
):
    for user in (world["member"], world["admin"]):
        bodies = read_all(app, client, session, user, world)
        feed = next(body for url, body in bodies.items() if url.endswith(".ics"))

        assert SECRET_TITLE in bodies["/board"], user.role
        assert f"{SECRET_TITLE} register" in bodies["/board?imported=1"], user.role
        assert f"{SECRET_TITLE} register" not in bodies["/board"], user.role
        assert SECRET_TITLE in bodies["/incidents"] and SECRET_TITLE in bodies["/evidence/new"]
        assert SECRET_HOLD in bodies["/holds"] and SECRET_HOLD in bodies["/evidence/new"]
        assert SECRET_HOLD in bodies["/holds/new"] or SECRET_TITLE in bodies["/holds/new"]
        assert SECRET_PARTY in bodies["/recipients"]
        assert f"Industry of {SECRET_TITLE}" in bodies["/analysis"]
        assert world["secret"].reference in bodies["/actions/overdue"]
        assert SECRET_EXERCISE in bodies["/exercises"]
        assert world["secret"].reference in feed
        assert SECRET_TITLE in bodies["/api/v1/incidents"]
        obligations = bodies[f"/api/v1/obligations?incident_id={world['secret'].id}"]
        assert f'"incident_id":{world["secret"].id}' in obligations.replace(" ", "")


COUNTED_PAGES = ("/board", "/metrics", f"/analysis?source={SOURCE}")


def test_counted_pages_say_that_their_figures_leave_out_hidden_incidents(
    app, client, session, world
):
    outside = read_all(app, client, session, world["outsider"], world)
    admin = read_all(app, client, session, world["admin"], world)

    note = "Restricted incidents whose team you are not on are left out"
    for url in COUNTED_PAGES:
        assert note in outside[url], url
        assert "every count and figure is of the incidents you may see" in outside[url]
        assert note not in admin[url], url
    # Figures across incidents count only what the viewer may see.
    assert _overall_incidents(outside["/metrics"]) == 1
    assert _overall_incidents(admin["/metrics"]) == 2
    assert _records_heading(outside[f"/analysis?source={SOURCE}"]) == 1
    assert _records_heading(admin[f"/analysis?source={SOURCE}"]) == 2


def _overall_incidents(html: str) -> int:
    return int(re.search(r"<dt>Incidents</dt><dd>(\d+)</dd>", html).group(1))


def _records_heading(html: str) -> int:
    return int(re.search(rf"(\d+) records of {SOURCE}", html).group(1))


def test_metrics_leave_hidden_incidents_out_of_every_figure(session, world):
    now = world["secret"].created_at.replace(year=2027)
    session.rollback()
    secret = session.get(Incident, world["secret"].id)
    obligation = session.scalars(
        select(Obligation).where(
            Obligation.incident_id == secret.id,
            Obligation.due_at.is_not(None),
            Obligation.regime != metrics.POLICY_REGIME,
        )
    ).first()
    record_notice(
        session, obligation, sent_at=obligation.due_at, channel="email", actor=world["admin"]
    )
    session.commit()

    outside = metrics.get_metrics(session, now, viewer=session.get(User, world["outsider"].id))
    member = metrics.get_metrics(session, now, viewer=session.get(User, world["member"].id))

    assert (outside.overall.incidents, member.overall.incidents) == (1, 2)
    assert (outside.exercises, member.exercises) == (0, 1)
    # The two incidents have the same facts, hence the same legal notices due.
    assert (outside.overall.notices_due, member.overall.notices_due) == (4, 8)
    assert (outside.overall.notices_on_time, member.overall.notices_on_time) == (0, 1)


def test_a_hold_of_a_hidden_incident_cannot_be_named_when_filing_evidence(
    app, client, session, world
):
    session.rollback()
    hidden = session.scalars(select(LegalHold).where(LegalHold.name == SECRET_HOLD))
    hold_id = hidden.one().id
    body = {
        "description": "Mailbox export",
        "collected_by": "Responder",
        "collected_at": "2026-03-05T10:00:00Z",
        "hold_ids": [hold_id],
    }

    refused = client.post(
        "/api/v1/evidence", json=body, headers=token_of(session, world["outsider"])
    )
    missing = client.post(
        "/api/v1/evidence",
        json={**body, "hold_ids": [2_000_000_000]},
        headers=token_of(session, world["outsider"]),
    )
    accepted = client.post(
        "/api/v1/evidence", json=body, headers=token_of(session, world["member"])
    )

    assert refused.status_code == missing.status_code == 422
    assert refused.json["error"]["message"] == f"There is no legal hold with the id {hold_id}."
    assert accepted.status_code == 201
    assert accepted.json["evidence"]["hold_ids"] == [hold_id]
