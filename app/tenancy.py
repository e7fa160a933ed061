"""Tenants in URLs: each face served per tenant, the tenant popped from the URL, each face's URLs.

Every face (portal, admin, Graph) is served twice: at `/<face>` for the default tenant and at
`/t/<tenant_id>/<face>` for any other. Views never see the tenant id: it is popped from the URL
into `g.tenant`, and `url_for(".endpoint")` keeps to the registration that served the request.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, Flask, abort, g, url_for

from app.retention.activity import seen
from app.security.hosts import external_url
from app.store import (
    DEFAULT_TENANT,
    CorporateIdentifier,
    EnrollmentProfile,
    Group,
    ManagedDevice,
    Tenant,
    User,
    db,
    get_tenant,
)

_Row = TypeVar("_Row", CorporateIdentifier, EnrollmentProfile, Group, ManagedDevice, User)

TENANT_SUFFIX = "_t"


def _pop_tenant(endpoint: str | None, values: dict | None) -> None:
    tenant_id = (values or {}).pop("tenant_id", DEFAULT_TENANT)
    g.tenant = get_tenant_or_404(tenant_id)


def _add_tenant(endpoint: str, values: dict) -> None:
    if endpoint.split(".")[0].endswith(TENANT_SUFFIX) and "tenant" in g:
        values.setdefault("tenant_id", g.tenant.id)


def register_tenant_blueprint(
    app: Flask, bp: Blueprint, prefix: str, name: str | None = None
) -> None:
    """Serve `bp` for the default tenant at /<prefix> and for any tenant at /t/<id>/<prefix>
    (`name`: the registration's name when one blueprint is served at several prefixes)."""
    name = name or bp.name
    # Blueprints are module globals: add the hooks once, however many apps a process creates.
    if _pop_tenant not in bp.url_value_preprocessors.get(None, []):
        bp.url_value_preprocessor(_pop_tenant)
        bp.url_defaults(_add_tenant)
    app.register_blueprint(
        bp, url_prefix=f"/{prefix}", name=name, url_defaults={"tenant_id": DEFAULT_TENANT}
    )
    app.register_blueprint(bp, url_prefix=f"/t/<tenant_id>/{prefix}", name=f"{name}{TENANT_SUFFIX}")


def get_tenant_or_404(tenant_id: str) -> Tenant:
    tenant = get_tenant(tenant_id)
    if tenant is None:
        abort(404, description=f"No tenant with id '{tenant_id}'.")
    seen(tenant.id)  # for removing idle tenants (ENROLLSIM_IDLE_TENANT_TTL); cheap
    return tenant


def tenant_row(model: type[_Row], row_id: str) -> _Row | None:
    """The current tenant's (g.tenant) row with this id: another tenant's row is as unknown here
    as one that never existed, whichever face asks."""
    row = db.session.get(model, row_id)
    return row if row is not None and row.tenant_id == g.tenant.id else None


def face_endpoint(face: str, endpoint: str, tenant_id: str) -> str:
    """The endpoint name of `face` (portal, admin, graph) for a tenant."""
    suffix = "" if tenant_id == DEFAULT_TENANT else TENANT_SUFFIX
    return f"{face}{suffix}.{endpoint}"


def face_url(face: str, endpoint: str, tenant_id: str, **values) -> str:
    """A URL of another face of the same tenant, e.g. the admin console from the portal."""
    if tenant_id != DEFAULT_TENANT:
        values["tenant_id"] = tenant_id
    return url_for(face_endpoint(face, endpoint, tenant_id), **values)


def tenant_urls(tenant: Tenant) -> dict[str, str]:
    """Absolute URLs of the tenant's faces, as the control API returns them."""
    base = external_url("control.health").removesuffix("/_sim/health")
    prefix = "" if tenant.id == DEFAULT_TENANT else f"/t/{tenant.id}"
    return {
        "portalUrl": f"{base}{prefix}/portal/",
        "adminUrl": f"{base}{prefix}/admin/",
        "graphBaseUrl": f"{base}{prefix}/beta",
    }
