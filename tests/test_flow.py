"""The Company Portal walk-through as a state machine (spec §3): errors, detours and properties."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from app.enrollment.company_portal import (
    Action,
    DownloadStage,
    InstallStage,
    SecurityScope,
    Step,
    WalkState,
    advance,
    possible_paths,
    simulated_type,
    start,
)
from app.enrollment.ownership import GRAPH_ENROLLMENT_TYPE, OwnerAnswer
from app.enrollment.resolve import EnrollmentType, ProfileFacts
from app.enrollment.steps import (
    ErrorCode,
    FlowError,
    Prerequisites,
    check_prerequisites,
    os_supports_user_enrollment,
)
from tests.walking import READY, TODAY, context, next_press, walk


def profile(choice: bool, default: str = "user") -> ProfileFacts:
    return ProfileFacts("p", "P", 0, choice, default, all_users=True)


CHOOSE = profile(True)
AUTO_USER = profile(False, "user")
AUTO_DEVICE = profile(False, "device")


def at(step: Step, ctx=None, **fields) -> WalkState:
    """Walk forward to the first time `step` shows."""
    state = start(ctx or context(CHOOSE), READY)
    owner, scope = fields.pop("owner", "personal"), fields.pop("scope", "workOnly")
    while state.step is not step:
        assert not state.step.is_final, state
        state = advance(state, *next_press(state, owner, scope))
    return state


# Screen 2: prerequisites.


@pytest.mark.parametrize(
    ("mdm", "expires", "code"),
    [
        ("unknown", date(2030, 1, 1), ErrorCode.MDM_AUTHORITY),
        ("unknown", None, ErrorCode.MDM_AUTHORITY),  # the authority is checked first
        ("intune", None, ErrorCode.APNS),
        ("intune", TODAY - timedelta(days=1), ErrorCode.APNS),
        ("intune", TODAY, None),  # valid through its expiry day
        ("intune", TODAY + timedelta(days=1), None),
    ],
)
def test_prerequisites(mdm: str, expires: date | None, code: ErrorCode | None) -> None:
    prereq = Prerequisites(mdm_authority=mdm, apns_expires=expires, today=TODAY)
    assert check_prerequisites(prereq) == code
    state = start(context(CHOOSE), prereq)
    if code is None:
        assert state.step is Step.SET_UP_ACCESS and state.error_code is None
    else:
        assert state.step is Step.ERROR and state.error_code is code
        assert state.step.is_final
        with pytest.raises(FlowError):
            advance(state, Action.BEGIN)


def test_error_codes_are_the_documented_strings() -> None:
    assert {c.value for c in ErrorCode} == {
        "MdmAuthorityNotDefined",
        "APNSCertificateNotValid",
        "UserEnrollmentUnsupportedOsVersion",
        "ManagedAppleIdMissing",
    }


# OS version: only checked when the path leads to User Enrollment.


@pytest.mark.parametrize(
    ("version", "supported"),
    [
        ("13.1", True),
        ("13.1.2", True),
        ("13.10", True),
        ("16.4", True),
        ("17", True),
        (" 13.1 ", True),
        ("iOS 13.1", True),
        ("iPadOS 16.4", True),
        ("13.1-beta", True),
        ("13", False),
        ("13.0", False),
        ("13.0.9", False),
        ("12.4", False),
        ("9.3.5", False),
        ("", False),
        ("latest", False),
    ],
)
def test_os_supports_user_enrollment(version: str, supported: bool) -> None:
    assert os_supports_user_enrollment(version) is supported


def test_old_os_on_the_work_only_path_errors_after_the_answer() -> None:
    state = at(Step.SCOPE, context(CHOOSE, os_version="13.0"))
    state = advance(state, Action.ANSWER_SCOPE, "workOnly")
    assert state.step is Step.ERROR
    assert state.error_code is ErrorCode.OS_VERSION
    assert state.enrollment_type is EnrollmentType.USER


@pytest.mark.parametrize("version", ["13", "12.4"])
def test_old_os_with_an_auto_user_enrollment_profile_errors_after_begin(version: str) -> None:
    state = advance(start(context(AUTO_USER, os_version=version), READY), Action.BEGIN)
    assert (state.step, state.error_code) == (Step.ERROR, ErrorCode.OS_VERSION)


@pytest.mark.parametrize(
    ("applied", "owner", "scope"),
    [
        (AUTO_DEVICE, None, None),
        (None, None, None),
        (CHOOSE, "company", None),
        (CHOOSE, "personal", "entireDevice"),
    ],
)
def test_old_os_with_device_enrollment_is_fine(applied, owner, scope) -> None:
    done = walk(context(applied, os_version="12.4"), owner, scope)
    assert done.state.step is Step.DONE
    assert done.state.enrollment_type is EnrollmentType.DEVICE


@pytest.mark.parametrize("version", ["13.1", "13.1.2", "16.4"])
def test_supported_versions_reach_done_with_user_enrollment(version: str) -> None:
    done = walk(context(CHOOSE, os_version=version), "personal", "workOnly")
    assert done.state.step is Step.DONE
    assert done.state.enrollment_type is EnrollmentType.USER


# Managed Apple ID.


def test_missing_managed_apple_id_fails_at_the_apple_id_sign_in() -> None:
    ctx = context(AUTO_USER, has_managed_apple_id=False)
    state = at(Step.INSTALL, ctx)
    state = advance(state, Action.OPEN_PROFILE)
    state = advance(state, Action.ENROLL)
    assert (state.step, state.install) == (Step.INSTALL, InstallStage.APPLE_ID)
    state = advance(state, Action.APPLE_ID_SIGN_IN)
    assert (state.step, state.error_code) == (Step.ERROR, ErrorCode.MANAGED_APPLE_ID)


def test_missing_managed_apple_id_fails_fast_install_too() -> None:
    state = at(Step.DOWNLOAD, context(AUTO_USER, has_managed_apple_id=False, fast_install=True))
    state = advance(state, Action.FAST_INSTALL)
    assert (state.step, state.error_code) == (Step.ERROR, ErrorCode.MANAGED_APPLE_ID)


def test_missing_managed_apple_id_does_not_matter_for_device_enrollment() -> None:
    done = walk(context(CHOOSE, has_managed_apple_id=False), "company")
    assert (done.state.step, done.state.enrollment_type) == (Step.DONE, EnrollmentType.DEVICE)


# Microsoft Authenticator.


def test_authenticator_screen_skipped_when_installed() -> None:
    done = walk(context(CHOOSE, authenticator_installed=True), "personal", "workOnly")
    assert "authenticator" not in done.screens
    assert done.screens[:4] == ["setUpAccess", "owner", "scope", "privacy"]


def test_authenticator_continue_needs_the_download_first() -> None:
    state = at(Step.AUTHENTICATOR, context(AUTO_USER))
    with pytest.raises(FlowError, match="Download Microsoft Authenticator"):
        advance(state, Action.CONTINUE)
    state = advance(state, Action.DOWNLOAD_AUTHENTICATOR)
    assert state.step is Step.AUTHENTICATOR and state.authenticator_installed
    assert advance(state, Action.CONTINUE).step is Step.PRIVACY


def test_device_enrollment_never_shows_the_authenticator() -> None:
    done = walk(context(CHOOSE), "personal", "entireDevice")
    assert not any(s.startswith("authenticator") for s in done.screens)


# Questions.


@pytest.mark.parametrize("value", [None, "", "mine", "Company"])
def test_owner_question_needs_an_answer(value) -> None:
    state = at(Step.OWNER)
    with pytest.raises(FlowError) as caught:
        advance(state, Action.CONTINUE, value)
    assert caught.value.field == "owner"
    assert caught.value.message == "Choose who owns this device."


@pytest.mark.parametrize("value", [None, "", "everything"])
def test_scope_question_needs_an_answer(value) -> None:
    state = at(Step.SCOPE)
    with pytest.raises(FlowError) as caught:
        advance(state, Action.ANSWER_SCOPE, value)
    assert caught.value.field == "scope"
    assert caught.value.message == "Choose how your device will be secured."


def test_continue_with_a_value_answers_the_question() -> None:
    state = advance(at(Step.OWNER), Action.CONTINUE, "personal")
    assert (state.step, state.owner_answer) == (Step.SCOPE, OwnerAnswer.PERSONAL)
    state = advance(state, Action.CONTINUE, "entireDevice")
    assert state.security_scope is SecurityScope.ENTIRE_DEVICE
    assert state.enrollment_type is EnrollmentType.DEVICE


def test_auto_profiles_and_no_profile_ask_nothing() -> None:
    for applied, expected in [
        (AUTO_USER, EnrollmentType.USER),
        (AUTO_DEVICE, EnrollmentType.DEVICE),
        (None, EnrollmentType.DEVICE),
        (profile(False, "webDeviceEnrollment"), EnrollmentType.DEVICE),
    ]:
        ctx = context(applied)
        assert not ctx.asks_owner and ctx.auto_type is expected
        state = advance(start(ctx, READY), Action.BEGIN)
        assert state.owner_answer is None and state.enrollment_type is expected


def test_simulated_type() -> None:
    assert simulated_type("user") is EnrollmentType.USER
    assert simulated_type("device") is EnrollmentType.DEVICE
    assert simulated_type("unknown") is EnrollmentType.DEVICE


# Leaving: Postpone and Cancel.


def test_postpone_leaves_at_set_up_access() -> None:
    state = advance(start(context(CHOOSE), READY), Action.POSTPONE)
    assert state.step is Step.POSTPONED and state.step.is_final
    assert state.enrollment_type is None
    with pytest.raises(FlowError):
        advance(state, Action.BEGIN)


@pytest.mark.parametrize(
    ("applied", "presses"),
    [
        (AUTO_USER, [Action.OPEN_PROFILE]),  # User Enrollment sheet: Cancel and Delete Profile
        (AUTO_USER, [Action.OPEN_PROFILE, Action.ENROLL]),  # Managed Apple ID sign-in: Cancel
        (AUTO_DEVICE, [Action.OPEN_PROFILE]),  # Install: Cancel
        (AUTO_DEVICE, [Action.OPEN_PROFILE, Action.INSTALL]),  # Trust: Cancel
    ],
)
def test_cancel_during_install(applied, presses) -> None:
    state = at(Step.INSTALL, context(applied))
    for press in presses:
        state = advance(state, press)
    state = advance(state, Action.CANCEL)
    assert state.step is Step.CANCELLED and state.step.is_final
    with pytest.raises(FlowError):
        advance(state, Action.FINISH_INSTALL)


@pytest.mark.parametrize("applied", [AUTO_USER, AUTO_DEVICE])
def test_settings_app_has_no_cancel_before_the_profile_opens(applied) -> None:
    with pytest.raises(FlowError):
        advance(at(Step.INSTALL, context(applied)), Action.CANCEL)


@pytest.mark.parametrize(
    ("applied", "wrong"),
    [(AUTO_USER, Action.INSTALL), (AUTO_DEVICE, Action.ENROLL), (AUTO_DEVICE, Action.TRUST)],
)
def test_install_buttons_of_the_other_enrollment_type_are_refused(applied, wrong) -> None:
    state = advance(at(Step.INSTALL, context(applied)), Action.OPEN_PROFILE)
    with pytest.raises(FlowError, match="not on this screen"):
        advance(state, wrong)


# Screen 8: Safari's download prompt, and fast install.


def test_ignore_then_download_again_then_allow() -> None:
    state = at(Step.DOWNLOAD, context(AUTO_DEVICE))
    assert state.download is DownloadStage.PROMPT
    with pytest.raises(FlowError):
        advance(state, Action.DOWNLOAD_AGAIN)
    state = advance(state, Action.IGNORE)
    assert (state.step, state.download) == (Step.DOWNLOAD, DownloadStage.IGNORED)
    for refused in (Action.ALLOW, Action.IGNORE):
        with pytest.raises(FlowError):
            advance(state, refused)
    state = advance(state, Action.DOWNLOAD_AGAIN)
    assert state.download is DownloadStage.PROMPT
    state = advance(state, Action.ALLOW)
    assert (state.step, state.install) == (Step.INSTALL, InstallStage.SETTINGS)


@pytest.mark.parametrize(
    ("applied", "expected"),
    [(AUTO_USER, EnrollmentType.USER), (AUTO_DEVICE, EnrollmentType.DEVICE)],
)
def test_fast_install_is_one_click(applied, expected) -> None:
    done = walk(context(applied, fast_install=True))
    assert done.state.step is Step.DONE and done.state.enrollment_type is expected
    assert not any(s.startswith("install") for s in done.screens)
    assert done.screens[-2:] == ["download:prompt", "done"]


def test_fast_install_refuses_the_slow_buttons_and_vice_versa() -> None:
    fast = at(Step.DOWNLOAD, context(AUTO_DEVICE, fast_install=True))
    with pytest.raises(FlowError, match="one click"):
        advance(fast, Action.ALLOW)
    slow = at(Step.DOWNLOAD, context(AUTO_DEVICE))
    with pytest.raises(FlowError, match="not turned on"):
        advance(slow, Action.FAST_INSTALL)


def test_unknown_actions_and_buttons_of_other_screens_are_flow_errors() -> None:
    state = start(context(CHOOSE), READY)
    for bad in ("explode", "", Action.ALLOW, Action.CONTINUE):
        with pytest.raises(FlowError, match="not on this screen"):
            advance(state, bad)


def test_done_accepts_nothing_more() -> None:
    state = walk(context(AUTO_DEVICE)).state
    for action in Action:
        with pytest.raises(FlowError):
            advance(state, action)


def test_possible_paths_and_graph_names() -> None:
    asked = possible_paths(True, None)
    assert [(p.owner_answer, p.security_scope, p.enrollment_type) for p in asked] == [
        ("company", None, "device"),
        ("personal", "entireDevice", "device"),
        ("personal", "workOnly", "user"),
    ]
    assert [p.enrollment_type for p in possible_paths(False, EnrollmentType.USER)] == ["user"]
    assert GRAPH_ENROLLMENT_TYPE == {
        EnrollmentType.USER: "appleUserEnrollment",
        EnrollmentType.DEVICE: "userEnrollment",
    }


def test_each_possible_path_is_what_a_walk_gives() -> None:
    for path in possible_paths(True, None):
        done = walk(context(CHOOSE), path.owner_answer, path.security_scope)
        assert done.state.enrollment_type is path.enrollment_type


# Properties over random users pressing random buttons.

contexts = st.builds(
    context,
    st.sampled_from([None, CHOOSE, AUTO_USER, AUTO_DEVICE]),
    model=st.sampled_from(["iPhone", "iPad"]),
    os_version=st.sampled_from(["12.4", "13", "13.1", "16.4", ""]),
    has_managed_apple_id=st.booleans(),
    authenticator_installed=st.booleans(),
    fast_install=st.booleans(),
)
VALUES = [None, "", "company", "personal", "entireDevice", "workOnly", "x"]
# "forward" presses the button that moves on (so walks do reach the end); the rest is noise.
presses = st.lists(
    st.one_of(
        st.tuples(st.just("forward"), st.sampled_from(["company", "personal"])),
        st.tuples(st.just("forward"), st.sampled_from(["entireDevice", "workOnly"])),
        st.tuples(
            st.one_of(st.sampled_from(list(Action)), st.sampled_from(["bogus", ""])),
            st.sampled_from(VALUES),
        ),
    ),
    max_size=30,
)


def roundtrip(state: WalkState) -> WalkState:
    return WalkState.from_dict(json.loads(json.dumps(state.to_dict())))


@settings(max_examples=300)
@given(contexts, presses)
def test_random_presses_only_raise_flow_errors_and_never_finish_undecided(ctx, actions) -> None:
    state = start(ctx, READY)
    for action, value in actions:
        if action == "forward":
            if state.step.is_final:
                continue
            action, value = next_press(state, value, value)
        try:
            new = advance(state, action, value)
        except FlowError as error:
            assert error.message
            continue
        assert roundtrip(new) == new
        if new.step is not state.step and state.step is Step.OWNER:
            assert new.owner_answer is not None
        state = new
    event(f"ended on {state.step}")
    if state.step is Step.DONE:
        assert state.enrollment_type is not None
        if ctx.asks_owner:
            assert state.owner_answer is not None
        else:
            assert state.enrollment_type is ctx.auto_type and state.owner_answer is None
        if state.enrollment_type is EnrollmentType.USER:
            assert os_supports_user_enrollment(ctx.os_version)
            assert ctx.has_managed_apple_id
            assert state.authenticator_installed
        if state.owner_answer is OwnerAnswer.COMPANY:
            assert state.enrollment_type is EnrollmentType.DEVICE
    if state.step is Step.ERROR:
        assert state.error_code is not None


@given(contexts, st.integers(0, 12), st.sampled_from(list(possible_paths(True, None))))
def test_walk_states_round_trip_through_json(ctx, steps, path) -> None:
    state = start(ctx, READY)
    assert roundtrip(state) == state
    for _ in range(steps):
        if state.step.is_final:
            break
        state = advance(state, *next_press(state, path.owner_answer, path.security_scope))
        assert roundtrip(state) == state
    errored = replace(state, step=Step.ERROR, error_code=ErrorCode.APNS)
    assert roundtrip(errored) == errored
