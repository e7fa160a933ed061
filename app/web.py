"""The landing page, and the page for errors that no face handles itself."""

from pathlib import Path

from flask import Blueprint, abort, redirect, render_template
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.automation import trace
from app.control.views import routing_error
from app.store import DEFAULT_TENANT, Tenant, User, db

bp = Blueprint("web", __name__)
MAX_LISTED_USERS = 50


def _what_they_see(tenant: Tenant, user: User) -> str:
    """One line from the user's decision trace: the profile that applies and what it asks."""
    found = trace.build(tenant, user)
    applied = found["appliedProfile"]
    if applied is None:
        return "no profile applies: Device Enrollment without questions"
    if found["asksOwner"]:
        return f"{applied['name']}: asked who owns the device"
    kind = (
        "User Enrollment"
        if found["outcomes"][0]["enrollmentType"] == "user"
        else "Device Enrollment"
    )
    return f"{applied['name']}: {kind} without questions"


def _demo_users() -> list[tuple[User, str]]:
    tenant = db.session.get(Tenant, DEFAULT_TENANT)
    if tenant is None:
        return []
    users = db.session.scalars(
        select(User)
        .where(User.tenant_id == tenant.id, User.enabled.is_(True))
        .order_by(User.upn)
        .limit(MAX_LISTED_USERS)
    )
    return [(user, _what_they_see(tenant, user)) for user in users]


@bp.get("/")
def index():
    """Links to the Company Portal, the admin console and the APIs of the default tenant, and
    every user of the default tenant as a link that fills the sign-in."""
    return render_template("index.html", demo_users=_demo_users())


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
