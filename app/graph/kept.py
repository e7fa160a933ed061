"""Graph properties kept as given (graph-api.md, "Writes keep what they are given").

A type's *kept* properties are those a tool may POST or PATCH that the simulator stores without
deciding anything by them (a user's department, a group's classification). Each is checked
against its EDM type in Microsoft's v1.0 metadata (app/graph/schema), stored in the entity's
`graph_properties` column and read back on every GET — `null` until set. A read-only property in a
body is refused as Graph refuses it on directory objects; a property the type does not have is
ignored, as Graph ignores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from app.graph import schema
from app.graph.errors import GraphError
from app.store import iso

MAX_TEXT = 1024
MAX_ITEMS = 200
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class KeptProperties:
    """Which properties of `type_name` are kept as given, and which a body may not set."""

    type_name: str
    names: tuple[str, ...]
    read_only: frozenset[str]

    def edm(self, name: str) -> str:
        return schema.v1_types(self.type_name).get(name, "")


def read_only_error(name: str) -> GraphError:
    return GraphError(
        400, f"Property '{name}' is read-only and cannot be set.", code="Request_BadRequest"
    )


def _invalid(name: str, value: Any, edm: str) -> GraphError:
    shown = repr(value) if not isinstance(value, str) else f"'{value[:80]}'"
    return GraphError(
        400,
        f"Invalid value {shown} for property '{name}': expected {edm.removeprefix('Edm.')}.",
        code="Request_BadRequest",
    )


def _scalar(name: str, value: Any, edm: str) -> Any:
    if edm in ("Edm.String", ""):
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise _invalid(name, value, f"a string of at most {MAX_TEXT} characters")
        return value
    if edm == "Edm.Boolean":
        if not isinstance(value, bool):
            raise _invalid(name, value, "Boolean")
        return value
    if edm in ("Edm.Int32", "Edm.Int64"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(name, value, edm)
        return value
    if edm == "Edm.Guid":
        if not isinstance(value, str) or not _GUID.match(value):
            raise _invalid(name, value, "a GUID")
        return value.lower()
    if edm == "Edm.DateTimeOffset":
        try:
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise _invalid(name, value, "an ISO 8601 date and time") from None
        return iso(when if when.tzinfo else when.replace(tzinfo=UTC))
    if edm == "Edm.Date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise _invalid(name, value, "a date (YYYY-MM-DD)") from None
    enum = edm.removeprefix("graph.")
    if enum in schema.known_enums():
        members = schema.enum_members(enum)
        if value not in members:
            raise GraphError(
                400,
                f"Invalid value '{value}' for property '{name}'; allowed values: "
                f"{', '.join(members)}.",
            )
        return value
    if not isinstance(value, dict):  # a complex type: kept as the object given
        raise _invalid(name, value, f"an object of type {enum}")
    return value


def _value(name: str, value: Any, edm: str) -> Any:
    if edm.startswith("Collection("):
        inner = edm[len("Collection(") : -1]
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise _invalid(name, value, f"a list of at most {MAX_ITEMS} items")
        return [_scalar(name, item, inner) for item in value]
    return _scalar(name, value, edm)


def accept(spec: KeptProperties, data: dict[str, Any]) -> dict[str, Any]:
    """The kept properties a body sets, checked (None: the property is cleared)."""
    for name in data:
        if name in spec.read_only:
            raise read_only_error(name)
    kept: dict[str, Any] = {}
    for name in spec.names:
        if name in data:
            value = data[name]
            kept[name] = None if value is None else _value(name, value, spec.edm(name))
    return kept


def shown(spec: KeptProperties, stored: dict[str, Any]) -> dict[str, Any]:
    """Every kept property for a GET: its stored value, else null (or [] for a collection)."""
    return {
        name: stored.get(name, [] if spec.edm(name).startswith("Collection(") else None)
        for name in spec.names
    }
