"""Admin console views (to be built)."""

from app.admin import bp


@bp.get("/")
def index():
    """Home."""
    return "Admin"
