"""Administrators edit playbooks through a page that checks the text before storing it."""

from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.plan import service
from tracker.plan.models import PlaybookOverride
from tracker.plan.playbooks import shipped_playbooks


def _edited_outage() -> str:
    text = shipped_playbooks()["outage"].text
    return text.replace(
        'text = "Restart the failed services"', 'text = "Restart the failed services in order"'
    )


def test_the_playbooks_page_lists_every_playbook(signed_in):
    client, _ = signed_in("viewer")
    page = client.get("/playbooks").get_data(as_text=True)
    for title in ("Security breach", "System outage", "Data incident", "General incident"):
        assert title in page
    assert "Edit system outage" not in page


def test_an_administrator_saves_a_valid_edit(signed_in, session, make_incident, facts):
    client, admin = signed_in("administrator")
    form = client.get("/playbooks/outage/edit").get_data(as_text=True)
    assert 'name="text"' in form and "Restart the failed services" in form

    response = client.post("/playbooks/outage/edit", data={"text": _edited_outage()})
    assert response.status_code == 302

    row = session.scalars(select(PlaybookOverride)).one()
    assert (row.playbook_id, row.updated_by_id) == ("outage", admin.id)
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "playbook.update"
    facts["incident"]["category"] = "outage"
    checklist = service.get_checklist(session, make_incident(facts))
    assert checklist.items[1].text == "Restart the failed services in order"
    assert checklist.version == service.get_playbook(session, "outage").version
    assert checklist.version != shipped_playbooks()["outage"].version


def test_an_invalid_edit_is_refused_with_its_field_and_nothing_stored(signed_in, session):
    client, _ = signed_in("administrator")
    bad = _edited_outage().replace('id = "load-balancing"', 'id = "Load Balancing"')
    response = client.post("/playbooks/outage/edit", data={"text": bad})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The playbook was not saved" in page
    assert "<code>steps[4].id</code>: expected lower-case letters, digits and hyphens" in page
    assert "Load Balancing" in page
    assert session.scalars(select(PlaybookOverride)).first() is None


def test_an_edit_may_not_change_the_id_or_drop_a_category(signed_in, session):
    client, _ = signed_in("administrator")
    renamed = _edited_outage().replace('id = "outage"', 'id = "outages"', 1)
    page = client.post("/playbooks/outage/edit", data={"text": renamed}).get_data(as_text=True)
    assert "the id &#39;outages&#39; must stay &#39;outage&#39;" in page
    orphan = _edited_outage().replace('categories = ["outage"]', "categories = []")
    page = client.post("/playbooks/outage/edit", data={"text": orphan}).get_data(as_text=True)
    assert "no playbook covers outage" in page
    assert session.scalars(select(PlaybookOverride)).first() is None


def test_reset_goes_back_to_the_shipped_file(signed_in, session):
    client, _ = signed_in("administrator")
    client.post("/playbooks/outage/edit", data={"text": _edited_outage()})
    assert client.post("/playbooks/outage/reset").status_code == 302
    session.expire_all()
    assert session.scalars(select(PlaybookOverride)).first() is None
    assert service.get_playbook(session, "outage").origin.endswith("outage.toml")


def test_only_administrators_edit(signed_in):
    for role in ("viewer", "responder", "counsel"):
        client, _ = signed_in(role)
        assert client.get("/playbooks/outage/edit").status_code == 403
        assert client.post("/playbooks/outage/edit", data={"text": "x"}).status_code == 403
        assert client.post("/playbooks/outage/reset").status_code == 403


def test_an_unknown_playbook_is_not_found(signed_in):
    client, _ = signed_in("administrator")
    assert client.get("/playbooks/nothing/edit").status_code == 404
