"""Security headers on every answer: a content security policy without inline code, no framing,
no content sniffing, and HSTS when the tracker is served over HTTPS."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

# Scripts, styles, images and fonts come from the tracker itself; nothing inline, no plugins,
# no framing, and forms post back to the tracker only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)


def served_over_https() -> bool:
    base_url = str(current_app.config.get("TRACKER_BASE_URL", ""))
    return request.is_secure or base_url.startswith("https://")


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if served_over_https():
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith("/api/") or _is_private_page():
        headers.setdefault("Cache-Control", "no-store")
    return response


def _is_private_page() -> bool:
    """Pages of a signed-in user are kept out of shared caches and the browser's back cache."""
    return request.endpoint not in (None, "static", "healthz")
