"""Need-to-know incidents: who may see a restricted incident, and every object that belongs to it.

An incident is either open to every signed-in user (by role) or restricted: then only the
members of its team and administrators see it, and to everyone else it and everything that
belongs to it (obligations, notices, reports, holds, evidence ...) answer as unknown, exactly
like an id that names nothing, so that guessing ids reveals nothing.

Each route parameter that names an incident-scoped object is registered here with a resolver
that tells which incidents the object belongs to. A request hook (web) and the API's token
check apply the rule to every route with such a parameter, so that a new route is covered by
naming its parameter after a registered one (or registering a new one with `register_scope`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, delete, exists, false, or_, select, true
from sqlalchemy.orm import Session

from .. import audit
from ..db import now_utc
from ..errors import NotFound, ValidationError
from .models import IncidentMember, RestrictedIncident, User

log = logging.getLogger(__name__)

T = TypeVar("T")

Resolver = Callable[[Session, Any], Iterable[int | None] | None]

# Ids are 32-bit on PostgreSQL: a larger number names nothing, and is not sent to the database.
LARGEST_ID = 2_147_483_647


@dataclass(frozen=True)
class Scope:
    # The 404 message, word for word the one the route gives for an id that names nothing,
    # with {value} for the id: a hidden object must not be told apart from a missing one.
    message: str
    resolve: Resolver  # the incident ids the object belongs to; None when it does not exist
    # The URL rules (by their start) where the parameter means this; empty: everywhere.
    rules: tuple[str, ...] = ()
    # URL rules (by their start) that check the object themselves: calendar feeds open by a
    # token in the address, and check what the token's user may see.
    except_rules: tuple[str, ...] = ()

    def applies_to(self, rule: str | None) -> bool:
        if rule is not None and self.except_rules and rule.startswith(self.except_rules):
            return False
        return not self.rules or (rule is not None and rule.startswith(self.rules))


SCOPES: dict[str, Scope] = {}


@dataclass(frozen=True)
class System:
    """The tracker itself as a viewer: commands, sweeps and stored reports see every incident."""

    role: str = "administrator"
    is_active: bool = True
    is_authenticated: bool = True
    id: None = None


TRACKER = System()


def register_scope(
    parameter: str,
    message: str,
    resolve: Resolver,
    rules: tuple[str, ...] = (),
    except_rules: tuple[str, ...] = (),
) -> None:
    """Declare that the route parameter `parameter` names an object of an incident.

    `rules` limits this to URL rules starting so, when the same name means another thing
    elsewhere (a checklist item is not an evidence item).
    """
    SCOPES[parameter] = Scope(message, resolve, rules, except_rules)


def _column_lookup(model_path: str, column: str = "incident_id") -> Resolver:
    """A resolver reading the incident id column of a model, imported when first used."""

    def resolve(session: Session, value: Any) -> list[int] | None:
        module_name, _, class_name = model_path.rpartition(".")
        module = __import__(module_name, fromlist=[class_name])
        model = getattr(module, class_name)
        if isinstance(value, int) and value > LARGEST_ID:
            return None
        found = session.get(model, value)
        return None if found is None else [getattr(found, column)]

    return resolve


def _incident_itself(session: Session, value: Any) -> list[int] | None:
    return [value] if isinstance(value, int) else None


register_scope(
    "incident_id",
    "There is no incident with the id {value}.",
    _incident_itself,
    except_rules=("/calendar/",),
)
register_scope(
    "obligation_id",
    "There is no obligation with the id {value}.",
    _column_lookup("tracker.notice.models.Obligation"),
)
register_scope(
    "notice_id",
    "There is no notice with the id {value}.",
    _column_lookup("tracker.notice.models.Notice"),
)
register_scope(
    "attachment_id",
    "There is no attachment with the id {value}.",
    _column_lookup("tracker.notice.models.Attachment"),
)
register_scope(
    "export_id",
    "There is no exported report with the id {value!r}.",
    _column_lookup("tracker.report.models.ReportExport"),
)
register_scope(
    "job_id",
    "There is no report job with the id {value!r}.",
    _column_lookup("tracker.report.models.ReportJob"),
)
register_scope(
    "item_id",
    "There is no evidence item with the id {value}.",
    _column_lookup("tracker.evidence.models.EvidenceItem"),
    rules=("/evidence/", "/api/v1/evidence/"),
)
register_scope(
    "action_id",
    "There is no action with the id {value}.",
    _column_lookup("tracker.plan.models.Action"),
)


def _message_incident(session: Session, value: Any) -> list[int | None] | None:
    """The incident of a message in the outbox: that of the reminder it was sent for."""
    from ..reminder.models import MailMessage, Reminder

    if not isinstance(value, int) or value > LARGEST_ID:
        return None
    message = session.get(MailMessage, value)
    if message is None:
        return None
    reminder = None if message.reminder_id is None else session.get(Reminder, message.reminder_id)
    return [None if reminder is None else reminder.incident_id]


def _hold_incidents(session: Session, value: Any) -> list[int | None] | None:
    """A legal hold belongs to every incident it is kept for."""
    from ..hold.models import LegalHold

    if not isinstance(value, int) or value > LARGEST_ID:
        return None
    hold = session.get(LegalHold, value)
    return None if hold is None else [incident.id for incident in hold.incidents]


register_scope("hold_id", "There is no legal hold with the id {value}.", _hold_incidents)
register_scope("message_id", "There is no message {value} in the outbox.", _message_incident)


def restricted_ids(session: Session, incident_ids: Iterable[int] | None = None) -> set[int]:
    """The restricted incidents among `incident_ids` (all of them when None)."""
    query = select(RestrictedIncident.incident_id)
    if incident_ids is not None:
        query = query.where(RestrictedIncident.incident_id.in_(list(incident_ids)))
    return set(session.scalars(query))


def member_ids(session: Session, user: User) -> set[int]:
    """The incidents whose team `user` belongs to."""
    query = select(IncidentMember.incident_id).where(IncidentMember.user_id == user.id)
    return set(session.scalars(query))


def sees_all(user: Any) -> bool:
    return getattr(user, "role", None) == "administrator" and bool(getattr(user, "is_active", 0))


def hidden_query(user: Any) -> Select[tuple[int]]:
    """The ids of the restricted incidents `user` may not see, as a query to embed.

    This is the one statement of the rule: restricted, and `user` neither an administrator
    nor on the incident's team (an anonymous visitor sees no restricted incident). Every
    check, single id or list, reads it from here.
    """
    query = select(RestrictedIncident.incident_id)
    if sees_all(user):
        return query.where(false())
    if getattr(user, "is_authenticated", False):
        team_of_user = select(IncidentMember.incident_id).where(IncidentMember.user_id == user.id)
        query = query.where(RestrictedIncident.incident_id.not_in(team_of_user))
    return query


def hidden_ids(session: Session, user: Any) -> set[int]:
    """The restricted incidents `user` may not see (all of them for an anonymous visitor)."""
    return set(session.scalars(hidden_query(user)))


def visible_clause(user: Any, incident_column: Any) -> ColumnElement[bool]:
    """A WHERE condition keeping the rows whose incident `user` may see.

    `incident_column` is the incident id of the row (Incident.id, Obligation.incident_id ...);
    a row of no incident (evidence filed under none) is kept.
    """
    if sees_all(user):
        return true()
    return or_(incident_column.is_(None), incident_column.not_in(hidden_query(user)))


def imported_query() -> Select[tuple[int]]:
    """The ids of the incidents an import made from a public register of other breaches.

    Such incidents are history kept for the analysis page, not the organisation's own work:
    this is the one statement of that rule, read by own_clause.
    """
    from ..importer.models import ImportRecord

    return select(ImportRecord.incident_id).where(ImportRecord.incident_id.is_not(None))


def imported_ids(session: Session, incident_ids: Iterable[int]) -> set[int]:
    """Which of `incident_ids` an import made, for lists that mark them."""
    wanted = list(incident_ids)
    if not wanted:
        return set()
    query = imported_query()
    return set(session.scalars(query.where(query.selected_columns[0].in_(wanted))))


def own_clause(incident_column: Any, include_imported: bool = False) -> ColumnElement[bool]:
    """A WHERE condition keeping the rows of the organisation's own incidents.

    The deadline board, the metrics, the calendar feeds and the incident pickers leave the
    imported incidents out with it unless `include_imported` is set; a row of no incident is
    kept.
    """
    if include_imported:
        return true()
    return or_(incident_column.is_(None), incident_column.not_in(imported_query()))


def hold_visible_clause(user: Any) -> ColumnElement[bool]:
    """A WHERE condition on legal holds: none of the incidents a hold is kept for is hidden."""
    from ..hold.models import LegalHold, hold_incidents

    if sees_all(user):
        return true()
    hidden_link = select(hold_incidents.c.hold_id).where(
        hold_incidents.c.hold_id == LegalHold.id,
        hold_incidents.c.incident_id.in_(hidden_query(user)),
    )
    return ~exists(hidden_link.correlate(LegalHold))


def may_see(session: Session, user: Any, incident_id: int) -> bool:
    """Whether `user` may see the incident: it is not restricted, or they are on its team."""
    return incident_id not in hidden_ids(session, user)


def visible(
    session: Session, user: Any, items: Iterable[T], incident_of: Callable[[T], int | None]
) -> list[T]:
    """Keep the items (incidents, obligations, ...) whose incident `user` may see."""
    hidden = hidden_ids(session, user)
    return [item for item in items if incident_of(item) not in hidden]


def check_incident(session: Session, user: Any, incident_id: int | None) -> None:
    """Raise NotFound for an incident named in a body that `user` may not see."""
    if incident_id is not None and incident_id in hidden_ids(session, user):
        raise NotFound(
            f"There is no incident with the id {incident_id}.", {"incident_id": "unknown incident"}
        )


def check_route(
    session: Session, user: Any, view_args: dict[str, Any] | None, rule: str | None = None
) -> None:
    """Raise NotFound, as for an unknown id, when a route names an object `user` may not see."""
    for parameter, value in (view_args or {}).items():
        scope = SCOPES.get(parameter)
        if scope is None or not scope.applies_to(rule):
            continue
        incident_ids = scope.resolve(session, value)
        if incident_ids is None:
            continue  # the view answers its own 404 for an id that names nothing
        hidden = hidden_ids(session, user)
        if any(incident_id in hidden for incident_id in incident_ids):
            log.info("Restricted %s %s refused to %s", parameter, value, _label(user))
            raise NotFound(scope.message.format(value=value))


def team(session: Session, incident_id: int) -> list[User]:
    query = (
        select(User)
        .join(IncidentMember, IncidentMember.user_id == User.id)
        .where(IncidentMember.incident_id == incident_id)
        .order_by(User.email)
    )
    return list(session.scalars(query))


def set_access(
    session: Session,
    incident: Any,
    restricted: bool,
    member_user_ids: Iterable[int],
    actor: User,
) -> None:
    """Restrict an incident to its team (or open it again) and set the team's members.

    The person restricting the incident joins its team, so that nobody locks themselves out.
    """
    members = set(member_user_ids)
    if restricted and not sees_all(actor):
        members.add(actor.id)
    known = set(session.scalars(select(User.id).where(User.id.in_(members)))) if members else set()
    unknown = sorted(members - known)
    if unknown:
        raise ValidationError(
            f"There is no user with the id {unknown[0]}; the team takes existing users only.",
            {"members": f"unknown user id {unknown[0]}"},
        )

    before = access_snapshot(session, incident.id)
    _store_access(session, incident.id, restricted, members)
    after = access_snapshot(session, incident.id)
    if after == before:
        return

    audit.record(session, actor, "incident.access", incident, before, after)
    log.info(
        "Access to incident %s set to %s with %s team members by user %s",
        incident.id,
        "restricted" if restricted else "open",
        len(members),
        actor.id,
    )


def _store_access(session: Session, incident_id: int, restricted: bool, members: set[int]) -> None:
    is_restricted = bool(restricted_ids(session, [incident_id]))
    if restricted and not is_restricted:
        session.add(RestrictedIncident(incident_id=incident_id, restricted_at=now_utc()))
    if not restricted and is_restricted:
        session.execute(
            delete(RestrictedIncident).where(RestrictedIncident.incident_id == incident_id)
        )

    current = {user.id for user in team(session, incident_id)}
    for user_id in sorted(members - current):
        session.add(IncidentMember(incident_id=incident_id, user_id=user_id, added_at=now_utc()))
    if current - members:
        session.execute(
            delete(IncidentMember).where(
                IncidentMember.incident_id == incident_id,
                IncidentMember.user_id.in_(current - members),
            )
        )
    session.flush()


def access_snapshot(session: Session, incident_id: int) -> dict[str, Any]:
    return {
        "restricted": bool(restricted_ids(session, [incident_id])),
        "members": sorted(user.id for user in team(session, incident_id)),
    }


def _label(user: Any) -> str:
    if not getattr(user, "is_authenticated", False):
        return "an anonymous visitor"
    return f"user {user.id}"
