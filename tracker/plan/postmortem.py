"""The post-mortem of an incident, its five whys and its follow-up actions.

The review is due within 5 business days of resolution: that date is the policy obligation
policy/internal/post_mortem, computed by the engine from the facts' resolved_at and shown
here as it stands. Services never commit; the caller owns the transaction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth import access
from ..auth.models import User
from ..db import now_utc
from ..errors import Conflict, NotFound, ValidationError
from ..incident.models import Incident
from ..notice.models import Obligation
from .models import ACTION_STATUSES, PRIORITIES, WHY_COUNT, Action, PostMortem, Why
from .reminders import action_due_at, sync_action_reminders

log = logging.getLogger(__name__)

OBLIGATION_KEY = "policy/internal/post_mortem"
# The plan's agenda, in the order the record shows it.
AGENDA = {
    "timeline": "Timeline",
    "impact": "Impact",
    "root_cause": "Root cause",
    "response_effectiveness": "Response effectiveness",
    "improvements": "Improvements",
}
OPEN_STATUSES = ("resolved", "post_mortem")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TEXT_LIMIT = 20000


def get_post_mortem(session: Session, incident: Incident) -> PostMortem | None:
    query = (
        select(PostMortem)
        .where(PostMortem.incident_id == incident.id)
        .options(selectinload(PostMortem.whys), selectinload(PostMortem.actions))
    )
    return session.scalars(query).one_or_none()


def get_existing(session: Session, incident: Incident) -> PostMortem:
    """The incident's post-mortem, or NotFound when it has not been opened."""
    found = get_post_mortem(session, incident)
    if found is None:
        raise NotFound(f"The incident {incident.reference} has no post-mortem yet.")
    return found


def get_obligation(session: Session, incident: Incident) -> Obligation | None:
    """The post-mortem obligation of the incident, once its facts say when it was resolved."""
    query = select(Obligation).where(
        Obligation.incident_id == incident.id,
        Obligation.key == OBLIGATION_KEY,
        Obligation.is_current.is_(True),
    )
    return session.scalars(query).one_or_none()


def open_post_mortem(session: Session, incident: Incident, actor: User) -> PostMortem:
    """Start the incident's post-mortem, with five empty whys; only after resolution."""
    existing = get_post_mortem(session, incident)
    if existing is not None:
        return existing
    if incident.status not in OPEN_STATUSES:
        raise Conflict(
            f"The post-mortem starts once the incident is resolved; it is {incident.status}.",
            {"status": "expected resolved or post_mortem"},
        )

    now = now_utc()
    post_mortem = PostMortem(
        incident_id=incident.id,
        created_at=now,
        updated_at=now,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    for position in range(1, WHY_COUNT + 1):
        post_mortem.whys.append(Why(incident_id=incident.id, position=position))
    session.add(post_mortem)
    session.flush()

    audit.record(session, actor, "post_mortem.create", post_mortem, None, {"whys": WHY_COUNT})
    log.info("Post-mortem %s opened for incident %s", post_mortem.id, incident.reference)
    return post_mortem


def update_agenda(
    session: Session, post_mortem: PostMortem, changes: Mapping[str, Any], actor: User
) -> dict[str, str]:
    """Change fields of the agenda; return the changed ones. Unknown fields are refused."""
    errors = {
        name: f"unknown field; expected one of {', '.join(AGENDA)}"
        for name in changes
        if name not in AGENDA
    }
    errors.update(
        {
            name: f"expected at most {TEXT_LIMIT} characters"
            for name, value in changes.items()
            if name in AGENDA and len(str(value or "")) > TEXT_LIMIT
        }
    )
    if errors:
        first = next(iter(errors.items()))
        raise ValidationError(f"The post-mortem is not valid: {first[0]}: {first[1]}.", errors)

    changed = {
        name: str(value or "").strip()
        for name, value in changes.items()
        if getattr(post_mortem, name) != str(value or "").strip()
    }
    if not changed:
        return {}
    before = {name: getattr(post_mortem, name) for name in changed}
    for name, value in changed.items():
        setattr(post_mortem, name, value)
    _touch(post_mortem, actor)

    audit.record(session, actor, "post_mortem.update", post_mortem, before, changed)
    log.info("Post-mortem %s updated by user %s", post_mortem.id, actor.id)
    return changed


def answer_why(
    session: Session,
    post_mortem: PostMortem,
    position: int,
    question: str,
    answer: str,
    actor: User,
) -> Why:
    """Record the question and answer of one of the five whys, with who answered and when."""
    why = next((item for item in post_mortem.whys if item.position == position), None)
    if why is None:
        raise NotFound(f"The post-mortem has no why number {position}; they run 1 to {WHY_COUNT}.")
    question, answer = (question or "").strip(), (answer or "").strip()
    if not answer:
        raise ValidationError(
            f"Why {position} needs an answer.", {f"whys[{position}].answer": "required"}
        )
    before = {"question": why.question, "answer": why.answer}
    why.question, why.answer = question[:TEXT_LIMIT], answer[:TEXT_LIMIT]
    why.answered_at, why.answered_by_id = now_utc(), actor.id
    _touch(post_mortem, actor)

    audit.record(
        session, actor, "post_mortem.why", why, before, {"question": question, "answer": answer}
    )
    log.info("Why %s of post-mortem %s answered by user %s", position, post_mortem.id, actor.id)
    return why


def complete(session: Session, post_mortem: PostMortem, actor: User) -> PostMortem:
    """Declare the review complete: every agenda field filled and the five whys answered."""
    missing = {name: "required" for name in AGENDA if not getattr(post_mortem, name).strip()}
    missing.update(
        {f"whys[{why.position}].answer": "required" for why in post_mortem.whys if not why.answer}
    )
    if missing:
        raise ValidationError(
            f"The post-mortem cannot be completed yet; still empty: {', '.join(missing)}.",
            missing,
        )
    if post_mortem.completed_at is not None:
        raise Conflict("The post-mortem was already completed.", {"status": "completed"})
    post_mortem.completed_at, post_mortem.completed_by_id = now_utc(), actor.id
    _touch(post_mortem, actor)

    audit.record(session, actor, "post_mortem.complete", post_mortem, None, {"completed": True})
    log.info("Post-mortem %s completed by user %s", post_mortem.id, actor.id)
    _meet_obligation(session, post_mortem, actor)
    return post_mortem


def _meet_obligation(session: Session, post_mortem: PostMortem, actor: User) -> None:
    """Settle the policy obligation with the completion, when and by whom it was done."""
    from ..notice.lifecycle import record_met_in_tracker

    obligation = get_obligation(session, post_mortem.incident)
    if obligation is None or post_mortem.completed_at is None:
        return
    summary = f"The post-mortem was completed in the tracker (post-mortem {post_mortem.id})."
    record_met_in_tracker(session, obligation, actor, post_mortem.completed_at, summary)


# Actions.


def add_action(
    session: Session, post_mortem: PostMortem, values: Mapping[str, Any], actor: User
) -> Action:
    """Add a follow-up action; every field is checked and each problem named."""
    cleaned, errors = _action_values(values)
    if errors:
        first = next(iter(errors.items()))
        raise ValidationError(f"The action is not valid: {first[0]}: {first[1]}.", errors)

    now = now_utc()
    action = Action(
        post_mortem_id=post_mortem.id,
        incident_id=post_mortem.incident_id,
        status="pending",
        created_at=now,
        updated_at=now,
        created_by_id=actor.id,
        **cleaned,
    )
    post_mortem.actions.append(action)
    session.flush()

    audit.record(session, actor, "action.create", action, None, _action_snapshot(action))
    _sync_reminders(session, action, now)
    log.info("Action %s added to post-mortem %s by user %s", action.id, post_mortem.id, actor.id)
    return action


def get_action(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"There is no action with the id {action_id}.")
    return action


def set_action_status(session: Session, action: Action, status: str, actor: User) -> Action:
    """Move an action to pending, in progress or completed."""
    if status not in ACTION_STATUSES:
        raise ValidationError(
            f"The action status {status!r} is not one of {', '.join(ACTION_STATUSES)}.",
            {"status": f"expected one of {', '.join(ACTION_STATUSES)}"},
        )
    if status == action.status:
        return action
    before = {"status": action.status}
    now = now_utc()
    action.status = status
    action.completed_at = now if status == "completed" else None
    action.updated_at = now

    audit.record(session, actor, "action.status", action, before, {"status": status})
    _sync_reminders(session, action, now)
    log.info("Action %s moved to %s by user %s", action.id, status, actor.id)
    return action


def due_at(action: Action) -> datetime:
    """The instant an action falls due: the end of its due date in the incident's zone."""
    return action_due_at(action)


def is_overdue(action: Action, now: datetime) -> bool:
    return action.status != "completed" and now >= due_at(action)


def overdue_actions(session: Session, now: datetime | None = None, *, viewer: Any) -> list[Action]:
    """Actions not completed whose due date has passed in their incident's zone, oldest first,
    of the incidents `viewer` may see."""
    now = now or now_utc()
    query = (
        select(Action)
        .where(Action.status != "completed", access.visible_clause(viewer, Action.incident_id))
        .options(selectinload(Action.incident))
        .order_by(Action.due_on, Action.id)
    )
    return [action for action in session.scalars(query) if is_overdue(action, now)]


def _action_values(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    description = str(values.get("description") or "").strip()
    owner = str(values.get("owner") or "").strip().lower()
    priority = str(values.get("priority") or "").strip()
    measure = str(values.get("success_measure") or "").strip()
    if not description:
        errors["description"] = "required"
    if not _EMAIL.match(owner):
        errors["owner"] = f"expected the owner's e-mail address; got {owner!r}"
    if priority not in PRIORITIES:
        errors["priority"] = f"expected one of {', '.join(PRIORITIES)}; got {priority!r}"
    if not measure:
        errors["success_measure"] = "required: say how success will be measured"
    due_on = _date(values.get("due_on"), errors)
    cleaned = {
        "description": description[:TEXT_LIMIT],
        "owner": owner,
        "priority": priority,
        "due_on": due_on,
        "success_measure": measure[:TEXT_LIMIT],
    }
    return cleaned, errors


def _date(value: Any, errors: dict[str, str]) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors["due_on"] = f"expected a date as YYYY-MM-DD; got {text!r}"
        return None


def _action_snapshot(action: Action) -> dict[str, Any]:
    return {
        "description": action.description,
        "owner": action.owner,
        "priority": action.priority,
        "due_on": action.due_on,
        "status": action.status,
        "success_measure": action.success_measure,
    }


def _sync_reminders(session: Session, action: Action, now: datetime) -> None:
    sync_action_reminders(session, action, now)


def _touch(post_mortem: PostMortem, actor: User) -> None:
    post_mortem.updated_at = now_utc()
    post_mortem.updated_by_id = actor.id


# The signed post-mortem report.

REPORT_TEMPLATE = "plan/report_post_mortem.html"
# Why the signed post-mortem report is made, as its signature records it.
REPORT_REASON = "Post-incident review of the incident, for filing"


def report_context(session: Session, incident: Incident, base: dict[str, Any]) -> dict[str, Any]:
    """The post-mortem report's context: the incident report's `base` and the review."""
    post_mortem = get_post_mortem(session, incident)
    if post_mortem is None:
        raise Conflict(
            f"The incident {incident.reference} has no post-mortem yet; open it first.",
            {"kind": "no post-mortem to report"},
        )
    obligation = get_obligation(session, incident)
    return {
        **base,
        "heading": "Post-mortem report",
        "post_mortem": post_mortem,
        "agenda": [(label, getattr(post_mortem, name)) for name, label in AGENDA.items()],
        "whys": [
            {
                "position": why.position,
                "question": why.question,
                "answer": why.answer,
                "answered_at": why.answered_at,
                "answered_by": why.answered_by.name if why.answered_by else None,
            }
            for why in post_mortem.whys
        ],
        "actions": [
            {**_action_snapshot(action), "overdue": is_overdue(action, now_utc())}
            for action in post_mortem.actions
        ],
        "post_mortem_due": None if obligation is None else obligation.deadline_at,
    }
