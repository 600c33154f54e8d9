"""Fixtures for the JSON API: tokens of each role and scope, and request helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tracker.auth.service import create_token


@pytest.fixture
def api(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def bearer(session: Any, make_user: Callable[..., Any]) -> Callable[..., dict[str, str]]:
    """Headers carrying a new token for a new user of `role`, with `scope`."""

    def build(role: str = "counsel", scope: str = "read-write") -> dict[str, str]:
        user = make_user(role)
        _token, text = create_token(session, user, "test setup", scope=scope)
        session.commit()
        return {"Authorization": f"Bearer {text}"}

    return build


@pytest.fixture
def counsel(bearer: Callable[..., dict[str, str]]) -> dict[str, str]:
    return bearer("counsel")


@pytest.fixture
def created(api: Any, counsel: dict[str, str], facts: dict[str, Any]) -> dict[str, Any]:
    """An incident created through the API from the shared facts."""
    response = api.post("/api/v1/incidents", json=facts, headers=counsel)
    assert response.status_code == 201
    return response.json["incident"]


def obligations_by_key(api: Any, headers: dict[str, str], incident_id: int) -> dict[str, Any]:
    response = api.get(f"/api/v1/incidents/{incident_id}/obligations", headers=headers)
    assert response.status_code == 200
    return {item["key"]: item for item in response.json["obligations"]}
