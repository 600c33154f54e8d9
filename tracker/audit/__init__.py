"""The tamper-evident audit trail: one hash-chained row per change."""

from .service import Change, get_incident_history, record, record_many, verify_chain

__all__ = ["Change", "get_incident_history", "record", "record_many", "verify_chain"]
