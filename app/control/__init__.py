"""The /_sim control API: tenants for testers and parallel test workers."""

from flask import Blueprint

bp = Blueprint("control", __name__, url_prefix="/_sim")

from app.control import automation, openapi, views  # noqa: E402,F401
