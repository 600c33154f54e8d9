"""Working an incident through its playbook in a real browser: tick the steps, meet the
closure criteria, resolve, and start the post-mortem with a why and an action."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

SECURITY_STEPS = (
    "Revoke active sessions and tokens of the affected accounts and services",
    "Change privileged credentials (administrator, service and API keys)",
    "Isolate the affected systems from the network",
    "Turn on enhanced monitoring of the affected systems and accounts",
    "Notify the security team",
)
CLOSURE = (
    "Symptoms resolved",
    "Stability confirmed over an agreed observation period",
    "Monitoring shows normal behaviour",
    "No recurrence observed",
)


def _sign_in(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill(live_server.email)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/incidents$"))


def _tick(page: Any, text: str) -> None:
    page.get_by_role("button", name=f"Mark done: {text}").click()
    expect(page.get_by_text(f"Step done: {text}.")).to_be_visible()


def test_playbook_flow(page: Any, live_server: Any) -> None:
    _sign_in(page, live_server)
    page.get_by_role("link", name="Open an incident").click()
    page.get_by_label("Title").fill("Intrusion on the payroll server")
    page.get_by_label("Severity").select_option("SEV-1")
    page.get_by_label("Category").select_option("security")
    page.get_by_label("legal time zone").fill("Europe/Berlin")
    page.get_by_label("When the organisation discovered it").fill("2026-11-30T08:15")
    page.get_by_role("button", name="Open the incident").click()
    page.wait_for_url(re.compile(r"/incidents/\d+$"))

    panel = page.locator("#playbook")
    expect(panel.get_by_role("heading", name="Playbook: Security breach")).to_be_visible()
    expect(panel.get_by_text("Response steps: 0 of 5 done")).to_be_visible()
    page.get_by_label(f"Note on “{SECURITY_STEPS[0]}” (optional)").fill("All sessions revoked")
    for text in SECURITY_STEPS:
        _tick(page, text)
    expect(page.locator("#playbook").get_by_text("Response steps: 5 of 5 done")).to_be_visible()

    page.get_by_role("button", name="Move to resolved").click()
    expect(
        page.get_by_text("The incident cannot be resolved while closure criteria are open")
    ).to_be_visible()

    for text in CLOSURE:
        _tick(page, text)
    page.get_by_role("button", name="Move to resolved").click()
    expect(page.get_by_text("Status changed to resolved.")).to_be_visible()

    timeline = page.locator("#timeline")
    expect(
        timeline.get_by_text(
            f"Playbook, response steps: {SECURITY_STEPS[0]}, done. All sessions revoked"
        )
    ).to_be_visible()
    expect(
        timeline.get_by_text("Playbook, closure criteria: No recurrence observed, done.")
    ).to_be_visible()
    expect(timeline.get_by_text("Status changed from detected to resolved.")).to_be_visible()

    page.get_by_role("link", name="Post-mortem and actions").click()
    page.get_by_role("button", name="Open the post-mortem").click()
    expect(page.get_by_text("Post-mortem opened.")).to_be_visible()
    page.get_by_label("Why 1: the question").fill("Why could the attacker log in?")
    page.get_by_label("Why 1: the answer").fill("The VPN accepted passwords alone")
    page.get_by_role("button", name="Record why 1").click()
    expect(page.get_by_text("Why 1 recorded.")).to_be_visible()

    page.get_by_text("Add an action").click()
    page.get_by_label("What is to be done").fill("Require hardware keys on the VPN")
    page.get_by_label("Owner (e-mail address)").fill("it-lead@example.com")
    page.get_by_label("Due date (Europe/Berlin)").fill("2027-01-15")
    page.get_by_label("How success will be measured").fill("No VPN login without a key")
    page.get_by_label("Priority").select_option("high")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added; its owner will be reminded")).to_be_visible()
    actions = page.locator("#actions")
    expect(actions.get_by_text("Require hardware keys on the VPN")).to_be_visible()
    expect(actions.get_by_text("it-lead@example.com")).to_be_visible()
