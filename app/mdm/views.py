"""Apple's account-driven enrollment exchange over HTTP (enrollment-today.md §3), per tenant
root: discovery, the 401 challenge, the web sign-in, the enrollment profile, check-in."""

from __future__ import annotations

import json

from flask import Blueprint, Response, g, redirect, render_template, request

from app.enrollment import settings_wording as sw
from app.mdm import service, urls
from app.mdm.plists import MdmError

bp = Blueprint("mdm", __name__)


@bp.errorhandler(MdmError)
def _refused(exc: MdmError):
    headers = {"X-Enrollment-Error-Code": exc.code} if exc.code else {}
    if exc.status == 401 and request.endpoint and request.endpoint.endswith(".enroll"):
        headers["WWW-Authenticate"] = _challenge()
    return Response(exc.message + "\n", exc.status, headers, mimetype="text/plain")


def _challenge() -> str:
    return f'Bearer method="apple-as-web", url="{urls.authenticate_url(g.tenant)}"'


@bp.get(urls.DISCOVERY_PATH)
def discovery():
    """The service discovery document (404 when the tenant publishes none)."""
    document = service.discovery(g.tenant)
    if document is None:
        return Response("No service discovery document is published.\n", 404,
                        mimetype="text/plain")  # fmt: skip
    if g.tenant.service_discovery == "wrongContentType":
        return Response(json.dumps(document), mimetype="text/plain")
    return document


@bp.post(urls.ENROLL_PATH)
def enroll():
    """Device info in; without a bearer token the challenge, with one the enrollment profile."""
    info = service.read_device_info(request.get_data(cache=False), request.mimetype or "")
    if request.args.get("aadTenantId") not in (None, g.tenant.id):
        raise MdmError(400, "aadTenantId is not this tenant's id.")
    header = request.headers.get("Authorization", "")
    if not header:
        raise MdmError(401, "Sign in with your work or school account first.")
    scheme, _, token = header.partition(" ")
    if scheme.casefold() != "bearer" or not token.strip():
        raise MdmError(401, "The Authorization header must be 'Bearer <access token>'.")
    _, profile = service.enroll(g.tenant, token.strip(), info)
    return Response(profile, mimetype="application/x-apple-aspen-config")


@bp.route(urls.AUTHENTICATE_PATH, methods=["GET", "POST"])
def authenticate():
    """The work account sign-in page; success redirects to the device's login scheme."""
    upn = request.values.get("user-identifier", "").strip()
    error = None
    if request.method == "POST":
        try:
            token = service.sign_in(g.tenant, upn, request.form.get("password", ""))
        except MdmError as exc:
            error = sw.WRONG_PASSWORD if exc.status == 401 else exc.message
        else:
            return redirect(urls.login_redirect(token), 302)
    page = render_template("settings_app/entra.html", upn=upn, error=error, w=sw)
    return page, 401 if error else 200


@bp.put(urls.CHECKIN_PATH)
def check_in():
    """Check-in messages Authenticate and TokenUpdate; an empty 200 when taken."""
    enrollment_id = request.args.get("enrollment", "")
    if not enrollment_id:
        raise MdmError(400, "The check-in URL has no enrollment (use the profile's CheckInURL).")
    service.check_in(g.tenant, enrollment_id, request.get_data(cache=False), request.mimetype or "")
    return Response(b"", 200)


def register(app) -> None:
    """Served at the site root for the default tenant and at /t/<id> for any other."""
    from app.extensions import csrf
    from app.tenancy import register_tenant_blueprint

    register_tenant_blueprint(app, bp, "")
    for endpoint, view in app.view_functions.items():  # devices carry no CSRF token
        if endpoint.split(".")[0] in ("mdm", "mdm_t"):
            csrf.exempt(view)
