"""Pydantic's complaints about a data file (a rule file, a playbook) in the product's words.

Each failing field is named by its path in the file, with list positions in brackets
(`rules[2].period`), beside a sentence of what was expected. The loaders of jurisdictions/
and playbooks/ share this, so that both kinds of file are refused the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError as PydanticValidationError


def field_problems(
    exc: PydanticValidationError, fields_doc: str, wording: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each failing field's path, with its problem; `wording` overrides it by error type.

    `fields_doc` names the document that lists the fields, for the unknown-field message.
    """
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        fields.setdefault(location(error["loc"]), _problem(error, fields_doc, wording or {}))
    return fields


def location(parts: tuple[Any, ...]) -> str:
    """The path of a field in the file, as `steps[0].id`; validator names are left out."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "[" in str(part) or str(part).startswith("function-"):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _problem(error: Mapping[str, Any], fields_doc: str, wording: Mapping[str, str]) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind in wording:
        return wording[kind].format(given=given)
    if kind == "extra_forbidden":
        return f"unknown field; check its spelling against {fields_doc}"
    if kind == "missing":
        return "this field is required"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}; got {given!r}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return f"{error['msg']}; got {given!r}"
