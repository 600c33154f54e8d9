"""The timeline picture: events and deadlines on one axis, as SVG with text labels."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from tracker.incident.service import add_timeline_entry
from tracker.incident.timeline_svg import Mark, incident_timeline_svg, ticks, timeline_svg
from tracker.notice import service
from tracker.notice.lifecycle import record_notice

SVG = "{http://www.w3.org/2000/svg}"
NOW = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)


@pytest.fixture
def incident(make_incident, session):
    """The default incident, opened (on the record) at 2026-03-05 10:00 in New York."""
    incident = make_incident()
    incident.status_changes[0].at = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
    session.commit()
    return incident


@pytest.fixture
def counsel(make_user):
    return make_user("counsel")


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def labels(root: ET.Element) -> list[str]:
    return [text.text or "" for text in root.iter(f"{SVG}text")]


def test_ticks_fall_on_local_half_days_across_the_spring_change():
    found = ticks(
        datetime(2026, 3, 5, 14, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 18, 0, tzinfo=UTC),
        "America/New_York",
    )

    assert [tick.astimezone(UTC).isoformat() for tick in found] == [
        "2026-03-05T17:00:00+00:00",
        "2026-03-06T05:00:00+00:00",
        "2026-03-06T17:00:00+00:00",
        "2026-03-07T05:00:00+00:00",
        "2026-03-07T17:00:00+00:00",
        "2026-03-08T05:00:00+00:00",
        "2026-03-08T16:00:00+00:00",
    ]


def test_ticks_fall_on_the_first_of_each_month_in_the_zone():
    found = ticks(
        datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 6, 15, tzinfo=UTC), "Europe/Berlin"
    )

    assert [tick.astimezone(UTC).isoformat() for tick in found] == [
        "2026-01-31T23:00:00+00:00",
        "2026-02-28T23:00:00+00:00",
        "2026-03-31T22:00:00+00:00",
        "2026-04-30T22:00:00+00:00",
        "2026-05-31T22:00:00+00:00",
    ]


def test_the_incident_picture_names_every_event_and_deadline(session, incident):
    obligations = service.get_obligations(session, incident, include_withdrawn=False)

    root = parse(incident_timeline_svg(incident, obligations, NOW))

    assert root.get("role") == "img"
    assert (
        root.get("aria-labelledby") == f"timeline-{incident.id}-title timeline-{incident.id}-desc"
    )
    assert root.find(f"{SVG}title").text == "Timeline of INC-2026-0001: events and deadlines"
    assert root.find(f"{SVG}desc").text == (
        "3 events and 5 deadlines from 2026-03-01 10:00 EST to 2026-04-19 23:59:59 EDT, "
        "times in America/New_York; 1 deadline passed without notice."
    )
    texts = labels(root)
    assert "2026-03-01 10:00 EST · Start of the incident" in texts
    assert "2026-03-05 09:30 EST · Discovery" in texts
    assert "2026-03-05 10:00 EST · Opened as detected" in texts
    assert "2026-03-08 10:30 EDT · Due: gdpr/supervisory_authority" in texts
    assert "2026-03-08 10:30 EDT · Policy target: gdpr/individuals" in texts
    assert "2026-04-19 23:59:59 EDT · Due: us-ca/attorney_general" in texts
    assert "now" in texts
    diamonds = {p.get("fill") for p in root.iter(f"{SVG}polygon")}
    assert len(list(root.iter(f"{SVG}polygon"))) == 5 + 3  # five deadlines, three in the legend
    assert "#a4161a" in diamonds  # the internal response target has passed


def test_a_given_notice_turns_its_deadline_green(session, incident, counsel):
    rows = {row.key: row for row in service.get_obligations(session, incident)}
    target = rows["gdpr/supervisory_authority"]
    record_notice(session, target, counsel, datetime(2026, 3, 6, 12, 0, tzinfo=UTC), "portal")
    session.commit()
    obligations = service.get_obligations(session, incident, include_withdrawn=False)

    root = parse(incident_timeline_svg(incident, obligations, NOW))

    groups = {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g")}
    due = groups["2026-03-08 10:30 EDT · Due: gdpr/supervisory_authority"]
    assert due.find(f"{SVG}polygon").get("fill") == "#1b6b3a"
    sent = groups["2026-03-06 07:00 EST · Notice given: gdpr/supervisory_authority"]
    assert sent.find(f"{SVG}rect").get("fill") == "#1b6b3a"


def test_entry_text_is_escaped_and_shortened(session, incident):
    text = "Blocked <script>alert(1)</script> & rotated keys " + "x" * 80
    add_timeline_entry(session, incident, text, None, at=datetime(2026, 3, 6, tzinfo=UTC))
    session.commit()

    markup = str(incident_timeline_svg(incident, [], NOW))

    assert "<script>" not in markup
    label = next(t for t in labels(parse(markup)) if "Blocked" in t)
    assert label.startswith("2026-03-05 19:00 EST · Blocked <script>alert(1)</script> & rotated")
    assert label.endswith("…")


def test_an_empty_picture_says_so():
    root = parse(timeline_svg([], "UTC", "Nothing"))

    assert root.find(f"{SVG}desc").text == "No events or deadlines are recorded yet."
    assert "Nothing to show yet." in labels(root)


def test_marks_are_drawn_in_time_order_one_row_each():
    marks = [
        Mark(datetime(2026, 5, 2, tzinfo=UTC), "Second", "event"),
        Mark(datetime(2026, 5, 1, tzinfo=UTC), "First", "event"),
    ]

    root = parse(timeline_svg(marks, "UTC", "Two"))

    rows = [t for t in labels(root) if "·" in t]
    assert rows == ["2026-05-01 00:00 UTC · First", "2026-05-02 00:00 UTC · Second"]
    assert root.get("height") == str(44 + 2 * 22 + 40)


def test_the_incident_page_shows_the_picture(client, make_user, login, incident):
    login(client, make_user("viewer"))

    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)

    assert '<figure class="picture"><svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "Timeline of INC-2026-0001: events and deadlines" in html


def test_the_picture_prints_into_a_pdf_with_its_labels(session, incident):
    obligations = service.get_obligations(session, incident, include_withdrawn=False)
    svg = incident_timeline_svg(incident, obligations, NOW)

    pdf = HTML(string=f"<html><body><figure>{svg}</figure></body></html>").write_pdf()

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "2026-03-08 10:30 EDT · Due: gdpr/supervisory_authority" in text
    assert "Times in America/New_York" in text
