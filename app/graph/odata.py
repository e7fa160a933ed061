"""OData conventions: `@odata.context`, `$select`, `$orderby`, `$top`/`$skip` with
`@odata.nextLink`, `$count`, `$filter` (see filters.py), and the journal line of every write.

Collections are small (one tenant's test data), so a view hands over every entity already in
Graph's JSON and this module filters, sorts, pages and projects them — the same code for every
collection, so each query option behaves the same everywhere.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Response, g, request

from app.automation.journal import record
from app.graph.errors import bad_request
from app.graph.filter_bounds import check_filter_bounds
from app.graph.filters import parse_filter
from app.security.hosts import external_url

MAX_TOP = 999
COLLECTION_OPTIONS = {"$filter", "$select", "$orderby", "$top", "$skip", "$skiptoken", "$count"}
ENTITY_OPTIONS = {"$select"}


@dataclass(frozen=True)
class Resource:
    """How one collection is queried: its entity set (for the context URL), its Graph type, the
    properties its entities have and those `$filter` evaluates (with their JSON type)."""

    entity_set: str
    type_name: str
    properties: tuple[str, ...]
    filterable: dict[str, type] = field(default_factory=dict)
    expandable: frozenset[str] = frozenset()


def base_url() -> str:
    """This tenant's Graph base URL, e.g. http://host/t/<id>/beta."""
    return external_url(".root").rstrip("/")


def context(entity_set: str, select: list[str] | None = None, entity: bool = False) -> str:
    projection = f"({','.join(select)})" if select else ""
    return f"{base_url()}/$metadata#{entity_set}{projection}{'/$entity' if entity else ''}"


def _options(allowed: set[str]) -> dict[str, str]:
    """The `$` query options of the request; unknown or unsupported ones are refused."""
    options: dict[str, str] = {}
    for key, value in request.args.items(multi=True):
        if not key.startswith("$"):
            continue
        if key not in allowed:
            raise bad_request(
                f"Query option '{key}' is not supported here; supported: "
                f"{', '.join(sorted(allowed))}."
            )
        if key in options:
            raise bad_request(f"Query option '{key}' is given more than once.")
        options[key] = value
    return options


def _select(text: str | None, sample: Iterable[str], type_name: str) -> list[str] | None:
    if text is None:
        return None
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise bad_request("Invalid $select: give one or more property names.")
    known = {name.casefold(): name for name in sample if not name.startswith("@")}
    selected = []
    for name in names:
        canonical = known.get(name.casefold())
        if canonical is None:
            raise bad_request(f"Could not find a property named '{name}' on type '{type_name}'.")
        if canonical not in selected:
            selected.append(canonical)
    return selected


def _project(
    entity: dict[str, Any], select: list[str] | None, expanded: set[str]
) -> dict[str, Any]:
    if select is None:
        return entity
    kept = [*select, *(name for name in sorted(expanded) if name not in select)]
    return {"@odata.type": entity["@odata.type"], **{name: entity.get(name) for name in kept}}


def expansions(resource: Resource | None = None) -> set[str]:
    """The navigation properties `$expand` asks for; only those `resource` can expand."""
    text = request.args.get("$expand")
    if text is None:
        return set()
    names = [part.strip() for part in text.split(",") if part.strip()]
    known = {name.casefold(): name for name in (resource.expandable if resource else ())}
    if resource is not None:
        for name in names:
            if name.casefold() not in known:
                allowed = ", ".join(sorted(resource.expandable)) or "nothing"
                raise bad_request(
                    f"$expand of '{name}' is not supported here; expandable: {allowed}."
                )
    return {known.get(name.casefold(), name) for name in names}


def _sort_key(value: Any) -> tuple:
    """Nulls first in ascending order, strings without regard to case, as Graph sorts."""
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.casefold())
    if isinstance(value, bool | int | float):
        return (1, float(value))
    return (1, str(value))


def _order(entities: list[dict], text: str, properties: Iterable[str]) -> list[dict]:
    parts = text.split()
    if not parts or "," in text:
        raise bad_request("$orderby takes one property, optionally followed by asc or desc.")
    if len(parts) > 2 or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc")):
        raise bad_request(f"Invalid $orderby '{text}': give a property, then asc or desc.")
    known = {name.casefold(): name for name in properties if not name.startswith("@")}
    prop = known.get(parts[0].casefold())
    if prop is None:
        raise bad_request(f"$orderby: could not find a property named '{parts[0]}'.")
    descending = len(parts) == 2 and parts[1].lower() == "desc"
    return sorted(entities, key=lambda e: _sort_key(e.get(prop)), reverse=descending)


def _int_option(name: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise bad_request(f"Invalid {name} '{text}': give a whole number.") from None
    if not low <= value <= high:
        raise bad_request(f"Invalid {name} '{text}': give a number from {low} to {high}.")
    return value


def _skiptoken(text: str) -> int:
    try:
        decoded = base64.urlsafe_b64decode(text.encode() + b"==").decode()
        offset = int(decoded.removeprefix("skip:"))
        if not decoded.startswith("skip:") or offset < 0:
            raise ValueError
        return offset
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_request(
            "Invalid $skiptoken: use the @odata.nextLink the previous page gave."
        ) from None


def _next_link(offset: int) -> str:
    token = base64.urlsafe_b64encode(f"skip:{offset}".encode()).decode().rstrip("=")
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("$skiptoken", "$skip")]
    args.append(("$skiptoken", token))
    return f"{request.base_url}?{urlencode(args)}"


def _filtered(resource: Resource, entities: list[dict[str, Any]], text: str) -> list[dict]:
    check_filter_bounds(text)  # before parsing: no filter nests deep enough to exhaust the stack
    predicate = parse_filter(text, resource.filterable)
    return [e for e in entities if predicate(e)]


def collection(resource: Resource, entities: list[dict[str, Any]]) -> dict[str, Any] | Response:
    """The Graph answer for a collection, with every query option of the request applied;
    at `<collection>/$count`, the number of (filtered) entities as text, as Graph answers."""
    if request.path.endswith("/$count"):
        options = _options({"$filter"})
        if "$filter" in options:
            entities = _filtered(resource, entities, options["$filter"])
        return Response(str(len(entities)), mimetype="text/plain")
    options = _options(COLLECTION_OPTIONS | ({"$expand"} if resource.expandable else set()))
    expanded = expansions(resource)
    select = _select(options.get("$select"), resource.properties, resource.type_name)
    if "$filter" in options:
        entities = _filtered(resource, entities, options["$filter"])
    if "$orderby" in options:
        entities = _order(entities, options["$orderby"], resource.properties)
    count = options.get("$count")
    if count is not None and count not in ("true", "false"):
        raise bad_request("Invalid $count: use $count=true or $count=false.")
    offset = 0
    if "$skiptoken" in options:
        offset = _skiptoken(options["$skiptoken"])
    elif "$skip" in options:
        offset = _int_option("$skip", options["$skip"], 0, 2**31 - 1)
    top = _int_option("$top", options["$top"], 1, MAX_TOP) if "$top" in options else None
    page = entities[offset : offset + top] if top is not None else entities[offset:]
    body: dict[str, Any] = {"@odata.context": context(resource.entity_set, select)}
    if count == "true":
        body["@odata.count"] = len(entities)
    if top is not None and offset + top < len(entities):
        body["@odata.nextLink"] = _next_link(offset + top)
    body["value"] = [_project(e, select, expanded) for e in page]
    return body


def entity(resource: Resource, data: dict[str, Any], entity_set: str | None = None) -> dict:
    """The Graph answer for one entity, with `$select` applied."""
    options = _options(ENTITY_OPTIONS | ({"$expand"} if resource.expandable else set()))
    expanded = expansions(resource)
    select = _select(options.get("$select"), resource.properties, resource.type_name)
    where = entity_set or resource.entity_set
    return {
        "@odata.context": context(where, select, entity=True),
        **_project(data, select, expanded),
    }


def journal(action: str, resource: str, key: str, *, user: str = "", **detail: Any) -> None:
    """One journal line per write, inside the caller's transaction (`user`: whose it concerns)."""
    record(
        g.tenant.id, "graph.write", user=user, action=action, resource=resource, id=key, **detail
    )
