"""The service root and the answer for every URL under /beta that names nothing."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import HTTPException

from app.graph.blueprint import bp
from app.graph.errors import GraphError
from app.graph.odata import base_url

METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"]


@bp.get("/")
def root():
    """Service root: the entity sets this simulator serves."""
    names = ["deviceManagement", "groups", "organization", "users"]
    return {
        "@odata.context": f"{base_url()}/$metadata",
        "value": [{"kind": "EntitySet", "name": name, "url": name} for name in names],
    }


@bp.route("/<path:rest>", methods=METHODS)
def unknown(rest: str):
    """404 for a URL no resource has; 405 when the URL exists but not with this method."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if not endpoint.endswith(".unknown"):
            allowed.append(method)
    if allowed:
        raise GraphError(
            405,
            f"The method {request.method} is not allowed on this resource; "
            f"allowed: {', '.join(allowed)}.",
            headers={"Allow": ", ".join(allowed)},
        )
    segment = rest.rstrip("/").rsplit("/", 1)[-1] or rest
    raise GraphError(
        404,
        f"Resource not found for the segment '{segment}': the simulator serves no "
        f"{request.method} /{rest}.",
    )
