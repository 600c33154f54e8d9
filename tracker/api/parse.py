"""Read API requests: JSON bodies and query strings, refused with the field that is wrong."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from werkzeug.datastructures import FileStorage

from ..errors import TrackerError, ValidationError
from ..facts import Facts, parse_facts

M = TypeVar("M", bound=BaseModel)

JSON_TYPE = "application/json"
MULTIPART_TYPE = "multipart/form-data"


class MalformedBody(TrackerError):
    """A body that is not JSON at all."""

    status_code = 400


class UnsupportedMediaType(TrackerError):
    status_code = 415


def json_body(optional: bool = False) -> Any:
    """The request's JSON body; None when `optional` and the request has no body."""
    data = request.get_data(cache=True)
    if optional and not data:
        return None
    if request.mimetype != JSON_TYPE:
        shown = request.mimetype or "none"
        raise UnsupportedMediaType(
            f"Send the body as JSON with the header Content-Type: {JSON_TYPE}; got {shown}.",
            {"Content-Type": f"expected {JSON_TYPE}"},
        )
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedBody(
            f"The request body is not valid JSON: {exc}.", {"": "expected a JSON document"}
        ) from None


def files(name: str) -> list[FileStorage]:
    """The files of the multipart field `name`; any other field is refused by its name."""
    if request.mimetype != MULTIPART_TYPE:
        shown = request.mimetype or "none"
        raise UnsupportedMediaType(
            f"Send the files as {MULTIPART_TYPE}, each in the field {name}; got {shown}.",
            {"Content-Type": f"expected {MULTIPART_TYPE}"},
        )
    problems = {
        field: "unknown field; check its spelling against the API document"
        for field in sorted({*request.files, *request.form} - {name})
    }
    if name in request.form:
        problems[name] = "expected files, not text"
    if problems:
        first = next(iter(problems))
        raise ValidationError(
            f"The form field {first!r} cannot be used: {problems[first]}; send files in {name}.",
            problems,
        )
    return request.files.getlist(name)


def facts_body() -> Facts:
    """The request body as an incident-facts/1 document."""
    return parse_facts(json_body())


def body(model: type[M], optional: bool = False) -> M:
    """The JSON body validated against `model`; an empty optional body gives the defaults."""
    document = json_body(optional)
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ValidationError(
            "The request body must be a JSON object.", {"": "expected a JSON object"}
        )
    return validate(model, document, "request body")


def query(model: type[M]) -> M:
    """The query string validated against `model`; a parameter given twice is refused."""
    values: dict[str, str] = {}
    for name, given in request.args.lists():
        if len(given) > 1:
            raise ValidationError(
                f"The query parameter {name} is given {len(given)} times; give it once.",
                {name: "expected once"},
            )
        values[name] = given[0]
    return validate(model, values, "query")


def validate(model: type[M], document: dict[str, Any], where: str) -> M:
    try:
        return model.model_validate(document)
    except PydanticValidationError as exc:
        fields = field_messages(exc)
        name, problem = next(iter(fields.items()))
        raise ValidationError(f"The {where} is not valid: {name}: {problem}.", fields) from None


def field_messages(exc: PydanticValidationError) -> dict[str, str]:
    """Each failing field as a dotted path, with what it expected."""
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        parts = [str(part) for part in error["loc"] if not _is_type_tag(part)]
        fields.setdefault(".".join(parts), describe(error))
    return fields


def describe(error: Any) -> str:
    kind = error["type"]
    given = error.get("input")
    context = error.get("ctx", {})
    if kind == "extra_forbidden":
        return "unknown field; check its spelling against the API document"
    if kind == "missing":
        return "this field is required"
    if kind == "literal_error":
        return f"expected one of {context.get('expected', '')}; got {given!r}"
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind == "greater_than_equal":
        return f"expected a number of {context.get('ge')} or more; got {given!r}"
    if kind == "less_than_equal":
        return f"expected a number of at most {context.get('le')}; got {given!r}"
    if kind == "string_too_short":
        least = context.get("min_length", 1)
        return (
            "this field must not be empty"
            if least == 1
            else f"expected at least {least} characters"
        )
    if kind == "string_too_long":
        return f"expected at most {context.get('max_length')} characters"
    if kind.startswith("int_"):
        return f"expected a whole number; got {given!r}"
    if kind.startswith("date_"):
        return f"expected a date as YYYY-MM-DD; got {given!r}"
    if kind == "string_type":
        return f"expected text; got {given!r}"
    return f"{error['msg']}; got {given!r}"


def _is_type_tag(part: Any) -> bool:
    # Pydantic adds validator names such as "function-after[...]" to locations.
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))
