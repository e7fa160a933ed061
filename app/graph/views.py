"""Graph API views (to be built)."""

from app.graph import bp


@bp.get("/")
def root():
    """Service root."""
    return {"value": []}
