"""Blueprint: the graph."""

from flask import Blueprint

bp = Blueprint("graph", __name__)

from app.graph import views  # noqa: E402,F401
