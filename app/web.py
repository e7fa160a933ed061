"""The landing page: where to go for each kind of visitor."""

from flask import Blueprint, render_template

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """Links to the Company Portal, the admin console and the APIs of the default tenant."""
    return render_template("index.html")
