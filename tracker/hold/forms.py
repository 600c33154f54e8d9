"""The hold pages' forms, and the reading of people entered one per line."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..errors import ValidationError
from .service import Person

PEOPLE_HINT = "One per line: name | e-mail | department | manager's e-mail."
OWNERS_HINT = "One per line: name | e-mail | systems they run | preservation instructions."


class ScopeFields(FlaskForm):
    description = TextAreaField("What the hold is about", validators=[Length(max=20_000)])
    scope_starts_on = DateField("Material from", validators=[Optional()])
    scope_ends_on = DateField("Material up to", validators=[Optional()])
    subjects = TextAreaField("Subjects (one per line)", validators=[Length(max=20_000)])
    data_sources = TextAreaField(
        "Data sources: systems, mailboxes, shared drives, chat (one per line)",
        validators=[Length(max=20_000)],
    )


class HoldForm(ScopeFields):
    name = StringField("Name of the hold", validators=[DataRequired(), Length(max=300)])
    incident_ids = SelectMultipleField("Incidents", coerce=int)
    timezone = StringField("Time zone for counting days", validators=[DataRequired()])
    reminder_days = IntegerField(
        "Remind after (days without acknowledgement)", [Optional(), NumberRange(1, 3650)]
    )
    escalation_days = IntegerField(
        "Escalate to manager and counsel after a further (days)", [Optional(), NumberRange(1, 3650)]
    )
    renotice_days = IntegerField(
        "Send the notice again every (days)", [Optional(), NumberRange(1, 3650)]
    )
    custodians = TextAreaField("Custodians", validators=[Length(max=50_000)])
    system_owners = TextAreaField("System owners", validators=[Length(max=50_000)])


class PersonForm(FlaskForm):
    role = StringField("Role", default="custodian")
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = StringField("E-mail", validators=[DataRequired(), Length(max=320)])
    department = StringField("Department", validators=[Length(max=200)])
    manager_email = StringField("Manager's e-mail", validators=[Length(max=320)])
    systems = StringField("Systems they run (system owners)", validators=[Length(max=2000)])
    instructions = TextAreaField("Preservation instructions (system owners)", [Length(max=20_000)])


class ReleaseForm(FlaskForm):
    reason = TextAreaField(
        "Why the hold is released", validators=[DataRequired(), Length(max=10_000)]
    )


class AcknowledgeForm(FlaskForm):
    answer = TextAreaField(
        "Where do you keep material relevant to this hold? (optional)",
        validators=[Length(max=10_000)],
    )


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def people(text: str | None, role: str, field: str) -> list[Person]:
    """People entered one per line, their parts separated by |."""
    found = []
    for number, line in enumerate(lines(text), start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2:
            raise ValidationError(
                f"Line {number} of the {field.replace('_', ' ')} has no e-mail address; write "
                "the name, then | and the e-mail.",
                {field: f"line {number}: expected name | e-mail"},
            )
        parts += [""] * (4 - len(parts))
        if role == "custodian":
            person = Person(parts[0], parts[1], role, department=parts[2], manager_email=parts[3])
        else:
            person = Person(
                parts[0],
                parts[1],
                role,
                systems=parts[2],
                instructions=" | ".join(parts[3:]).strip(" |"),
            )
        found.append(person)
    return found
