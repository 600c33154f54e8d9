"""The `tracker keys`, `tracker report` and `tracker verify` commands."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..config import load_config

if TYPE_CHECKING:
    from .verify import ExportLookup, Verification

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
    from .verify import verify_pdf

    config = load_config()
    result = verify_pdf(file.read_bytes(), config, _export_lookup(config))

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


def _export_lookup(config: Mapping[str, Any]) -> ExportLookup | None:
    return None
