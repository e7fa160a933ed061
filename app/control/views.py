"""Control API views (control-api.md): health, create, get, reset, export, delete.

Every response is built through a model of `app.control.schemas`, the ones the OpenAPI document
is generated from.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from flask import current_app, g, jsonify, request
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from app.automation.journal import record
from app.control.blueprint import bp
from app.control.schemas import (
    ErrorBody,
    Health,
    Ready,
    TenantCreated,
    TenantSummary,
    api,
)
from app.scenarios import (
    ScenarioDoc,
    ScenarioError,
    create_tenant,
    export,
    parse_document,
    parse_text,
    reset_tenant,
)
from app.store import Tenant, db, iso, new_tenant_id, tenant_counts, transaction
from app.store.migrate import current, readiness
from app.tenancy import get_tenant_or_404, tenant_urls
from app.version import __version__

# Open to probes, which carry no token: they reveal no tenant's data.
PROBES = {"control.health", "control.ready"}


class ControlError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@bp.errorhandler(ControlError)
def _control_error(exc: ControlError):
    response = jsonify(error={"code": exc.code, "message": exc.message})
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="enrollsim-control"'
    return response, exc.status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    """Werkzeug's errors (aborts, and a failing view's 500) in the control API's JSON shape."""
    status = exc.code or 500
    message = exc.description or exc.name
    if isinstance(exc, MethodNotAllowed):
        order = ["GET", "POST", "PUT", "PATCH", "DELETE"]  # werkzeug's set has no fixed order
        allowed = sorted(
            (m for m in exc.valid_methods or [] if m not in {"HEAD", "OPTIONS"}),
            key=lambda m: order.index(m) if m in order else len(order),
        )
        message = f"{request.method} is not allowed on {request.path}; use {', '.join(allowed)}."
    elif status == 404 and request.url_rule is None:
        message = f"No control API call at {request.path}; see GET /_sim/openapi.json."
    response = jsonify(error={"code": exc.name.replace(" ", ""), "message": message})
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response, status


def routing_error(exc: HTTPException):
    """A 404 or 405 is raised while routing, before Flask knows the blueprint: under /_sim it
    still answers JSON (app/web.py asks here first); None anywhere else."""
    prefix = bp.url_prefix or ""
    if request.path == prefix or request.path.startswith(f"{prefix}/"):
        return _http_error(exc)
    return None


def _authorized() -> bool:
    token = current_app.config.get("CONTROL_TOKEN")
    if not token:
        return True
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@bp.before_request
def _authorize() -> None:
    if request.endpoint in PROBES or _authorized():
        return
    raise ControlError(401, "Unauthorized", "Control calls need 'Authorization: Bearer <token>'.")


def json_body() -> Any:
    """The decoded JSON body; None when there is none. Errors say where the JSON breaks."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        message = f"body: not UTF-8 text (byte {exc.start + 1})"
        raise ControlError(400, "MalformedJson", message) from None
    except json.JSONDecodeError as exc:
        message = f"body: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise ControlError(400, "MalformedJson", message) from None


def _scenario_from_body() -> ScenarioDoc | None:
    """The optional scenario in the body: JSON, or YAML when the content type says YAML."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        if "yaml" in (request.mimetype or ""):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ControlError(400, "MalformedYaml", "The body is not UTF-8 text.") from None
            return parse_text(text, source="body")
        data = json_body()
        if data is None:  # a literal null: not a document (an empty body is none at all)
            raise ScenarioError("(document): a scenario is a mapping of keys, not null")
        return parse_document(data)
    except ScenarioError as exc:
        code = "MalformedYaml" if exc.code == "MalformedScenario" else exc.code
        raise ControlError(400, code, exc.message) from None


def _summary(tenant: Tenant) -> dict[str, Any]:
    return TenantSummary(
        id=tenant.id,
        company=tenant.company,
        createdDateTime=iso(tenant.created_at),
        **tenant_urls(tenant),
        counts=tenant_counts(tenant.id),
    ).body()


def _seeded(doc: ScenarioDoc | None) -> dict[str, Any]:
    """What a create or reset loaded, for the journal."""
    if doc is None:
        return {"seeded": False}
    return {"seeded": True, "company": doc.company, "users": len(doc.users)}


@bp.get("/health")
@api(responses={200: Health})
def health():
    """Liveness and version, without a token; how many tenants exist, to a caller the control
    API would answer."""
    if not _authorized():
        return Health(status="ok", version=__version__).body(exclude={"tenants"})
    tenants = db.session.scalar(select(func.count()).select_from(Tenant))
    return Health(status="ok", version=__version__, tenants=tenants).body()


@bp.get("/ready")
@api(responses={200: Ready, 503: Ready})
def ready():
    """Readiness, without a token: the database answers and is at the newest schema revision
    (503 with the reason while it is not)."""
    try:
        with db.engine.connect() as connection:
            reason = readiness(connection)
            revision = current(connection)
    except SQLAlchemyError as exc:
        reason, revision = f"The database cannot be reached ({type(exc).__name__}).", None
    if reason is not None:
        return Ready(status="unavailable", revision=revision, reason=reason).body(), 503
    return Ready(status="ready", revision=revision).body(exclude={"reason"})


@bp.post("/tenants")
@api(
    body=ScenarioDoc,
    body_required=False,
    responses={201: TenantCreated, 400: ErrorBody, 401: ErrorBody},
)
def create():
    """Create a tenant, optionally seeded with a scenario: all or nothing."""
    doc = _scenario_from_body()
    tenant = create_tenant(doc, new_tenant_id())
    with transaction():
        record(tenant.id, "control.create", **_seeded(doc))
    return TenantCreated(id=tenant.id, token=tenant.token, **tenant_urls(tenant)).body(), 201


@bp.get("/tenants/<tenant_id>")
@api(responses={200: TenantSummary, 401: ErrorBody, 404: ErrorBody})
def get(tenant_id: str):
    """Summary with counts of users, groups, profiles, devices."""
    return _summary(get_tenant_or_404(tenant_id))


@bp.post("/tenants/<tenant_id>/reset")
@api(
    body=ScenarioDoc,
    body_required=False,
    responses={200: TenantSummary, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody},
)
def reset(tenant_id: str):
    """Replace the tenant's whole state with the body's scenario (empty when none)."""
    tenant = get_tenant_or_404(tenant_id)
    doc = _scenario_from_body()
    reset_tenant(tenant, doc)
    with transaction():
        record(tenant.id, "control.reset", **_seeded(doc))
    return _summary(tenant)


@bp.get("/tenants/<tenant_id>/scenario")
@api(responses={200: ScenarioDoc, 401: ErrorBody, 404: ErrorBody})
def scenario(tenant_id: str):
    """The tenant's whole state as a scenario document, including recorded devices."""
    return jsonify(export(get_tenant_or_404(tenant_id)))


@bp.delete("/tenants/<tenant_id>")
@api(responses={204: None, 401: ErrorBody, 404: ErrorBody})
def remove(tenant_id: str):
    """Delete a tenant and everything in it."""
    tenant = get_tenant_or_404(tenant_id)
    with transaction():
        db.session.execute(delete(Tenant).where(Tenant.id == tenant.id))
    g.pop("tenant", None)
    return "", 204
