"""Response details as Graph writes them, for every view of the blueprint at once: a `201` names
the new entity in `Location`, a `204` carries neither a body nor a content type."""

from __future__ import annotations

from flask import Response, request

from app.graph.blueprint import bp
from app.graph.odata import base_url
from app.graph.versions import version


def no_content() -> Response:
    """Graph's `204 No Content`."""
    return Response(status=204)


def entity_location(entity_id: str) -> str:
    """The canonical URL of an entity created by POST to the request's collection."""
    marker = f"/{version()}/"
    rest = request.path.split(marker, 1)[1] if marker in request.path else ""
    return f"{base_url()}/{rest.rstrip('/')}/{entity_id}"


@bp.after_request
def _graph_shape(response: Response) -> Response:
    if response.status_code == 204:
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
        response.headers.pop("Content-Length", None)
    elif response.status_code == 201 and "Location" not in response.headers:
        data = response.get_json(silent=True) if response.is_json else None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            response.headers["Location"] = entity_location(data["id"])
    return response
