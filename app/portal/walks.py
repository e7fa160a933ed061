"""Walks kept server-side: sign-in starts one, each button press moves it one screen on.

A walk's row holds the flow state (company_portal.WalkState) with what sign-in fixed: the
simulated device, the applied profile and what decided it (app.automation.decision: not the
whole trace, so a walk's size does not grow with the tenant's profiles; walks stored earlier with
the whole trace under "trace" load as they are). Every change locks the tenant first
and re-reads the walk, so a double submit or two tabs posting at once run one after the other; a
post made for a screen the walk has already left is ignored (the view just shows the current
screen).

A walk belongs to the browser session that signed in: its row keeps the owner key the view
passes (a digest of a random key in that session's signed cookie), and loading or acting on it
with any other key finds nothing. Nothing is kept per process, so any worker answers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.automation import decision, journal
from app.directory.devices import AppliedProfile, SimulatedDevice, record_enrollment
from app.directory.profiles import resolve_for_user
from app.directory.standing import user_standing
from app.enrollment import company_portal, wording
from app.enrollment.company_portal import Action, InstallStage, Step, WalkContext, WalkState
from app.enrollment.steps import FlowError, Prerequisites, check_user
from app.portal.walk_journal import journal_change, screen_key
from app.store import ManagedDevice, PortalWalk, Tenant, User, db, transaction


class SignInFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Walk:
    """One walk as the views see it."""

    id: str
    state: WalkState
    device: SimulatedDevice
    applied: AppliedProfile | None
    decision: dict[str, Any]  # app.automation.decision.record (or, stored earlier, a trace)
    user_upn: str
    user_display_name: str
    device_id: str | None
    user_id: str | None = None
    outcome: dict[str, Any] | None = None  # what enrollment recorded, kept from the device

    @property
    def screen(self) -> str:
        return screen_key(self.state)


APPLE_ID_SCREEN = f"{Step.INSTALL.value}.{InstallStage.APPLE_ID.value}"


@dataclass(frozen=True)
class ActResult:
    walk: Walk
    error: str | None = None  # a FlowError message to show on the current screen
    stale: bool = False  # the post was for a screen the walk has left


def _today() -> Any:
    return datetime.now(UTC).date()


def _find_user(tenant: Tenant, email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.tenant_id == tenant.id, User.upn_key == email.casefold())
    )


def _applied(resolution_applied) -> AppliedProfile | None:
    if resolution_applied is None:
        return None
    a = resolution_applied
    return AppliedProfile(id=a.id, name=a.name, priority=a.priority)


def sign_in(tenant: Tenant, email: str, password: str, device: SimulatedDevice, owner: str) -> Walk:
    """Screen 1 and 2: check the account, resolve the profile, check the prerequisites."""
    failure: str | None = None
    with transaction(tenant.id):
        user = _find_user(tenant, email)
        if user is None or not user.check_password(password):
            reason = "unknown user" if user is None else "wrong password"
            failure = wording.SIGN_IN_FAILED
        elif not user.enabled:
            reason, failure = "account disabled", wording.ACCOUNT_DISABLED
        if failure is not None:
            journal.record(tenant.id, "portal.signInFailed", user=email, reason=reason)
        else:
            walk = _start_walk(tenant, user, device, owner)
    if failure is not None:
        raise SignInFailed(failure)
    return walk


def _start_walk(tenant: Tenant, user: User, device: SimulatedDevice, owner: str) -> Walk:
    resolution = resolve_for_user(user)
    applied = _applied(resolution.applied)
    context = WalkContext.for_profile(
        resolution.applied,
        release=tenant.intune_release,
        model=device.model,
        os_version=device.os_version,
        has_managed_apple_id=user.managed_apple_id,
        authenticator_installed=device.authenticator,
        fast_install=tenant.fast_profile_install,
    )
    prereq = Prerequisites(tenant.mdm_authority, tenant.apns_expires, _today())
    state = company_portal.start(context, prereq, user_standing(tenant, user))
    decided = decision.record(
        tenant,
        user,
        device.serial_number,
        device.imei,
        device.os_version,
        prereq.today,
        resolution,
    )
    row = PortalWalk(
        id=secrets.token_urlsafe(24),
        tenant_id=tenant.id,
        user_id=user.id,
        state={**_stored(state, device, applied, decided, user), "owner": owner},
    )
    db.session.add(row)
    journal.record(
        tenant.id,
        "portal.signIn",
        user=user.upn,
        walkId=row.id,
        appliedProfile=applied.name if applied else None,
        model=device.model,
        osVersion=device.os_version,
        serialNumber=device.serial_number,
    )
    journal_change(tenant, user.upn, row.id, None, state)
    db.session.flush()
    return _walk(row)


def _stored(
    state: WalkState,
    device: SimulatedDevice,
    applied: AppliedProfile | None,
    decided: dict[str, Any],
    user: User,
) -> dict[str, Any]:
    return {
        "flow": state.to_dict(),
        "device": device.__dict__.copy(),
        "applied": applied.__dict__.copy() if applied else None,
        "decision": decided,
        "user": {"upn": user.upn, "displayName": user.display_name},
    }


def _walk(row: PortalWalk) -> Walk:
    data = row.state
    applied = data.get("applied")
    return Walk(
        id=row.id,
        state=WalkState.from_dict(data["flow"]),
        device=SimulatedDevice(**data["device"]),
        applied=AppliedProfile(**applied) if applied else None,
        decision=data["decision"] if "decision" in data else data["trace"],
        user_upn=data["user"]["upn"],
        user_display_name=data["user"]["displayName"],
        device_id=row.device_id,
        user_id=row.user_id,
        outcome=data.get("outcome"),
    )


def _owned(row: PortalWalk | None, tenant: Tenant, owner: str) -> bool:
    """The walk is this tenant's and this browser session's. A walk stored before walks had
    owners (no key) stays open to whoever has its URL, as it was."""
    if row is None or row.tenant_id != tenant.id:
        return False
    kept = row.state.get("owner")
    return kept is None or secrets.compare_digest(kept, owner)


def load(tenant: Tenant, walk_id: str, owner: str) -> Walk | None:
    row = db.session.get(PortalWalk, walk_id)
    return _walk(row) if _owned(row, tenant, owner) else None


def full_trace(walk: Walk) -> tuple[dict[str, Any], bool]:
    """The walk's whole decision trace, and whether it is still the one made at sign-in."""
    user = db.session.get(User, walk.user_id) if walk.user_id else None
    return decision.full(walk.decision, user)


def managed_device(walk: Walk) -> ManagedDevice | None:
    return db.session.get(ManagedDevice, walk.device_id) if walk.device_id else None


def recorded_outcome(walk: Walk, device: ManagedDevice | None) -> dict[str, Any] | None:
    """What enrollment recorded, while the device is there: the walk's copy, so that the device's
    trace (every profile) is not read; a walk recorded before walks kept it reads the device's."""
    if device is None:
        return None
    if walk.outcome is not None:
        return walk.outcome
    return (device.trace or {}).get("outcome")


def act(
    tenant: Tenant,
    walk_id: str,
    owner: str,
    posted_screen: str,
    action: str,
    answer: str | None,
    apple_id_password: str = "",
) -> ActResult | None:
    """Apply one button press to the walk; None when this tenant and browser session have no
    such walk. The Managed Apple ID sign-in takes the user's own password: a wrong one stays on
    the sheet with an error and changes nothing but the journal."""
    with transaction(tenant.id):
        row = db.session.get(PortalWalk, walk_id, populate_existing=True, with_for_update=True)
        user = db.session.get(User, row.user_id) if row and row.user_id else None
        if not _owned(row, tenant, owner) or user is None:
            return None
        walk = _walk(row)
        if posted_screen != walk.screen:
            return ActResult(walk, stale=True)
        if walk.screen == APPLE_ID_SCREEN and action == Action.APPLE_ID_SIGN_IN:
            if not user.check_password(apple_id_password):
                journal.record(
                    tenant.id, "portal.signInFailed", user=walk.user_upn, walkId=walk.id,
                    reason="wrong Managed Apple ID password",
                )  # fmt: skip
                return ActResult(walk, error=wording.APPLE_ID_PASSWORD_WRONG)
        try:
            after = company_portal.advance(walk.state, action, answer or None)
        except FlowError as exc:
            return ActResult(walk, error=exc.message)
        if after.step is Step.DONE:  # another walk may have used up the limit meanwhile
            code = check_user(user_standing(tenant, user))
            if code is not None:
                after = replace(after, step=Step.ERROR, error_code=code)
        journal_change(tenant, walk.user_upn, walk.id, walk.state, after)
        if after.step is Step.DONE:
            device = record_enrollment(
                tenant,
                walk_id=walk.id,
                user=user,
                state=after,
                device=walk.device,
                applied=walk.applied,
                decision_trace=decision.full(walk.decision, user)[0],
            )
            row.device_id = device.id
            row.state = {**row.state, "outcome": device.trace["outcome"]}
        row.state = {**row.state, "flow": after.to_dict()}
        done = replace(walk, state=after, device_id=row.device_id, outcome=row.state.get("outcome"))
        return ActResult(done)
