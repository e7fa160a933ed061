"""Company Portal views (to be built)."""

from app.portal import bp


@bp.get("/")
def start():
    """Sign in."""
    return "Company Portal"
