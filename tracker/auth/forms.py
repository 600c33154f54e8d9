"""Sign-in and setup forms; every form carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class SetupForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=320)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        f"Password (at least {MIN_LENGTH} characters)",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
    )
    confirm = PasswordField(
        "Password again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
