"""The notice pages' forms: a content form per letter, and the forms of each lifecycle step."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from . import letters
from .models import CHANNELS

CHANNEL_LABELS = {
    "portal": "Regulator portal",
    "email": "E-mail",
    "letter": "Letter (post)",
    "courier": "Courier",
    "phone": "Telephone",
}
STATUS_LABELS = {
    "open": "No notice yet",
    "draft": "Draft",
    "approved": "Approved",
    "sent": "Sent",
    "acknowledged": "Acknowledged",
    "not_required": "Not required",
}
CONTENT_PREFIX = "content"


class DraftForm(FlaskForm):
    letter = SelectField("Letter", choices=[])
    phase = StringField(
        "Phase (empty: initial for the first notice, supplement after)",
        validators=[Optional(), Length(max=40)],
    )

    def __init__(self, *args: Any, default_letter: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.letter.choices = [(letter.id, letter.title) for letter in letters.catalogue()]
        if not self.letter.data and default_letter:
            self.letter.data = default_letter


class ApproveForm(FlaskForm):
    """Counsel's sign-off; the form carries only its CSRF token."""


class SendForm(FlaskForm):
    sent_local = StringField("When it was sent")
    sent_zone = StringField("Time zone")
    channel = SelectField(
        "How it was sent",
        choices=[("", "Choose…"), *[(value, CHANNEL_LABELS[value]) for value in CHANNELS]],
    )
    reference = StringField(
        "The recipient's reference or receipt number", validators=[Length(max=200)]
    )
    delay_reason = TextAreaField(
        "Reason for the delay (required when sent after the due date)",
        validators=[Length(max=20000)],
    )
    attachments = MultipleFileField("Proof (portal receipt, the letter as sent)")


class AcknowledgeForm(FlaskForm):
    acknowledged_local = StringField("When the recipient acknowledged it")
    acknowledged_zone = StringField("Time zone")
    reference = StringField(
        "Reference given with the acknowledgement", validators=[Length(max=200)]
    )


class AttachmentForm(FlaskForm):
    attachments = MultipleFileField("Add proof")


class NotRequiredForm(FlaskForm):
    reason = TextAreaField("Why no notice is required", validators=[Length(max=20000)])


def content_form(letter: letters.Letter, content: dict[str, Any] | None = None) -> FlaskForm:
    """A form with one input per field of the letter, filled from `content` or the request."""

    class ContentForm(FlaskForm):
        pass

    for field in letter.fields:
        kind = TextAreaField if field.is_multiline else StringField
        label = f"{field.label} (required)" if field.is_required else field.label
        setattr(ContentForm, field.name, kind(label, validators=[Length(max=20000)]))

    if content is None:
        return ContentForm(prefix=CONTENT_PREFIX)
    return ContentForm(formdata=None, data=dict(content), prefix=CONTENT_PREFIX)


def posted_content(form: FlaskForm, letter: letters.Letter) -> dict[str, str]:
    return {field.name: getattr(form, field.name).data or "" for field in letter.fields}
