"""The life of a notice: draft, approved, sent, acknowledged; or not required.

Approval is counsel's sign-off and freezes the content with a hash; an edit after approval
sends the notice back to draft. A notice is sent only once approved, and one sent after its
due date needs the reason for the delay. Each refusal says why. Every change writes an audit
row in the caller's transaction; the caller commits.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from .. import audit
from ..audit.service import canonical_json
from ..auth.models import User
from ..auth.permissions import can
from ..db import now_utc
from ..errors import Conflict, Forbidden, ValidationError
from ..facts import earliest_start
from ..reminder.service import cancel_target_reminders
from . import letters
from .models import CHANNELS, GIVEN_STATUSES, Notice, Obligation
from .service import facts_with_notices, notice_summary, recompute_obligations

log = logging.getLogger(__name__)

# Obligations the law lets an organisation meet with several notices: information in phases
# (GDPR and UK GDPR Art. 33(4)); NIS2 intermediate reports on the CSIRT's request after the
# incident notification and a progress report before the final one (Art. 23(4)(c) and (e));
# DORA intermediate reports updated as the incident develops (Art. 19(4)(b)).
PHASED_KEYS = frozenset(
    {
        "gdpr/supervisory_authority",
        "uk-gdpr/supervisory_authority",
        "ch-fadp/supervisory_authority",
        "nis2/csirt/notification",
        "nis2/csirt/final",
        "dora/regulator/intermediate",
    }
)
# How far in the future a sending time may lie, for clocks that are slightly apart.
CLOCK_SKEW = timedelta(minutes=5)
UNFINISHED = ("draft", "approved")


def create_notice(
    session: Session,
    obligation: Obligation,
    actor: User,
    letter_id: str | None = None,
    phase: str = "",
) -> Notice:
    """Start a draft notice for the obligation, prefilled from the incident's facts."""
    _require(actor, "incident.facts", "draft a notice")
    _check_can_add(obligation)

    letter = letters.get_letter(letter_id) if letter_id else letters.letter_for(obligation.key)
    facts = facts_with_notices(session, obligation.incident)
    now = now_utc()
    notice = Notice(
        obligation=obligation,
        incident_id=obligation.incident_id,
        sequence=len(obligation.notices) + 1,
        phase=phase.strip() or ("initial" if not obligation.notices else "supplement"),
        status="draft",
        letter=letter.id,
        content=letters.prefill(letter, facts, obligation.key),
        created_at=now,
        created_by_id=actor.id,
        updated_at=now,
    )
    session.add(notice)

    audit.record(session, actor, "notice.create", notice, None, notice_summary(notice))
    log.info("Notice %s drafted for obligation %s by user %s", notice.id, obligation.id, actor.id)
    return notice


def update_content(
    session: Session, notice: Notice, content: dict[str, Any], actor: User
) -> Notice:
    """Replace the notice's content; an approved notice goes back to draft."""
    _require(actor, "incident.facts", "edit a notice")
    if notice.status not in UNFINISHED:
        raise Conflict(
            f"The notice is {_status_words(notice)} and its content can no longer change; "
            "draft a further notice instead.",
            {"status": notice.status},
        )

    letter = letters.get_letter(notice.letter)
    cleaned = letters.clean_content(letter, content)
    if cleaned == notice.content:
        return notice
    before = {"status": notice.status, "content": notice.content}
    notice.content = cleaned
    if notice.status == "approved":
        _clear_approval(notice)
    notice.updated_at = now_utc()

    after = {"status": notice.status, "content": cleaned}
    audit.record(session, actor, "notice.edit", notice, before, after)
    log.info("Notice %s edited by user %s, now %s", notice.id, actor.id, notice.status)
    return notice


def approve(session: Session, notice: Notice, actor: User) -> Notice:
    """Counsel's sign-off: refuse while a required element is empty, then freeze the content."""
    _require(actor, "notice.record", "approve a notice")
    if notice.status != "draft":
        raise Conflict(
            f"Only a draft can be approved; this notice is {_status_words(notice)}.",
            {"status": notice.status},
        )

    missing = letters.get_letter(notice.letter).missing(notice.content)
    if missing:
        labels = "; ".join(field.label for field in missing)
        raise ValidationError(
            f"The notice cannot be approved while these required elements are empty: {labels}.",
            {field.name: "required before approval" for field in missing},
        )

    notice.status = "approved"
    notice.content_hash = content_hash(notice.content)
    notice.approved_by_id = actor.id
    notice.approved_at = now_utc()
    notice.updated_at = notice.approved_at

    audit.record(session, actor, "notice.approve", notice, {"status": "draft"}, _state(notice))
    log.info("Notice %s approved by user %s", notice.id, actor.id)
    return notice


def send(
    session: Session,
    notice: Notice,
    actor: User,
    sent_at: datetime,
    channel: str,
    reference: str = "",
    delay_reason: str = "",
) -> Notice:
    """Record that the approved notice went out: when, how, by whom, with what reference."""
    _require(actor, "notice.record", "record the sending of a notice")
    _check_sendable(notice)
    _check_sending(notice.obligation, sent_at, channel, delay_reason)

    previous = facts_with_notices(session, notice.obligation.incident)
    notice.status = "sent"
    notice.sent_at = sent_at
    notice.channel = channel
    notice.sent_by_id = actor.id
    notice.due_at_sent = notice.obligation.due_at
    notice.reference = (reference or "").strip()
    notice.delay_reason = (delay_reason or "").strip()
    notice.updated_at = now_utc()

    audit.record(session, actor, "notice.send", notice, {"status": "approved"}, _state(notice))
    log.info("Notice %s recorded as sent by %s by user %s", notice.id, channel, actor.id)
    recompute_obligations(session, notice.obligation.incident, actor, previous=previous)
    return notice


def record_notice(
    session: Session,
    obligation: Obligation,
    actor: User,
    sent_at: datetime,
    channel: str,
    reference: str = "",
    delay_reason: str = "",
) -> Notice:
    """Record a notice given outside the tracker, as given.

    The recording counsel's sign-off stands as its approval: the notice is created, approved
    and sent in one step, with the same checks as the sending of a drafted notice.
    """
    _require(actor, "notice.record", "record a notice")
    _check_can_add(obligation)
    _check_sending(obligation, sent_at, channel, delay_reason)

    notice = create_notice(session, obligation, actor, letter_id="generic")
    notice.content = {
        **{name: "" for name in letters.get_letter("generic").names},
        "summary": "Given outside the tracker and recorded as given.",
    }
    notice.status = "approved"
    notice.content_hash = content_hash(notice.content)
    notice.approved_by_id = actor.id
    notice.approved_at = now_utc()
    return send(session, notice, actor, sent_at, channel, reference, delay_reason)


def acknowledge(
    session: Session,
    notice: Notice,
    actor: User,
    acknowledged_at: datetime | None = None,
    reference: str = "",
) -> Notice:
    """Record the recipient's acknowledgement of a sent notice."""
    _require(actor, "notice.record", "record an acknowledgement")
    if notice.status != "sent":
        raise Conflict(
            f"Only a sent notice can be acknowledged; this notice is {_status_words(notice)}.",
            {"status": notice.status},
        )
    at = acknowledged_at or now_utc()
    _check_instant("acknowledged_at", at)
    if notice.sent_at is not None and at < notice.sent_at:
        raise ValidationError(
            f"The acknowledgement at {at.isoformat()} is before the notice was sent at "
            f"{notice.sent_at.isoformat()}.",
            {
                "acknowledged_at": "expected an instant on or after the sending at "
                f"{notice.sent_at.isoformat()}; got {at.isoformat()}"
            },
        )

    notice.status = "acknowledged"
    notice.acknowledged_at = at
    if reference.strip():
        notice.reference = reference.strip()
    notice.updated_at = now_utc()

    audit.record(session, actor, "notice.acknowledge", notice, {"status": "sent"}, _state(notice))
    log.info("Notice %s acknowledged, recorded by user %s", notice.id, actor.id)
    return notice


def mark_not_required(session: Session, obligation: Obligation, actor: User, reason: str) -> Notice:
    """Close the obligation without a notice, with counsel's reason."""
    _require(actor, "notice.record", "decide that a notice is not required")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            "Say why no notice is required; the reason is kept with the decision.",
            {"reason": "required"},
        )
    given = [notice for notice in obligation.notices if notice.status in GIVEN_STATUSES]
    if given:
        raise Conflict(
            f"A notice for {obligation.key} was already sent{_on(given[0].sent_at)}; "
            "it cannot be marked as not required.",
            {"status": given[0].status},
        )

    notice = _open_notice(obligation) or create_notice(session, obligation, actor)
    before = {"status": notice.status}
    notice.status = "not_required"
    notice.not_required_reason = reason
    notice.decided_by_id = actor.id
    notice.decided_at = now_utc()
    notice.updated_at = notice.decided_at

    audit.record(session, actor, "notice.not_required", notice, before, _state(notice))
    log.info("Obligation %s marked not required by user %s", obligation.id, actor.id)
    cancel_target_reminders(session, "obligation", obligation.id, "no notice is required")
    return notice


def record_met_in_tracker(
    session: Session, obligation: Obligation, actor: User, met_at: datetime, summary: str
) -> Notice | None:
    """Record that a record kept in the tracker met an internal obligation (a post-mortem).

    The obligation is settled as a notice recorded as given settles it, for the board, the
    feeds, the metrics and the reminder sweep: at `met_at`, by `actor`, without a channel, and
    late when after its date. An obligation already met is left as it is (None is returned).
    """
    if obligation.is_settled:
        return None
    letter = letters.get_letter("generic")
    notice = Notice(
        obligation=obligation,
        incident_id=obligation.incident_id,
        sequence=len(obligation.notices) + 1,
        phase="initial" if not obligation.notices else "supplement",
        status="sent",
        letter=letter.id,
        content={**{name: "" for name in letter.names}, "summary": summary},
        created_at=now_utc(),
        created_by_id=actor.id,
        sent_at=met_at,
        sent_by_id=actor.id,
        due_at_sent=obligation.due_at,
    )
    notice.content_hash = content_hash(notice.content)
    notice.approved_by_id, notice.approved_at = actor.id, met_at
    notice.updated_at = notice.created_at
    session.add(notice)
    session.flush()

    late = is_late(obligation, met_at)
    audit.record(session, actor, "notice.met", notice, None, {**_state(notice), "late": late})
    log.info(
        "Obligation %s met in the tracker by user %s%s",
        obligation.id,
        actor.id,
        ", after its date" if late else "",
    )
    cancel_target_reminders(session, "obligation", obligation.id, summary)
    return notice


def can_add(obligation: Obligation) -> bool:
    """Whether a further notice may be drafted for the obligation now."""
    try:
        _check_can_add(obligation)
    except Conflict:
        return False
    return True


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the content in canonical JSON: what approval freezes."""
    return hashlib.sha256((canonical_json(content) or "").encode("utf-8")).hexdigest()


def is_late(obligation: Obligation, sent_at: datetime) -> bool:
    return obligation.due_at is not None and sent_at > obligation.due_at


def _require(actor: User | None, permission: str, doing: str) -> None:
    if not can(actor, permission):
        role = getattr(actor, "role", "anonymous")
        raise Forbidden(
            f"A user with the role {role} cannot {doing}; counsel or an administrator can."
            if permission == "notice.record"
            else f"A user with the role {role} cannot {doing}.",
            {"role": role},
        )


def _check_can_add(obligation: Obligation) -> None:
    if _open_notice(obligation) is not None:
        raise Conflict(
            f"The obligation {obligation.key} already has a notice in progress; finish or edit "
            "that one first.",
            {"obligation": "a notice is in progress"},
        )
    if any(notice.status == "not_required" for notice in obligation.notices):
        raise Conflict(
            f"The obligation {obligation.key} was closed as not required.",
            {"obligation": "closed as not required"},
        )
    given = [notice for notice in obligation.notices if notice.status in GIVEN_STATUSES]
    if given and obligation.key not in PHASED_KEYS:
        raise Conflict(
            f"A notice for {obligation.key} was already sent{_on(given[0].sent_at)}; "
            "this law does not provide for further phases.",
            {"obligation": "already sent"},
        )


def _check_sendable(notice: Notice) -> None:
    if notice.status == "draft":
        raise Conflict(
            "The notice is still a draft; counsel must approve it before it is sent.",
            {"status": "draft"},
        )
    if notice.status != "approved":
        raise Conflict(
            f"The notice is {_status_words(notice)}; it cannot be sent again.",
            {"status": notice.status},
        )
    if notice.content_hash != content_hash(notice.content):
        raise Conflict(
            "The notice's content no longer matches what counsel approved; approve it again.",
            {"content": "changed since approval"},
        )


def _check_sending(
    obligation: Obligation, sent_at: datetime, channel: str, delay_reason: str
) -> None:
    if channel not in CHANNELS:
        raise ValidationError(
            f"The channel {channel!r} is not one of {', '.join(CHANNELS)}.",
            {"channel": f"expected one of {', '.join(CHANNELS)}"},
        )
    _check_instant("sent_at", sent_at)
    if sent_at > now_utc() + CLOCK_SKEW:
        raise ValidationError(
            f"The sending time {sent_at.isoformat()} is in the future; record a notice once "
            "it has been sent.",
            {"sent_at": "expected an instant in the past"},
        )
    _check_after_start(obligation, sent_at)
    if is_late(obligation, sent_at) and not (delay_reason or "").strip():
        due = obligation.due_at.isoformat() if obligation.due_at else ""
        raise ValidationError(
            f"The notice was sent at {sent_at.isoformat()}, after its due date {due}; give the "
            "reason for the delay.",
            {"delay_reason": "required when the notice is sent after its due date"},
        )


def _check_after_start(obligation: Obligation, sent_at: datetime) -> None:
    """Refuse a sending before the incident's earliest known occurrence, discovery or awareness."""
    incident = obligation.incident
    start = earliest_start(incident.facts)
    if start is None or sent_at >= start[1]:
        return
    word, instant = start
    local = instant.astimezone(ZoneInfo(incident.timezone)).strftime("%Y-%m-%d %H:%M %Z")
    expected = f"expected an instant on or after the {word} on {local}; got {sent_at.isoformat()}"
    raise ValidationError(
        f"The sending time {sent_at.isoformat()} is before the incident's {word} on {local}; "
        "a notice cannot precede the incident it reports.",
        {"sent_at": expected},
    )


def _check_instant(name: str, value: Any) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"The {name} {value!r} is not an instant with an offset, such as "
            "2026-03-09T14:00:00+01:00.",
            {name: "expected an instant with an offset"},
        )


def _open_notice(obligation: Obligation) -> Notice | None:
    for notice in obligation.notices:
        if notice.status in UNFINISHED:
            return notice
    return None


def _clear_approval(notice: Notice) -> None:
    notice.status = "draft"
    notice.content_hash = None
    notice.approved_by_id = None
    notice.approved_at = None


def _state(notice: Notice) -> dict[str, Any]:
    summary = notice_summary(notice)
    return {key: value for key, value in summary.items() if value not in (None, "", [])}


def _status_words(notice: Notice) -> str:
    words = {
        "draft": "a draft",
        "approved": "approved",
        "sent": f"already sent{_on(notice.sent_at)}",
        "acknowledged": "already sent and acknowledged",
        "not_required": "closed as not required",
    }
    return words[notice.status]


def _on(instant: datetime | None) -> str:
    return "" if instant is None else f" on {instant.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
