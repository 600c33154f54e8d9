"""The hold pages and the custodian's notice page reached without an account."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from tracker.hold import service
from tracker.hold.models import Acknowledgement, LegalHold

from .conftest import link_of, messages


@pytest.fixture
def issued(session, hold, owner):
    """The hold issued now, so that its links are fresh."""
    service.issue(session, hold, owner)
    session.commit()
    return hold


def test_counsel_creates_and_issues_a_hold_through_the_pages(
    client, session, owner, login, make_incident
):
    incident = make_incident(actor=owner)
    login(client, owner)
    response = client.post(
        "/holds/new",
        data={
            "name": "Vendor dispute",
            "description": "Keep everything about the Acme contract.",
            "incident_ids": [str(incident.id)],
            "scope_starts_on": "2026-01-01",
            "scope_ends_on": "",
            "subjects": "Acme contract\nInvoices",
            "data_sources": "Finance share",
            "custodians": "Jo Doe | jo@example.com | Finance | boss@example.com",
            "system_owners": "Sam Ops | sam@example.com | erp-01 | Suspend purging | keep tapes",
            "timezone": "Europe/Berlin",
            "reminder_days": "2",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    hold = session.scalars(select(LegalHold)).one()
    assert hold.subjects == ["Acme contract", "Invoices"]
    assert hold.reminder_days == 2 and hold.escalation_days == 4
    assert [p.role for p in hold.people] == ["custodian", "system_owner"]
    assert hold.people[1].instructions == "Suspend purging | keep tapes"

    issued = client.post(f"/holds/{hold.id}/issue", follow_redirects=True)
    page = issued.get_data(as_text=True)
    assert issued.status_code == 200
    assert page.count('data-status="sent"') == 2
    assert "hold.issue" in page  # the history


def test_the_incident_page_links_to_its_holds_and_evidence(client, session, issued, owner, login):
    login(client, owner)
    incident_id = issued.incidents[0].id

    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert f'href="/holds?incident={incident_id}"' in page
    assert f'href="/evidence?incident={incident_id}"' in page

    listed = client.get(f"/holds?incident={incident_id}").get_data(as_text=True)
    assert "Project Falcon breach" in listed
    assert "Project Falcon breach" not in client.get("/holds?incident=999").get_data(as_text=True)


def test_a_bad_person_line_is_named_beside_its_field(client, session, owner, login):
    login(client, owner)
    response = client.post(
        "/holds/new",
        data={"name": "X", "custodians": "Jo Doe without address", "timezone": "UTC"},
    )

    assert response.status_code == 400
    assert "line 1: expected name | e-mail" in response.get_data(as_text=True)
    assert session.scalars(select(LegalHold)).all() == []


def test_the_custodian_acknowledges_through_the_link_without_an_account(client, session, issued):
    path, _custodian_id, _token = link_of(messages(session)[0])

    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Legal hold notice: Project Falcon breach" in text
    assert "For Jo Doe, Engineering" in text

    done = client.post(path, data={"answer": "Laptop, and the Engineering share"})
    assert done.status_code == 200
    assert "Thank you, Jo Doe" in done.get_data(as_text=True)
    session.rollback()
    ack = session.scalars(select(Acknowledgement)).one()
    assert ack.answer == "Laptop, and the Engineering share" and ack.version == 1

    again = client.post(path, data={"answer": "again"})
    assert again.status_code == 409
    assert "You already acknowledged this notice" in again.get_data(as_text=True)
    session.rollback()
    assert len(session.scalars(select(Acknowledgement)).all()) == 1


def test_misused_links_get_a_plain_page_and_are_logged(client, session, issued, caplog):
    path, custodian_id, token = link_of(messages(session)[0])
    other = issued.people[1].id

    with caplog.at_level(logging.WARNING, logger="tracker.hold.service"):
        altered = client.get(path[:-3] + "abc")
        someone_else = client.post(f"/hold-notice/{other}/{token}", data={"answer": "x"})

    assert altered.status_code == 404
    assert "incomplete or was changed" in altered.get_data(as_text=True)
    assert someone_else.status_code == 403
    assert "someone else" in someone_else.get_data(as_text=True)
    assert "Traceback" not in altered.get_data(as_text=True)
    assert caplog.text.count("Hold link refused") == 2
    session.rollback()
    assert session.scalars(select(Acknowledgement)).all() == []


def test_a_viewer_reads_the_hold_but_cannot_release_it(client, session, issued, make_user, login):
    login(client, make_user("viewer"))

    page = client.get(f"/holds/{issued.id}")
    assert page.status_code == 200
    assert "Release the hold" not in page.get_data(as_text=True)
    assert client.post(f"/holds/{issued.id}/release", data={"reason": "x"}).status_code == 403


def test_releasing_through_the_page_and_refusing_a_second_release(
    client, session, issued, owner, login
):
    login(client, owner)

    first = client.post(f"/holds/{issued.id}/release", data={"reason": "Settled"})
    second = client.post(f"/holds/{issued.id}/release", data={"reason": "Settled"})

    assert first.status_code == 302
    assert second.status_code == 409
    assert "already released" in second.get_data(as_text=True)
    page = client.get(f"/holds/{issued.id}").get_data(as_text=True)
    assert page.count('data-status="released"') == 2
