"""A legal hold in a real browser: counsel drafts and issues it, the custodian acknowledges
through the personal link with JavaScript off, and the hold page shows the new status."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tracker.reminder.models import MailMessage

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

LINK = re.compile(r"https?://[^/\s]+(/hold-notice/\d+/[A-Za-z0-9_-]+)")


def _sign_in(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill(live_server.email)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/incidents$"))


def _notice_path(live_server: Any) -> str:
    with live_server.app.extensions["tracker.sessions"]() as session:
        message = session.scalars(select(MailMessage).order_by(MailMessage.id)).first()
        found = LINK.search(message.body_text)
    assert found is not None
    return found.group(1)


def test_issue_and_acknowledge_without_javascript(page: Any, chromium: Any, live_server: Any):
    _sign_in(page, live_server)
    page.get_by_role("link", name="Legal holds").click()
    page.get_by_role("link", name="New legal hold").click()
    page.get_by_label("Name of the hold").fill("Regulator inquiry")
    page.get_by_label("Subjects (one per line)").fill("customer portal logins")
    page.get_by_label("Custodians").fill("Jo Doe | jo@example.com | Engineering | boss@example.com")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("saved as a draft")).to_be_visible()
    page.get_by_role("button", name="Issue the hold: send every notice").click()
    expect(page.locator('[data-status="sent"]')).to_have_count(1)

    custodian = chromium.new_context(java_script_enabled=False)
    notice = custodian.new_page()
    notice.goto(live_server.url + _notice_path(live_server))
    expect(
        notice.get_by_role("heading", name="Legal hold notice: Regulator inquiry")
    ).to_be_visible()
    notice.get_by_label("Where do you keep material relevant to this hold?").fill("My laptop")
    notice.get_by_role("button", name="I have read this notice and will follow it").click()
    expect(notice.get_by_role("heading", name="Thank you, Jo Doe")).to_be_visible()
    custodian.close()

    page.reload()
    expect(page.locator('[data-status="acknowledged"]')).to_have_count(1)
    expect(page.get_by_text("My laptop")).to_be_visible()
