"""Each kind of object of a restricted incident, by every route that reaches it, web and API.

The routes come from the URL map: every route with a parameter that names an object of an
incident (tracker.auth.access.SCOPES) is sorted into the kind of object it reaches, so that a
route added later is tested under its kind without being listed here. Outside the team the
object answers 404, word for word as an id that names nothing; the team and administrators
reach it. An object of one incident named under another's address is unknown too, and the
request changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from tests.auth.test_route_matrix import (
    MISSING,
    RULE_PARAMETER,
    call,
    main_part,
    scoped_names,
    scoped_routes,
    served,
    sign_in,
    token_of,
)
from tracker.auth import access
from tracker.auth.models import User

# The kind of object a route reaches: the first of these its rule contains, else the kind
# named by its last incident-scoped parameter.
KIND_BY_RULE = (
    ("/checklist", "checklist"),
    ("/post-mortem", "post-mortem"),
    ("/facts", "facts"),
    ("/timeline", "timeline entry"),
    ("/people", "custodian"),
    ("/custodians", "custodian"),
    ("/transfers", "custody transfer"),
    ("/attachments", "notice attachment"),
    ("/reports", "report"),
)
KIND_BY_PARAMETER = {
    "incident_id": "incident",
    "obligation_id": "obligation",
    "notice_id": "notice",
    "attachment_id": "notice attachment",
    "hold_id": "hold",
    "custodian_id": "custodian",
    "item_id": "evidence",
    "export_id": "report",
    "job_id": "report",
    "action_id": "action",
    "message_id": "outbox message",
}
KINDS = (
    "incident",
    "facts",
    "obligation",
    "notice",
    "notice attachment",
    "hold",
    "custodian",
    "evidence",
    "custody transfer",
    "report",
    "timeline entry",
    "post-mortem",
    "action",
    "checklist",
    "outbox message",
)
# Where a parameter means another object than its SCOPES entry: on checklist routes item_id
# is a checklist step, not an evidence item.
VALUE_OF = {"/checklist/": {"item_id": "checklist_item_id"}}


def kind_of(rule: Any) -> str | None:
    for part, kind in KIND_BY_RULE:
        if part in rule.rule:
            return kind
    names = scoped_names(rule)
    return KIND_BY_PARAMETER.get(names[-1]) if names else None


def routes_of(app: Any, kind: str) -> list[tuple[str, Any]]:
    return [(method, rule) for method, rule in scoped_routes(app) if kind_of(rule) == kind]


def values_for(rule: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The object values for the rule, with its parameters that mean another thing replaced."""
    for part, renames in VALUE_OF.items():
        if part in rule.rule:
            return {**values, **{name: values[source] for name, source in renames.items()}}
    return values


def ask(client, session, rule, method, values, user, headers) -> Any:
    """Call the route as `user`: by token under /api/, by the session cookie elsewhere."""
    if rule.rule.startswith("/api/"):
        return call(client, rule, method, values, headers)
    sign_in(client, session, user)
    return call(client, rule, method, values)


def test_every_incident_scoped_route_reaches_a_kind_of_object(app):
    unsorted = [rule.rule for _method, rule in scoped_routes(app) if kind_of(rule) not in KINDS]
    empty = [kind for kind in KINDS if not routes_of(app, kind)]

    assert not unsorted, (
        f"Routes {unsorted} reach no known kind of object: add their rule part to KIND_BY_RULE "
        "or their parameter to KIND_BY_PARAMETER in tests/auth/test_restricted_objects.py."
    )
    assert not empty, f"No route reaches the kinds {empty}"
    api_kinds = {kind_of(rule) for _method, rule in scoped_routes(app) if "/api/" in rule.rule}
    assert api_kinds >= {"incident", "facts", "obligation", "notice", "hold", "evidence"}


@pytest.mark.parametrize("kind", KINDS)
def test_a_restricted_incidents_object_is_unknown_outside_its_team(
    app, client, session, restricted, kind
):
    values, _member, outsider = restricted
    headers = token_of(session, outsider)
    problems = []
    for method, rule in routes_of(app, kind):
        response = ask(client, session, rule, method, values_for(rule, values), outsider, headers)
        if response.status_code != 404:
            problems.append(f"{method} {rule.rule} answered {response.status_code}")
            continue
        missing = answer_for_missing(client, session, rule, method, values, outsider, headers)
        if missing != main_part(response):
            problems.append(f"{method} {rule.rule} told a hidden {kind} from a missing one")
    assert routes_of(app, kind)
    assert not problems, f"{kind}, seen from outside the team:\n" + "\n".join(problems)


def answer_for_missing(client, session, rule, method, values, user, headers) -> str:
    """The body answered for the same route with its scoped id naming nothing, with that id
    written back as the hidden object's id, to compare word for word."""
    name = scoped_names(rule)[-1]
    given = values_for(rule, values)
    real = given[name]
    missing = {**given, name: MISSING[type(real)]}
    response = ask(client, session, rule, method, missing, user, headers)
    return main_part(response).replace(str(MISSING[type(real)]), str(real))


@pytest.mark.parametrize("kind", KINDS)
def test_the_team_and_administrators_reach_a_restricted_incidents_object(
    app, client, session, restricted, make_user, kind
):
    values, member, _outsider = restricted
    routes = routes_of(app, kind)
    reads = [(method, rule) for method, rule in routes if method == "GET"]
    writes = [(method, rule) for method, rule in routes if method != "GET"]
    problems = []
    users = [(user, token_of(session, user)) for user in (member, make_user("administrator"))]
    for user, headers in users:
        for method, rule in reads + writes:  # writes last: they may change what reads show
            response = ask(client, session, rule, method, values_for(rule, values), user, headers)
            status = response.status_code
            if (method == "GET" and status != 200) or status == 404 or status >= 500:
                problems.append(f"{user.role}: {method} {rule.rule} answered {status}")
    assert not problems, f"{kind}, seen by the team:\n" + "\n".join(problems)


# An object of one incident named under the address of another.


def nested_routes(app: Any) -> list[tuple[str, Any]]:
    """Routes that name an object inside another, such as a custodian of a hold."""
    found = []
    for (_endpoint, method), rule in sorted(served(app).items()):
        names = [n for n in RULE_PARAMETER.findall(rule.rule) if n in KIND_BY_PARAMETER]
        if len(names) >= 2:
            found.append((method, rule))
    return found


def snapshot(session: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, but the tokens' last-use times that each API call moves."""
    session.rollback()
    session.expire_all()
    tables = sorted(inspect(session.get_bind()).get_table_names())
    rows = {}
    for table in tables:
        if table in ("api_tokens", "login_throttles"):
            continue
        found = session.execute(text(f'SELECT * FROM "{table}"'))  # noqa: S608  # nosec B608
        rows[table] = sorted(tuple(map(str, row)) for row in found)
    return rows


def test_an_object_under_another_incidents_address_is_unknown_and_unchanged(
    app, client, session, two_incidents
):
    first, second, owner = two_incidents
    headers = token_of(session, session.get(User, owner.id))
    routes = nested_routes(app)
    problems = []
    for method, rule in routes:
        names = [n for n in RULE_PARAMETER.findall(rule.rule) if n in KIND_BY_PARAMETER]
        child = names[-1]
        # The parent from B, the object inside it from A.
        crossed = {**values_for(rule, second), child: values_for(rule, first)[child]}
        before = snapshot(session)
        response = ask(client, session, rule, method, crossed, owner, headers)
        if response.status_code != 404:
            problems.append(f"{method} {rule.rule} answered {response.status_code}")
        if snapshot(session) != before:
            problems.append(f"{method} {rule.rule} changed stored rows")
    assert {rule.rule for _method, rule in routes} >= {
        "/incidents/<int:incident_id>/checklist/<int:item_id>/tick",
        "/holds/<int:hold_id>/people/<int:custodian_id>/release",
        "/notices/<int:notice_id>/attachments/<int:attachment_id>",
    }
    assert not problems, "\n".join(problems)


def test_the_same_routes_reach_the_object_under_its_own_incident(
    app, client, session, two_incidents
):
    first, _second, owner = two_incidents
    headers = token_of(session, session.get(User, owner.id))
    for method, rule in nested_routes(app):
        if method != "GET":
            continue
        response = ask(client, session, rule, method, values_for(rule, first), owner, headers)
        assert response.status_code == 200, rule.rule


def test_hidden_ids_and_the_query_filter_agree(session, restricted, make_user):
    values, member, outsider = restricted
    from tracker.incident.models import Incident

    admin = make_user("administrator")
    for user, hidden in ((outsider, {values["incident_id"]}), (member, set()), (admin, set())):
        user = session.get(User, user.id)
        shown = set(
            session.scalars(select(Incident.id).where(access.visible_clause(user, Incident.id)))
        )
        assert access.hidden_ids(session, user) == hidden
        assert (values["incident_id"] in shown) is not bool(hidden)
