"""Store read rows as incidents, obligations and recorded notices, in bulk and in one transaction.

Creating a thousand incidents through the one-at-a-time services would evaluate, flush and
audit each step of each incident. An import instead builds the same rows directly: the
incident with its facts and status history, the obligations the engine computes for the
regimes the source speaks for, and the notices the record says were given, marked sent. The
audit trail gets one row for the batch and one per incident, holding its facts and the
notices recorded. Each incident gets its category's playbook checklist, as an incident opened
by hand does (the playbooks are read once per import). No reminders are scheduled: the
records are history, and a reminder for a notice owed years ago would only be noise. A row
whose key the source already holds is skipped, so that importing a file twice adds nothing;
the unique constraint on the source key backs this up.

Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import audit
from ..audit.service import canonical_json
from ..db import lock_for_writing, now_utc
from ..deadline import evaluate
from ..deadline.rulebook import Rulebook, load_rulebook
from ..facts import Facts, parse_facts
from ..incident.models import Incident, StatusChange, TimelineEntry
from ..incident.service import REFERENCE_LOCK, _apply_facts, _next_reference, snapshot
from ..notice import letters
from ..notice.models import Notice, Obligation
from ..notice.service import DEFAULT_POLICY_TARGET_HOURS, _fill
from ..plan.models import ChecklistItem, IncidentPlaybook
from ..plan.playbooks import Playbook, for_category
from ..plan.service import checklist_values, get_playbooks
from .models import ImportBatch, ImportRecord
from .rows import GivenNotice, SourceRow

log = logging.getLogger(__name__)

FLUSH_EVERY = 250
ACTOR = "command line import"


@dataclass
class Summary:
    """How an import went, for the command line and the web page."""

    batch: ImportBatch
    imported: int = 0
    flagged: int = 0
    refused: int = 0
    duplicates: int = 0
    without_incident: int = 0
    problems: list[Any] = field(default_factory=list)


def file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def import_rows(
    session: Session,
    source: str,
    filename: str,
    sha256: str,
    rows: Iterable[SourceRow],
    actor: Any = ACTOR,
) -> Summary:
    """Store every row not yet held for `source`; refused rows are only reported."""
    label = actor if isinstance(actor, str) else actor.label
    batch = ImportBatch(source=source, filename=filename, sha256=sha256, actor_label=label)
    session.add(batch)
    session.flush()
    summary = Summary(batch=batch)

    known = set(
        session.scalars(select(ImportRecord.source_key).where(ImportRecord.source == source))
    )
    lock_for_writing(session, REFERENCE_LOCK)
    numbers = _References(session)
    playbooks = get_playbooks(session)
    pending: list[_Built] = []

    for row in rows:
        batch.rows += 1
        summary.problems.extend(row.problems)
        if row.refusal is not None:
            summary.refused += 1
            continue
        if row.key in known:
            summary.duplicates += 1
            continue
        known.add(row.key)
        built = _store_row(session, batch, row, numbers)
        if built is not None:
            pending.append(built)
        _count(summary, row, built)
        if len(pending) >= FLUSH_EVERY:
            _settle(session, actor, source, pending, playbooks)
            pending = []

    _settle(session, actor, source, pending, playbooks)
    _finish(session, batch, summary, actor)
    return summary


def _count(summary: Summary, row: SourceRow, built: _Built | None) -> None:
    summary.imported += 1
    summary.flagged += bool(row.flags)
    summary.without_incident += built is None


def _finish(session: Session, batch: ImportBatch, summary: Summary, actor: Any) -> None:
    batch.imported = summary.imported
    batch.flagged = summary.flagged
    batch.refused = summary.refused
    batch.duplicates = summary.duplicates
    batch.problems = [problem.to_dict() for problem in summary.problems]
    batch.finished_at = now_utc()
    session.flush()

    audit.record(session, actor, "import.batch", batch, None, _batch_snapshot(batch))
    log.info(
        "Import %s of %s: %d rows, %d imported (%d flagged), %d refused, %d already held",
        batch.id,
        batch.source,
        batch.rows,
        batch.imported,
        batch.flagged,
        batch.refused,
        batch.duplicates,
    )


class _References:
    """Hands out INC-YYYY-NNNN references in order; the caller holds the reference lock."""

    def __init__(self, session: Session) -> None:
        self.year = now_utc().year
        first = _next_reference(session, self.year)
        self.number = int(first.rsplit("-", 1)[1])

    def next(self) -> str:
        reference = f"INC-{self.year}-{self.number:04d}"
        self.number += 1
        return reference


@dataclass
class _Built:
    """An incident built from a row, with the notices to add once it has its id."""

    incident: Incident
    row: SourceRow
    notices: list[tuple[Obligation, GivenNotice]]


def _store_row(
    session: Session, batch: ImportBatch, row: SourceRow, numbers: _References
) -> _Built | None:
    record = ImportRecord(
        batch=batch,
        source=batch.source,
        source_key=row.key,
        row_number=row.number,
        flags=list(row.flags),
        data=dict(row.data),
        raw=dict(row.raw),
        notice_key=row.judged_key or (row.notices[0].key if row.notices else None),
    )
    session.add(record)
    if row.facts is None:
        return None

    facts = parse_facts(row.facts)
    incident = _new_incident(facts, numbers.next())
    record.incident = incident
    for event in row.timeline:
        incident.timeline.append(TimelineEntry(at=event.at, kind=event.kind, text=event.text))
    session.add(incident)
    notices = _store_obligations(session, incident, facts, row, record)
    return _Built(incident, row, notices)


def _new_incident(facts: Facts, reference: str) -> Incident:
    now = now_utc()
    incident = Incident(reference=reference, created_at=now, updated_at=now)
    status = facts.incident.status or "detected"
    _apply_facts(incident, facts, status)
    incident.status_changes.append(StatusChange(to_status=status, at=now))
    return incident


def _store_obligations(
    session: Session, incident: Incident, facts: Facts, row: SourceRow, record: ImportRecord
) -> list[tuple[Obligation, GivenNotice]]:
    """The source's obligations as the engine computes them; the notices that meet them."""
    evaluation = evaluate(
        _with_notices(facts, row),
        policy_target_hours=DEFAULT_POLICY_TARGET_HOURS,
        rulebook=_rulebook(row.regimes),
    )
    stored: dict[str, Obligation] = {}
    for computed in evaluation.obligations:
        if computed.regime not in row.regimes:
            continue
        obligation = Obligation(key=computed.key, revision=0, incident=incident)
        _fill(obligation, computed, computed.to_dict())
        stored[computed.key] = obligation
    session.add_all(stored.values())

    notices = []
    for given in row.notices:
        obligation = stored.get(given.key)
        if obligation is None:
            reason = evaluation.reason(given.key) or "the engine computed no such obligation"
            row.flags.append(f"no {given.key} obligation: {reason}")
            record.flags = list(row.flags)
            continue
        notices.append((obligation, given))
    return notices


@lru_cache(maxsize=16)
def _rulebook(regimes: tuple[str, ...]) -> Rulebook:
    """The rulebook cut down to the regimes the source speaks for (all when none are named).

    Other regimes' obligations are not stored, so they need not be evaluated; the regimes kept
    are evaluated exactly as in the whole rulebook.
    """
    book = load_rulebook()
    if not regimes:
        return book
    return replace(book, regimes=tuple(r for r in book.regimes if r.id in regimes))


def _with_notices(facts: Facts, row: SourceRow) -> Facts:
    """The facts with the notices the record gives, which chained rules start from."""
    if not row.notices:
        return facts
    notices = dict(facts.notices)
    for given in row.notices:
        notices.setdefault(given.key, given.sent_at)
    return facts.model_copy(update={"notices": notices})


def _sent_notice(obligation: Obligation, incident: Incident, given: GivenNotice) -> Notice:
    content = {name: "" for name in letters.get_letter("generic").names}
    content["summary"] = given.description
    late = obligation.due_at is not None and given.sent_at > obligation.due_at
    now = now_utc()
    return Notice(
        obligation=obligation,
        incident_id=incident.id,
        sequence=1,
        phase="initial",
        status="sent",
        letter="generic",
        content=content,
        content_hash=_content_hash(content),
        approved_at=given.sent_at,
        sent_at=given.sent_at,
        channel=None,
        reference=given.reference,
        delay_reason="The record does not say why." if late else "",
        created_at=now,
        updated_at=now,
    )


def _content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256((canonical_json(content) or "").encode("utf-8")).hexdigest()


def _settle(
    session: Session,
    actor: Any,
    source: str,
    pending: list[_Built],
    playbooks: Mapping[str, Playbook],
) -> None:
    """Flush the built rows, add the notices and checklists, and audit each incident.

    The audit rows are chained in order and written in one statement per batch.
    """
    if not pending:
        return
    session.flush()
    for built in pending:
        for obligation, given in built.notices:
            session.add(_sent_notice(obligation, built.incident, given))
    _add_checklists(session, [built.incident for built in pending], playbooks)
    session.flush()

    changes = []
    for built in pending:
        row = built.row
        after = {
            **snapshot(built.incident),
            "source": source,
            "source_key": row.key,
            "row": row.number,
            "notices": [
                {"key": obligation.key, "sent_at": given.sent_at.isoformat()}
                for obligation, given in built.notices
            ],
        }
        changes.append(audit.Change("incident.import", built.incident, None, after))
    audit.record_many(session, actor, changes)


def _add_checklists(
    session: Session, incidents: list[Incident], playbooks: Mapping[str, Playbook]
) -> None:
    """Each incident's playbook checklist, as opening it would build it, inserted in bulk."""
    now = now_utc()
    built = [
        checklist_values(incident.id, for_category(playbooks, incident.category), now)
        for incident in incidents
    ]
    ids = session.scalars(
        insert(IncidentPlaybook).returning(IncidentPlaybook.id, sort_by_parameter_order=True),
        [values for values, _items in built],
    ).all()
    rows = [
        {**item, "checklist_id": checklist_id}
        for checklist_id, (_values, items) in zip(ids, built, strict=True)
        for item in items
    ]
    session.execute(insert(ChecklistItem), rows)


def _batch_snapshot(batch: ImportBatch) -> dict[str, Any]:
    return {
        "source": batch.source,
        "filename": batch.filename,
        "sha256": batch.sha256,
        "rows": batch.rows,
        "imported": batch.imported,
        "flagged": batch.flagged,
        "refused": batch.refused,
        "duplicates": batch.duplicates,
    }
