"""Fixtures for notices: users of each role, and an incident with its obligations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tracker.notice import service

DISCOVERED = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
GDPR_DUE = datetime(2026, 3, 8, 14, 30, tzinfo=UTC)


@pytest.fixture
def counsel(make_user: Callable[..., Any]) -> Any:
    return make_user("counsel")


@pytest.fixture
def responder(make_user: Callable[..., Any]) -> Any:
    return make_user("responder")


@pytest.fixture
def viewer(make_user: Callable[..., Any]) -> Any:
    return make_user("viewer")


@pytest.fixture
def incident(make_incident: Callable[..., Any], facts: dict[str, Any]) -> Any:
    facts["organisation"]["name"] = "Example Corp"
    facts["incident"]["description"] = "Attackers reused leaked passwords on the portal."
    return make_incident(facts)


@pytest.fixture
def obligation(session: Any, incident: Any) -> Callable[[str], Any]:
    """The incident's obligation with a given key."""

    def find(key: str) -> Any:
        rows = {row.key: row for row in service.get_obligations(session, incident)}
        return rows[key]

    return find
