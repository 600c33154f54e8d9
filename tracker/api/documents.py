"""Stored objects as the API returns them; schemas.py describes each shape."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import url_for

from ..incident.models import Incident, StatusChange, TimelineEntry
from ..incident.service import IMPACT_FIELDS
from ..notice.directory import Customer, Entry, Party, Regulator
from ..notice.models import Attachment, Notice
from ..notice.service import notice_summary


def iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(UTC).isoformat()


def incident_summary(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "reference": incident.reference,
        "title": incident.title,
        "severity": incident.severity,
        "category": incident.category,
        "status": incident.status,
        "cause": incident.cause,
        "timezone": incident.timezone,
        "discovered_at": iso(incident.discovered_at),
        "assigned_to": incident.assigned_to,
        "created_at": iso(incident.created_at),
        "updated_at": iso(incident.updated_at),
        "url": url_for("api.get_incident", incident_id=incident.id, _external=True),
    }


def incident_detail(incident: Incident) -> dict[str, Any]:
    """The incident with its impact assessment and status history; facts are read apart."""
    return {
        **incident_summary(incident),
        "description": incident.description or "",
        "response_target": incident.response_target,
        "affected_services": list(incident.affected_services or []),
        "affected_customers": incident.affected_customers,
        "detected_by": incident.detected_by,
        "tags": list(incident.tags or []),
        "impact": impact(incident),
        "status_changes": [status_change(change) for change in incident.status_changes],
    }


def impact(incident: Incident) -> dict[str, Any]:
    values = {name: getattr(incident, name) for name in IMPACT_FIELDS}
    values["impact_systems"] = list(values["impact_systems"] or [])
    for name in ("impact_data_compromised", "revenue_impact", "brand_impact", "regulatory_impact"):
        values[name] = values[name] or ""
    return values


def status_change(change: StatusChange) -> dict[str, Any]:
    return {
        "from_status": change.from_status,
        "to_status": change.to_status,
        "at": iso(change.at),
        "actor_id": change.actor_id,
        "note": change.note or "",
    }


def timeline_entry(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": iso(entry.at),
        "kind": entry.kind,
        "text": entry.text,
        "author_id": entry.author_id,
        "created_at": iso(entry.created_at),
    }


def notice_detail(notice: Notice) -> dict[str, Any]:
    """The notice with its content and its proof files."""
    return {
        **notice_summary(notice),
        "content": dict(notice.content or {}),
        "proof": [proof(row) for row in notice.attachments],
    }


def proof(attachment: Attachment) -> dict[str, Any]:
    url = url_for(
        "api.download_attachment",
        notice_id=attachment.notice_id,
        attachment_id=attachment.id,
        _external=True,
    )
    return {
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by_id": attachment.uploaded_by_id,
        "uploaded_at": iso(attachment.uploaded_at),
        "download_url": url,
    }


def regulator(item: Regulator) -> dict[str, Any]:
    return {
        "key": item.key,
        "regime": item.regime,
        "regime_name": item.regime_name,
        "citation": item.citation,
        "entries": [recipient_entry(entry) for entry in item.entries],
        "references": [{"title": title, "url": url} for title, url in item.references],
    }


def party(item: Party) -> dict[str, Any]:
    return {"entry": recipient_entry(item.entry), "keys": list(item.keys)}


def recipient_entry(entry: Entry) -> dict[str, Any]:
    return entry.model_dump(mode="json")


def customer(item: Customer) -> dict[str, Any]:
    return {
        "party": item.party,
        "slug": item.slug,
        "periods": sorted(item.periods),
        "incident_ids": [incident.id for incident in item.incidents],
    }
