"""Fixtures for the pages across incidents: a counsel user and the default incident."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tracker.notice import service


@pytest.fixture
def counsel(make_user: Callable[..., Any]) -> Any:
    return make_user("counsel")


@pytest.fixture
def incident(make_incident: Callable[..., Any], facts: dict[str, Any]) -> Any:
    facts["incident"]["assigned_to"] = "dana@example.com"
    return make_incident(facts)


@pytest.fixture
def obligation(session: Any, incident: Any) -> Callable[[str], Any]:
    """The incident's obligation with a given key."""

    def find(key: str) -> Any:
        return {row.key: row for row in service.get_obligations(session, incident)}[key]

    return find
