"""Blueprint: the Graph-compatible API (graph-api.md), served at each tenant's graphBaseUrl."""

from app.graph import (  # noqa: F401  (modules register their routes on bp)
    assignments,
    branding,
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
from app.graph.blueprint import bp

__all__ = ["bp"]
