"""The board page: dates in both zones, filters, paging, and who may read it."""

from __future__ import annotations


def test_the_board_shows_each_deadline_in_the_incident_zone_and_the_viewer_zone(
    client, make_user, login, incident
):
    login(client, make_user("viewer", timezone="Europe/Berlin"))

    page = client.get("/board")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'aria-current="page">Deadlines</a>' in html
    assert '<time datetime="2026-03-08T14:30:00+00:00">2026-03-08 10:30 EDT</time>' in html
    assert "2026-03-08 15:30 CET" in html
    assert "2026-04-04 23:59:59 EDT" in html
    assert "Policy target, not law" in html
    assert html.count('class="urgency urgency--') == 5
    assert "5 open obligations; dates in each incident" in html
    assert '<a href="/incidents/1#obligations">INC-2026-0001</a>' in html


def test_the_filters_narrow_the_rows_and_keep_their_values(client, make_user, login, incident):
    login(client, make_user("viewer"))

    html = client.get("/board?regime=us-ca&assignee=dana@example.com").get_data(as_text=True)

    assert "us-ca/attorney_general" in html
    assert "gdpr/supervisory_authority" not in html
    assert '<option value="us-ca" selected>us-ca</option>' in html
    assert 'value="dana@example.com"' in html
    assert "2 open obligations matching the filters" in html


def test_no_match_says_so(client, make_user, login, incident):
    login(client, make_user("viewer"))

    html = client.get("/board?incident=INC-1999-0001").get_data(as_text=True)

    assert (
        '<p class="empty">No open obligation matches the filters. <a href="/board">Clear the '
        "filters</a> to see every open obligation.</p>"
    ) in html
    assert "<table" not in html


def test_a_bad_page_is_refused_by_name(client, make_user, login, incident):
    login(client, make_user("viewer"))

    bad = client.get("/board?page=first")
    beyond = client.get("/board?page=9")

    assert bad.status_code == 400
    assert "The page &#39;first&#39; is not a whole number from 1 to 999999999." in bad.get_data(
        as_text=True
    )
    assert beyond.status_code == 404
    assert "there is no page 9" in beyond.get_data(as_text=True)


def test_signing_in_is_required(client, incident):
    answer = client.get("/board")

    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_a_failed_reminder_is_shown_with_a_link_to_the_outbox(
    client, session, make_user, login, incident, obligation
):
    from sqlalchemy import select

    from tracker.reminder.models import Reminder

    target = obligation("gdpr/supervisory_authority")
    reminder = session.scalars(
        select(Reminder).where(
            Reminder.target_kind == "obligation", Reminder.target_id == target.id
        )
    ).first()
    reminder.status = "failed"
    session.commit()
    login(client, make_user("counsel"))

    html = client.get("/board").get_data(as_text=True)

    assert '<span class="board-count__number">1</span> with a reminder that failed' in html
    assert '1 reminder failed</span> (<a href="/outbox?status=failed">outbox</a>)' in html


def test_an_exercise_is_marked_on_the_board(client, session, make_user, login, incident):
    incident.is_exercise = True
    session.commit()
    login(client, make_user("viewer"))

    html = client.get("/board").get_data(as_text=True)

    assert html.count('INC-2026-0001</a> <span class="badge">Exercise</span>') == 5
