"""A driver that walks the pure-domain Company Portal flow the way a user would press buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.enrollment.company_portal import (
    Action,
    InstallStage,
    Step,
    WalkContext,
    WalkState,
    advance,
    start,
)
from app.enrollment.resolve import ProfileFacts
from app.enrollment.steps import Prerequisites

TODAY = date(2026, 6, 1)
READY = Prerequisites(mdm_authority="intune", apns_expires=date(2030, 1, 1), today=TODAY)

INSTALL_BUTTON = {
    InstallStage.SETTINGS: Action.OPEN_PROFILE,
    InstallStage.SHEET: Action.ENROLL,
    InstallStage.APPLE_ID: Action.APPLE_ID_SIGN_IN,
    InstallStage.INSTALL: Action.INSTALL,
    InstallStage.TRUST: Action.TRUST,
    InstallStage.INSTALLED: Action.FINISH_INSTALL,
}


def context(
    applied: ProfileFacts | None,
    *,
    model: str = "iPhone",
    os_version: str = "17.0",
    has_managed_apple_id: bool = True,
    authenticator_installed: bool = False,
    fast_install: bool = False,
) -> WalkContext:
    return WalkContext.for_profile(
        applied,
        model=model,
        os_version=os_version,
        has_managed_apple_id=has_managed_apple_id,
        authenticator_installed=authenticator_installed,
        fast_install=fast_install,
    )


def screen(state: WalkState) -> str:
    """A name for what the user sees, including the stage inside screens 8 and 9."""
    if state.step is Step.DOWNLOAD:
        return f"download:{state.download}"
    if state.step is Step.INSTALL:
        return f"install:{state.install}"
    if state.step is Step.AUTHENTICATOR and state.authenticator_installed:
        return "authenticator:installed"
    if state.step is Step.ERROR:
        return f"error:{state.error_code}"
    return str(state.step)


@dataclass
class Walk:
    state: WalkState
    screens: list[str]


def next_press(state: WalkState, owner: str | None, scope: str | None):
    """The button the user presses on the current screen to go forward."""
    step = state.step
    if step is Step.SET_UP_ACCESS:
        return Action.BEGIN, None
    if step is Step.OWNER:
        assert owner is not None, "the flow asked who owns the device but the row has no answer"
        return Action.ANSWER_OWNER, owner
    if step is Step.SCOPE:
        assert scope is not None, "the flow asked how to secure the device but the row has none"
        return Action.ANSWER_SCOPE, scope
    if step is Step.AUTHENTICATOR:
        if state.authenticator_installed:
            return Action.CONTINUE, None
        return Action.DOWNLOAD_AUTHENTICATOR, None
    if step is Step.PRIVACY:
        return Action.CONTINUE, None
    if step is Step.DOWNLOAD:
        return (Action.FAST_INSTALL if state.context.fast_install else Action.ALLOW), None
    if step is Step.INSTALL:
        return INSTALL_BUTTON[state.install], None
    raise AssertionError(f"no button to press on {step}")


def walk(
    ctx: WalkContext,
    owner: str | None = None,
    scope: str | None = None,
    prereq: Prerequisites = READY,
) -> Walk:
    """Sign in, then press forward through every screen until a final one."""
    state = start(ctx, prereq)
    screens = [screen(state)]
    while not state.step.is_final:
        action, value = next_press(state, owner, scope)
        state = advance(state, action, value)
        screens.append(screen(state))
        assert len(screens) < 30, screens
    return Walk(state, screens)
