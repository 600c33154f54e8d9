"""The first flow in a real browser: sign in, open an incident, enter facts through the
forms, download and re-upload them, and see the timeline and audit history."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def _screenshot(page: Any, tmp_path: Path, name: str) -> None:
    """Keep a full-page screenshot; TRACKER_SCREENSHOTS names a folder to keep them in."""
    folder = Path(os.environ.get("TRACKER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _sign_in(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill(live_server.email)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/incidents$"))


def _open_incident(page: Any) -> None:
    page.get_by_role("link", name="Open an incident").click()
    page.get_by_label("Title").fill("Credential stuffing against the customer portal")
    page.get_by_label("Severity").select_option("SEV-2")
    page.get_by_label("Category").select_option("data")
    page.get_by_label("legal time zone").fill("America/New_York")
    page.get_by_label("When the organisation discovered it").fill("2026-03-05T09:30")
    page.get_by_role("button", name="Open the incident").click()
    page.wait_for_url(re.compile(r"/incidents/\d+$"))


def _enter_facts(page: Any) -> None:
    page.get_by_role("link", name="Edit the facts").click()
    page.get_by_label("Controller: decides why").check()
    page.get_by_label("Names", exact=True).check()
    page.get_by_label("Social security numbers").check()
    page.get_by_label("Number of records").fill("15000")
    page.locator("#f-aware_at_local").fill("2026-03-06T14:00")
    page.locator("#f-affected-0-code").fill("US-CA")
    page.locator("#f-affected-0-count").fill("1200")
    page.locator("#f-affected-1-code").fill("DE")
    page.locator("#f-affected-1-count").fill("40")
    page.locator("#f-contract-0-party").fill("Acme Corp")
    page.locator("#f-contract-0-notify_within").fill("48h")
    page.get_by_label("Risk to the people affected").select_option("high")
    page.get_by_role("button", name="Save the facts").first.click()
    expect(page.get_by_text("Facts saved.")).to_be_visible()


def _download(page: Any) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download facts-")).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _upload(page: Any, path: Path) -> None:
    page.get_by_label("Replace the facts with a file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and save").click()


def test_incident_flow(page: Any, live_server: Any, tmp_path: Path) -> None:
    _sign_in(page, live_server)
    _open_incident(page)
    reference = page.locator(".incident-head__ref").inner_text()
    assert re.fullmatch(r"INC-\d{4}-0001", reference)
    expect(page.get_by_text("response target 1 hour")).to_be_visible()

    _enter_facts(page)
    page.get_by_role("link", name="Edit the facts").click()
    assert page.locator("#f-affected-0-code").input_value() == "US-CA"
    assert page.locator("#f-aware_at_zone").input_value() == "America/New_York"
    _screenshot(page, tmp_path, "facts-editor")

    name, first = _download(page)
    assert name == f"facts-{reference}.json"
    document = json.loads(first)
    assert document["events"]["aware_at"] == "2026-03-06T14:00:00-05:00"
    assert document["affected"] == {"US-CA": 1200, "DE": 40}
    assert document["contracts"] == [{"party": "Acme Corp", "notify_within": "48h"}]

    (tmp_path / name).write_bytes(first)
    _upload(page, tmp_path / name)
    expect(page.get_by_text("The facts are unchanged; nothing was saved.")).to_be_visible()

    document["data"]["records"] = 16000
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    page.get_by_role("link", name="Edit the facts").click()
    _upload(page, changed)
    expect(page.get_by_text("Facts saved.")).to_be_visible()
    page.get_by_role("link", name="Edit the facts").click()
    assert page.get_by_label("Number of records").input_value() == "16000"
    _, second = _download(page)
    assert json.loads(second) == document

    page.locator(".breadcrumb a").click()
    page.get_by_text("Add a timeline entry").click()
    page.get_by_label("What happened").fill("Reset the passwords of the affected accounts.")
    page.get_by_label("Kind").select_option("action")
    page.get_by_role("button", name="Add the entry").click()
    expect(page.get_by_text("Timeline entry added.")).to_be_visible()

    page.get_by_role("button", name="Move to investigating").click()
    expect(page.get_by_text("Status changed to investigating.")).to_be_visible()

    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Reset the passwords of the affected accounts.")).to_be_visible()
    expect(timeline.get_by_text("Status changed from detected to investigating.")).to_be_visible()
    history = page.locator("#history").inner_text()
    for action in ("Incident opened", "Facts changed", "Timeline entry added", "Status changed"):
        assert action in history
    assert "records: 15000 → 16000" in history
    _screenshot(page, tmp_path, "incident-page")

    page.set_viewport_size({"width": 390, "height": 844})
    _screenshot(page, tmp_path, "incident-page-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
