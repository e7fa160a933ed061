"""The Settings app's screens (enrollment-today.md §3), driving the very functions Apple's HTTP
exchange serves (app.mdm.service): discovery, sign-in, the enrollment profile, check-in.

A walk lives in the browser's signed session, one per tenant; the device it enrolls is recorded
by TokenUpdate, which records once however often the button is pressed.
"""

from __future__ import annotations

import plistlib
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import session

from app.directory.profiles import resolve_for_user
from app.enrollment import settings_wording as sw
from app.enrollment.account_driven import eligibility
from app.enrollment.releases import runs_ios_15
from app.enrollment.wording import ERRORS
from app.mdm import service
from app.mdm.plists import MdmError
from app.store import Tenant

SCREENS = ("settings", "vpn", "signIn", "password", "allow", "managed", "error", "cancelled")


@dataclass(frozen=True)
class SettingsWalk:
    model: str
    os_version: str
    authenticator: bool
    screen: str = "settings"
    upn: str = ""
    alert: str = ""  # why Sign-in Failed shows (for the trace); empty: no alert
    error_code: str = ""
    error_message: str = ""
    enrollment_id: str = ""
    why: str = ""  # the rule that decided, for the panel

    @property
    def has_work_account_button(self) -> bool:
        return runs_ios_15(self.os_version)


def _key(tenant: Tenant) -> str:
    return f"settings-app:{tenant.id}"


def begin(tenant: Tenant, device: dict[str, Any], upn: str = "") -> SettingsWalk:
    walk = SettingsWalk(device["model"], device["osVersion"], device["authenticator"], upn=upn)
    save(tenant, walk)
    return walk


def load(tenant: Tenant) -> SettingsWalk | None:
    data = session.get(_key(tenant))
    if not isinstance(data, dict):
        return None
    try:
        walk = SettingsWalk(**data)
    except TypeError:
        return None
    return walk if walk.screen in SCREENS else None


def save(tenant: Tenant, walk: SettingsWalk) -> None:
    session[_key(tenant)] = asdict(walk)


class Refused(ValueError):
    """A button the screen does not take, or a field to fix; `message` shows on the screen."""


def press(tenant: Tenant, walk: SettingsWalk, action: str, value: str = "") -> SettingsWalk:
    """One button press on the current screen."""
    moves = {
        ("settings", "general"): lambda: replace(walk, screen="vpn"),
        ("vpn", "back"): lambda: replace(walk, screen="settings"),
        ("vpn", "signInWork"): lambda: _to_sign_in(walk),
        ("signIn", "back"): lambda: replace(walk, screen="vpn", alert=""),
        ("signIn", "continue"): lambda: _discover(tenant, walk, value),
        ("signIn", "ok"): lambda: replace(walk, alert=""),
        ("password", "signIn"): lambda: _sign_in(tenant, walk, value),
        ("password", "cancel"): lambda: replace(walk, screen="signIn"),
        ("allow", "allow"): lambda: _install(tenant, walk),
        ("allow", "cancel"): lambda: replace(walk, screen="cancelled"),
        ("managed", "installAuthenticator"): lambda: replace(walk, authenticator=True),
    }
    move = moves.get((walk.screen, action))
    if move is None:
        raise Refused(f"That button is not on this screen any more ({action}).")
    return move()


def _to_sign_in(walk: SettingsWalk) -> SettingsWalk:
    if not walk.has_work_account_button:
        raise Refused(sw.NO_WORK_ACCOUNT_BUTTON)
    return replace(walk, screen="signIn")


def _discover(tenant: Tenant, walk: SettingsWalk, address: str) -> SettingsWalk:
    """Step 3: service discovery for the address, then whether the user's profile leads here."""
    address = address.strip()
    if "@" not in address or len(address) > 320 or address.startswith("@"):
        raise Refused(sw.ENTER_ADDRESS)
    walk = replace(walk, upn=address)
    if service.discovery(tenant) is None:
        return replace(walk, alert="no service discovery document is published (404)")
    if tenant.service_discovery == "wrongContentType":
        return replace(walk, alert="the discovery document is served as text/plain, not JSON")
    user = service.find_user(tenant, address)
    if user is not None:
        allowed = eligibility(
            tenant.intune_release, resolve_for_user(user).applied, walk.os_version
        )
        if not allowed.allowed:
            return replace(walk, alert=f"[simulator rule] {allowed.reason}")
        walk = replace(walk, why=allowed.reason)
    return replace(walk, screen="password", alert="")


def _sign_in(tenant: Tenant, walk: SettingsWalk, password: str) -> SettingsWalk:
    """Step 4: the work account sign-in gives a token; the device asks for its profile."""
    try:
        token = service.sign_in(tenant, walk.upn, password)
    except MdmError:
        raise Refused(sw.WRONG_PASSWORD) from None
    info = service.DeviceInfo("en", _product(walk.model), walk.os_version)
    try:
        _, profile = service.enroll(tenant, token, info)
    except MdmError as exc:
        return _stopped(walk, exc)
    return replace(walk, screen="allow", enrollment_id=_enrollment_of(profile))


def _stopped(walk: SettingsWalk, exc: MdmError) -> SettingsWalk:
    """An error screen with the code the exchange refused with."""
    text = ERRORS.get(exc.code)  # type: ignore[call-overload]
    message = text.message if text else exc.message
    return replace(walk, screen="error", error_code=exc.code, error_message=message)


def error_heading(code: str) -> str:
    text = ERRORS.get(code)  # type: ignore[call-overload]
    return text.heading if text else sw.SIGN_IN_FAILED


def _product(model: str) -> str:
    return "iPad14,1" if model == "iPad" else "iPhone15,2"


def _enrollment_of(profile: bytes) -> str:
    """The enrollment named in the profile's CheckInURL, as the device reads it."""
    payload = plistlib.loads(profile)["PayloadContent"][0]
    query = parse_qs(urlsplit(payload["CheckInURL"]).query)
    return query["enrollment"][0]


def checkin_message(tenant: Tenant, kind: str, enrollment_id: str) -> bytes:
    """A check-in message as the device sends it after installing the profile."""
    message: dict[str, Any] = {
        "MessageType": kind,
        "Topic": f"com.apple.mgmt.External.{tenant.organization_id}",
        "EnrollmentID": f"device-{enrollment_id[:24]}",
    }
    if kind == "TokenUpdate":
        message.update({"Token": enrollment_id.encode()[:32], "PushMagic": "simulated"})
    return plistlib.dumps(message)


def _install(tenant: Tenant, walk: SettingsWalk) -> SettingsWalk:
    """Step 5: the profile installs and the device checks in (Authenticate, TokenUpdate)."""
    mimetype = "application/x-apple-aspen-mdm-checkin"
    try:
        for kind in ("Authenticate", "TokenUpdate"):
            body = checkin_message(tenant, kind, walk.enrollment_id)
            service.check_in(tenant, walk.enrollment_id, body, mimetype)
    except MdmError as exc:
        return _stopped(walk, exc)
    return replace(walk, screen="managed")
