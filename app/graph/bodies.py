"""Request bodies: JSON only, validated by pydantic models written with Graph's property names.

Unknown properties are ignored, as Graph does; a wrong type, an unknown enum member or a missing
required property is a 400 that names the property (and, for enums, the allowed values).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.graph.errors import GraphError, bad_request
from app.store import limits

M = TypeVar("M", bound=BaseModel)
# Free text, capped as on every face (app.store.limits). NUL and lone surrogates never get this
# far: app.inputs refuses them for the whole request body.
Description = Annotated[str, Field(max_length=limits.DESCRIPTION)]
IdentifierDetails = Annotated[str, Field(max_length=limits.IDENTIFIER_DETAILS)]
MembershipRule = Annotated[str, Field(max_length=limits.MEMBERSHIP_RULE)]


class Body(BaseModel):
    """A Graph request body: camelCase names, extra keys ignored, no silent type coercion."""

    model_config = ConfigDict(extra="ignore", strict=True, populate_by_name=True)


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def json_body(required: bool = True) -> dict[str, Any]:
    """The decoded JSON object of the request; `{}` for an empty body when not required."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise bad_request("A request body is required: a JSON object.")
        return {}
    if not _is_json(request.mimetype or ""):
        given = request.mimetype or "none"
        raise GraphError(
            415, f"Content-Type '{given}' is not supported; send the body as application/json."
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad_request("The request body is not valid UTF-8 JSON.") from None
    except RecursionError:
        raise bad_request("The request body is nested too deeply.") from None
    except json.JSONDecodeError as exc:
        raise bad_request(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."
        ) from None
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    return data


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: dict[str, Any]) -> str:
    loc = tuple(
        p for p in err["loc"] if not (isinstance(p, str) and ("function-" in p or "[" in p))
    )
    where = _path(loc)
    kind = err["type"]
    if kind == "missing":
        return f"The property '{where}' is required."
    if kind in ("literal_error", "enum"):
        allowed = err.get("ctx", {}).get("expected", "")
        return (
            f"Invalid value {json.dumps(err['input'])} for property '{where}'; "
            f"allowed values: {allowed.replace(' or ', ', ').replace(chr(39), '')}."
        )
    if kind == "value_error":
        return f"Invalid value for property '{where}': {err['ctx']['error']}"
    shown = json.dumps(err["input"], default=str)
    return f"Invalid value {shown} for property '{where}': {err['msg']}."


def parse(model: type[M], data: dict[str, Any] | None = None) -> M:
    """Validate the request body (or `data`) with `model`; a Graph 400 on the first problem."""
    if data is None:
        data = json_body()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise bad_request(_message(exc.errors()[0])) from None


def given(body: BaseModel, name: str) -> bool:
    """Whether a PATCH body sets `name` (absent properties keep their value)."""
    return name in body.model_fields_set


def create_data() -> dict[str, Any]:
    """The body of a create (POST): a property given as `null` is a property not set, as Graph
    reads it, so it takes its default."""
    return {name: value for name, value in json_body().items() if value is not None}
