"""The landing page, and the page for errors that no face handles itself."""

from flask import Blueprint, render_template
from werkzeug.exceptions import HTTPException

from app.control.views import routing_error

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """Links to the Company Portal, the admin console and the APIs of the default tenant."""
    return render_template("index.html")


@bp.app_errorhandler(HTTPException)
def _error_page(exc: HTTPException):
    """An unknown URL or a wrong method is raised before Flask knows the blueprint, so no face's
    handler sees it: the control API still answers JSON, anything else gets a styled page."""
    answer = routing_error(exc)
    if answer is not None:
        return answer
    return render_template("error.html", error=exc), exc.code or 500
