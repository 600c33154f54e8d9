"""Locate the data folders (jurisdictions, templates, migrations) shipped with the package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Return the folder `name` from an installed package or from a source checkout."""
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed

    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout

    raise FileNotFoundError(
        f"The data folder {name!r} was found neither at {installed} nor at {checkout}; "
        "reinstall the package."
    )
