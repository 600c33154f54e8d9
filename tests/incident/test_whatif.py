"""The what-if view: other facts in the facts form, and the obligations they would change."""

import json

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from tracker.audit.models import AuditEvent
from tracker.incident.models import Incident

from .formdata import form_pairs


@pytest.fixture
def counsel(client, make_user, login):
    user = make_user("counsel")
    login(client, user)
    return user


@pytest.fixture
def incident(make_incident):
    return make_incident()


def what_if_form(client, incident_id):
    page = client.get(f"/incidents/{incident_id}/whatif")
    assert page.status_code == 200
    return MultiDict(form_pairs(page.get_data(as_text=True), "whatif-form"))


def stored(session, incident_id):
    session.expire_all()
    return session.get(Incident, incident_id).facts_json


def audit_rows(session):
    return session.scalar(select(func.count()).select_from(AuditEvent))


def compare(client, incident_id, form):
    response = client.post(f"/incidents/{incident_id}/whatif", data=form)
    return response.status_code, response.get_data(as_text=True)


def rows_of(html):
    """The result table's rows as lists of cell texts, without markup."""
    import re

    body = html.split('<table class="whatif">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"whatif__\w+\">(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def test_the_incident_page_links_to_the_what_if_view(client, counsel, incident):
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert f'href="/incidents/{incident.id}/whatif"' in html


def test_the_form_is_the_facts_form_filled_with_the_saved_facts(client, counsel, incident):
    form = what_if_form(client, incident.id)

    assert form["discovered_at_local"] == "2026-03-05T09:30"
    assert form["affected-0-code"] == "US-CA" and form["affected-0-count"] == "1200"
    assert form["csrf_token"]


def test_a_later_discovery_moves_the_dates_by_a_day_and_saves_nothing(
    client, counsel, incident, session
):
    before, audited = stored(session, incident.id), audit_rows(session)
    form = what_if_form(client, incident.id)
    form["discovered_at_local"] = "2026-03-06T09:30"

    status, html = compare(client, incident.id, form)

    assert status == 200
    rows = {cells[1][0]: cells for cells in rows_of(html)}
    gdpr = rows["gdpr/supervisory_authority"]
    assert gdpr[0] == ["Moves"]
    # 72 real hours after 5 March 09:30 EST cross the change to daylight saving on 8 March:
    # 10:30 EDT; the viewer reads in UTC.
    assert " ".join(gdpr[2]) == "2026-03-08 10:30 EDT 2026-03-08 14:30 UTC"
    assert " ".join(gdpr[3]) == "2026-03-09 10:30 EDT 2026-03-09 14:30 UTC"
    assert " ".join(gdpr[4]) == "1 day later"
    assert "events.discovered_at moved from 2026-03-05T14:30:00+00:00 to " in " ".join(gdpr[5])
    assert " ".join(rows["us-ca/individuals"][4]) == "1 day later"
    assert stored(session, incident.id) == before
    assert audit_rows(session) == audited


def test_more_residents_make_obligations_appear(client, counsel, incident):
    form = what_if_form(client, incident.id)
    form["affected-1-code"] = "US-TX"
    form["affected-1-count"] = "300"

    _, html = compare(client, incident.id, form)

    rows = {cells[1][0]: cells for cells in rows_of(html)}
    assert rows["us-tx/attorney_general"][0] == ["Appears"]
    # 30 days after discovery (standing for the determination) on 5 March end with 4 April in
    # the organisation's legal time zone.
    assert " ".join(rows["us-tx/attorney_general"][3]) == (
        "2026-04-04 23:59:59 EDT 2026-04-05 03:59:59 UTC"
    )
    assert rows["us-tx/attorney_general"][2] == ["—"]


def test_encrypted_data_make_the_state_notices_disappear(client, counsel, incident):
    form = what_if_form(client, incident.id)
    form["encrypted"] = "yes"

    _, html = compare(client, incident.id, form)

    rows = {cells[1][0]: cells for cells in rows_of(html)}
    assert rows["us-ca/individuals"][0] == ["Disappears"]
    assert "encryption safe harbour" in " ".join(rows["us-ca/individuals"][5])
    assert rows["us-ca/individuals"][3] == ["—"]


def test_unchanged_facts_change_nothing(client, counsel, incident):
    _, html = compare(client, incident.id, what_if_form(client, incident.id))
    assert "No obligation would appear, disappear or move;" in html


def test_bad_facts_are_shown_beside_the_field_and_nothing_is_compared(client, counsel, incident):
    form = what_if_form(client, incident.id)
    form["discovered_at_local"] = "the fifth"

    status, html = compare(client, incident.id, form)

    assert status == 400
    assert "These facts cannot be compared." in html
    assert "What would change" not in html
    assert 'value="the fifth"' in html


def test_more_rows_keep_the_entries(client, counsel, incident):
    form = what_if_form(client, incident.id)
    form["discovered_at_local"] = "2026-03-07T08:00"
    form["more"] = "affected"

    status, html = compare(client, incident.id, form)

    assert status == 200
    assert 'value="2026-03-07T08:00"' in html
    assert 'name="affected-4-code"' in html


def test_a_viewer_compares_but_cannot_save(client, make_user, login, incident, session):
    login(client, make_user("viewer"))
    form = what_if_form(client, incident.id)
    form["discovered_at_local"] = "2026-03-06T09:30"

    status, html = compare(client, incident.id, form)

    assert status == 200
    assert "Moves" in html
    assert "Save these facts" not in html
    assert json.loads(stored(session, incident.id))["events"]["discovered_at"] == (
        "2026-03-05T09:30:00-05:00"
    )


def test_counsel_may_save_the_compared_facts_from_the_same_form(client, counsel, incident, session):
    form = what_if_form(client, incident.id)
    form["discovered_at_local"] = "2026-03-06T09:30"
    html = client.get(f"/incidents/{incident.id}/whatif").get_data(as_text=True)
    assert f'formaction="/incidents/{incident.id}/facts"' in html

    response = client.post(f"/incidents/{incident.id}/facts", data=form)

    assert response.status_code == 302
    saved = json.loads(stored(session, incident.id))
    assert saved["events"]["discovered_at"] == "2026-03-06T09:30:00-05:00"


def test_the_facts_editor_offers_to_compare_first(client, counsel, incident):
    html = client.get(f"/incidents/{incident.id}/facts").get_data(as_text=True)
    assert f'formaction="/incidents/{incident.id}/whatif"' in html


def test_signed_out_visitors_are_sent_to_sign_in(client, incident):
    response = client.get(f"/incidents/{incident.id}/whatif")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_count_above_ten_billion_is_refused_and_a_future_discovery_is_compared(
    client, counsel, incident, session
):
    form = what_if_form(client, incident.id)
    form["affected-0-count"] = "999999999999999999999"

    status, html = compare(client, incident.id, form)

    assert status == 400
    assert "a whole number of at most 10,000,000,000; got 999999999999999999999" in html
    assert "What would change" not in html

    form = what_if_form(client, incident.id)
    form["discovered_at_local"] = "2999-03-05T09:30"
    status, html = compare(client, incident.id, form)
    assert status == 200
    assert "What would change" in html
