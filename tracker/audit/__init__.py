"""The tamper-evident audit trail: one hash-chained row per change."""

from .service import get_incident_history, record, verify_chain

__all__ = ["get_incident_history", "record", "verify_chain"]
