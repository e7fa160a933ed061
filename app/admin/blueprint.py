"""The console's blueprint: its navigation, its layout's context and its error pages."""

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.tenancy import face_url

bp = Blueprint("admin", __name__)

NAV_ITEMS = [  # endpoint, label, SVG path of the icon
    ("profiles", "Enrollment type profiles", "M4 3h12v14H4zM7 7h6M7 10h6M7 13h4"),
    ("users", "Users", "M10 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM4 17c0-3 3-5 6-5s6 2 6 5"),
    (
        "groups",
        "Groups",
        "M7 9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM14 9a2 2 0 1 0 0-4"
        "M2 16c0-3 2-5 5-5s5 2 5 5M14 11c2 0 4 2 4 5",
    ),
    ("devices", "Devices", "M6 2h8v16H6zM9 15h2"),
    ("tenant", "Tenant administration", "M3 17V7l7-4 7 4v10zM8 17v-5h4v5"),
    ("branding", "Customization", "M4 16l3-9 3 5 2-3 4 7zM13 6a2 2 0 1 0 0-.1"),
    (
        "check_user",
        "Check a user",
        "M9 15a6 6 0 1 0 0-12 6 6 0 0 0 0 12zM13.5 13.5 18 18M6.5 9l2 2 3.5-4",
    ),
    ("activity", "Activity", "M2 10h4l2-6 4 12 2-6h4"),
]
_SECTION_OF = {  # endpoint prefix -> nav entry it belongs to
    "profile": "profiles",
    "wizard": "profiles",
    "user": "users",
    "group": "groups",
    "device": "devices",
    "tenant": "tenant",
    "branding": "branding",
    "identifier": "tenant",
    "check": "check_user",
    "activity": "activity",
}


@bp.context_processor
def _layout() -> dict:
    if "tenant" not in g:  # an unknown tenant's error page
        return {}
    endpoint = (request.endpoint or "").split(".")[-1]
    active = next((nav for prefix, nav in _SECTION_OF.items() if endpoint.startswith(prefix)), "")
    return {
        "nav_items": NAV_ITEMS,
        "active_nav": active,
        "portal_url": face_url("portal", "start", g.tenant.id),
        "portal_link": _portal_link,
    }


def _portal_link(**query: str) -> str:
    """Company Portal's start URL set up for a user and device (empty values left out)."""
    return face_url("portal", "start", g.tenant.id, **{k: v for k, v in query.items() if v})


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    """Errors inside the console keep its layout (when the tenant exists) and say what to do."""
    if isinstance(error, CSRFError):
        message = (
            "The form expired or was sent without its security token. "
            "Reload the page and try again."
        )
    else:
        message = error.description
    methods = getattr(error, "valid_methods", None)
    headers = {"Allow": ", ".join(methods)} if methods else {}
    if request.is_json:  # the drag-and-drop save
        return jsonify(error={"code": error.name, "message": message}), error.code, headers
    if "tenant" not in g:
        page = render_template("admin/error_bare.html", error=error, message=message)
        return page, error.code, headers
    page = render_template(
        "admin/error.html", error=error, message=message, crumbs=[(error.name, None)]
    )
    return page, error.code, headers


# The methods of the console's pages, checked when an unknown GET finds a page by its address.
_METHODS = ["GET", "POST"]
NO_SUCH_PAGE = (
    "There is no page at this address in the admin console. "
    "Check the address, or go back to the console's home."
)


@bp.get("/<path:unknown>")
def unknown_page(unknown: str):
    """An address the console has no page for gets the console's layout (a way home, the tenant's
    navigation) instead of the app-wide page, which knows no tenant. A page that only takes POST
    (a button's target) answers 405, naming the method it takes. Only GET is caught: every POST
    view is a form (tests/form_targets.py), and a wrong POST keeps the app-wide answer."""
    allowed = _methods_elsewhere()
    if allowed:
        abort(405, valid_methods=allowed)
    abort(404, description=NO_SUCH_PAGE)


def _methods_elsewhere() -> list[str]:
    """The methods a real console page at this address takes (none: the address is unknown)."""
    adapter = current_app.create_url_adapter(request)
    allowed = []
    for method in _METHODS:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint.split(".")[-1] != "unknown_page":
            allowed.append(method)
    return allowed
