"""The simulated Settings app's pages: thin — read the form, press the button, render."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from app.enrollment import settings_wording as sw
from app.enrollment import wording
from app.enrollment.releases import RELEASE_LABEL, IntuneRelease
from app.portal.forms import DeviceForm
from app.portal.presenter import presenting, remember_presenter_view
from app.settings_app import flow
from app.store import ManagedDevice, MdmEnrollment, db

bp = Blueprint("settings_app", __name__)
bp.before_request(remember_presenter_view)
bp.context_processor(lambda: {"presenting": presenting})


def _page(walk: flow.SettingsWalk, *, error: str | None = None, status: int = 200):
    enrollment = db.session.get(MdmEnrollment, walk.enrollment_id) if walk.enrollment_id else None
    device = None
    if enrollment is not None and enrollment.tenant_id == g.tenant.id and enrollment.device_id:
        device = db.session.get(ManagedDevice, enrollment.device_id)
    release = IntuneRelease(g.tenant.intune_release)
    return (
        render_template(
            "settings_app/page.html",
            walk=walk,
            error=error,
            sw=sw,
            w=wording,
            company=g.tenant.company,
            accent=g.tenant.theme_color,
            model=walk.model,
            release=release.value,
            release_name=RELEASE_LABEL[release],
            managed_device=device,
            error_heading=flow.error_heading(walk.error_code) if walk.error_code else "",
            restart_url=url_for(".start", **_query(walk)),
        ),
        status,
        {"Cache-Control": "no-store"},
    )


def _query(walk: flow.SettingsWalk) -> dict[str, str]:
    query = {"model": walk.model, "osVersion": walk.os_version}
    query["authenticator"] = "1" if walk.authenticator else "0"
    if walk.upn:
        query["upn"] = walk.upn
    return query


@bp.get("/")
def start():
    """Settings, on the device the query string describes (as the portal's)."""
    form = DeviceForm(formdata=request.args or None, meta={"csrf": False})
    if not form.validate_device():
        problems = "; ".join(f"{name}: {errors[0]}" for name, errors in form.errors.items())
        abort(400, description=f"The simulated device has a value that can't be used: {problems}")
    upn = request.args.get("upn", "").strip()[:320]
    return _page(flow.begin(g.tenant, form.device(), upn))


@bp.get("/walk")
def current():
    """The current screen of this browser's walk."""
    walk = flow.load(g.tenant)
    if walk is None:
        return redirect(url_for(".start"), 303)
    return _page(walk)


@bp.post("/walk")
def press():
    """One button press; a press for a screen the walk has left shows the current one."""
    walk = flow.load(g.tenant)
    if walk is None:
        return redirect(url_for(".start"), 303)
    if request.form.get("screen") != walk.screen:
        return redirect(url_for(".current"), 303)
    try:
        after = flow.press(g.tenant, walk, request.form.get("action", ""), _value())
    except flow.Refused as refused:
        return _page(walk, error=str(refused), status=400)
    flow.save(g.tenant, after)
    return redirect(url_for(".current"), 303)


def _value() -> str:
    for name in ("address", "password"):
        if name in request.form:
            return request.form.get(name, "")[:1024]
    return ""


@bp.errorhandler(400)
def _bad_request(exc):
    return render_template(
        "settings_app/message.html", title="Something went wrong", message=exc.description,
        company=g.tenant.company if "tenant" in g else None, accent="#0078D4",
    ), 400  # fmt: skip
