"""Log handlers, configured once by the app factory or the command line."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger("tracker")
    if any(getattr(handler, "_tracker", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._tracker = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
