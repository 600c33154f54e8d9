"""The registry of reminder target kinds: how a reminder of each kind becomes e-mail.

A package that wants reminders (obligations here, a legal hold's custodians, a response plan's
tasks) stores `Reminder` rows with its own `target_kind` and registers, once at import time,
a render function for that kind:

    register_target("custodian", render_custodian_reminder)

The sweep calls `render(session, reminder)` inside the transaction that claimed the reminder.
It returns the messages to queue (a list of `Outgoing`), or None (or a `Skip` with a reason)
when the subject needs no reminder any more; the reminder is then marked skipped. A `Failed`
with a reason marks it failed but keeps what the function did. An optional
`follow(session, reminder, at)` adds the next reminder of a chain (the next daily overdue
reminder) after one went out. Modules named `reminders` in any `tracker` package are imported
before each sweep, so registering there needs no other wiring.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from ..resources import data_path
from .models import Reminder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One e-mail a render function wants sent: to one recipient, in text and HTML."""

    recipient: str
    subject: str
    text: str
    html: str
    # Why this recipient gets it: assignee, counsel, escalation, custodian ...
    role: str = ""


@dataclass(frozen=True)
class Skip:
    """A render function's answer when its subject needs no reminder, with the reason."""

    reason: str


@dataclass(frozen=True)
class Failed:
    """A render function's answer when its own work failed in a way it handled, with why.

    Unlike an exception, what the function kept stays, and `follow` still runs, so that a
    chain (the next period's report) goes on and the function can plan another try.
    """

    reason: str


Rendered = Sequence[Outgoing] | Skip | Failed | None
Render = Callable[[Session, Reminder], Rendered]
Follow = Callable[[Session, Reminder, datetime], Reminder | None]


@dataclass(frozen=True)
class Target:
    kind: str
    render: Render
    follow: Follow | None = None


_TARGETS: dict[str, Target] = {}


def register_target(kind: str, render: Render, follow: Follow | None = None) -> None:
    """Make reminders whose target_kind is `kind` go out through `render`.

    Registering the same kind again replaces its functions (a module imported twice).
    """
    if not kind or len(kind) > 30:
        raise ValueError(f"A reminder target kind needs 1 to 30 characters, not {kind!r}.")
    _TARGETS[kind] = Target(kind, render, follow)


def get_target(kind: str) -> Target | None:
    return _TARGETS.get(kind)


def registered_kinds() -> list[str]:
    """The kinds the sweep can render now; reminders of other kinds wait, untouched."""
    discover_targets()
    return sorted(_TARGETS)


def discover_targets() -> None:
    """Import our own obligation target and every `tracker.<package>.reminders` module."""
    from . import obligations  # noqa: F401  (registers "obligation")

    package = importlib.import_module("tracker")
    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg:
            continue
        try:
            importlib.import_module(f"tracker.{info.name}.reminders")
        except ModuleNotFoundError as exc:
            if exc.name != f"tracker.{info.name}.reminders":
                raise


_environment: Environment | None = None


def mail_environment() -> Environment:
    """Jinja for e-mail: templates/ of the product, HTML escaped, unknown names refused."""
    global _environment
    if _environment is None:
        _environment = Environment(
            loader=FileSystemLoader(str(data_path("templates"))),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return _environment


def render_mail(name: str, **context: Any) -> tuple[str, str]:
    """The text and HTML bodies of `templates/NAME.txt` and `templates/NAME.html`."""
    environment = mail_environment()
    text = environment.get_template(f"{name}.txt").render(**context)
    html = environment.get_template(f"{name}.html").render(**context)
    return text, html
