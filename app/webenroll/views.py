"""Web-based device enrollment pages: thin — read, call the flow and the directory, render."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from app.automation import journal, trace
from app.directory.devices import (
    AppliedProfile,
    ChosenPath,
    SimulatedDevice,
    record_enrollment,
)
from app.directory.profiles import resolve_for_user
from app.directory.standing import user_standing
from app.enrollment import settings_wording as sw
from app.enrollment import web_enrollment as flow
from app.enrollment import wording
from app.enrollment.releases import RELEASE_LABEL, IntuneRelease
from app.enrollment.resolve import EnrollmentType
from app.enrollment.steps import Prerequisites, check_prerequisites, check_user
from app.mdm.service import find_user
from app.portal.forms import DeviceForm
from app.portal.presenter import presenting, remember_presenter_view
from app.store import ManagedDevice, db, transaction

bp = Blueprint("webenroll", __name__)
bp.before_request(remember_presenter_view)
bp.context_processor(lambda: {"presenting": presenting})
PATH = "/webenrollment/ios"


def _key() -> str:
    return f"web-enrollment:{g.tenant.id}"


def _load() -> flow.WebWalk | None:
    data = session.get(_key())
    try:
        return flow.WebWalk(**data) if isinstance(data, dict) else None
    except TypeError:
        return None


def _save(walk: flow.WebWalk) -> None:
    session[_key()] = walk.to_dict()


def _page(walk: flow.WebWalk, *, error: str | None = None, status: int = 200):
    device = db.session.get(ManagedDevice, walk.device_id) if walk.device_id else None
    release = IntuneRelease(g.tenant.intune_release)
    return render_template(
        "webenroll/page.html", face_name="Web enrollment", walk=walk, error=error, sw=sw,
        w=wording, model=walk.model,
        company=g.tenant.company, accent=g.tenant.theme_color, managed_device=device,
        release=release.value, release_name=RELEASE_LABEL[release],
        restart_url=url_for(".start", **_query(walk)),
    ), status, {"Cache-Control": "no-store"}  # fmt: skip


def _query(walk: flow.WebWalk) -> dict[str, str]:
    query = {
        "model": walk.model,
        "osVersion": walk.os_version,
        "browser": walk.browser,
        "serialNumber": walk.serial_number,
        "authenticator": "1" if walk.authenticator else "0",
    }
    if walk.imei:
        query["imei"] = walk.imei
    return query


@bp.get(PATH)
def start():
    """The enrollment site, on the device and browser the query string describes."""
    form = DeviceForm(formdata=request.args or None, meta={"csrf": False})
    if not form.validate_device():
        problems = "; ".join(f"{name}: {errors[0]}" for name, errors in form.errors.items())
        abort(400, description=f"The simulated device has a value that can't be used: {problems}")
    browser = request.args.get("browser", "safari").strip().casefold() or "safari"
    if browser not in flow.SUPPORTED_BROWSERS:
        abort(400, description=f"browser: '{browser[:32]}' is not one of safari, chrome, edge, "
                               "firefox.")  # fmt: skip
    facts = form.device()
    walk = flow.WebWalk(facts["model"], facts["osVersion"], facts["serialNumber"], facts["imei"],
                        facts["authenticator"], browser=browser,
                        upn=request.args.get("upn", "").strip()[:320])  # fmt: skip
    _save(walk)
    return _page(walk)


@bp.get(f"{PATH}/walk")
def current():
    walk = _load()
    return _page(walk) if walk else redirect(url_for(".start"), 303)


@bp.post(f"{PATH}/walk")
def press():
    """Sign in, or one press on a later screen; a press for a screen left shows the current."""
    walk = _load()
    if walk is None:
        return redirect(url_for(".start"), 303)
    if request.form.get("screen") != walk.screen or walk.browser != "safari":
        return redirect(url_for(".current"), 303)
    action = request.form.get("action", "")
    try:
        if walk.screen == flow.Screen.SIGN_IN and action == "signIn":
            after = _sign_in(walk, request.form.get("email", ""), request.form.get("password", ""))
        elif walk.screen == flow.Screen.INSTALLED and action == "done":
            after = _record(walk)
        else:
            window = g.tenant.profile_install_window_seconds
            after = flow.press(walk, action, time.time(), window)
    except flow.Refused as refused:
        return _page(walk, error=str(refused), status=400)
    _save(after)
    return redirect(url_for(".current"), 303)


def _fail(walk: flow.WebWalk, user, code: str, message: str) -> flow.WebWalk:
    journal.record(g.tenant.id, "portal.failed", user=user.upn, flow="web", code=code,
                   message=message)  # fmt: skip
    return replace(walk, screen=flow.Screen.ERROR.value, error_code=code, error_message=message)


def _sign_in(walk: flow.WebWalk, email: str, password: str) -> flow.WebWalk:
    tenant = g.tenant
    with transaction(tenant.id):
        user = find_user(tenant, email[:320])
        if user is None or not user.enabled or not user.check_password(password[:256]):
            raise flow.Refused(wording.SIGN_IN_FAILED)
        walk = replace(walk, upn=user.upn)
        prereq = Prerequisites(tenant.mdm_authority, tenant.apns_expires, date.today())
        code = check_prerequisites(prereq) or check_user(user_standing(tenant, user))
        if code is not None:
            return _fail(walk, user, code.value, wording.ERRORS[code].message)
        allowed, why = flow.eligibility(
            tenant.intune_release, resolve_for_user(user).applied, walk.os_version
        )
        if not allowed:
            return _fail(walk, user, flow.NOT_APPLICABLE, f"[simulator rule] {why}")
        journal.record(tenant.id, "web.signIn", user=user.upn)
        return replace(walk, screen=flow.Screen.DOWNLOAD.value, why=why)


def _record(walk: flow.WebWalk) -> flow.WebWalk:
    tenant = g.tenant
    with transaction(tenant.id):
        user = find_user(tenant, walk.upn)
        if user is None:
            raise flow.Refused("This account no longer exists.")
        code = check_user(user_standing(tenant, user))
        if code is not None:
            return _fail(walk, user, code.value, wording.ERRORS[code].message)
        resolution = resolve_for_user(user)
        applied = resolution.applied
        device = SimulatedDevice(walk.model, walk.os_version, walk.serial_number, walk.imei)
        managed = record_enrollment(
            tenant, walk_id=None, user=user, state=ChosenPath(EnrollmentType.DEVICE),
            device=device,
            applied=None if applied is None else _applied(applied),
            decision_trace=trace.build(tenant, user, walk.serial_number, walk.imei,
                                       walk.os_version, resolution=resolution),
        )  # fmt: skip
        return flow.after_install(walk, managed.id)


def _applied(applied) -> AppliedProfile:
    return AppliedProfile(id=applied.id, name=applied.name, priority=applied.priority)


@bp.errorhandler(400)
def _bad_request(exc):
    return render_template(
        "settings_app/message.html", title="Something went wrong", message=exc.description,
        company=g.tenant.company if "tenant" in g else None, accent="#0078D4",
    ), 400  # fmt: skip
