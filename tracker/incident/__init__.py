"""Incidents: their facts, impact, status history and timeline."""
