"""Role × route × method for every route of the application, taken from its URL map.

ROUTES declares, for each endpoint and each of its methods, the least role that may use it.
A route the application serves but ROUTES does not declare fails the first test, so that no
new route escapes the matrix: add it to its section below with the least role that may use it.
Every route parameter must also say whether it names something that belongs to an incident
(tracker.auth.access.SCOPES) or not (UNSCOPED), so that restricted incidents stay hidden.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select

from tracker.auth import access
from tracker.auth.models import User
from tracker.auth.service import create_token

PUBLIC = "public"
RANKS = {PUBLIC: 0, "viewer": 1, "responder": 2, "counsel": 3, "administrator": 4}
ROLES = ("viewer", "responder", "counsel", "administrator")

# endpoint: {method: least role}. "public" needs no sign-in (or no token, under /api/).
ROUTES: dict[str, dict[str, str]] = {
    # The shell, sign-in and the account (tracker/web.py, tracker/auth/views.py).
    "index": {"GET": "viewer"},
    "healthz": {"GET": PUBLIC},
    "static": {"GET": PUBLIC},
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.logout": {"POST": PUBLIC},
    "auth.setup": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.account": {"GET": "viewer"},
    "auth.sign_out_everywhere": {"POST": "viewer"},
    "auth.incident_access": {"POST": "counsel"},
    # Incidents, their facts, status, timeline and impact (tracker/incident/views.py).
    "incident.index": {"GET": "viewer"},
    "incident.create": {"GET": "responder", "POST": "responder"},
    "incident.show": {"GET": "viewer"},
    "incident.facts": {"GET": "viewer"},
    "incident.save_facts": {"POST": "responder"},
    "incident.download_facts": {"GET": "viewer"},
    "incident.upload_facts": {"POST": "responder"},
    "incident.change_status": {"POST": "responder"},
    "incident.add_entry": {"POST": "responder"},
    "incident.update_impact": {"POST": "counsel"},
    # Signed reports (tracker/report/views.py).
    "report.export": {"POST": "counsel"},
    "report.download": {"GET": "viewer"},
    "report.verify": {"GET": "viewer", "POST": "viewer"},
    "report.job": {"GET": "viewer"},
    "stats.index": {"GET": "viewer"},
    "stats.chart_svg": {"GET": "viewer"},
    # Notices and obligations pages (tracker/notice/views.py).
    "notice.obligation": {"GET": "viewer"},
    "notice.create": {"POST": "responder"},
    "notice.not_required": {"POST": "counsel"},
    "notice.show": {"GET": "viewer"},
    "notice.edit": {"POST": "responder"},
    "notice.approve": {"POST": "counsel"},
    "notice.send": {"POST": "responder"},
    "notice.acknowledge": {"POST": "responder"},
    "notice.add_attachments": {"POST": "responder"},
    "notice.download": {"GET": "viewer"},
    "notice.recipients": {"GET": "viewer"},
    "incident.what_if": {"GET": "viewer", "POST": "viewer"},
    "regimes.index": {"GET": "viewer"},
    "regimes.show": {"GET": "viewer"},
    # Reminders and the mail outbox (tracker/reminder/views.py).
    "reminder.outbox": {"GET": "counsel"},
    "reminder.message": {"GET": "counsel"},
    "reminder.message_html": {"GET": "counsel"},
    "reminder.retry": {"POST": "counsel"},
    "reminder_policy.policy": {"GET": "viewer", "POST": "administrator"},
    "reminder_policy.delete_policy_view": {"POST": "administrator"},
    # Legal holds (tracker/hold/views.py); the custodian's page is opened by its token.
    "hold.index": {"GET": "viewer"},
    "hold.create": {"GET": "counsel", "POST": "counsel"},
    "hold.show": {"GET": "viewer"},
    "hold.issue": {"POST": "counsel"},
    "hold.scope": {"POST": "counsel"},
    "hold.add_person": {"POST": "counsel"},
    "hold.release_person": {"POST": "counsel"},
    "hold.release": {"POST": "counsel"},
    "hold_notice.notice": {"GET": PUBLIC, "POST": PUBLIC},
    # Evidence and chain of custody (tracker/evidence/views.py).
    "evidence.index": {"GET": "viewer"},
    "evidence.create": {"GET": "responder", "POST": "responder"},
    "evidence.show": {"GET": "viewer"},
    "evidence.transfer": {"POST": "responder"},
    "evidence.upload": {"POST": "responder"},
    # The board, metrics and calendar feeds (tracker/board/views.py); feeds open by token.
    "board.index": {"GET": "viewer"},
    "board.metrics_page": {"GET": "viewer"},
    "board.incident_download": {"GET": "viewer"},
    "board.user_feed": {"GET": PUBLIC},
    "board.incident_feed": {"GET": PUBLIC},
    "board.make_feed": {"POST": "viewer"},
    "board.revoke_feed": {"POST": "viewer"},
    # Imports and statistics.
    # The compliance calendar and plan reports (tracker/plan/views.py).
    "plan.calendar_page": {"GET": "viewer"},
    "plan.add_duty": {"POST": "administrator"},
    "plan.duty_owner": {"POST": "administrator"},
    "plan.task_page": {"GET": "viewer"},
    "plan.complete_task": {"POST": "responder"},
    "plan.add_evidence": {"POST": "responder"},
    "plan.download_evidence": {"GET": "viewer"},
    "plan.plan_reports": {"GET": "viewer"},
    "plan.plan_report": {"GET": "viewer"},
    "plan.plan_report_pdf": {"GET": "viewer"},
    "plan.audit_pack": {"GET": "counsel"},
    # Playbooks, checklists, post-mortems, actions and exercises (tracker/plan/views.py).
    "plan.tick": {"POST": "responder"},
    "plan.untick": {"POST": "responder"},
    "plan.resolve_override": {"POST": "counsel"},
    "plan.playbooks": {"GET": "viewer"},
    "plan.edit_playbook": {"GET": "administrator", "POST": "administrator"},
    "plan.reset_playbook": {"POST": "administrator"},
    "plan.post_mortem": {"GET": "viewer"},
    "plan.open_post_mortem": {"POST": "responder"},
    "plan.save_agenda": {"POST": "responder"},
    "plan.answer_why": {"POST": "responder"},
    "plan.complete_post_mortem": {"POST": "responder"},
    "plan.add_action": {"POST": "responder"},
    "plan.action_status": {"POST": "responder"},
    "plan.post_mortem_report": {"POST": "counsel"},
    "plan.overdue": {"GET": "viewer"},
    "plan.exercises": {"GET": "viewer"},
    "plan.new_exercise": {"GET": "responder", "POST": "responder"},
    # The JSON API under /api/v1 (bearer tokens; tracker/api, tracker/report/views.py).
    "api.openapi": {"GET": PUBLIC},
    "api.deadlines": {"POST": "viewer"},
    "api.create_incident": {"POST": "responder"},
    "api.list_incidents": {"GET": "viewer"},
    "api.get_incident": {"GET": "viewer"},
    "api.get_facts": {"GET": "viewer"},
    "api.put_facts": {"PUT": "responder"},
    "api.incident_obligations": {"GET": "viewer"},
    "api.get_timeline": {"GET": "viewer"},
    "api.add_timeline_entry": {"POST": "responder"},
    "api.change_status": {"POST": "responder"},
    "api.change_impact": {"PATCH": "counsel"},
    "api.incident_audit": {"GET": "viewer"},
    "api.list_obligations": {"GET": "viewer"},
    "api.get_obligation": {"GET": "viewer"},
    "api.record_notice": {"POST": "counsel"},
    "api.draft_notice": {"POST": "responder"},
    "api.not_required": {"POST": "counsel"},
    "api.get_notice": {"GET": "viewer"},
    "api.edit_notice": {"PUT": "responder"},
    "api.approve_notice": {"POST": "counsel"},
    "api.send_notice": {"POST": "counsel"},
    "api.acknowledge_notice": {"POST": "counsel"},
    "api.add_attachments": {"POST": "counsel"},
    "api.download_attachment": {"GET": "viewer"},
    "api.recipients": {"GET": "viewer"},
    "api.get_access": {"GET": "viewer"},
    "api.put_access": {"PUT": "counsel"},
    "api.list_tokens": {"GET": "viewer"},
    "api.revoke": {"DELETE": "viewer"},
    "api.list_users": {"GET": "administrator"},
    "api.get_metrics": {"GET": "viewer"},
    "api.make_feed": {"POST": "viewer"},
    "api.revoke_feed": {"DELETE": "viewer"},
    "api.list_reminder_policies": {"GET": "viewer"},
    "api.save_reminder_policy": {"PUT": "administrator"},
    "api.delete_reminder_policy": {"DELETE": "administrator"},
    "api.create_hold": {"POST": "counsel"},
    "api.get_hold": {"GET": "viewer"},
    "api.issue_hold": {"POST": "counsel"},
    "api.release_hold": {"POST": "counsel"},
    "api.list_holds": {"GET": "viewer"},
    "api.change_scope": {"PUT": "counsel"},
    "api.add_custodian": {"POST": "counsel"},
    "api.release_custodian": {"POST": "counsel"},
    "api.create_evidence": {"POST": "responder"},
    "api.get_evidence": {"GET": "viewer"},
    "api.upload_evidence": {"POST": "responder"},
    "api.get_analysis": {"GET": "viewer"},
    "api.add_transfer": {"POST": "responder"},
    "api.list_playbooks": {"GET": "viewer"},
    "api.get_playbook": {"GET": "viewer"},
    "api.put_playbook": {"PUT": "administrator"},
    "api.reset_playbook": {"POST": "administrator"},
    "api.get_checklist": {"GET": "viewer"},
    "api.tick_step": {"POST": "responder"},
    "api.untick_step": {"POST": "responder"},
    "api.resolve_override": {"POST": "counsel"},
    "api.get_post_mortem": {"GET": "viewer"},
    "api.open_post_mortem": {"POST": "responder"},
    "api.save_agenda": {"PATCH": "responder"},
    "api.answer_why": {"PUT": "responder"},
    "api.complete_post_mortem": {"POST": "responder"},
    "api.add_action": {"POST": "responder"},
    "api.action_status": {"POST": "responder"},
    "api.overdue_actions": {"GET": "viewer"},
    "api.post_mortem_report": {"POST": "counsel"},
    "api.list_exercises": {"GET": "viewer"},
    "api.create_exercise": {"POST": "responder"},
    "api.get_calendar": {"GET": "viewer"},
    "api.add_duty": {"POST": "administrator"},
    "api.duty_owner": {"PUT": "administrator"},
    "api.get_task": {"GET": "viewer"},
    "api.complete_task": {"POST": "responder"},
    "api.add_evidence": {"POST": "responder"},
    "api.download_evidence": {"GET": "viewer"},
    "api.list_plan_reports": {"GET": "viewer"},
    "api.get_plan_report": {"GET": "viewer"},
    "api.plan_report_pdf": {"GET": "viewer"},
    "api.audit_pack": {"GET": "counsel"},
    "report.api_verify": {"POST": "viewer"},
    "report.api_export": {"POST": "counsel"},
    "report.api_record": {"GET": "viewer"},
    "report.api_download": {"GET": "viewer"},
}

# Route parameters that name nothing belonging to an incident.
# A custodian's own page is reached by the token in its link, without an account.
# The compliance calendar's duties, tasks, evidence and reports belong to no incident, nor do
# reminder policies, named by their scope.
UNSCOPED = {
    "token",
    "token_id",
    "filename",
    "playbook_id",
    "position",
    "custodian_id",
    "regime_id",
    "duty_id",
    "task_id",
    "evidence_id",
    "report_id",
    "year",
    "scope",
}

# A form that each web write refuses once it is let in, where an empty form would store work.
PROBE_FORMS: dict[str, dict[str, str]] = {
    "report.export": {"obligation": "no/such/obligation"},
}
# A JSON body every API write refuses as invalid once it is let in, so that nothing is stored.
PROBE_BODY = {"unknown": True}

RULE_PARAMETER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
DECLARE_HINT = (
    "Declare each route in ROUTES in tests/auth/test_route_matrix.py, in its section, with "
    "the least role that may use each method: public, viewer, responder, counsel or "
    "administrator."
)


def served(app: Any) -> dict[tuple[str, str], Any]:
    """Every (endpoint, method) the application serves, with its URL rule."""
    found = {}
    for rule in app.url_map.iter_rules():
        for method in rule.methods - SKIPPED_METHODS:
            found[(rule.endpoint, method)] = rule
    return found


def declared() -> set[tuple[str, str]]:
    return {(endpoint, method) for endpoint, methods in ROUTES.items() for method in methods}


def test_every_route_is_declared(app):
    routes = served(app)
    missing = sorted(set(routes) - declared())
    stale = sorted(declared() - set(routes))

    lines = [
        f"  {endpoint} {method} {routes[(endpoint, method)].rule}" for endpoint, method in missing
    ]
    assert not missing, "Routes not in the matrix:\n" + "\n".join(lines) + "\n" + DECLARE_HINT
    assert not stale, f"ROUTES declares routes the application does not serve: {stale}"
    assert set(RANKS) >= {role for methods in ROUTES.values() for role in methods.values()}


def test_every_route_parameter_says_whether_it_belongs_to_an_incident(app):
    unknown = {}
    for rule in app.url_map.iter_rules():
        for name in RULE_PARAMETER.findall(rule.rule):
            if name not in access.SCOPES and name not in UNSCOPED:
                unknown[name] = rule.rule
    assert not unknown, (
        f"Route parameters {unknown} are neither incident-scoped nor declared unscoped. If the "
        "object belongs to an incident, register it with tracker.auth.access.register_scope "
        "(restricted incidents then hide it); otherwise add it to UNSCOPED in "
        "tests/auth/test_route_matrix.py."
    )


# The objects the routes are called with.


def url_for_rule(rule: Any, values: dict[str, Any]) -> str:
    names = RULE_PARAMETER.findall(rule.rule)
    missing = [name for name in names if name not in values]
    assert not missing, f"Give the objects fixture a value for {missing} ({rule.rule})"
    return RULE_PARAMETER.sub(lambda match: str(values[match.group(1)]), rule.rule)


def call(client: Any, rule: Any, method: str, values: dict[str, Any], headers=None) -> Any:
    url = url_for_rule(rule, values)
    if method == "GET":
        return client.get(url, headers=headers)
    if rule.rule.startswith("/api/"):
        return client.open(url, method=method, json=PROBE_BODY, headers=headers)
    return client.open(url, method=method, data=PROBE_FORMS.get(rule.endpoint, {}))


def sign_in(client: Any, session: Any, user: User) -> None:
    """Give the client the session cookie of a fresh sign-in of `user`."""
    session.rollback()  # a new transaction, with nothing cached, sees what requests committed
    session.expire_all()
    generation = session.get(User, user.id).session_generation
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.update(
            {
                "_user_id": str(user.id),
                "_fresh": True,
                "signed_in_at": int(time.time()),
                "generation": generation,
            }
        )


@pytest.fixture
def callers(make_user, session):
    """For each role, a user and a read-write API token."""
    found = {}
    for role in ROLES:
        user = make_user(role)
        _token, text = create_token(session, user, "test setup", scope="read-write")
        found[role] = (user, {"Authorization": f"Bearer {text}"})
    session.commit()
    return found


def answer(client, session, rule, method, values, role, callers):
    """Call the route as `role` (None: anonymous), by cookie on pages and token on the API."""
    is_api = rule.rule.startswith("/api/")
    with client.session_transaction() as cookie:
        cookie.clear()
    if role is None:
        return call(client, rule, method, values)
    user, headers = callers[role]
    if is_api:
        return call(client, rule, method, values, headers)
    sign_in(client, session, user)
    return call(client, rule, method, values)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_reaches_exactly_the_routes_its_rank_allows(
    app, client, session, objects, callers, role
):
    problems = []
    for (endpoint, method), rule in sorted(served(app).items()):
        least = ROUTES[endpoint][method]
        response = answer(client, session, rule, method, objects, role, callers)
        status = response.status_code
        allowed = RANKS[role or PUBLIC] >= RANKS[least]
        to_login = status == 302 and response.headers["Location"].startswith("/login?next=")

        if status >= 500:
            problems.append(f"{method} {rule.rule} answered {status}")
        elif allowed and (status in (401, 403) or (to_login and least != PUBLIC)):
            problems.append(f"{method} {rule.rule} refused ({status}) though {least} is enough")
        elif not allowed and role is None and not (to_login or status == 401):
            problems.append(f"{method} {rule.rule} answered {status} without a sign-in")
        elif not allowed and role is not None and status != 403:
            problems.append(f"{method} {rule.rule} answered {status} to a {role}; needs {least}")
    assert not problems, f"as {role or 'anonymous'}:\n" + "\n".join(problems)


# Restricted incidents: hidden from everyone outside the team, as if the ids named nothing.


def scoped_names(rule: Any) -> list[str]:
    """The route's parameters that name an object of an incident."""
    return [
        name
        for name in RULE_PARAMETER.findall(rule.rule)
        if name in access.SCOPES and access.SCOPES[name].applies_to(rule.rule)
    ]


def scoped_routes(app: Any) -> list[tuple[str, Any]]:
    return [
        (method, rule)
        for (_endpoint, method), rule in sorted(served(app).items())
        if scoped_names(rule)
    ]


def token_of(session: Any, user: User) -> dict[str, str]:
    _token, text = create_token(session, user, "test setup", scope="read-write")
    session.commit()
    return {"Authorization": f"Bearer {text}"}


MISSING = {str: "ffffffff-ffff-ffff-ffff-ffffffffffff", int: 2_000_000_000}


def answer_for_missing(client, session, rule, method, values, user, headers):
    """The body answered for the same route with its scoped id naming nothing, with that id
    written back as the hidden object's id, to compare word for word."""
    name = scoped_names(rule)[-1]
    missing = {**values, name: MISSING[type(values[name])]}
    if rule.rule.startswith("/api/"):
        response = call(client, rule, method, missing, headers)
    else:
        sign_in(client, session, user)
        response = call(client, rule, method, missing)
    return main_part(response).replace(str(missing[name]), str(values[name]))


def main_part(response: Any) -> str:
    """The answer without the page's header, which carries a fresh CSRF token each time."""
    body = response.get_data(as_text=True)
    start, end = body.find("<main"), body.find("</main>")
    return body if start < 0 or end < 0 else body[start:end]


def test_lists_leave_out_restricted_incidents_outside_the_team(
    app, client, session, restricted, make_user
):
    values, member, outsider = restricted
    incident_id = values["incident_id"]
    for user, sees in ((outsider, False), (member, True), (make_user("administrator"), True)):
        headers = token_of(session, user)
        incidents = client.get("/api/v1/incidents", headers=headers).json["incidents"]
        obligations = client.get("/api/v1/obligations", headers=headers).json["obligations"]
        sign_in(client, session, user)
        page = client.get("/incidents").get_data(as_text=True)

        assert (incident_id in [item["id"] for item in incidents]) is sees, user.role
        assert (incident_id in [item["incident_id"] for item in obligations]) is sees
        assert (f'/incidents/{incident_id}"' in page) is sees


def test_restricting_is_audited_and_shown_on_the_incident_page(
    app, client, session, objects, make_user
):
    counsel = make_user("counsel")
    colleague = make_user("responder")
    sign_in(client, session, counsel)
    incident_id = objects["incident_id"]

    response = client.post(
        f"/incidents/{incident_id}/access",
        data={"restricted": "yes", "members": [str(colleague.id)]},
    )
    assert response.status_code == 302
    session.rollback()
    assert access.access_snapshot(session, incident_id) == {
        "restricted": True,
        "members": sorted([counsel.id, colleague.id]),
    }
    from tracker.audit.models import AuditEvent

    row = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (row.action, row.incident_id, row.actor_id) == (
        "incident.access",
        incident_id,
        counsel.id,
    )
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Restricted:" in page

    sign_in(client, session, make_user("counsel"))
    assert client.get(f"/incidents/{incident_id}").status_code == 404


# Every page: each input labelled, and nothing inline that the content security policy refuses.


class PageChecker(HTMLParser):
    FIELDS = {"input", "select", "textarea"}
    UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self) -> None:
        super().__init__()
        self.labels: set[str] = set()
        self.fields: list[tuple[str, dict[str, str | None]]] = []
        self.inline: list[str] = []
        self.open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if values.get("for"):
                self.labels.add(values["for"] or "")
        if tag in self.FIELDS and values.get("type") not in self.UNLABELLED_TYPES:
            self.fields.append((tag, {**values, "_wrapped": "1" if self.open_labels else None}))
        if tag == "script" and not values.get("src"):
            self.inline.append("an inline <script>")
        if tag == "style":
            self.inline.append("a <style> element")
        for name in values:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"the attribute {name} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels = max(0, self.open_labels - 1)

    def unlabelled(self) -> list[str]:
        return [
            f"<{tag} name={values.get('name')!r}>"
            for tag, values in self.fields
            if not (
                values.get("id") in self.labels
                or values.get("aria-label")
                or values.get("aria-labelledby")
                or values.get("_wrapped")
            )
        ]


def test_every_page_labels_its_inputs_and_has_no_inline_code(
    app, client, session, objects, make_user
):
    sign_in(client, session, make_user("administrator"))
    checked = 0
    for (endpoint, method), rule in sorted(served(app).items()):
        if method != "GET" or rule.rule.startswith("/api/") or endpoint in ("static", "healthz"):
            continue
        response = client.get(url_for_rule(rule, objects))
        if response.mimetype != "text/html":
            continue
        checker = PageChecker()
        checker.feed(response.get_data(as_text=True))
        assert not checker.unlabelled(), (rule.rule, checker.unlabelled())
        assert not checker.inline, (rule.rule, checker.inline)
        checked += 1
    login = client.get("/login")
    checker = PageChecker()
    checker.feed(login.get_data(as_text=True))
    assert not checker.unlabelled() and not checker.inline
    assert checked >= 5


def test_the_api_restricts_an_incident_and_sets_its_team(app, client, session, objects, make_user):
    counsel, colleague, outsider = make_user("counsel"), make_user("viewer"), make_user("counsel")
    headers = token_of(session, counsel)
    url = f"/api/v1/incidents/{objects['incident_id']}/access"

    response = client.put(
        url, json={"restricted": True, "members": [colleague.id]}, headers=headers
    )

    assert response.status_code == 200
    expected = {"restricted": True, "members": sorted([counsel.id, colleague.id])}
    assert response.json == {"access": expected}
    assert client.get(url, headers=token_of(session, colleague)).json == {"access": expected}
    assert client.get(url, headers=token_of(session, outsider)).status_code == 404
    refused = client.put(url, json={"restricted": True, "members": [99999]}, headers=headers)
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {"members": "unknown user id 99999"}


def test_evidence_cannot_be_filed_under_a_restricted_incident_from_outside(
    app, client, session, restricted
):
    values, member, outsider = restricted
    body = {
        "description": "Disk image",
        "collected_by": "Responder",
        "collected_at": "2026-03-05T10:00:00Z",
        "incident_id": values["incident_id"],
    }

    refused = client.post("/api/v1/evidence", json=body, headers=token_of(session, outsider))
    accepted = client.post("/api/v1/evidence", json=body, headers=token_of(session, member))

    assert refused.status_code == 404
    assert (
        refused.json["error"]["message"]
        == f"There is no incident with the id {body['incident_id']}."
    )
    assert accepted.status_code == 201
    sign_in(client, session, outsider)
    form = client.get("/evidence/new").get_data(as_text=True)
    assert "Credential stuffing" not in form  # the restricted incident's title
