"""The service root, and Graph's JSON answer for every URL under a Graph root that names nothing
(any method, any version, an id holding a line break or braces included)."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from app.graph.blueprint import bp
from app.graph.errors import GraphError
from app.graph.odata import base_url
from app.graph.versions import served_here

METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"]
ENTITY_SETS = ["deviceManagement", "groups", "organization", "users"]


class AnyPathConverter(PathConverter):
    """Like `path`, and also across line breaks (`%0a` in an id), so nothing escapes to HTML."""

    regex = "(?s:.+)"
    part_isolating = False


@bp.record_once
def _converter(state) -> None:
    state.app.url_map.converters.setdefault("graphpath", AnyPathConverter)


@bp.before_request
def _version_gate() -> None:
    """A beta-only resource under /v1.0 is an unknown segment there, as Graph answers."""
    if not served_here():
        raise _not_found(request.path.split("/v1.0/", 1)[-1])


@bp.route("/", methods=METHODS)
def root():
    """Service root: the entity sets this simulator serves."""
    if request.method != "GET":
        raise _not_allowed(["GET"])
    return {
        "@odata.context": f"{base_url()}/$metadata",
        "value": [{"kind": "EntitySet", "name": name, "url": name} for name in ENTITY_SETS],
    }


def _not_allowed(allowed: list[str]) -> GraphError:
    return GraphError(
        405,
        f"The method {request.method} is not allowed on this resource; "
        f"allowed: {', '.join(allowed)}.",
        headers={"Allow": ", ".join(allowed)},
    )


def _not_found(rest: str) -> GraphError:
    segment = rest.rstrip("/").rsplit("/", 1)[-1] or rest
    return GraphError(
        404,
        f"Resource not found for the segment '{segment}': the simulator serves no "
        f"{request.method} /{rest}.",
    )


def allowed_methods() -> list[str]:
    """The methods a real route of this URL takes (none: the URL names nothing)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if not endpoint.endswith((".unknown", ".root")):
            allowed.append(method)
    return allowed


@bp.route("/<graphpath:rest>", methods=METHODS)
def unknown(rest: str):
    """404 for a URL no resource has; 405 when the URL exists but not with this method."""
    allowed = allowed_methods()
    if allowed:
        raise _not_allowed(allowed)
    raise _not_found(rest)
