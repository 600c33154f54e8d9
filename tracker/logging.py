"""Log handlers, configured once by the app factory or the command line."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    """One stderr handler on the root logger, so that every line is written once.

    The handler sits on the root rather than on the `tracker` logger: a server that sets up
    logging of its own when nothing is configured yet (Waitress does) then finds it and adds
    no second handler that would print each line again.
    """
    logging.getLogger("tracker").setLevel(level.upper())
    root = logging.getLogger()
    if any(getattr(handler, "_tracker", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._tracker = True  # type: ignore[attr-defined]
    root.addHandler(handler)
