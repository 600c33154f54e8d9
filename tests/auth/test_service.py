import hashlib

import pytest
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.auth import service
from tracker.auth.models import ApiToken
from tracker.auth.passwords import check_password_rules
from tracker.errors import Conflict, NotFound, ValidationError


def test_password_needs_twelve_characters():
    with pytest.raises(ValidationError) as caught:
        check_password_rules("eleven-char")
    assert caught.value.message == "The password has 11 characters; it needs at least 12."
    check_password_rules("twelve-chars")


def test_password_may_not_be_the_email():
    with pytest.raises(ValidationError, match="e-mail address"):
        check_password_rules("Ana@Example.com", "ana@example.com")


def test_password_is_stored_as_argon2id(make_user):
    user = make_user("viewer", password="a long enough passphrase")
    assert user.password_hash.startswith("$argon2id$")
    assert "passphrase" not in user.password_hash


def test_authenticate(session, make_user):
    user = make_user("viewer", email="ana@example.com", password="a long enough passphrase")
    assert service.authenticate(session, " ANA@example.com ", "a long enough passphrase") is user
    assert service.authenticate(session, "ana@example.com", "wrong passphrase!!") is None
    assert service.authenticate(session, "nobody@example.com", "a long enough passphrase") is None


def test_email_is_unique_whatever_its_case(session, make_user):
    make_user("viewer", email="ana@example.com")
    with pytest.raises(Conflict, match="ana@example.com already exists"):
        service.create_user(session, "ANA@example.com", "viewer", None, "test")


@pytest.mark.parametrize(
    ("email", "role", "timezone", "field"),
    [
        ("not-an-email", "viewer", "UTC", "email"),
        ("a@example.com", "owner", "UTC", "role"),
        ("a@example.com", "viewer", "Mars/Olympus", "timezone"),
    ],
)
def test_bad_user_fields_are_named(session, email, role, timezone, field):
    with pytest.raises(ValidationError) as caught:
        service.create_user(session, email, role, None, "test", timezone=timezone)
    assert field in caught.value.fields


def test_token_is_stored_only_as_its_hash(session, make_user):
    user = make_user("viewer")
    token, text = service.create_token(session, user, "test", scope="read-write", days=30)
    session.commit()

    assert text.startswith("trk_")
    assert token.token_hash == hashlib.sha256(text.encode()).hexdigest()
    assert token.prefix == text[:10]
    assert (token.expires_at - token.created_at).days == 30
    stored = session.scalars(select(ApiToken)).one()
    assert text not in (stored.token_hash, stored.prefix)
    assert service.find_token(session, text) is token


@pytest.mark.parametrize(("scope", "days", "field"), [("admin", 30, "scope"), ("read", 0, "days")])
def test_bad_token_requests_are_named(session, make_user, scope, days, field):
    with pytest.raises(ValidationError) as caught:
        service.create_token(session, make_user("viewer"), "test", scope=scope, days=days)
    assert field in caught.value.fields


def test_user_and_token_changes_are_audited_without_secrets(session, make_user):
    user = make_user("viewer")
    _, text = service.create_token(session, user, "command line")
    service.update_user(session, user, {"role": "counsel"}, "command line")
    session.commit()

    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [row.action for row in rows] == ["user.create", "token.create", "user.update"]
    assert rows[2].before and '"role":"viewer"' in rows[2].before
    assert all(text not in (row.after or "") for row in rows)
    assert all("argon2" not in (row.after or "") for row in rows)


def test_unknown_user_is_not_found(session):
    with pytest.raises(NotFound, match="nobody@example.com"):
        service.get_user_by_email(session, "nobody@example.com")


def test_changes_are_logged_by_id_without_personal_data(session, caplog):
    caplog.set_level("INFO", logger="tracker")
    user = service.create_user(session, "ana@example.com", "counsel", None, "command line")
    service.create_token(session, user, user)
    service.authenticate(session, "ana@example.com", "wrong password here")

    messages = [record.getMessage() for record in caplog.records]
    assert f"User {user.id} created with role counsel by command line" in messages
    assert any(m.startswith(f"API token 1 (read) created for user {user.id}") for m in messages)
    assert all("ana@example.com" not in message for message in messages)
