"""The product's exceptions: each carries a whole-sentence message and, where it can, the field."""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every error the product raises on purpose."""

    status_code = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})

    def to_dict(self) -> dict:
        return {"error": {"message": self.message, "fields": self.fields}}


class ValidationError(TrackerError):
    """Input that does not match what is accepted; `fields` maps each field path to its problem."""

    status_code = 422


class FactsError(ValidationError):
    """An incident facts document that does not follow the facts format."""


class RuleFileError(TrackerError):
    """A jurisdiction rule file that cannot be loaded; the message names the file and field."""


class ConfigError(TrackerError):
    """A configuration value that cannot be used."""


class NotFound(TrackerError):
    status_code = 404


class Forbidden(TrackerError):
    status_code = 403


class Conflict(TrackerError):
    """A change refused because of the object's current state."""

    status_code = 409
