"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_DISTINCT = 5  # "aaaaaaaaaaaa" and "121212121212" are long, not strong

_hasher = PasswordHasher()


def check_password_rules(password: str, email: str = "") -> None:
    """Refuse a password that is too short, too long, too repetitive, or the e-mail address."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            f"The password has {len(password)} characters; it needs at least {MIN_LENGTH}.",
            {"password": f"at least {MIN_LENGTH} characters"},
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(
            f"The password is longer than {MAX_LENGTH} characters; choose a shorter one.",
            {"password": f"at most {MAX_LENGTH} characters"},
        )
    if len(set(password)) < MIN_DISTINCT:
        raise ValidationError(
            f"The password repeats too few characters; use at least {MIN_DISTINCT} different "
            "characters, such as a few unrelated words.",
            {"password": f"at least {MIN_DISTINCT} different characters"},
        )
    if email and password.strip().lower() == email.strip().lower():
        raise ValidationError(
            "The password must not be the account's e-mail address.",
            {"password": "must differ from the e-mail address"},
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; always does the work of one verification."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    # Verified against when no account matches, so that a wrong e-mail costs as long as a
    # wrong password and the timing does not tell which accounts exist.
    return _hasher.hash("no account has this password")


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
