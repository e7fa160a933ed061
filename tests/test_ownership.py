"""Device ownership (spec §5): the answer picks the enrollment type, identifiers pick the owner."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.enrollment.company_portal import Step, possible_paths
from app.enrollment.ownership import (
    OwnerAnswer,
    OwnershipBehavior,
    OwnerType,
    device_ownership,
    normalize_identifier,
    reported_identifiers,
)
from app.enrollment.resolve import EnrollmentType, ProfileFacts
from tests.walking import context, walk

PREVIEW, GA = OwnershipBehavior.PREVIEW_2019, OwnershipBehavior.GA_2020
USER, DEVICE = EnrollmentType.USER, EnrollmentType.DEVICE
CORP_SERIAL, CORP_IMEI = "F2LXC0RP0001", "352099001761481"


def decide(
    behavior: OwnershipBehavior,
    enrollment_type: EnrollmentType,
    answer: OwnerAnswer | None,
    serial: str = "",
    imei: str = "",
):
    return device_ownership(
        behavior=behavior,
        enrollment_type=enrollment_type,
        owner_answer=answer,
        serial_number=serial,
        imei=imei,
        corporate_serials={CORP_SERIAL},
        corporate_imeis={CORP_IMEI},
    )


def test_company_answer_on_a_device_without_identifier_is_personal_in_preview_2019() -> None:
    decision = decide(PREVIEW, DEVICE, OwnerAnswer.COMPANY, serial="RANDOM0001")
    assert decision.owner_type is OwnerType.PERSONAL
    assert decision.reason.startswith("personal by default")
    assert "the user's answer is not reflected in Device Ownership" in decision.reason


def test_i_own_secure_entire_device_on_a_corporate_serial_is_company() -> None:
    decision = decide(PREVIEW, DEVICE, OwnerAnswer.PERSONAL, serial=CORP_SERIAL)
    assert decision.owner_type is OwnerType.COMPANY
    assert decision.reason == f"serial number {CORP_SERIAL} is a corporate device identifier"


@pytest.mark.parametrize("behavior", list(OwnershipBehavior))
def test_user_enrollment_reports_no_identifier_so_never_matches(behavior) -> None:
    decision = decide(behavior, USER, None, serial=CORP_SERIAL, imei=CORP_IMEI)
    assert decision.owner_type is OwnerType.PERSONAL
    assert "User Enrollment reports no serial number or IMEI" in decision.reason


def test_imei_match_makes_company() -> None:
    decision = decide(PREVIEW, DEVICE, None, serial="OTHER", imei=CORP_IMEI)
    assert decision.owner_type is OwnerType.COMPANY
    assert decision.reason == f"IMEI {CORP_IMEI} is a corporate device identifier"


def test_identifiers_match_case_and_space_insensitively() -> None:
    assert decide(PREVIEW, DEVICE, None, serial=" f2lx c0rp0001 ").owner_type is OwnerType.COMPANY
    assert normalize_identifier(" ab 12\tcd ") == "AB12CD"


@pytest.mark.parametrize(
    ("answer", "serial", "owner"),
    [
        (OwnerAnswer.COMPANY, "", OwnerType.COMPANY),
        (OwnerAnswer.PERSONAL, CORP_SERIAL, OwnerType.PERSONAL),
        (None, CORP_SERIAL, OwnerType.COMPANY),
        (None, "", OwnerType.PERSONAL),
    ],
)
def test_ga_2020_follows_the_answer_and_without_one_the_identifier_rule(
    answer, serial, owner
) -> None:
    decision = decide(GA, DEVICE, answer, serial=serial)
    assert decision.owner_type is owner
    if answer is not None:
        assert (
            decision.reason == f"ga-2020: the user's answer ({answer.value}) sets Device Ownership"
        )


def test_reported_identifiers() -> None:
    assert reported_identifiers(USER, "S", "I") == ("", "")
    assert reported_identifiers(DEVICE, "S", "I") == ("S", "I")


# Property: in preview-2019 no answer ever changes ownership.

identifiers = st.sampled_from(["", CORP_SERIAL, CORP_SERIAL.lower(), "NOTCORP", CORP_IMEI])
answers = st.sampled_from([None, OwnerAnswer.COMPANY, OwnerAnswer.PERSONAL])


@given(st.sampled_from(list(EnrollmentType)), identifiers, identifiers, answers, answers)
def test_in_preview_2019_no_answer_ever_changes_ownership(
    enrollment_type, serial, imei, answer, other_answer
) -> None:
    first = decide(PREVIEW, enrollment_type, answer, serial, imei)
    second = decide(PREVIEW, enrollment_type, other_answer, serial, imei)
    assert first.owner_type is second.owner_type
    corporate = enrollment_type is DEVICE and (
        normalize_identifier(serial) == CORP_SERIAL or imei == CORP_IMEI
    )
    assert first.owner_type is (OwnerType.COMPANY if corporate else OwnerType.PERSONAL)


# The same property through the whole walk: whatever a user answers on any profile, in
# preview-2019 the recorded owner is the identifier rule applied to what the device reports.

PROFILES = [
    None,
    ProfileFacts("choose", "Choose", 0, True, "user", all_users=True),
    ProfileFacts("ue", "UE", 0, False, "user", all_users=True),
    ProfileFacts("de", "DE", 0, False, "device", all_users=True),
]


@given(
    st.sampled_from(PROFILES),
    st.sampled_from(possible_paths(True, None)),
    identifiers,
    identifiers,
    st.sampled_from(list(OwnershipBehavior)),
)
def test_walked_outcomes_follow_the_ownership_rule(applied, path, serial, imei, behavior) -> None:
    done = walk(context(applied), path.owner_answer, path.security_scope)
    state = done.state
    assert state.step is Step.DONE
    decision = decide(behavior, state.enrollment_type, state.owner_answer, serial, imei)
    reported_serial, reported_imei = reported_identifiers(state.enrollment_type, serial, imei)
    by_identifier = (
        OwnerType.COMPANY
        if normalize_identifier(reported_serial) == CORP_SERIAL or reported_imei == CORP_IMEI
        else OwnerType.PERSONAL
    )
    if behavior is GA and state.owner_answer is not None:
        assert decision.owner_type.value == state.owner_answer.value
    else:
        assert decision.owner_type is by_identifier
