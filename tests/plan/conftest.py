"""Fixtures of the response plan's tests: signed-in clients of each role, resolved incidents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import login
from tests.reminder.conftest import clock, smtp_server, sweeper  # noqa: F401 (shared fixtures)
from tracker.db import now_utc
from tracker.plan.service import get_checklist


@pytest.fixture
def signed_in(app: Any, make_user: Callable[..., Any]) -> Callable[[str], tuple[Any, Any]]:
    """A fresh client signed in as a new user of `role`, with that user."""

    def sign_in(role: str) -> tuple[Any, Any]:
        user = make_user(role, name=f"{role.capitalize()} Person")
        client = app.test_client()
        assert login(client, user).status_code == 302
        return client, user

    return sign_in


def meet_closure_criteria(session: Any, incident: Any) -> None:
    """Mark every closure criterion of the incident's checklist met, and commit."""
    for item in get_checklist(session, incident).open_closure:
        item.done_at = now_utc()
    session.commit()
