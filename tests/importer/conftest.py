"""Helpers for the import tests: the real files, and small files written for one case."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest


def _real_folder() -> Path:
    """The real-data folder: TRACKER_REAL_DATA, else the first shared/data/real above, else
    the copies of the Washington and Maine files kept beside these tests."""
    if os.environ.get("TRACKER_REAL_DATA"):
        return Path(os.environ["TRACKER_REAL_DATA"])
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "real"
        if candidate.is_dir():
            return candidate
    return Path(__file__).parent / "data"


REAL = _real_folder()
WA_FILE = REAL / "wa_ago_breach_notifications_20240523.csv"
MAINE_FILE = REAL / "maine_ag_breach_notices_2018-12_to_2020-09.csv"


def real_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})
    return path
