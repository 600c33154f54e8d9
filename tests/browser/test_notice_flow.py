"""The notice flow in a real browser: from the facts to a GDPR Art. 33 notification drafted,
refused while incomplete, approved, recorded as sent with its proof, and the obligation met."""

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


def test_notice_flow(page: Any, live_server: Any, tmp_path: Path) -> None:
    _sign_in(page, live_server)
    _open_incident(page)
    _enter_facts(page)
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
    _screenshot(page, tmp_path, "notice-sent")

    page.locator(".breadcrumb a").first.click()
    gdpr = _obligation(page, KEY)
    expect(gdpr.locator(".obligation__countdown")).to_have_text("Met: a notice has been given")
    expect(gdpr.get_by_text("Notice: Sent")).to_be_visible()
    expect(gdpr.get_by_text("sent 2026-03-08 10:00")).to_be_visible()
    _screenshot(page, tmp_path, "incident-notice-sent")

    page.get_by_role("link", name="Recipients", exact=True).click()
    expect(page.get_by_text("Acme Corp")).to_be_visible()
