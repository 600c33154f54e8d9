"""Configuration: TRACKER_* environment variables over instance/tracker.toml over defaults."""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

ENV_PREFIX = "TRACKER_"
INSTANCE_FILE = "tracker.toml"

# Every setting the product reads, with its default. The embedded run needs none of them.
DEFAULTS: dict[str, Any] = {
    "INSTANCE": "instance",
    "DATABASE_URL": None,  # None: SQLite file tracker.db in the instance folder
    "SECRET_KEY": None,  # None: generated once and kept in the instance folder
    "SMTP_URL": None,  # None: mail stays in the outbox
    "SMTP_TIMEOUT": 10,  # seconds for each step of an SMTP conversation
    "MAIL_ATTEMPTS": 5,  # delivery attempts before a message is marked failed
    "MAIL_RETRY_SECONDS": 60,  # the first retry's delay; each later one doubles it
    "MAIL_FROM": "tracker@localhost",
    "BASE_URL": "http://127.0.0.1:5000",
    "SESSION_HOURS": 8,
    "LOGIN_MAX_FAILURES": 5,  # failed sign-ins within LOGIN_LOCK_MINUTES that lock an account
    "LOGIN_LOCK_MINUTES": 15,
    "MAX_UPLOAD_MB": 20,
    "EVIDENCE_UPLOAD_MB": 2048,  # evidence files (disk images, mail exports) stream to disk
    "ATTACHMENT_MAX_MB": 10,  # the largest proof file of a notice
    "DISPLAY_TIMEZONE": "UTC",
    "POLICY_TARGET_HOURS": 72,
    "LOG_LEVEL": "INFO",
    "PAPER": "A4",  # A4 or Letter, for every PDF report
    "CONFIDENTIALITY_MARKING": "Privileged & Confidential — Attorney Work Product",
    "SIGNING_P12": None,  # a PKCS#12 file with the organisation's signing key and chain
    "SIGNING_PASSWORD": None,  # its password, or the PEM key's
    "SIGNING_KEY": None,  # or a PEM private key ...
    "SIGNING_CERT": None,  # ... with its PEM certificate (and chain)
    "SIGNING_ORGANISATION": "Tracker organisation",  # the self-signed certificate's subject
    "TSA_URL": None,  # a RFC 3161 timestamp authority: signatures become PAdES B-T
    "TRUST_ROOTS": None,  # PEM files of trusted roots, separated by commas
    "REMINDER_STEPS": "half, 24h, 4h, 1h, due",  # before the deadline: half the period ...
    "REMINDER_OVERDUE": "daily",  # daily, weekly or none, while a deadline is missed
    "REMINDER_OVERRIDES": None,  # {"severity:SEV-1" = {steps = [...], overdue = "daily"}}
    "REMINDER_COUNSEL": None,  # addresses, by commas; None: every active counsel user
    "REMINDER_ESCALATION": None,  # addresses once overdue; None: every active administrator
    "SCHEDULER_SECONDS": 60,  # how often the scheduler runs the reminder sweep
    "HOLD_REMINDER_DAYS": 3,  # remind a custodian who has not acknowledged after this many days
    "HOLD_ESCALATION_DAYS": 4,  # then tell the manager and counsel this many days later
    "HOLD_RENOTICE_DAYS": 90,  # send the notice of a long hold again this often
    "HOLD_LINK_DAYS": 30,  # a custodian's personal link works this long
}

_INTEGER_KEYS = {
    "SMTP_TIMEOUT",
    "MAIL_ATTEMPTS",
    "MAIL_RETRY_SECONDS",
    "SESSION_HOURS",
    "LOGIN_MAX_FAILURES",
    "LOGIN_LOCK_MINUTES",
    "MAX_UPLOAD_MB",
    "EVIDENCE_UPLOAD_MB",
    "HOLD_REMINDER_DAYS",
    "HOLD_ESCALATION_DAYS",
    "HOLD_RENOTICE_DAYS",
    "HOLD_LINK_DAYS",
    "ATTACHMENT_MAX_MB",
    "POLICY_TARGET_HOURS",
    "SCHEDULER_SECONDS",
}


def load_config(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Merge defaults, the instance file and the environment; `overrides` win over all."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)

    instance = Path(
        (overrides or {}).get("INSTANCE") or environ.get(ENV_PREFIX + "INSTANCE") or "instance"
    ).resolve()
    config.update(_read_instance_file(instance / INSTANCE_FILE))

    for key in DEFAULTS:
        value = environ.get(ENV_PREFIX + key)
        if value not in (None, ""):
            config[key] = value
    config.update(overrides or {})

    config["INSTANCE"] = str(instance)
    for key in _INTEGER_KEYS:
        config[key] = _as_int(key, config[key])
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'tracker.db'}"
    return config


def is_set(key: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a setting is given by the environment or the instance file, not its default."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_PREFIX + key) not in (None, ""):
        return True
    instance = Path(environ.get(ENV_PREFIX + "INSTANCE") or "instance").resolve()
    return key in _read_instance_file(instance / INSTANCE_FILE)


def served_base_url(host: str, port: int, environ: Mapping[str, str] | None = None) -> str | None:
    """The address links point to when serving on host:port, or None when BASE_URL is set.

    A server on every interface (0.0.0.0, ::) is reached through this machine's name.
    """
    if is_set("BASE_URL", environ):
        return None
    name = host.strip() or "127.0.0.1"
    if _is_every_interface(name):
        name = socket.getfqdn()
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return f"http://{name}:{port}"


def _is_every_interface(host: str) -> bool:
    if host == "*":
        return True
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def ensure_secret_key(config: dict[str, Any]) -> str:
    """Return the configured secret key, or the instance folder's own (made on first use)."""
    if config.get("SECRET_KEY"):
        return str(config["SECRET_KEY"])

    path = Path(config["INSTANCE"]) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _read_instance_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The configuration file {path} is not valid TOML: {exc}.") from exc

    unknown = sorted(set(data) - set(DEFAULTS))
    if unknown:
        raise ConfigError(
            f"The configuration file {path} has unknown settings {', '.join(unknown)}; "
            f"accepted are {', '.join(sorted(DEFAULTS))}."
        )
    return data


def _as_int(key: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"The setting {ENV_PREFIX}{key} must be a whole number, not {value!r}."
        ) from None
