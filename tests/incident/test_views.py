import copy
import io
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from tracker.audit.models import AuditEvent
from tracker.facts import parse_facts
from tracker.incident.models import Incident, TimelineEntry
from tracker.incident.views import FACTS_UPLOAD_LIMIT

from .formdata import form_pairs
from .test_forms import FULL


@pytest.fixture
def counsel(client, make_user, login):
    user = make_user("counsel")
    login(client, user)
    return user


@pytest.fixture
def incident(make_incident):
    return make_incident()


def audit_count(session):
    return session.scalar(select(func.count()).select_from(AuditEvent))


def stored_facts(session, incident_id):
    session.expire_all()
    return session.get(Incident, incident_id).facts_json


def facts_form(client, incident_id):
    page = client.get(f"/incidents/{incident_id}/facts")
    assert page.status_code == 200
    return MultiDict(form_pairs(page.get_data(as_text=True), "facts-form"))


def beside(html, field_id, message):
    """Whether `message` is in the error list tied to the field `field_id`."""
    match = re.search(
        rf'<ul class="field__errors" id="{re.escape(field_id)}-errors">(.*?)</ul>', html, re.S
    )
    return match is not None and message in match.group(1).replace("&#39;", "'")


# The list and the create form.


def test_the_list_shows_incidents_and_filters_them(client, counsel, make_incident, facts):
    make_incident()
    facts["incident"] = {"title": "Outage of billing", "severity": "SEV-3", "category": "outage"}
    make_incident(facts)

    everything = client.get("/incidents").get_data(as_text=True)
    assert "Credential stuffing" in everything and "Outage of billing" in everything

    for query in ("severity=SEV-3", "category=outage", "q=BILLING", "q=0002"):
        page = client.get(f"/incidents?{query}").get_data(as_text=True)
        assert "Outage of billing" in page and "Credential stuffing" not in page
    nothing = client.get("/incidents?status=resolved&q=billing").get_data(as_text=True)
    assert (
        '<p class="empty">No incidents match these filters. <a href="/incidents">Clear the '
        "filters</a> to see every incident.</p>"
    ) in nothing
    assert 'class="incident-list"' not in nothing


def test_an_unknown_filter_value_is_refused(client, counsel):
    response = client.get("/incidents?status=closed")
    assert response.status_code == 400
    assert "The status filter &#39;closed&#39; is not one of" in response.get_data(as_text=True)


def test_create_builds_a_valid_facts_document(client, counsel, session):
    response = client.post(
        "/incidents/new",
        data={
            "title": "Misdirected payroll e-mail",
            "severity": "SEV-3",
            "category": "data",
            "description": "Sent to a supplier.",
            "timezone": "Europe/Berlin",
            "discovered_local": "2026-03-29T03:15",
        },
    )
    assert response.status_code == 302

    incident = session.scalars(select(Incident)).one()
    assert response.headers["Location"] == f"/incidents/{incident.id}"
    assert incident.facts_document == {
        "format": "incident-facts/1",
        "incident": {
            "title": "Misdirected payroll e-mail",
            "description": "Sent to a supplier.",
            "severity": "SEV-3",
            "category": "data",
            "status": "detected",
        },
        "timezone": "Europe/Berlin",
        "events": {"discovered_at": "2026-03-29T03:15:00+02:00"},
    }
    assert incident.discovered_at == datetime(2026, 3, 29, 1, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field_id", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"timezone": "Mars/Olympus"}, "timezone", "The time zone 'Mars/Olympus' is unknown"),
        ({"discovered_local": "soon"}, "discovered_local", "'soon' cannot be read"),
        ({"discovered_local": "2026-03-29T02:30"}, "discovered_local", "does not exist"),
        ({"discovered_local": "9999-12-31T23:59"}, "discovered_local", "1900 to 2999"),
        ({"severity": "SEV-9"}, "severity", "Not a valid choice"),
    ],
)
def test_create_refuses_bad_input_and_stores_nothing(
    client, counsel, session, change, field_id, message
):
    data = {
        "title": "Lost laptop",
        "severity": "SEV-2",
        "category": "data",
        "timezone": "Europe/Berlin",
        "discovered_local": "2026-03-05T10:00",
        **change,
    }
    response = client.post("/incidents/new", data=data)

    assert response.status_code == 400
    assert beside(response.get_data(as_text=True), field_id, message)
    assert session.scalar(select(func.count()).select_from(Incident)) == 0


# The incident page.


def test_the_incident_page_shows_the_incident(client, counsel, incident):
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)

    assert incident.reference in html
    assert "response target 15 minutes" in html
    assert "2026-03-05 09:30 EST" in html  # discovery, in the legal zone
    assert "2026-03-05 14:30 UTC" in html  # and in the viewer's zone
    for status in ("Move to investigating", "Move to mitigating", "Move to resolved"):
        assert status in html
    assert "Incident opened" in html


def test_status_transitions_are_recorded_with_their_time(client, counsel, incident, session):
    response = client.post(
        f"/incidents/{incident.id}/status", data={"status": "investigating", "note": "Triage"}
    )
    assert response.status_code == 302

    session.expire_all()
    changed = session.get(Incident, incident.id)
    assert changed.status == "investigating"
    last = changed.status_changes[-1]
    assert (last.from_status, last.to_status, last.note) == ("detected", "investigating", "Triage")
    assert (datetime.now(UTC) - last.at).total_seconds() < 60
    assert json.loads(changed.facts_json)["incident"]["status"] == "investigating"


def test_a_move_the_flow_forbids_is_refused(client, counsel, incident, session):
    response = client.post(
        f"/incidents/{incident.id}/status", data={"status": "post_mortem"}, follow_redirects=True
    )
    assert "An incident cannot move from detected to post_mortem" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Incident, incident.id).status == "detected"


def test_a_timeline_entry_is_added_with_its_zone(client, counsel, incident, session):
    response = client.post(
        f"/incidents/{incident.id}/timeline",
        data={
            "at_local": "2026-03-05T10:05",
            "at_zone": "America/New_York",
            "kind": "action",
            "text": "Blocked the attacking addresses.",
        },
    )
    assert response.status_code == 302

    entry = session.scalars(select(TimelineEntry)).one()
    assert entry.at == datetime(2026, 3, 5, 15, 5, tzinfo=UTC)
    assert (entry.kind, entry.text) == ("action", "Blocked the attacking addresses.")
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Blocked the attacking addresses." in html and "Timeline entry added" in html


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"at_local": "2026-03-05T10:05", "at_zone": "Nowhere/City"}, "at_zone", "unknown"),
        ({"at_local": "half past ten"}, "at_local", "cannot be read"),
        ({"text": ""}, "text", "This field is required."),
    ],
)
def test_a_bad_timeline_entry_is_refused(
    client, counsel, incident, session, data, field_id, message
):
    posted = {"at_zone": "America/New_York", "kind": "note", "text": "Call with the CISO", **data}
    response = client.post(f"/incidents/{incident.id}/timeline", data=posted)

    assert response.status_code == 400
    assert beside(response.get_data(as_text=True), field_id, message)
    assert session.scalars(select(TimelineEntry)).all() == []


def test_the_impact_assessment_is_saved_and_audited(client, counsel, incident, session):
    response = client.post(
        f"/incidents/{incident.id}/impact",
        data={
            "impact_systems": "portal\nsso",
            "impact_users": "1200",
            "impact_data_loss": "",
            "customer_impact": "degraded",
        },
    )
    assert response.status_code == 302

    session.expire_all()
    changed = session.get(Incident, incident.id)
    assert changed.impact_systems == ["portal", "sso"]
    assert changed.impact_users == 1200
    assert changed.customer_impact == "degraded"
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Impact assessment changed" in html
    assert "impact users" in html and "1200" in html


def test_a_bad_impact_count_is_refused(client, counsel, incident, session):
    before = audit_count(session)
    response = client.post(
        f"/incidents/{incident.id}/impact",
        data={"impact_users": "lots", "impact_data_loss": "", "customer_impact": ""},
    )
    assert response.status_code == 400
    assert beside(response.get_data(as_text=True), "impact_users", "'lots' is not one")
    assert audit_count(session) == before


# The facts editor.


def test_facts_shown_and_saved_unchanged_stay_identical(client, counsel, make_incident, session):
    incident = make_incident(copy.deepcopy(FULL))
    before, rows = stored_facts(session, incident.id), audit_count(session)

    form = facts_form(client, incident.id)
    response = client.post(f"/incidents/{incident.id}/facts", data=form, follow_redirects=True)

    assert "The facts are unchanged; nothing was saved." in response.get_data(as_text=True)
    assert stored_facts(session, incident.id) == before
    assert audit_count(session) == rows


def test_facts_entered_through_the_form_are_stored(client, counsel, incident, session):
    form = facts_form(client, incident.id)
    form["aware_at_local"] = "2026-03-06T14:00"
    form["affected-0-count"] = "1300"
    form["contract-0-party"] = "Acme Corp"
    form["contract-0-notify_within"] = "48h"
    form.add("payment_brands", "visa")
    form["risk_of_harm"] = "high"

    response = client.post(f"/incidents/{incident.id}/facts", data=form)
    assert response.status_code == 302

    document = json.loads(stored_facts(session, incident.id))
    assert document["events"]["aware_at"] == "2026-03-06T14:00:00-05:00"
    assert document["affected"] == {"US-CA": 1300, "DE": 40}
    assert document["contracts"] == [{"party": "Acme Corp", "notify_within": "48h"}]
    assert document["payment_brands"] == ["visa"]
    assert document["assessment"] == {"risk_of_harm": "high"}
    history = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Facts changed" in history
    assert "affected › US-CA" in history and "1200" in history and "1300" in history


@pytest.mark.parametrize(
    ("field", "value", "field_id", "message"),
    [
        ("affected-0-count", "-5", "f-affected-0-count", "whole number of 0 or more; got -5"),
        ("affected-0-count", "1.5", "f-affected-0-count", "'1.5' is not one"),
        (
            "affected-0-count",
            "999999999999999999999",
            "f-affected-0-count",
            "a whole number of at most 10,000,000,000; got 999999999999999999999",
        ),
        ("affected-0-code", "US-XX", "f-affected-0-code", "ISO 3166-2 subdivision code"),
        ("occurred_at_local", "2026-03-01 ten", "f-occurred_at_local", "cannot be read"),
        ("occurred_at_zone", "", "f-occurred_at_zone", "without a zone is ambiguous"),
        ("occurred_at_zone", "Mars/Olympus", "f-occurred_at_zone", "'Mars/Olympus' is unknown"),
        ("timezone", "Mars/Olympus", "f-timezone", "got 'Mars/Olympus'"),
        ("title", "", "f-title", "Enter a title"),
        ("discovered_at_local", "", "f-discovered_at_local", "discovered_at or aware_at"),
    ],
)
def test_bad_facts_are_shown_beside_the_field_and_nothing_is_stored(
    client, counsel, incident, session, field, value, field_id, message
):
    before, rows = stored_facts(session, incident.id), audit_count(session)
    form = facts_form(client, incident.id)
    form["occurred_at_local"] = form.get("occurred_at_local") or "2026-03-01T10:00"
    form[field] = value

    response = client.post(f"/incidents/{incident.id}/facts", data=form)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The facts were not saved." in html
    assert beside(html, field_id, message)
    assert stored_facts(session, incident.id) == before
    assert audit_count(session) == rows


def test_more_rows_keeps_the_entries_and_stores_nothing(client, counsel, incident, session):
    before = stored_facts(session, incident.id)
    form = facts_form(client, incident.id)
    form["affected-2-code"] = "FR"
    form["more"] = "affected"

    html = client.post(f"/incidents/{incident.id}/facts", data=form).get_data(as_text=True)

    assert 'name="affected-6-code"' in html and 'name="affected-7-code"' not in html
    assert 'name="affected-2-code" value="FR"' in html
    assert stored_facts(session, incident.id) == before


def test_facts_changed_by_someone_else_meanwhile_are_not_overwritten(
    client, counsel, incident, session
):
    form = facts_form(client, incident.id)
    other = client.application.test_client()
    other_form = facts_form(client, incident.id)
    other_form["records"] = "99"
    assert other.post(f"/incidents/{incident.id}/facts", data=other_form).status_code in (302, 403)
    client.post(f"/incidents/{incident.id}/facts", data=other_form)

    form["records"] = "7"
    response = client.post(f"/incidents/{incident.id}/facts", data=form)

    assert response.status_code == 409
    assert "Someone saved other facts" in response.get_data(as_text=True)
    assert json.loads(stored_facts(session, incident.id))["data"]["records"] == 99


def test_an_event_in_the_future_is_shown_beside_its_field_and_not_stored(
    client, counsel, incident, session
):
    before, rows = stored_facts(session, incident.id), audit_count(session)
    form = facts_form(client, incident.id)
    form["aware_at_local"] = "2999-12-31T12:00"
    form["aware_at_zone"] = "America/New_York"

    response = client.post(f"/incidents/{incident.id}/facts", data=form)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert beside(
        html,
        "f-aware_at_local",
        "Expected an instant not in the future; got 2999-12-31T12:00:00-05:00.",
    )
    assert stored_facts(session, incident.id) == before
    assert audit_count(session) == rows


def test_a_viewer_reads_the_facts_without_a_save_button(client, make_user, login, incident):
    login(client, make_user("viewer"))
    html = client.get(f"/incidents/{incident.id}/facts").get_data(as_text=True)
    assert "your role cannot change them" in html
    assert "Save the facts" not in html and "Upload and save" not in html


# Download and upload.


def test_download_is_an_attachment_of_the_canonical_dump(client, counsel, incident):
    response = client.get(f"/incidents/{incident.id}/facts.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    name = f"facts-{incident.reference}.json"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    assert response.get_data(as_text=True) == parse_facts(incident.facts_json).to_json() + "\n"


def upload(client, incident_id, content, name="facts.json"):
    data = {"facts_file": (io.BytesIO(content), name)}
    return client.post(
        f"/incidents/{incident_id}/facts/upload", data=data, content_type="multipart/form-data"
    )


def test_download_then_upload_is_lossless_byte_for_byte(client, counsel, make_incident, facts):
    source = make_incident(copy.deepcopy(FULL))
    target = make_incident(facts)
    downloaded = client.get(f"/incidents/{source.id}/facts.json").data

    assert upload(client, target.id, downloaded).status_code == 302

    assert client.get(f"/incidents/{target.id}/facts.json").data == downloaded
    again = upload(client, target.id, downloaded, "again.json")
    assert again.status_code == 302
    assert client.get(f"/incidents/{target.id}/facts.json").data == downloaded


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "incident-facts/1"', "is not JSON"),
        (None, "incident.titel: unknown key; check its spelling"),
        (None, "events.discovered_at: the instant &#39;2026-03-05T09:30&#39; has no offset"),
        (None, "affected.US-XX: expected an ISO 3166-1 country code"),
        (None, "timezone: this field is required"),
        (None, "events.discovered_at: expected an instant not in the future; got 2999-01-01"),
    ],
)
def test_a_bad_upload_names_the_field_and_stores_nothing(
    client, counsel, incident, session, facts, content, message
):
    if content is None:
        if "titel" in message:
            facts["incident"]["titel"] = "typo"
        elif "no offset" in message:
            facts["events"]["discovered_at"] = "2026-03-05T09:30"
        elif "future" in message:
            facts["events"]["discovered_at"] = "2999-01-01T00:00:00+00:00"
        elif "US-XX" in message:
            facts["affected"]["US-XX"] = 5
        else:
            del facts["timezone"]
        content = json.dumps(facts).encode()
    before, rows = stored_facts(session, incident.id), audit_count(session)

    response = upload(client, incident.id, content)

    assert response.status_code == 400
    assert beside(response.get_data(as_text=True), "facts_file", message.replace("&#39;", "'"))
    assert stored_facts(session, incident.id) == before
    assert audit_count(session) == rows


def test_an_oversized_upload_is_refused(client, counsel, incident, session, facts):
    before = stored_facts(session, incident.id)
    facts["incident"]["description"] = "x" * FACTS_UPLOAD_LIMIT

    response = upload(client, incident.id, json.dumps(facts).encode())

    assert response.status_code == 413
    assert beside(response.get_data(as_text=True), "facts_file", "larger than 1024 KB")
    assert stored_facts(session, incident.id) == before


def test_an_upload_without_a_file_is_refused(client, counsel, incident):
    response = client.post(f"/incidents/{incident.id}/facts/upload", data={})
    assert response.status_code == 400
    assert beside(response.get_data(as_text=True), "facts_file", "Choose a facts file")


# Who may do what.

READS = ["/incidents", "/incidents/{id}", "/incidents/{id}/facts", "/incidents/{id}/facts.json"]
WRITES = [
    ("/incidents/new", {"title": "x"}),
    ("/incidents/{id}/status", {"status": "investigating"}),
    ("/incidents/{id}/timeline", {"text": "x", "kind": "note"}),
    ("/incidents/{id}/impact", {"impact_users": "1"}),
    ("/incidents/{id}/facts", {"title": "x"}),
    ("/incidents/{id}/facts/upload", {}),
]


@pytest.mark.parametrize("url", READS)
def test_a_viewer_reads_every_page(client, make_user, login, incident, url):
    login(client, make_user("viewer"))
    assert client.get(url.format(id=incident.id)).status_code == 200


@pytest.mark.parametrize(("url", "data"), WRITES)
def test_a_viewer_changes_nothing(client, make_user, login, incident, session, url, data):
    login(client, make_user("viewer"))
    rows = audit_count(session)
    assert client.post(url.format(id=incident.id), data=data).status_code == 403
    assert audit_count(session) == rows


def test_a_viewer_cannot_open_the_create_form(client, make_user, login):
    login(client, make_user("viewer"))
    assert client.get("/incidents/new").status_code == 403


@pytest.mark.parametrize("url", [*READS, "/incidents/new"])
def test_anonymous_visitors_are_sent_to_sign_in(client, incident, url):
    response = client.get(url.format(id=incident.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(("url", "data"), WRITES)
def test_anonymous_posts_are_sent_to_sign_in(client, incident, url, data):
    response = client.post(url.format(id=incident.id), data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(("role", "status"), [("responder", 403), ("counsel", 302)])
def test_only_counsel_change_the_impact_assessment(
    client, make_user, login, incident, role, status
):
    login(client, make_user(role))
    data = {"impact_users": "5", "impact_data_loss": "", "customer_impact": ""}
    response = client.post(f"/incidents/{incident.id}/impact", data=data)
    assert response.status_code == status


@pytest.mark.parametrize("role", ["responder", "administrator"])
def test_responders_and_administrators_edit_facts(client, make_user, login, incident, role):
    login(client, make_user(role))
    form = facts_form(client, incident.id)
    form["records"] = "15001"
    assert client.post(f"/incidents/{incident.id}/facts", data=form).status_code == 302


@pytest.mark.parametrize(("url", "data"), WRITES)
def test_a_post_without_the_csrf_token_is_refused(make_app, make_user, incident, url, data):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make_user("counsel")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={"email": user.email, "password": "correct horse battery staple", "csrf_token": token},
    )

    response = client.post(url.format(id=incident.id), data=data)

    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


def test_the_time_zone_pickers_offer_only_iana_zones(client, counsel):
    page = client.get("/incidents/new").get_data(as_text=True)
    offered = set(re.findall(r'<option value="([^"]+)"></option>', page))

    assert {"America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"} <= offered
    assert {"Factory", "localtime", "posixrules"}.isdisjoint(offered)
