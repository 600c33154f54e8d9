"""Sign-in throttling: after repeated failures an account (and a client address) is locked.

Failures are counted in the database, so that every worker process, on one machine or many,
sees the same count. Keys never hold an e-mail address in clear: accounts are counted by the
SHA-256 of the normalised address, which also counts tries at addresses that have no account.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import now_utc
from .models import LoginThrottle

log = logging.getLogger(__name__)

# An address may fail for several accounts (a shared office); it gets a larger allowance.
ADDRESS_FACTOR = 4


@dataclass(frozen=True)
class Policy:
    max_failures: int = 5  # failures within `window` that lock the account
    window: timedelta = timedelta(minutes=15)
    lock: timedelta = timedelta(minutes=15)


def account_key(email: str) -> str:
    digest = hashlib.sha256((email or "").strip().lower().encode("utf-8")).hexdigest()
    return f"email:{digest[:64]}"


def address_key(address: str | None) -> str:
    return f"addr:{(address or 'unknown')[:60]}"


def locked_until(session: Session, keys: list[str], at: datetime | None = None) -> datetime | None:
    """The latest end of a lock on any of `keys` still running at `at`, or None."""
    at = at or now_utc()
    ends = [
        row.locked_until
        for row in (session.get(LoginThrottle, key) for key in keys)
        if row is not None and row.locked_until is not None and row.locked_until > at
    ]
    return max(ends) if ends else None


def record_failure(
    session: Session, key: str, policy: Policy, limit: int, at: datetime | None = None
) -> LoginThrottle:
    """Count one failed sign-in for `key`; lock it once `limit` failures fall in the window."""
    at = at or now_utc()
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = _insert(session, key, at)
    elif row.first_failure_at + policy.window <= at:
        row.failures, row.first_failure_at, row.locked_until = 0, at, None

    row.failures += 1
    if row.failures >= limit:
        row.locked_until = at + policy.lock
        log.warning("Sign-in locked for %s until %s", key.partition(":")[0], row.locked_until)
    session.flush()
    return row


def _insert(session: Session, key: str, at: datetime) -> LoginThrottle:
    """A new row for `key`; when another worker inserted it meanwhile, that row instead."""
    row = LoginThrottle(key=key, failures=0, first_failure_at=at, locked_until=None)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        found = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
        if found is None:
            raise
        return found
    return row


def clear(session: Session, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
