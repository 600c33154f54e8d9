"""The plan's forms: opening an exercise."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..incident.forms import CreateForm


class ExerciseForm(CreateForm):
    participants = TextAreaField(
        "Participants (one a line: Name <address> or address); mail goes to them only",
        validators=[DataRequired(), Length(max=20000)],
    )
