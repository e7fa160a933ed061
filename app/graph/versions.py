"""Graph's two versions as views of one implementation: `/beta` and `/v1.0` are the same routes,
and a v1.0 answer is the beta answer seen through v1.0's property sets and enums
(app/graph/schema: Microsoft's published lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request

from app.graph import schema

BETA, V1 = "beta", "v1.0"
EXTENSION_PREFIX = "enrollmentSimulator"  # the simulator's own properties, shown in both versions
V1_BLUEPRINT = "graph_v1"


def version() -> str:
    """The version of the request being served (the registration that routed it)."""
    return V1 if (request.blueprint or "").startswith(V1_BLUEPRINT) else BETA


def beta_only(view: Callable) -> Callable:
    """Mark a view whose resource Graph v1.0 does not have: under /v1.0 it is an unknown segment."""
    view.graph_beta_only = True  # type: ignore[attr-defined]
    return view


def served_here() -> bool:
    """False for a beta-only resource asked for under /v1.0."""
    if version() == BETA or request.endpoint is None:
        return True
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, "graph_beta_only", False)


def view_of(type_name: str, data: dict[str, Any]) -> dict[str, Any]:
    """`data` (beta JSON of `type_name`) as the request's version shows it: v1.0's properties
    (nested complex values by v1.0's own lists), beta-only enum members as `unknownFutureValue`,
    annotations and the simulator's extension properties as they are."""
    if version() == BETA:
        return data
    name = type_name.removeprefix("microsoft.graph.")
    v1 = schema.v1_properties(name)
    if v1 is None:
        return data
    out: dict[str, Any] = {}
    for prop, value in data.items():
        if prop in v1:
            out[prop] = _v1_value(name, prop, value)
        elif prop.startswith(("@", EXTENSION_PREFIX)) or "@" in prop:
            out[prop] = value  # an annotation (of a kept property too), or an extension
    return out


def _v1_value(type_name: str, prop: str, value: Any) -> Any:
    enum = schema.enum_of(type_name, prop)
    if enum:
        return schema.v1_member(enum, value)
    complex_type = schema.complex_of(type_name, prop)
    if complex_type is None or not isinstance(value, dict):
        return value
    return _v1_complex(complex_type, value)


def complex_view_of(complex_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A complex value (beta JSON) as the request's version shows it."""
    return data if version() == BETA else _v1_complex(complex_type, data)


def _v1_complex(complex_type: str, data: dict[str, Any]) -> dict[str, Any]:
    names = schema.v1_complex_properties(complex_type)
    if names is None:
        return data
    return {k: v for k, v in data.items() if k in names or k.startswith("@")}
