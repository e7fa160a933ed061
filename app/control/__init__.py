"""The /_sim control API: tenants for testers and parallel test workers."""

from app.control import automation, openapi, views  # noqa: F401
from app.control.blueprint import bp

__all__ = ["bp"]
