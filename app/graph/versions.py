"""Graph's two versions as views of one implementation: `/beta` and `/v1.0` are the same routes,
and a v1.0 answer is the beta answer seen through v1.0's property sets and enums
(app/graph/schema: Microsoft's published lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request

from app.graph import schema

BETA, V1 = "beta", "v1.0"
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
    """`data` (beta JSON of `type_name`) as the request's version shows it."""
    if version() == BETA:
        return data
    v1 = schema.v1_properties(type_name.removeprefix("microsoft.graph."))
    if v1 is None:
        return data
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name.startswith("@") or name in v1:
            enum = schema.enum_of(type_name.removeprefix("microsoft.graph."), name)
            out[name] = schema.v1_member(enum, value) if enum else value
        elif "@" in name:  # an annotation of a kept property
            out[name] = value
    return out
