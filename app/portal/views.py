"""Company Portal views: sign in, then one screen of the walk at a time (Post/Redirect/Get)."""

from __future__ import annotations

import re

from flask import Response, abort, g, redirect, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict

from app.directory.devices import SimulatedDevice
from app.enrollment import wording
from app.portal import branding, panel, walks
from app.portal.blueprint import bp
from app.portal.forms import DEVICE_FIELDS, MODELS, SignInForm, WalkForm
from app.portal.handover import handover_urls
from app.portal.presenter import presenting, remember_presenter_view
from app.portal.walk_owner import new_walk_owner, this_browser
from app.security.hosts import external_url
from app.tenancy import face_url

DEFAULT_ACCENT = "#0078D4"
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


bp.before_request(remember_presenter_view)


@bp.context_processor
def _portal_context() -> dict:
    tenant = g.get("tenant")
    brand = g.get("portal_brand") or (branding.brand_for(tenant) if tenant is not None else None)
    color = brand.accent if brand is not None else DEFAULT_ACCENT
    return {
        "w": wording,
        "panel": panel,
        "brand": brand,
        "company": brand.company if brand is not None else None,
        "accent": color if color and _HEX_COLOR.match(color) else DEFAULT_ACCENT,
        "admin_url": face_url("admin", "index", tenant.id) if tenant is not None else None,
        "device_link": device_link,
        "present": presenting(),
    }


def _sign_in_page(form: SignInForm, *, error: str | None = None, status: int = 200):
    model = form.model.data if form.model.data in MODELS else "iPhone"
    device_ok = not any(form[name].errors for name in DEVICE_FIELDS)
    link = device_link(SimulatedDevice.from_query(form.device()).to_query()) if device_ok else None
    return render_template(
        "portal/sign_in.html", form=form, error=error, model=model, link=link
    ), status


# The simulated device this browser last used: kept until the tester changes it, so a demo or a
# screenshot shows the same serial number every time.
DEVICE_SESSION_KEY = "portal_device"


def remembered_device() -> dict[str, str] | None:
    stored = session.get(DEVICE_SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    return {k: str(v) for k, v in stored.items() if k in DEVICE_FIELDS}


def remember_device(query: dict[str, str]) -> None:
    if session.get(DEVICE_SESSION_KEY) != query:
        session[DEVICE_SESSION_KEY] = query


def device_link(query: dict[str, str]) -> str:
    """The start URL that sets this simulated device up in any browser."""
    return external_url(f"{request.blueprint}.start", **query)


@bp.get("/")
def start():
    """Screen 1, with the simulated device taken from the query string, else the one this
    browser last used."""
    # A URL that sets the device up decides it alone; one without device settings (a link
    # that only fills the email) keeps this browser's device.
    sets_device = any(name in request.args for name in DEVICE_FIELDS)
    kept = {} if sets_device else (remembered_device() or {})
    formdata = MultiDict({**kept, **request.args.to_dict()})
    form = SignInForm(formdata=formdata or None)
    ok = form.validate_device()
    if ok:
        remember_device(SimulatedDevice.from_query(form.device()).to_query())
    return _sign_in_page(form, status=200 if ok else 400)


@bp.post("/")
def sign_in():
    """Check the account and start a walk; the walk's own URL shows its screens."""
    form = SignInForm()
    if not form.validate():
        return _sign_in_page(form, status=400)
    device = SimulatedDevice.from_query(form.device())
    remember_device(device.to_query())
    try:
        walk = walks.sign_in(
            g.tenant, form.email.data, form.password.data, device, new_walk_owner()
        )
    except walks.SignInFailed as failed:
        form.password.data = ""
        return _sign_in_page(form, error=failed.message, status=401)
    brand = branding.brand_for(g.tenant, walk)
    if not brand.offers_enrollment:
        branding.note_unavailable(g.tenant, walk, brand)
    return redirect(url_for(".walk", walk_id=walk.id), 303)


def _walk_page(walk: walks.Walk, *, error: str | None = None, status: int = 200):
    form = WalkForm(formdata=None, step=walk.screen)
    restart_url = url_for(".start", **walk.device.to_query())
    # A walk screen is only ever the current one: never show a stale copy on Back.
    headers = {"Cache-Control": "no-store"}
    g.portal_brand = branding.brand_for(g.tenant, walk)
    device = walks.managed_device(walk)
    template = "portal/walk.html" if g.portal_brand.offers_enrollment else "portal/unavailable.html"
    return (
        render_template(
            template,
            walk=walk,
            state=walk.state,
            form=form,
            error=error,
            managed_device=device,
            recorded_outcome=walks.recorded_outcome(walk, device),
            restart_url=restart_url,
            handover=handover_urls(g.tenant, walk.device.to_query(), walk.user_upn),
            model=walk.device.model,
        ),
        status,
        headers,
    )


@bp.get("/walk/<walk_id>")
def walk(walk_id: str):
    """The walk's current screen."""
    found = walks.load(g.tenant, walk_id, this_browser())
    if found is None:
        abort(404, description=wording.WALK_NOT_HERE)
    return _walk_page(found)


@bp.get("/walk/<walk_id>/trace")
def trace(walk_id: str):
    """The walk's whole decision trace (the panel shows the profiles that decided)."""
    found = walks.load(g.tenant, walk_id, this_browser())
    if found is None:
        abort(404, description=wording.WALK_NOT_HERE)
    full, current = walks.full_trace(found)
    device = walks.managed_device(found)
    g.portal_brand = branding.brand_for(g.tenant, found)
    return (
        render_template(
            "portal/trace.html",
            walk=found,
            state=found.state,
            trace=full,
            current=current,
            outcome=walks.recorded_outcome(found, device),
        ),
        200,
        {"Cache-Control": "no-store"},
    )


@bp.post("/walk/<walk_id>")
def act(walk_id: str):
    """One button press; a press meant for an earlier screen just shows the current one."""
    form = WalkForm()
    if not form.validate():
        abort(400, description="The form could not be read. Reload the page and try again.")
    owner = this_browser()
    found = walks.load(g.tenant, walk_id, owner)
    if found is not None and not branding.brand_for(g.tenant, found).offers_enrollment:
        return redirect(url_for(".walk", walk_id=walk_id), 303)  # nothing to act on
    result = walks.act(
        g.tenant,
        walk_id,
        owner,
        form.step.data,
        form.action.data,
        form.answer.data,
        apple_id_password=form.apple_id_password.data or "",
    )
    if result is None:
        abort(404, description=wording.WALK_NOT_HERE)
    if result.error is not None:
        return _walk_page(result.walk, error=result.error, status=400)
    return redirect(url_for(".walk", walk_id=walk_id), 303)


@bp.get("/branding/<profile_id>/logo")
def logo(profile_id: str):
    """The logo of a branding profile that shows one (its themeColorLogo)."""
    found = branding.logo_of(g.tenant, profile_id)
    if found is None:
        abort(404, description="This branding profile shows no logo.")
    data, content_type = found
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
    return Response(data, mimetype=content_type, headers=headers)


@bp.errorhandler(404)
def _not_found(exc):
    return render_template(
        "portal/message.html", title="Page not found", message=exc.description
    ), 404


@bp.errorhandler(400)
def _bad_request(exc):
    return render_template(
        "portal/message.html", title="Something went wrong", message=exc.description
    ), 400
