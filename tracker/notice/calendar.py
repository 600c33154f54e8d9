"""Calendar feeds of deadlines: a secret address per user, and one feed per incident.

A feed holds one event per open obligation with a date (the legal date, else the policy
target), in UTC, with two alarms. Its UID is made from the obligation's id, so that it stays
the same however often the feed is read, and its SEQUENCE is the obligation's revision, which
grows each time the date moves, so that calendar clients update the event in place. A met
obligation leaves the feed. Only a SHA-256 hash of a user's feed token is stored; making a
new token replaces the old one, and revoking it deletes it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from .. import audit
from ..auth import access
from ..auth.models import User
from ..db import now_utc
from ..incident.display import format_instant
from ..incident.models import Incident
from .models import SETTLED_STATUSES, CalendarFeed, Notice, Obligation

log = logging.getLogger(__name__)

PRODUCT_ID = "-//Breach-notification tracker//Deadlines//EN"
ALARMS = (timedelta(hours=24), timedelta(hours=1))
TOKEN_BYTES = 32
REFRESH = timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def get_feed(session: Session, user: User) -> CalendarFeed | None:
    """The user's calendar feed, if one was made and not revoked."""
    return session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()


def create_feed(session: Session, user: User) -> str:
    """Give `user` a new secret feed token, replacing any earlier one; returns the token.

    The token is returned once and never stored: only its hash is kept.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = get_feed(session, user)
    action = "calendar_feed.create" if feed is None else "calendar_feed.regenerate"
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        session.add(feed)
    feed.token_hash = hash_token(token)
    feed.created_at = now_utc()

    audit.record(session, user, action, feed, None, {"created_at": feed.created_at.isoformat()})
    log.info("Calendar feed of user %s made (%s)", user.id, action)
    return token


def revoke_feed(session: Session, user: User) -> bool:
    """Delete the user's feed token, so that its address stops answering; False if none."""
    feed = get_feed(session, user)
    if feed is None:
        return False
    audit.record(
        session, user, "calendar_feed.revoke", feed, {"created_at": feed.created_at.isoformat()}
    )
    session.delete(feed)
    log.info("Calendar feed of user %s revoked", user.id)
    return True


def user_for_token(session: Session, token: str) -> User | None:
    """The active user whose feed token this is, or None."""
    if not token or len(token) > 200:
        return None
    query = select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token))
    feed = session.scalars(query).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def open_obligations(
    session: Session, viewer: Any, incident_id: int | None = None
) -> list[Obligation]:
    """Current obligations that no notice has met and that have a date, soonest first, of the
    incidents `viewer` may see."""
    settled = (
        select(Notice.id)
        .where(Notice.obligation_id == Obligation.id, Notice.status.in_(SETTLED_STATUSES))
        .exists()
    )
    query = (
        select(Obligation)
        .join(Obligation.incident)
        .options(contains_eager(Obligation.incident))
        .where(
            Obligation.is_current.is_(True),
            ~settled,
            (Obligation.due_at.is_not(None) | Obligation.target_at.is_not(None)),
            access.visible_clause(viewer, Obligation.incident_id),
            access.own_clause(Obligation.incident_id),
        )
        .order_by(Obligation.id)
    )
    if incident_id is not None:
        query = query.where(Obligation.incident_id == incident_id)
    return list(session.scalars(query))


def feed_ics(obligations: Iterable[Obligation], name: str, base_url: str) -> bytes:
    """The obligations as an iCalendar document, one event each, every time in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    host = urlsplit(base_url).hostname or "tracker"
    for obligation in obligations:
        if obligation.deadline_at is not None:
            calendar.add_component(event(obligation, host, base_url))
    return calendar.to_ical()


def uid(obligation: Obligation, host: str) -> str:
    """The event's UID: the same for an obligation in every feed and every reading."""
    return f"obligation-{obligation.id}@{host}"


def event(obligation: Obligation, host: str, base_url: str) -> Event:
    deadline = obligation.deadline_at
    assert deadline is not None
    incident = obligation.incident
    what = "Policy target" if obligation.due_at is None else "Deadline"
    item = Event()
    item.add("uid", uid(obligation, host))
    item.add("sequence", obligation.revision)
    item.add("dtstamp", obligation.computed_at)
    item.add("dtstart", deadline)
    drill = "Exercise · " if incident.is_exercise else ""
    item.add("summary", f"{drill}{what}: {obligation.key} · {incident.reference}")
    item.add("description", _description(obligation, what, deadline))
    item.add("url", f"{base_url.rstrip('/')}/incidents/{incident.id}")
    item.add("transp", "TRANSPARENT")
    item.add("status", "CONFIRMED")
    for before in ALARMS:
        item.add_component(_alarm(obligation, what, before))
    return item


def _description(obligation: Obligation, what: str, deadline: datetime) -> str:
    incident = obligation.incident
    lines = [
        f"{incident.reference}: {incident.title}",
        f"{what} in {incident.timezone}: {format_instant(deadline, incident.timezone)}",
    ]
    if obligation.due_at is None:
        lines.append("The law sets no date; this is the organisation's own target.")
    lines += [f"Basis: {obligation.basis}", f"Citation: {obligation.citation}"]
    return "\n".join(lines)


def _alarm(obligation: Obligation, what: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    hours = int(before.total_seconds() // 3600)
    alarm.add("description", f"{what} in {hours} h: {obligation.key}")
    return alarm


def incident_feed_name(incident: Incident) -> str:
    return f"Deadlines of {incident.reference}"
