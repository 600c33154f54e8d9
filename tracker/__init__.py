"""Breach-notification deadline tracker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application from configuration; nothing happens at import time."""
    from .app import build_app

    return build_app(overrides)
