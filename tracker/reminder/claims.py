"""The one way the sweep takes rows for itself: reminders to queue, messages to deliver."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, update
from sqlalchemy.orm import Session


def claim_rows(session: Session, model: Any, due: Select[Any], values: dict[str, Any]) -> list[int]:
    """Update the rows that `due` selects by id, claimed so that no other sweep gets them.

    PostgreSQL locks the chosen rows FOR UPDATE SKIP LOCKED (rows that another sweep holds
    are passed over, and a row another sweep changed is tested again) and then updates them
    by id. SQLite runs one conditional UPDATE while the transaction holds the database's
    write lock (every transaction there begins IMMEDIATE).
    """
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(due.with_for_update(skip_locked=True)))
        if not ids:
            return []
        where = model.id.in_(ids)
    else:
        where = model.id.in_(due.scalar_subquery())
    claim = (
        update(model)
        .where(where)
        .values(**values)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(claim))
