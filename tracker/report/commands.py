"""The `tracker keys`, `tracker report` and `tracker verify` commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..config import load_config
from .models import INCIDENT_KINDS as KINDS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .verify import Verification

# Exit statuses of `tracker verify`.
EXIT_VALID = 0
EXIT_ALTERED = 1  # the signature is broken or content was added after signing
EXIT_UNCONFIRMED = 3  # the bytes are as signed, but the signer or the export is not confirmed


@click.group("keys")
def keys_group() -> None:
    """The organisation's report-signing key."""


@keys_group.command("init")
@click.option("--force", is_flag=True, help="Replace an existing self-signed certificate.")
def keys_init(force: bool) -> None:
    """Create the self-signed organisation certificate in the instance folder."""
    from .keys import SELF_SIGNED_NOTICE, init_keys, load_signing_key

    config = load_config()
    if config.get("SIGNING_P12") or config.get("SIGNING_KEY"):
        key = load_signing_key(config)
        click.echo(f"A signing key is configured ({key.source}): {key.subject}")
        click.echo(f"SHA-256 fingerprint {key.fingerprint}")
        return

    path = init_keys(config, force=force)
    key = load_signing_key(config, create=False)
    click.echo(f"Signing certificate {path}")
    click.echo(f"Subject {key.subject}")
    click.echo(f"SHA-256 fingerprint {key.fingerprint}")
    click.echo(SELF_SIGNED_NOTICE)


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_command(file: Path) -> None:
    """Check a report's signature and content; exit 0 only when it is valid and known."""
    from .service import export_lookup
    from .verify import verify_pdf

    config = load_config()
    with database(config) as session:
        result = verify_pdf(file.read_bytes(), config, export_lookup(session))

    for line in describe(file, result):
        click.echo(line)
    sys.exit(exit_status(result))


def exit_status(result: Verification) -> int:
    if result.is_valid:
        return EXIT_VALID
    if not result.is_authentic:
        return EXIT_ALTERED
    return EXIT_UNCONFIRMED


def describe(file: Path, result: Verification) -> list[str]:
    """The verification as lines of `label  value`, then the problems and the verdict."""
    rows = [
        ("File", str(file)),
        ("SHA-256", result.sha256),
        ("Signer", result.signer or "none found"),
        ("Signed at", result.signed_at.isoformat() if result.signed_at else "unknown"),
        (
            "Timestamp",
            result.timestamped_at.isoformat()
            if result.timestamped_at
            else "none (PAdES B-B: the time is the signer's own claim)",
        ),
        ("Integrity", "intact" if result.is_intact else "BROKEN"),
        ("Signer trust", "trusted" if result.is_trusted else "NOT TRUSTED"),
        ("After signing", "nothing added" if result.is_unmodified else "CHANGED"),
        ("Export record", _describe_export(result)),
        ("Embedded facts", _describe_facts(result)),
    ]
    lines = [f"{label:<15} {value}" for label, value in rows]
    lines += [f"note: {note}" for note in result.notes]
    lines += [f"problem: {problem}" for problem in result.problems]
    lines.append("VALID" if result.is_valid else "NOT VALID")
    return lines


def _describe_export(result: Verification) -> str:
    record = result.export
    if record is None:
        return "none found"
    parts = [f"{key} {record[key]}" for key in _EXPORT_FIELDS if record.get(key) is not None]
    return "; ".join(parts)


_EXPORT_FIELDS = ("id", "kind", "incident_id", "signer", "created_at", "created_by", "path")


def _describe_facts(result: Verification) -> str:
    if result.facts_match is None:
        return "not compared"
    return "match the export record" if result.facts_match else "DIFFER from the export record"


@click.command("report")
@click.argument("incident")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the signed PDF.",
)
@click.option(
    "--submission",
    "obligation_key",
    metavar="OBLIGATION_KEY",
    help="Export the regulator submission for this obligation instead of the full report.",
)
@click.option(
    "--kind",
    type=click.Choice([kind for kind in KINDS if kind != "submission"]),
    default="incident",
    show_default=True,
    help="Which report: the incident compliance report, the post-mortem, the legal hold "
    "report or the chain-of-custody report.",
)
@click.option("--by", "email", help="The user signing, by e-mail; else the organisation.")
@click.option("--reason", help="The reason printed beside the signature.")
def report_command(
    incident: str,
    out: Path,
    obligation_key: str | None,
    kind: str,
    email: str | None,
    reason: str | None,
) -> None:
    """Export the signed report of INCIDENT (its id or reference such as INC-2026-0001)."""
    from .service import export_report, read_pdf

    config = load_config()
    with database(config) as session:
        found = _find_incident(session, incident)
        actor = _find_signer(session, email) if email else None
        export = export_report(
            session,
            found,
            actor,
            config,
            kind="submission" if obligation_key else kind,
            obligation_key=obligation_key,
            reason=reason,
        )
        session.flush()
        data = read_pdf(config, export)

    out.write_bytes(data)
    click.echo(f"Report {export.id} written to {out}")
    click.echo(f"SHA-256 {export.sha256}")


@contextmanager
def database(config: Mapping[str, Any]) -> Iterator[Session]:
    """A session on the configured database, migrated first, committed at the end."""
    from ..db import make_engine, make_session_factory, transaction, upgrade_database

    upgrade_database(config["DATABASE_URL"])
    engine = make_engine(config["DATABASE_URL"])
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _find_incident(session: Session, text: str) -> Any:
    from ..incident.service import get, get_by_reference

    return get(session, int(text)) if text.isdigit() else get_by_reference(session, text)


def _find_signer(session: Session, email: str) -> Any:
    from sqlalchemy import select

    from ..auth.models import User
    from ..auth.permissions import can
    from ..errors import Forbidden, NotFound

    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise NotFound(f"There is no user with the e-mail address {email!r}.")
    if not can(user, "report.sign"):
        raise Forbidden(f"The role {user.role} may not sign reports; counsel may.")
    return user
