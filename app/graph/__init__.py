"""Blueprint: the Graph-compatible API (graph-api.md), served at each tenant's graphBaseUrl."""

from flask import Flask

from app.graph import (  # noqa: F401  (modules register their routes on bp)
    assignments,
    batch,
    branding,
    delta,
    device_actions,
    devices,
    enrollment_configurations,
    errors,
    groups,
    identities,
    members,
    metadata,
    profiles,
    responses,
    tenant,
    users,
    views,
)
from app.graph.blueprint import bp
from app.graph.urls import GraphUrls
from app.graph.versions import V1_BLUEPRINT

__all__ = ["bp", "register"]


def register(app: Flask) -> None:
    """Serve the API under /beta and /v1.0 (and each tenant's /t/<id>/...), one blueprint for
    both, behind the middleware that reads URLs as Graph does."""
    from app.tenancy import register_tenant_blueprint

    register_tenant_blueprint(app, bp, "beta")
    register_tenant_blueprint(app, bp, "v1.0", name=V1_BLUEPRINT)
    app.wsgi_app = GraphUrls(app.wsgi_app, app)  # type: ignore[method-assign]
