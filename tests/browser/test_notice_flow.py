"""The notice flow in a real browser: from the facts to a GDPR Art. 33 notification drafted,
refused while incomplete, approved, recorded as sent with its proof, the obligation met and
gone from the deadline board; and the same essential steps with JavaScript turned off."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .test_incident_flow import _enter_facts, _open_incident, _screenshot, _sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

KEY = "gdpr/supervisory_authority"
CONTENT = {
    "Controller (required)": "Example Corp",
    "Supervisory authority (required)": "Data Protection Commission",
    "Categories of data subjects concerned (required)": "Customers of the portal",
    "Data protection officer or other contact point (required)": "dpo@example.com",
    "Likely consequences of the breach (required)": "Account takeover and identity fraud.",
    "Measures taken or proposed, including to mitigate its effects (required)": (
        "Passwords reset; rate limits on the sign-in form."
    ),
}


def _obligation(page: Any, key: str) -> Any:
    code = page.locator("h3 code", has_text=re.compile(f"^{re.escape(key)}$"))
    return page.locator("li.obligation", has=code)


def _board(page: Any) -> Any:
    """Open the deadline board from the navigation and return its table."""
    page.get_by_role("link", name="Deadlines", exact=True).click()
    page.wait_for_url(re.compile(r"/board$"))
    return page.locator("table.board")


def _expect_board(page: Any, open_count: int, overdue: int, lists_gdpr: bool) -> None:
    """The board's caption, rows and overdue count; the facts' dates are long past, so every
    open obligation of the incident is overdue."""
    table = _board(page)
    expect(table.locator("caption")).to_contain_text(f"{open_count} open obligations;")
    expect(table.locator("tbody tr")).to_have_count(open_count)
    expect(table.locator("tbody tr", has_text=KEY)).to_have_count(1 if lists_gdpr else 0)
    expect(page.locator(".board-count--overdue .board-count__number")).to_have_text(str(overdue))


def _draft_approve_and_send(page: Any, tmp_path: Path) -> None:
    """From the incident page: draft the GDPR notice, fill it, approve it and record it sent."""
    gdpr = _obligation(page, KEY)
    expect(gdpr.get_by_text("Notice: No notice yet")).to_be_visible()

    gdpr.get_by_role("button", name="Draft a notice").click()
    expect(page.get_by_text("Draft notice started")).to_be_visible()
    expect(page.locator("#missing")).to_contain_text("6 required elements are empty")
    page.get_by_role("button", name="Approve the notice").click()
    expect(page.locator("#approve-errors")).to_contain_text(
        "The notice cannot be approved while these required elements are empty"
    )

    for label, value in CONTENT.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save the content").click()
    expect(page.get_by_text("Content saved.")).to_be_visible()
    expect(page.locator("#missing")).to_have_text("Every required element is filled.")
    page.get_by_role("button", name="Approve the notice").click()
    expect(page.get_by_text("Notice approved; its content is frozen.")).to_be_visible()
    expect(page.locator("#notice-status")).to_have_text("Approved")

    receipt = tmp_path / "portal-receipt.pdf"
    receipt.write_bytes(b"%PDF-1.7\n%%EOF\n")
    page.get_by_label("When it was sent").fill("2026-03-08T10:00")
    page.get_by_label("Time zone").fill("America/New_York")
    page.get_by_label("How it was sent").select_option("portal")
    page.get_by_label("The recipient's reference or receipt number").fill("DPC-BN-42")
    page.get_by_label("Proof (portal receipt, the letter as sent)").set_input_files(str(receipt))
    page.get_by_role("button", name="Record the sending").click()
    expect(page.get_by_text("Sending recorded; the obligations were recomputed.")).to_be_visible()
    expect(page.locator("#notice-status")).to_have_text("Sent")
    expect(page.locator("#proof").get_by_role("link", name="portal-receipt.pdf")).to_be_visible()


def _expect_met(page: Any) -> None:
    """Back on the incident page, the GDPR obligation is met by the notice sent."""
    page.locator(".breadcrumb a").first.click()
    gdpr = _obligation(page, KEY)
    expect(gdpr.locator(".obligation__countdown")).to_have_text("Met: a notice has been given")
    expect(gdpr.get_by_text("Notice: Sent")).to_be_visible()
    expect(gdpr.get_by_text("sent 2026-03-08 10:00")).to_be_visible()


def test_notice_flow(page: Any, live_server: Any, tmp_path: Path) -> None:
    _sign_in(page, live_server)
    _open_incident(page)
    _enter_facts(page)
    _expect_board(page, open_count=6, overdue=6, lists_gdpr=True)
    _board(page).get_by_role("link", name="INC-2026-0001").first.click()

    _draft_approve_and_send(page, tmp_path)
    _screenshot(page, tmp_path, "notice-sent")
    _expect_met(page)
    _screenshot(page, tmp_path, "incident-notice-sent")

    _expect_board(page, open_count=5, overdue=5, lists_gdpr=False)
    _screenshot(page, tmp_path, "board-after-notice")

    page.get_by_role("link", name="Recipients", exact=True).click()
    expect(page.get_by_text("Acme Corp")).to_be_visible()


def test_notice_flow_without_javascript(chromium: Any, live_server: Any, tmp_path: Path) -> None:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        _sign_in(page, live_server)
        _open_incident(page)
        _enter_facts(page)
        _expect_board(page, open_count=6, overdue=6, lists_gdpr=True)
        page.go_back()

        _draft_approve_and_send(page, tmp_path)
        _expect_met(page)
        _expect_board(page, open_count=5, overdue=5, lists_gdpr=False)
        _screenshot(page, tmp_path, "board-after-notice-without-javascript")
    finally:
        context.close()
