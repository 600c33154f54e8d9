"""The deadline board in a real browser: signed in, it lists the incident's deadlines in both
zones, narrows them with the filter form (no script needed), and links to the incident."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import FACTS
from tracker.incident.service import create_incident

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_the_board_lists_filters_and_links(page: Any, live_server: Any) -> None:
    with live_server.app.extensions["tracker.sessions"]() as session:
        create_incident(session, FACTS, None)
        session.commit()

    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill(live_server.email)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/incidents$"))
    page.get_by_role("link", name="Deadlines").click()

    table = page.locator("table.board")
    expect(table.locator("tbody tr")).to_have_count(5)
    gdpr = table.locator("tr", has_text="gdpr/supervisory_authority")
    expect(gdpr).to_contain_text("2026-03-08 10:30 EDT")
    expect(gdpr).to_contain_text("2026-03-08 15:30 CET")
    expect(gdpr.locator(".urgency")).to_have_text("Overdue")

    page.get_by_label("Regime").select_option("us-ca")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"regime=us-ca"))
    expect(table.locator("tbody tr")).to_have_count(2)

    table.get_by_role("link", name="INC-2026-0001").first.click()
    page.wait_for_url(re.compile(r"/incidents/1#obligations$"))
    expect(page.locator("#picture svg title").first).to_have_text(
        "Timeline of INC-2026-0001: events and deadlines"
    )
