"""The landing page, and the page for errors that no face handles itself."""

from pathlib import Path

from flask import Blueprint, abort, redirect, render_template
from werkzeug.exceptions import HTTPException

from app.control.views import routing_error

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """Links to the Company Portal, the admin console and the APIs of the default tenant."""
    return render_template("index.html")


TODAY_TENANT = "today"
TODAY_FACES = {
    "portal": "/portal/",
    "settings": "/settings/",
    "web": "/enrollment/webenrollment/ios",
    "admin": "/admin/",
}


@bp.get("/demo/today/<face>")
def today(face: str):
    """The "Intune today" demo: a `current` tenant seeded from scenarios/today.yaml on first use."""
    if face not in TODAY_FACES:
        abort(404, description=f"No demo page '{face[:32]}': use one of {', '.join(TODAY_FACES)}.")
    from app.scenarios import ensure_named_tenant

    scenario = Path(__file__).resolve().parent.parent / "scenarios" / "today.yaml"
    ensure_named_tenant(TODAY_TENANT, str(scenario))
    return redirect(f"/t/{TODAY_TENANT}{TODAY_FACES[face]}", 303)


@bp.app_errorhandler(HTTPException)
def _error_page(exc: HTTPException):
    """An unknown URL or a wrong method is raised before Flask knows the blueprint, so no face's
    handler sees it: the control API still answers JSON, anything else gets a styled page."""
    answer = routing_error(exc)
    if answer is not None:
        return answer
    return render_template("error.html", error=exc), exc.code or 500
