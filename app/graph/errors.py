"""Graph's error shape, bearer-token auth and the request ids every response carries.

Every answer of the blueprint — a refused token, an unknown URL, a wrong method, bad input and, as
a last resort, a bug — is `{"error": {"code", "message", "innerError": {...}}}` with the status
Graph uses, so SDKs raise their own typed errors (kiota's APIError) instead of failing to parse.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import UTC, datetime

from flask import current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from app.graph.blueprint import bp

HTTP_CODES = {
    400: "BadRequest",
    401: "InvalidAuthenticationToken",
    403: "Forbidden",
    404: "ResourceNotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
}


class GraphError(Exception):
    """An answer in Graph's error shape; raise it anywhere in a Graph view."""

    def __init__(
        self, status: int, message: str, code: str | None = None, headers: dict | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or HTTP_CODES.get(status, "generalException")
        self.headers = headers or {}


def bad_request(message: str) -> GraphError:
    return GraphError(400, message)


def not_found(kind: str, key: str, directory: bool = False) -> GraphError:
    """Graph's 404: `Request_ResourceNotFound` for directory objects, `ResourceNotFound` else."""
    if directory:
        return GraphError(
            404,
            f"Resource '{key}' does not exist or one of its queried reference-property objects "
            "are not present.",
            code="Request_ResourceNotFound",
        )
    return GraphError(404, f"No {kind} with id '{key}' in this tenant.")


def request_id() -> str:
    if "graph_request_id" not in g:
        g.graph_request_id = str(uuid.uuid4())
    return g.graph_request_id


def client_request_id() -> str:
    given = request.headers.get("client-request-id", "").strip()
    return given[:200] if given else request_id()


def error_response(status: int, code: str, message: str, headers: dict | None = None):
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                "request-id": request_id(),
                "client-request-id": client_request_id(),
            },
        }
    }
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@bp.errorhandler(GraphError)
def _graph_error(exc: GraphError):
    return error_response(exc.status, exc.code, exc.message, exc.headers)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    status = exc.code or 500
    headers = {}
    if status == 405 and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    message = exc.description or exc.name
    if status == 404 and "tenant" not in g:
        message = "No tenant at this URL: it never existed or has been deleted."
    return error_response(
        status, HTTP_CODES.get(status, exc.name.replace(" ", "")), message, headers
    )


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    """A bug, never bad input: log it and still answer in Graph's shape."""
    current_app.logger.exception("Graph request failed: %s %s", request.method, request.path)
    return error_response(
        500, "InternalServerError", "The simulator failed to handle this request (see its log)."
    )


def anonymous(view):
    """Mark a view any caller may read without a token (Graph's `$metadata`)."""
    view.graph_anonymous = True
    return view


@bp.before_request
def _authenticate() -> None:
    """`Authorization: Bearer <tenant token>`; a token of another tenant is no token here."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "graph_anonymous", False):
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    challenge = {"WWW-Authenticate": 'Bearer realm="enrollment-simulator"'}
    if scheme.casefold() != "bearer" or not token:
        raise GraphError(401, "Access token is empty.", headers=challenge)
    if not hmac.compare_digest(token.encode(), g.tenant.token.encode()):
        raise GraphError(
            401,
            "Access token validation failure: this token is not valid for this tenant. "
            "Use the token the control API returned for the tenant of this URL.",
            headers=challenge,
        )


@bp.after_request
def _ids(response):
    response.headers["request-id"] = request_id()
    response.headers["client-request-id"] = client_request_id()
    return response
