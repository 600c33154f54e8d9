"""On a phone's screen the pages fit without sideways scrolling, and no page breaks the content
security policy (nothing inline is refused by the browser)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tracker.incident.service import create_incident

from ..conftest import FACTS

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(chromium: Any) -> Any:
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.refused = refused
    yield page
    context.close()


def test_pages_fit_a_phone_and_keep_to_the_content_security_policy(phone, live_server):
    with live_server.app.extensions["tracker.sessions"]() as session:
        incident = create_incident(session, dict(FACTS), None)
        session.commit()
        incident_id = incident.id

    phone.goto(f"{live_server.url}/login")
    phone.get_by_label("E-mail address").fill(live_server.email)
    phone.get_by_label("Password").fill(live_server.password)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(re.compile(r"/incidents$"))

    too_wide = {}
    for path in (
        "/incidents",
        f"/incidents/{incident_id}",
        f"/incidents/{incident_id}/facts",
        "/incidents/new",
        "/account",
    ):
        phone.goto(live_server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + 1:
            too_wide[path] = width
    assert not too_wide, f"pages wider than a {PHONE['width']} px phone: {too_wide}"
    assert phone.refused == []
