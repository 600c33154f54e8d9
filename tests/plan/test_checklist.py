"""An incident's playbook checklist: attached on opening, ticked by name, gating resolution."""

import pytest
from sqlalchemy import select

from tests.plan.conftest import meet_closure_criteria
from tracker.audit.models import AuditEvent
from tracker.errors import Conflict, Forbidden, ValidationError
from tracker.incident import service as incidents
from tracker.plan import service


def _item(checklist, step_id):
    return next(item for item in checklist.items if item.step_id == step_id)


@pytest.mark.parametrize(
    ("category", "playbook", "first_step"),
    [
        ("security", "security", "revoke-sessions"),
        ("outage", "outage", "check-resources"),
        ("data", "data", "stop-processing"),
        ("third_party", "general", "assign-owner"),
    ],
)
def test_opening_an_incident_attaches_its_categorys_playbook(
    session, make_incident, facts, category, playbook, first_step
):
    facts["incident"]["category"] = category
    incident = make_incident(facts)
    checklist = service.get_checklist(session, incident)
    assert checklist.playbook_id == playbook
    assert checklist.items[0].step_id == first_step
    assert [item.section for item in checklist.items].count("closure") == 4
    assert all(item.done_at is None for item in checklist.items)


def test_security_checklist_lists_every_step_in_order(session, make_incident):
    checklist = service.get_checklist(session, make_incident())
    assert [(item.position, item.section, item.step_id) for item in checklist.items] == [
        (1, "steps", "revoke-sessions"),
        (2, "steps", "change-privileged-credentials"),
        (3, "steps", "isolate-systems"),
        (4, "steps", "enhanced-monitoring"),
        (5, "steps", "notify-security-team"),
        (6, "validation", "services-restored"),
        (7, "validation", "data-integrity"),
        (8, "validation", "access-controls"),
        (9, "closure", "symptoms-resolved"),
        (10, "closure", "stability-confirmed"),
        (11, "closure", "monitoring-normal"),
        (12, "closure", "no-recurrence"),
    ]


def test_a_tick_names_the_user_and_lands_on_timeline_and_audit(session, make_incident, make_user):
    responder = make_user("responder", name="Robin Responder")
    incident = make_incident()
    item = _item(service.get_checklist(session, incident), "revoke-sessions")

    service.tick(session, item, responder, "All 412 sessions revoked")
    session.commit()

    assert item.done_by_id == responder.id
    assert item.done_at is not None
    entry = incident.timeline[-1]
    assert (entry.kind, entry.author_id, entry.at) == ("action", responder.id, item.done_at)
    assert entry.text == (
        "Playbook, response steps: Revoke active sessions and tokens of the affected accounts "
        "and services, done. All 412 sessions revoked"
    )
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.actor_id, event.incident_id) == (
        "checklist.tick",
        responder.id,
        incident.id,
    )
    assert event.after == '{"note":"All 412 sessions revoked","step":"revoke-sessions"}'


def test_a_step_is_ticked_once_and_reopened_with_a_reason(session, make_incident, make_user):
    responder = make_user("responder")
    incident = make_incident()
    item = _item(service.get_checklist(session, incident), "isolate-systems")
    service.tick(session, item, responder)
    with pytest.raises(Conflict, match="already ticked"):
        service.tick(session, item, responder)
    with pytest.raises(ValidationError) as caught:
        service.untick(session, item, responder, " ")
    assert caught.value.fields == {"reason": "required to reopen a step"}

    service.untick(session, item, responder, "Host came back online")
    session.commit()
    assert (item.done_at, item.done_by_id) == (None, None)
    assert incident.timeline[-1].text == (
        "Playbook step reopened: Isolate the affected systems from the network. "
        "Host came back online"
    )


def test_resolution_waits_for_the_closure_criteria(session, make_incident, make_user):
    responder = make_user("responder")
    incident = make_incident()
    checklist = service.get_checklist(session, incident)
    for step in ("symptoms-resolved", "stability-confirmed", "monitoring-normal"):
        service.tick(session, _item(checklist, step), responder)

    with pytest.raises(Conflict) as caught:
        incidents.change_status(session, incident, "resolved", responder)
    assert caught.value.message == (
        "The incident cannot be resolved while closure criteria are open: No recurrence "
        "observed. Tick them on the playbook, or counsel may resolve it with a reason."
    )
    assert incident.status == "detected"

    service.tick(session, _item(checklist, "no-recurrence"), responder)
    incidents.change_status(session, incident, "resolved", responder)
    session.commit()
    assert incident.status == "resolved"


def test_replacing_the_facts_with_resolved_is_gated_too(session, make_incident, facts):
    incident = make_incident(facts)
    facts["incident"]["status"] = "resolved"
    with pytest.raises(Conflict, match="closure criteria are open"):
        incidents.update_facts(session, incident, facts, None)


def test_counsel_may_resolve_with_open_criteria_giving_a_reason(session, make_incident, make_user):
    counsel = make_user("counsel", name="Casey Counsel")
    incident = make_incident()
    reason = "Monitoring contract ended; the board accepts the residual risk"

    incidents.change_status(session, incident, "resolved", counsel, closure_override=reason)
    session.commit()

    checklist = service.get_checklist(session, incident)
    assert incident.status == "resolved"
    assert (checklist.override_reason, checklist.override_by_id) == (reason, counsel.id)
    decision = next(entry for entry in incident.timeline if entry.kind == "decision")
    assert decision.text == (
        "Resolved by counsel with closure criteria open (Symptoms resolved; Stability "
        "confirmed over an agreed observation period; Monitoring shows normal behaviour; "
        f"No recurrence observed): {reason}"
    )
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    # Resolution records resolved_at in the facts, which brings the post-mortem obligation.
    assert actions[-4:] == [
        "checklist.override",
        "incident.status",
        "incident.facts",
        "obligation.added",
    ]
    assert checklist.override_at == incident.status_changes[-1].at


def test_a_responder_cannot_override_the_closure_criteria(session, make_incident, make_user):
    responder = make_user("responder")
    incident = make_incident()
    with pytest.raises(Forbidden, match="Only counsel"):
        incidents.change_status(session, incident, "resolved", responder, closure_override="Done")
    assert incident.status == "detected"


def test_met_criteria_need_no_override(session, make_incident):
    incident = make_incident()
    meet_closure_criteria(session, incident)
    incidents.change_status(session, incident, "resolved", None)
    assert service.get_checklist(session, incident).override_at is None


# The incident page.


def test_the_incident_page_shows_the_checklist_and_ticks_it(signed_in, make_incident, session):
    client, user = signed_in("responder")
    incident = make_incident()
    item = _item(service.get_checklist(session, incident), "notify-security-team")

    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Playbook: Security breach" in page
    assert "Response steps: 0 of 5 done" in page
    assert f'action="/incidents/{incident.id}/checklist/{item.id}/tick"' in page

    response = client.post(
        f"/incidents/{incident.id}/checklist/{item.id}/tick", data={"note": "Paged SOC"}
    )
    assert response.status_code == 302
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Response steps: 1 of 5 done" in page
    assert "done by Responder Person" in page
    assert "Playbook, response steps: Notify the security team, done. Paged SOC" in page


def test_the_status_button_refuses_resolution_with_the_open_criteria(signed_in, make_incident):
    client, _user = signed_in("responder")
    incident = make_incident()
    response = client.post(
        f"/incidents/{incident.id}/status", data={"status": "resolved"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "The incident cannot be resolved while closure criteria are open" in page
    assert "Resolve with closure criteria open (counsel)" not in page


def test_counsel_resolves_with_open_criteria_from_the_page(signed_in, make_incident, session):
    client, _user = signed_in("counsel")
    incident = make_incident()
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Resolve with closure criteria open (counsel)" in page

    empty = client.post(
        f"/incidents/{incident.id}/resolve-with-open-criteria",
        data={"reason": " "},
        follow_redirects=True,
    )
    assert "Give the reason for resolving" in empty.get_data(as_text=True)
    response = client.post(
        f"/incidents/{incident.id}/resolve-with-open-criteria",
        data={"reason": "Accepted by the CISO"},
        follow_redirects=True,
    )
    assert "Resolved with closure criteria open; the reason is recorded." in response.get_data(
        as_text=True
    )
    session.expire_all()
    assert incidents.get(session, incident.id).status == "resolved"


def test_viewers_and_responders_are_refused_the_writes(signed_in, make_incident, session):
    incident = make_incident()
    item = service.get_checklist(session, incident).items[0]
    viewer, _ = signed_in("viewer")
    responder, _ = signed_in("responder")
    assert viewer.post(f"/incidents/{incident.id}/checklist/{item.id}/tick").status_code == 403
    assert viewer.post(f"/incidents/{incident.id}/checklist/{item.id}/untick").status_code == 403
    override = f"/incidents/{incident.id}/resolve-with-open-criteria"
    assert responder.post(override, data={"reason": "x"}).status_code == 403


def test_a_step_of_another_incident_is_not_found(signed_in, make_incident, session):
    client, _ = signed_in("responder")
    first, second = make_incident(), make_incident()
    item = service.get_checklist(session, second).items[0]
    response = client.post(f"/incidents/{first.id}/checklist/{item.id}/tick", follow_redirects=True)
    assert f"The incident {first.reference} has no checklist step {item.id}." in (
        response.get_data(as_text=True)
    )
    session.expire_all()
    assert service.get_checklist(session, second).items[0].done_at is None
