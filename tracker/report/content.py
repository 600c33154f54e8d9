"""What each report shows, built from plain data: no database and no Flask here.

The incident compliance report and the regulator submissions take the facts document
(incident-facts/1), the engine's evaluation as a dict (`Evaluation.to_dict()`), and lists
of plain mappings for the timeline, audit rows and, when they exist, notices, legal holds
and evidence. A new section is a new template under templates/report/sections/ and one
entry in OPTIONAL_SECTIONS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ..facts import EVENTS, parse_facts

INCIDENT_TEMPLATE = "report/incident.html"
SUBMISSION_TEMPLATE = "report/submission.html"

# Context key -> section template, included only when the incident has such records.
OPTIONAL_SECTIONS = {
    "notices": "report/sections/notices.html",
    "holds": "report/sections/holds.html",
    "custody": "report/sections/custody.html",
}

SUBMISSION_SECTIONS = {
    "gdpr_art33": "report/sections/gdpr_art33.html",
    "hhs_breach_report": "report/sections/hhs_breach_report.html",
    "state_ag_notice": "report/sections/state_ag_notice.html",
    "generic": "report/sections/submission_generic.html",
}

CAUSE_LABELS = {
    "external_attack": "hacking or IT incident (external attack)",
    "insider_wrongful": "unauthorised access or disclosure by an insider",
    "accidental_disclosure": "unauthorised disclosure (accidental)",
    "misdelivery": "unauthorised disclosure (misdelivery)",
    "loss_or_theft": "loss or theft",
    "system_error": "system error",
    "other": "other",
    "unknown": "not yet known",
}

RECIPIENT_LABELS = {
    "supervisory_authority": "the supervisory authority",
    "attorney_general": "the attorney general",
    "hhs": "the Secretary of Health and Human Services (HHS OCR)",
    "regulator": "the regulator",
    "state_agency": "the state agency",
    "card_brand": "the card brand",
    "customer": "the customer",
    "csirt": "the CSIRT",
}


def incident_context(
    reference: str,
    facts: Mapping[str, Any],
    evaluation: Mapping[str, Any],
    *,
    timeline: Sequence[Mapping[str, Any]] = (),
    audit: Sequence[Mapping[str, Any]] = (),
    **optional: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The context of the incident compliance report."""
    unknown = sorted(set(optional) - set(OPTIONAL_SECTIONS))
    if unknown:
        raise TypeError(f"Unknown report sections {unknown}; known are {list(OPTIONAL_SECTIONS)}.")

    context = _facts_context(reference, facts)
    context.update(
        heading="Incident compliance report",
        obligations=sorted(evaluation.get("obligations", []), key=_due_order),
        not_applicable=list(evaluation.get("not_applicable", [])),
        timeline=sorted(timeline, key=lambda event: _as_instant(event["at"])),
        audit=list(audit),
        extra_sections=[path for name, path in OPTIONAL_SECTIONS.items() if optional.get(name)],
        **{name: list(optional.get(name) or []) for name in OPTIONAL_SECTIONS},
    )
    return context


def submission_context(
    reference: str,
    facts: Mapping[str, Any],
    obligation: Mapping[str, Any],
    *,
    late_reason: str | None = None,
) -> dict[str, Any]:
    """The context of a regulator submission for one obligation."""
    context = _facts_context(reference, facts)
    recipient = str(obligation.get("recipient") or "")
    jurisdiction = _us_jurisdiction(str(obligation.get("regime") or ""))
    context.update(
        heading=f"Regulator submission: {obligation['key']}",
        obligation=obligation,
        section=submission_section(obligation),
        recipient_label=RECIPIENT_LABELS.get(recipient, recipient.replace("_", " ") or "recipient"),
        late_reason=late_reason,
        jurisdiction=jurisdiction,
        jurisdiction_affected=context["facts"]["affected"].get(jurisdiction or ""),
        cause_label=CAUSE_LABELS.get(context["facts"]["incident"].get("cause") or "", "not stated"),
        notices_given=sorted(context["facts"]["notices"].items(), key=lambda item: item[1]),
    )
    return context


def submission_section(obligation: Mapping[str, Any]) -> str:
    """The template of a submission's content: the form its recipient asks for, or generic."""
    regime = str(obligation.get("regime") or "")
    recipient = str(obligation.get("recipient") or "")
    if recipient == "supervisory_authority" and regime in ("gdpr", "uk-gdpr"):
        return SUBMISSION_SECTIONS["gdpr_art33"]
    if regime == "hipaa" and recipient == "hhs":
        return SUBMISSION_SECTIONS["hhs_breach_report"]
    if _us_jurisdiction(regime) and recipient in ("attorney_general", "state_agency"):
        return SUBMISSION_SECTIONS["state_ag_notice"]
    return SUBMISSION_SECTIONS["generic"]


def _us_jurisdiction(regime: str) -> str | None:
    """US-CA for the regime us-ca; None for a regime that is not a US state or territory."""
    if regime.startswith("us-") and len(regime) == 5:
        return regime.upper()
    return None


def _facts_context(reference: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts with every field present (defaults filled in), as the templates read them."""
    full = parse_facts(dict(facts)).model_dump(mode="json")
    events = full["events"]
    return {
        "reference": reference,
        "facts": full,
        "timezone": full["timezone"],
        "organisation": full["organisation"],
        "events": [(name, events[name]) for name in EVENTS if events.get(name)],
        "data": full["data"],
        "assessment": full["assessment"],
        "affected": sorted(full["affected"].items()),
        "affected_total": _affected_total(full["affected"]),
        "delay": full["law_enforcement_delay"],
        "contracts": full["contracts"],
        "payment_brands": full["payment_brands"],
    }


def _affected_total(affected: Mapping[str, int]) -> int:
    """People affected, counting a country total once beside its subdivisions."""
    countries: dict[str, int] = {}
    for code, count in affected.items():
        country = code.split("-")[0]
        if "-" in code:
            countries.setdefault(country + "*", 0)
            countries[country + "*"] += count
        else:
            countries[country] = count
    total = 0
    for country in {code.rstrip("*") for code in countries}:
        total += max(countries.get(country, 0), countries.get(country + "*", 0))
    return total


def _due_order(item: Mapping[str, Any]) -> tuple[int, datetime | None, str]:
    due = item.get("due") or item.get("target")
    if not due:
        return (1, None, item.get("key", ""))
    return (0, _as_instant(due), item.get("key", ""))


def _as_instant(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
