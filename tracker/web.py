"""Wire the domain packages into the application."""

from __future__ import annotations

from flask import Flask, jsonify


def register(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify({"status": "ok"})
