"""Run legal holds: create, issue, change scope, add and release people, acknowledge, release.

Services never commit: the caller owns the transaction, so that a hold's change, the notices
it queues in the outbox, its reminder rows and its audit rows are stored together or not at
all. Every notice, reminder, escalation and re-notice is a Reminder row of target kind
"custodian"; those that go out at once are queued here, the rest by the reminder sweep.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..auth import access
from ..auth.models import User
from ..db import now_utc
from ..errors import Conflict, NotFound, ValidationError
from ..incident.models import Incident
from ..reminder.models import Reminder
from ..reminder.service import settings
from ..reminder.targets import Outgoing, Skip
from . import mail
from .models import (
    Acknowledgement,
    Custodian,
    HoldLink,
    LegalHold,
    acknowledgement_due,
    add_days,
)

log = logging.getLogger(__name__)

CUSTODIAN = "custodian"
DEFAULT_DAYS = {"reminder_days": 3, "escalation_days": 4, "renotice_days": 90, "link_days": 30}
SETTING_NAMES = {
    "reminder_days": "HOLD_REMINDER_DAYS",
    "escalation_days": "HOLD_ESCALATION_DAYS",
    "renotice_days": "HOLD_RENOTICE_DAYS",
    "link_days": "HOLD_LINK_DAYS",
}


@dataclass(frozen=True)
class Scope:
    """What a hold covers: the period of relevant material, whom, and where it is kept."""

    starts_on: date | None = None
    ends_on: date | None = None
    subjects: tuple[str, ...] = ()
    data_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """A custodian or system owner as given, before it is stored."""

    name: str
    email: str
    role: str = "custodian"
    department: str = ""
    manager_email: str = ""
    systems: str = ""
    instructions: str = ""


# Reads.


def get(session: Session, hold_id: int) -> LegalHold:
    hold = session.get(LegalHold, hold_id)
    if hold is None:
        raise NotFound(f"There is no legal hold with the id {hold_id}.")
    return hold


def get_all(session: Session, incident_id: int | None = None, *, viewer: Any) -> list[LegalHold]:
    """The legal holds `viewer` may see, newest first, optionally those of one incident."""
    query = (
        select(LegalHold).where(access.hold_visible_clause(viewer)).order_by(LegalHold.id.desc())
    )
    if incident_id is not None:
        query = query.join(LegalHold.incidents).where(Incident.id == incident_id)
    return list(session.scalars(query))


def get_person(hold: LegalHold, custodian_id: int) -> Custodian:
    person = next((row for row in hold.people if row.id == custodian_id), None)
    if person is None:
        raise NotFound(f"The hold {hold.id} has no custodian with the id {custodian_id}.")
    return person


def reminders_of(session: Session, person: Custodian) -> list[Reminder]:
    query = (
        select(Reminder)
        .where(Reminder.target_kind == CUSTODIAN, Reminder.target_id == person.id)
        .order_by(Reminder.remind_at, Reminder.id)
    )
    return list(session.scalars(query))


def status_of(session: Session, person: Custodian, now: datetime | None = None) -> str:
    """sent, acknowledged, overdue, escalated or released; not_sent before the hold is issued."""
    now = now or now_utc()
    hold = person.hold
    if person.released_at is not None:
        return "released"
    if person.notified_version is None or person.notified_at is None:
        return "not_sent"
    if person.acknowledgement_of(hold.version) is not None:
        return "acknowledged"
    if person.escalated_at is not None and person.escalated_at >= person.notified_at:
        return "escalated"
    if now >= acknowledgement_due(hold, person.notified_at):
        return "overdue"
    return "sent"


# Creating and changing holds.


def create_hold(
    session: Session,
    actor: User,
    *,
    name: str,
    description: str = "",
    incident_ids: Sequence[int] = (),
    scope: Scope = Scope(),
    people: Sequence[Person] = (),
    timezone: str | None = None,
    days: Mapping[str, int | None] | None = None,
) -> LegalHold:
    """A draft hold owned by `actor`; nobody is told anything until it is issued."""
    if not name.strip():
        raise ValidationError("Give the hold a name.", {"name": "this field is required"})
    _check_scope(scope)
    incidents = _incidents(session, incident_ids)
    zone = _zone(timezone or (incidents[0].timezone if incidents else actor.timezone or "UTC"))

    hold = LegalHold(
        name=name.strip(),
        description=description.strip(),
        owner_id=actor.id,
        timezone=zone,
        created_at=now_utc(),
        created_by_id=actor.id,
        incidents=incidents,
        **_days(days or {}),
    )
    _apply_scope(hold, scope)
    session.add(hold)
    session.flush()
    for index, person in enumerate(people):
        hold.people.append(_new_person(person, f"custodians.{index}"))
    session.flush()

    audit.record(session, actor, "hold.create", hold, None, hold_record(hold))
    log.info("Legal hold %s created by user %s", hold.id, actor.id)
    return hold


def issue(session: Session, hold: LegalHold, actor: User, now: datetime | None = None) -> int:
    """Make the hold active and send every person its notice; return how many were queued."""
    now = now or now_utc()
    if hold.status != "draft":
        raise Conflict(
            f"The hold {hold.id} is {hold.status} and was issued on "
            f"{_day(hold.issued_at)}; change its scope to send a new notice.",
            {"status": "expected a draft hold"},
        )
    people = [row for row in hold.people if row.released_at is None]
    if not people:
        raise ValidationError(
            "Add at least one custodian or system owner before issuing the hold.",
            {"custodians": "expected at least one person"},
        )

    before = hold_record(hold)
    hold.status, hold.issued_at, hold.version, hold.version_at = "active", now, 1, now
    for person in people:
        _send_notice(session, person, now)
    session.flush()

    audit.record(session, actor, "hold.issue", hold, before, hold_record(hold))
    log.info("Legal hold %s issued to %s people by user %s", hold.id, len(people), actor.id)
    return len(people)


def change_scope(
    session: Session,
    hold: LegalHold,
    actor: User,
    scope: Scope,
    description: str | None = None,
    now: datetime | None = None,
) -> None:
    """Change what the hold covers; an active hold's notice is re-issued to everyone bound."""
    now = now or now_utc()
    _check_open(hold, "change the scope of")
    _check_scope(scope)
    before = hold_record(hold)
    _apply_scope(hold, scope)
    if description is not None:
        hold.description = description.strip()

    if hold.status == "active":
        hold.version += 1
        hold.version_at = now
        for person in hold.people:
            if person.released_at is None:
                _send_notice(session, person, now)
    session.flush()

    audit.record(session, actor, "hold.scope", hold, before, hold_record(hold))
    log.info(
        "Legal hold %s scope changed to version %s by user %s", hold.id, hold.version, actor.id
    )


def add_person(
    session: Session, hold: LegalHold, actor: User, person: Person, now: datetime | None = None
) -> Custodian:
    """Bind one more person; on an active hold the notice goes out at once."""
    now = now or now_utc()
    _check_open(hold, "add people to")
    email = person.email.strip().lower()
    if any(row.email == email and row.released_at is None for row in hold.people):
        raise Conflict(
            f"{email} is already bound by the hold {hold.id}.",
            {"email": "expected someone not yet on the hold"},
        )
    row = _new_person(person, "")
    hold.people.append(row)
    session.flush()
    if hold.status == "active":
        _send_notice(session, row, now)
        session.flush()

    audit.record(session, actor, "hold.add_custodian", row, None, person_record(row))
    log.info("Custodian %s added to legal hold %s by user %s", row.id, hold.id, actor.id)
    return row


def release_person(
    session: Session,
    hold: LegalHold,
    person: Custodian,
    actor: User,
    now: datetime | None = None,
) -> None:
    """Release one person: their reminders stop and, if they were told, they are told so."""
    now = now or now_utc()
    _check_open(hold, "release people from")
    if person.released_at is not None:
        raise Conflict(
            f"{person.name} was already released from the hold on {_day(person.released_at)}.",
            {"custodian": "expected someone still bound by the hold"},
        )
    before = person_record(person)
    _release(session, person, now, "the custodian was released")

    audit.record(session, actor, "hold.release_custodian", person, before, person_record(person))
    log.info("Custodian %s released from legal hold %s by user %s", person.id, hold.id, actor.id)


def release(
    session: Session, hold: LegalHold, actor: User, reason: str, now: datetime | None = None
) -> None:
    """Release the hold: everyone still bound is told, and every reminder stops."""
    now = now or now_utc()
    if hold.status == "released":
        raise Conflict(
            f"The hold {hold.id} was already released on {_day(hold.released_at)}.",
            {"status": "expected an active hold"},
        )
    if hold.status == "draft":
        raise Conflict(
            f"The hold {hold.id} is a draft and was never issued; there is nothing to release.",
            {"status": "expected an active hold"},
        )
    if not reason.strip():
        raise ValidationError(
            "Say why the hold is released; the reason is kept on record.",
            {"reason": "this field is required"},
        )

    before = hold_record(hold)
    for person in hold.people:
        if person.released_at is None:
            _release(session, person, now, "the hold was released")
    hold.status, hold.released_at = "released", now
    hold.released_by_id, hold.release_reason = actor.id, reason.strip()
    session.flush()

    audit.record(session, actor, "hold.release", hold, before, hold_record(hold))
    log.info("Legal hold %s released by user %s", hold.id, actor.id)


# Links and acknowledgements.


class LinkRefused(Exception):
    """A link that cannot be used, with a plain message saying what to do instead."""

    def __init__(self, reason: str, message: str, person: Custodian | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.person = person


def new_link(session: Session, person: Custodian, now: datetime) -> str:
    """A fresh personal link to the current notice; returns the token, stored only hashed."""
    hold = person.hold
    token = secrets.token_urlsafe(32)
    session.add(
        HoldLink(
            custodian_id=person.id,
            hold_id=hold.id,
            version=hold.version,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=hold.link_days),
        )
    )
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_link(
    session: Session, custodian_id: int, token: str, now: datetime | None = None
) -> tuple[HoldLink, Custodian]:
    """The link and its person, or LinkRefused saying why it cannot be used."""
    now = now or now_utc()
    link = session.scalars(select(HoldLink).where(HoldLink.token_hash == token_hash(token))).first()
    if link is None:
        raise LinkRefused(
            "altered",
            "This link is incomplete or was changed. Open it again from the e-mail, copying "
            "the whole address; if it still fails, ask the counsel named in the e-mail for a "
            "new one.",
        )
    person = link.custodian
    if person.id != custodian_id:
        raise LinkRefused(
            "other_custodian",
            "This link was made for someone else's notice and cannot record your "
            "acknowledgement. Use the link in the e-mail sent to you; if you did not get one, "
            "ask the counsel named in the notice.",
            person,
        )
    _check_still_open(person, link, now)
    return link, person


def _check_still_open(person: Custodian, link: HoldLink, now: datetime) -> None:
    hold = person.hold
    counsel = f"{hold.owner.name} ({hold.owner.email})"
    if hold.status == "released":
        raise LinkRefused(
            "released",
            f"The legal hold was released on {_day(hold.released_at)}. You no longer need "
            "to keep material for it and there is nothing to acknowledge.",
            person,
        )
    if person.released_at is not None:
        raise LinkRefused(
            "released",
            f"You were released from this legal hold on {_day(person.released_at)}; there is "
            "nothing to acknowledge.",
            person,
        )
    done = person.acknowledgement_of(link.version)
    if done is not None:
        raise LinkRefused(
            "reused",
            f"You already acknowledged this notice on {_day(done.acknowledged_at)}; nothing "
            f"more is needed. Questions go to {counsel}.",
            person,
        )
    if link.version != hold.version:
        raise LinkRefused(
            "superseded",
            f"The notice changed on {_day(hold.version_at)} and this link is for the earlier "
            "version. Open the link in the most recent e-mail about this hold.",
            person,
        )
    if link.expires_at <= now:
        raise LinkRefused(
            "expired",
            f"This link expired on {_day(link.expires_at)}. The hold still applies: keep the "
            f"material it describes, and ask {counsel} for a new link.",
            person,
        )


def refuse(session: Session, refused: LinkRefused, custodian_id: int) -> None:
    """Keep a record of a refused link: a log line, and an audit row when the person is known."""
    log.warning("Hold link refused (%s) for custodian %s", refused.reason, custodian_id)
    if refused.person is not None:
        audit.record(
            session,
            f"link for custodian {custodian_id}",
            "hold.link_refused",
            refused.person,
            None,
            {"reason": refused.reason, "custodian_in_address": custodian_id},
        )


def acknowledge(
    session: Session,
    link: HoldLink,
    person: Custodian,
    answer: str = "",
    now: datetime | None = None,
) -> Acknowledgement:
    """Record the person's acknowledgement of the link's version; their reminders stop."""
    now = now or now_utc()
    _check_still_open(person, link, now)
    row = Acknowledgement(
        custodian_id=person.id,
        version=link.version,
        acknowledged_at=now,
        answer=answer.strip()[:10_000],
        link_id=link.id,
    )
    person.acknowledgements.append(row)
    link.used_at = now
    _cancel(session, person, ("ack-", "esc-"), "the custodian acknowledged the notice")
    session.flush()

    after = {"version": row.version, "answered": bool(row.answer)}
    audit.record(session, f"custodian {person.id} by link", "hold.acknowledge", person, None, after)
    log.info(
        "Custodian %s acknowledged version %s of hold %s", person.id, row.version, person.hold_id
    )
    return row


# Reminders.


def render_due(session: Session, reminder: Reminder, now: datetime) -> list[Outgoing] | Skip:
    """The messages a due custodian reminder sends, or Skip when it no longer applies.

    The reminder sweep calls this for target kind "custodian" (tracker.hold.reminders). An
    escalation is recorded on the person; each reminder carries a fresh personal link.
    """
    person = session.get(Custodian, reminder.target_id)
    if person is None or person.released_at is not None or person.hold.status != "active":
        return Skip("the custodian or the hold was released")
    hold = person.hold
    version = f"-v{hold.version}"
    if not (reminder.step.endswith(version) or f"{version}-" in reminder.step):
        return Skip(f"version {hold.version} of the notice replaced the one it was for")
    is_chaser = reminder.step.startswith(("ack-", "esc-"))
    if is_chaser and person.acknowledgement_of(hold.version) is not None:
        return Skip("the custodian acknowledged the notice")

    if reminder.step.startswith("ack-"):
        return [mail.reminder(person, _url(person, new_link(session, person, now)))]
    if reminder.step.startswith("esc-"):
        person.escalated_at = now
        return mail.escalation(person)
    return [mail.renotice(person, _url(person, new_link(session, person, now)))]


def next_renotice(session: Session, reminder: Reminder, now: datetime) -> Reminder | None:
    """After a re-notice went out, plan the next one a period later."""
    person = session.get(Custodian, reminder.target_id)
    if person is None or not reminder.step.startswith("renotice-"):
        return None
    hold = person.hold
    count = int(reminder.step.rsplit("-", 1)[1]) + 1
    at = add_days(reminder.deadline_at, hold.renotice_days, hold.timezone)
    while at <= now:
        at = add_days(at, hold.renotice_days, hold.timezone)
    row = _reminder(person, f"renotice-v{hold.version}-{count}", "before", at, at)
    session.add(row)
    return row


def _send_notice(session: Session, person: Custodian, now: datetime) -> None:
    """Queue the current notice to one person now, and plan its reminders."""
    hold = person.hold
    _cancel(session, person, ("ack-", "esc-", "renotice-"), f"version {hold.version} was issued")
    person.notified_version, person.notified_at = hold.version, now
    person.escalated_at = None

    version = f"v{hold.version}"
    due = acknowledgement_due(hold, now)
    notice = _reminder(person, f"notice-{version}", "due", now, due, "queued")
    notice.queued_at = now
    session.add(notice)
    session.flush()
    url = _url(person, new_link(session, person, now))
    mail.queue(session, notice, mail.notice(person, url), now)

    escalate_at = add_days(due, hold.escalation_days, hold.timezone)
    renotice_at = add_days(now, hold.renotice_days, hold.timezone)
    session.add(_reminder(person, f"ack-{version}", "due", due, due))
    session.add(_reminder(person, f"esc-{version}", "overdue", escalate_at, due))
    session.add(_reminder(person, f"renotice-{version}-1", "before", renotice_at, renotice_at))


def _release(session: Session, person: Custodian, now: datetime, reason: str) -> None:
    _cancel(session, person, ("ack-", "esc-", "renotice-"), reason)
    was_told = person.notified_version is not None
    person.released_at = now
    if not was_told:
        return
    row = _reminder(person, "release", "due", now, now, "queued")
    row.queued_at = now
    session.add(row)
    session.flush()
    mail.queue(session, row, mail.release(person), now)


def _reminder(
    person: Custodian,
    step: str,
    kind: str,
    at: datetime,
    deadline: datetime,
    status: str = "pending",
) -> Reminder:
    return Reminder(
        target_kind=CUSTODIAN,
        target_id=person.id,
        incident_id=person.hold.incident_id,
        step=step,
        kind=kind,
        remind_at=at,
        deadline_at=deadline,
        status=status,
        created_at=now_utc(),
    )


def _cancel(session: Session, person: Custodian, prefixes: tuple[str, ...], reason: str) -> None:
    session.flush()
    for row in reminders_of(session, person):
        if row.status == "pending" and row.step.startswith(prefixes):
            row.status, row.reason = "cancelled", reason


# Plain data, for the API, the audit trail and reports.


def hold_record(hold: LegalHold) -> dict[str, Any]:
    return {
        "name": hold.name,
        "status": hold.status,
        "version": hold.version,
        "incident_ids": [row.id for row in hold.incidents],
        "scope": scope_document(hold),
        "release_reason": hold.release_reason or None,
    }


def scope_document(hold: LegalHold) -> dict[str, Any]:
    return {
        "starts_on": hold.scope_starts_on.isoformat() if hold.scope_starts_on else None,
        "ends_on": hold.scope_ends_on.isoformat() if hold.scope_ends_on else None,
        "subjects": list(hold.subjects or []),
        "data_sources": list(hold.data_sources or []),
    }


def person_record(person: Custodian) -> dict[str, Any]:
    """A person as the audit trail keeps it: the role and department, not the address."""
    return {
        "role": person.role,
        "department": person.department,
        "released": person.released_at is not None,
    }


# Checks and helpers.


def _check_open(hold: LegalHold, action: str) -> None:
    if hold.status == "released":
        raise Conflict(
            f"The hold {hold.id} was released on {_day(hold.released_at)}; you cannot "
            f"{action} a released hold. Create a new hold instead.",
            {"status": "expected a draft or active hold"},
        )


def _check_scope(scope: Scope) -> None:
    if scope.starts_on and scope.ends_on and scope.ends_on < scope.starts_on:
        raise ValidationError(
            f"The scope ends on {scope.ends_on} before it starts on {scope.starts_on}.",
            {"scope.ends_on": "expected a date on or after the start"},
        )


def _apply_scope(hold: LegalHold, scope: Scope) -> None:
    hold.scope_starts_on, hold.scope_ends_on = scope.starts_on, scope.ends_on
    hold.subjects = [text.strip() for text in scope.subjects if text.strip()]
    hold.data_sources = [text.strip() for text in scope.data_sources if text.strip()]


def _new_person(person: Person, path: str) -> Custodian:
    prefix = f"{path}." if path else ""
    problems: dict[str, str] = {}
    if not person.name.strip():
        problems[f"{prefix}name"] = "this field is required"
    for field, value in (("email", person.email), ("manager_email", person.manager_email)):
        if (value.strip() or field == "email") and not _is_address(value):
            problems[f"{prefix}{field}"] = f"expected an e-mail address; got {value!r}"
    if person.role not in ("custodian", "system_owner"):
        problems[f"{prefix}role"] = "expected custodian or system_owner"
    if problems:
        raise ValidationError(
            f"The person {person.name!r} cannot be bound: check {', '.join(problems)}.", problems
        )
    return Custodian(
        role=person.role,
        name=person.name.strip(),
        email=person.email.strip().lower(),
        department=person.department.strip(),
        manager_email=person.manager_email.strip().lower(),
        systems=person.systems.strip(),
        instructions=person.instructions.strip(),
        added_at=now_utc(),
    )


def _is_address(value: str) -> bool:
    local, at, domain = value.strip().rpartition("@")
    return bool(at and local and "." in domain and " " not in value.strip())


def _incidents(session: Session, ids: Sequence[int]) -> list[Incident]:
    found = []
    for index, incident_id in enumerate(dict.fromkeys(ids)):
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise ValidationError(
                f"There is no incident with the id {incident_id}.",
                {f"incident_ids.{index}": "expected the id of an incident"},
            )
        found.append(incident)
    return found


def _zone(name: str) -> str:
    from ..incident.forms import zone_names

    if name not in zone_names():
        raise ValidationError(
            f"The time zone {name!r} is unknown; choose an IANA zone such as Europe/Berlin.",
            {"timezone": "expected an IANA time zone"},
        )
    return name


def _days(given: Mapping[str, int | None]) -> dict[str, int]:
    config = settings()
    values = {}
    for name, default in DEFAULT_DAYS.items():
        value = given.get(name)
        if value is None:
            value = int(config.get(SETTING_NAMES[name]) or default)
        if not 1 <= int(value) <= 3650:
            raise ValidationError(
                f"The {name.replace('_', ' ')} must be between 1 and 3650 days; got {value}.",
                {name: "expected a whole number of days from 1 to 3650"},
            )
        values[name] = int(value)
    return values


def _url(person: Custodian, token: str) -> str:
    base = str(settings().get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return f"{base}/hold-notice/{person.id}/{token}"


def _day(instant: datetime | None) -> str:
    return "an unknown date" if instant is None else instant.strftime("%Y-%m-%d %H:%M UTC")


def hold_report_rows(session: Session, incident_id: int) -> list[dict[str, Any]]:
    """The incident's holds for the signed report, with each person's status in words."""
    query = (
        select(LegalHold)
        .join(LegalHold.incidents)
        .where(Incident.id == incident_id)
        .order_by(LegalHold.id)
    )
    now = now_utc()
    return [
        {
            "name": hold.name,
            "status": hold.status,
            "issued_at": hold.issued_at,
            "released_at": hold.released_at,
            "custodians": "; ".join(
                f"{person.name}: {status_of(session, person, now).replace('_', ' ')}"
                for person in hold.people
            ),
            "scope": scope_document(hold),
            "release_reason": hold.release_reason,
            "people": [_person_report(session, person, now) for person in hold.people],
        }
        for hold in session.scalars(query)
    ]


def _person_report(session: Session, person: Custodian, now: datetime) -> dict[str, Any]:
    return {
        "name": person.name,
        "role": person.role,
        "status": status_of(session, person, now).replace("_", " "),
        "notified_at": person.notified_at,
        "version": person.notified_version,
        "acknowledgements": [
            {"version": row.version, "at": row.acknowledged_at} for row in person.acknowledgements
        ],
        "reminders": [
            {"step": row.step, "at": row.remind_at, "status": row.status}
            for row in reminders_of(session, person)
            if row.status in ("queued", "cancelled", "skipped", "failed")
        ],
    }
