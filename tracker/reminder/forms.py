"""The administrator's reminder policy form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..facts import SEVERITIES

OVERDUE_CHOICES = [
    ("daily", "Daily while overdue"),
    ("weekly", "Weekly while overdue"),
    ("none", "No reminders once overdue"),
]


class PolicyForm(FlaskForm):
    scope = StringField(
        "Applies to (default, severity:SEV-1 … severity:SEV-4, or regime: and a regime)",
        validators=[DataRequired(), Length(max=80)],
        default="default",
    )
    steps = StringField(
        "Reminders before the deadline (half, durations such as 24h or 30m, due)",
        validators=[DataRequired(), Length(max=300)],
        default="half, 24h, 4h, 1h, due",
    )
    overdue = SelectField("While overdue", choices=OVERDUE_CHOICES, default="daily")


class DeleteForm(FlaskForm):
    """A CSRF-protected button that removes one stored policy."""


SCOPE_EXAMPLES = ["default", *(f"severity:{severity}" for severity in SEVERITIES), "regime:gdpr"]
