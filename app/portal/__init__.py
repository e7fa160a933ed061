"""Blueprint: the portal."""

from app.portal import views  # noqa: F401
from app.portal.blueprint import bp

__all__ = ["bp"]
