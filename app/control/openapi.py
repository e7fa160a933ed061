"""OpenAPI 3.1 for the control API, generated from the routes and the models that check them.

Each control view carries an `@api(...)` mark naming its body, query and response models (see
`app.control.schemas`); this module walks the URL map, reads those marks and asks pydantic for the
JSON Schemas. Nothing here repeats a field by hand.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.config import MAX_REQUEST_BYTES
from app.control.blueprint import bp
from app.control.schemas import ErrorBody
from app.security.hosts import external_url
from app.store import limits
from app.version import __version__

REF = "#/components/schemas/{model}"
PATH_PARAM = re.compile(r"<(?:[a-z_]+:)?([a-z_]+)>")
TITLE = "Enrollment Simulator control API"
DESCRIPTION = (
    "Tenants for testers and parallel test workers: create, seed, reset, export and delete them; "
    "read their journal; trace which enrollment type profile applies to a user; inject faults. "
    "Bodies are JSON (a scenario may also be sent as YAML with a YAML content type). When the "
    "server has ENROLLSIM_CONTROL_TOKEN set, every call needs `Authorization: Bearer <token>`.\n\n"
    "Refused with a 400 on every call, in the error shape below: text holding a NUL character "
    "(\\u0000) or a lone UTF-16 surrogate (\\ud800 without its pair) anywhere in the path, "
    "the query or the body, and a percent-escape in the path or query that decodes to no UTF-8 "
    f"text (`%ED%A0%80`, `%FF`); text over its maxLength (a description: {limits.DESCRIPTION:,} "
    f"characters, a dynamic membership rule: {limits.MEMBERSHIP_RULE:,}, an identifier's "
    f"details: {limits.IDENTIFIER_DETAILS:,}; an events cursor `after`: 20); and "
    "values of the wrong JSON type: booleans are `true`/`false` and integers JSON integers, as "
    'the schemas say (`"true"`, `1` for a boolean or `"7"` for an integer are errors; only query '
    "parameters, which are always text, are read as numbers). A body larger than "
    f"ENROLLSIM_MAX_REQUEST_BYTES ({MAX_REQUEST_BYTES // 2**20} MiB unless set) is a 413."
)
# Every call can meet the refusals above, whatever its own responses.
REFUSED = {400: "Bad input", 413: "Request body too large"}


def _operations() -> list[tuple[str, str, Any]]:
    """(OpenAPI path, method, view) for every marked control view, in URL-map order."""
    found = []
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != bp.name:
            continue
        view = current_app.view_functions[rule.endpoint]
        if not hasattr(view, "api_spec"):
            continue
        path = PATH_PARAM.sub(r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((path, method.lower(), view))
    return found


def _schemas(operations: list[tuple[str, str, Any]]) -> tuple[dict, dict]:
    """JSON Schemas of every model used: requests in validation mode, responses as serialized."""
    wanted: set[tuple[type[BaseModel], str]] = set()
    for _path, _method, view in operations:
        spec = view.api_spec
        if spec["body"] is not None:
            wanted.add((spec["body"], "validation"))
        wanted.update((m, "serialization") for m in _responses(spec).values() if m is not None)
    ordered = sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1]))
    refs, defs = models_json_schema(ordered, ref_template=REF)
    return refs, defs.get("$defs", {})


def _responses(spec: dict[str, Any]) -> dict[int, type[BaseModel] | None]:
    """The view's own responses, and the refusals every call can meet (400 always, 413 when
    it takes a body)."""
    refused = {400: ErrorBody, **({413: ErrorBody} if spec["body"] is not None else {})}
    return {**refused, **spec["responses"]}


def _parameters(path: str, query: type[BaseModel] | None) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{([a-z_]+)}", path)
    ]
    if query is not None:
        schema = query.model_json_schema(ref_template=REF)
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            param: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
            if "description" in prop:
                param["description"] = prop.pop("description")
            prop.pop("title", None)
            param["schema"] = prop
            params.append(param)
    return params


def _response(status: int, model: type[BaseModel] | None, refs: dict) -> dict[str, Any]:
    description = {200: "OK", 201: "Created", 204: "No Content", **REFUSED}.get(
        status, {401: "Control token missing or wrong", 404: "No such tenant or user"}.get(status)
    )
    out: dict[str, Any] = {"description": description}
    if model is not None:
        out["content"] = {"application/json": {"schema": refs[(model, "serialization")]}}
    return out


def build() -> dict[str, Any]:
    """The whole OpenAPI document, with the server's own URL."""
    operations = _operations()
    refs, components = _schemas(operations)
    paths: dict[str, dict[str, Any]] = {}
    for path, method, view in operations:
        spec = view.api_spec
        doc = (view.__doc__ or "").strip()
        summary, _, description = doc.partition("\n")
        operation: dict[str, Any] = {
            "operationId": f"{view.__name__}_{method}" if method != "get" else view.__name__,
            "summary": " ".join(summary.split()),
            "parameters": _parameters(path, spec["query"]),
            "responses": {
                str(status): _response(status, model, refs)
                for status, model in sorted(_responses(spec).items())
            },
        }
        if description.strip():
            operation["description"] = " ".join(description.split())
        if spec["body"] is not None:
            operation["requestBody"] = {
                "required": spec["body_required"],
                "content": {"application/json": {"schema": refs[(spec["body"], "validation")]}},
            }
        paths.setdefault(path, {})[method] = operation
    base = external_url("control.health").removesuffix("/_sim/health")
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": __version__, "description": DESCRIPTION},
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"controlToken": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"controlToken": []}],
    }


@bp.get("/openapi.json")
def openapi():
    """This document."""
    return build()
