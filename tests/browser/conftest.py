"""Browser tests: the real application on a loopback port, driven by Debian's Chromium.

Skipped when /usr/bin/chromium or Playwright is missing; a browser is never downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tracker import create_app
from tracker.auth.service import create_user
from tracker.db import upgrade_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"


@dataclass
class LiveServer:
    url: str
    app: Any
    email: str
    password: str


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The application on a free loopback port, with CSRF on, against a temp SQLite file."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    upgrade_database(url)
    app = create_app(
        {
            "INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-test-secret",
        }
    )
    email = "counsel@example.com"
    with app.extensions["tracker.sessions"]() as session:
        create_user(
            session,
            email,
            "counsel",
            PASSWORD,
            "browser test",
            name="Casey Counsel",
            timezone="Europe/Berlin",
        )
        session.commit()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, email, PASSWORD)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["tracker.engine"].dispose()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
