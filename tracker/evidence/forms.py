"""The evidence pages' forms: a new item, a custody transfer, a file to check."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ItemForm(FlaskForm):
    description = TextAreaField(
        "What the evidence is", validators=[DataRequired(), Length(max=10_000)]
    )
    incident_id = SelectField("Incident", coerce=str, validate_choice=True)
    hold_ids = SelectMultipleField("Legal holds it is kept under", coerce=int)
    source_system = StringField("Source system", validators=[Length(max=300)])
    collected_by = StringField("Collected by", validators=[DataRequired(), Length(max=200)])
    collected_local = StringField("When it was collected", validators=[DataRequired()])
    collected_zone = StringField("Time zone", validators=[DataRequired()])
    location = StringField("Where the original is kept", validators=[Length(max=500)])
    sha256 = StringField("SHA-256, if computed elsewhere", validators=[Length(max=80)])
    file = FileField("File (optional; the server computes its SHA-256)")


class TransferForm(FlaskForm):
    from_party = StringField("From", validators=[DataRequired(), Length(max=200)])
    to_party = StringField("To", validators=[DataRequired(), Length(max=200)])
    at_local = StringField("When the hand-over happened", validators=[DataRequired()])
    at_zone = StringField("Time zone", validators=[DataRequired()])
    purpose = TextAreaField("Purpose", validators=[DataRequired(), Length(max=10_000)])
    condition = TextAreaField("Condition (seals, packaging)", validators=[Length(max=10_000)])
    corrects = IntegerField("Corrects transfer number (only for a correction)", [Optional()])


class FileForm(FlaskForm):
    file = FileField("File to hash and check against the record")
