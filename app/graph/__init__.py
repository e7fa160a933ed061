"""Blueprint: the Graph-compatible API (graph-api.md), served at each tenant's graphBaseUrl."""

from flask import Blueprint

bp = Blueprint("graph", __name__)

from app.graph import (  # noqa: E402,F401  (modules register their routes on bp)
    assignments,
    devices,
    errors,
    groups,
    identities,
    members,
    profiles,
    tenant,
    users,
    views,
)
