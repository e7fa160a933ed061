"""Every row of the decision table (spec §2-§5), driven through the pure domain.

profile kind × answers × targeting × corporate identifier × ownership behaviour →
enrollment type, Graph deviceEnrollmentType, enrollmentProfileName and managedDeviceOwnerType.
The rows are walked screen by screen to "You're all set!"; a second test checks that the
decision trace built from a stored tenant predicts the same outcome for every row.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from app.automation import trace
from app.enrollment.company_portal import Step
from app.enrollment.ownership import (
    GRAPH_ENROLLMENT_TYPE,
    OwnershipBehavior,
    device_ownership,
    reported_identifiers,
)
from app.enrollment.resolve import EnrollmentType, ProfileFacts, resolve_profile
from app.scenarios import create_tenant, parse_document
from app.store import Tenant, User, db
from tests.walking import context, walk

CORP_SERIAL, CORP_IMEI = "F2LXC0RP0001", "352099001761481"
PLAIN_SERIAL, PLAIN_IMEI = "G6TZ55550000", "990000862471854"

# Profile kinds: (Require user to select device type, Default enrollment type)
KINDS = {
    "required": (True, "user"),
    "auto-user": (False, "user"),
    "auto-device": (False, "device"),
}
# Answers a user can give: (Who owns this device?, How do you want ... to secure your device?)
ASKED = {
    "company": ("company", None),
    "personal+entire": ("personal", "entireDevice"),
    "personal+workOnly": ("personal", "workOnly"),
}
NOT_ASKED = {"none (auto)": (None, None)}
TARGETING = ("included group", "excluded group", "All users", "no profile")
# What the simulated device reports: (serial number, IMEI)
IDENTIFIERS = {
    "no corporate identifier": (PLAIN_SERIAL, PLAIN_IMEI),
    "corporate serial": (CORP_SERIAL, PLAIN_IMEI),
    "corporate IMEI": (PLAIN_SERIAL, CORP_IMEI),
}
PROFILE_NAME = "Enrollment profile"


class Row(NamedTuple):
    kind: str | None
    targeting: str
    answer: str
    identifier: str
    behavior: OwnershipBehavior


def rows() -> list[Row]:
    out = []
    for behavior in OwnershipBehavior:
        for identifier in IDENTIFIERS:
            for targeting in TARGETING:
                kinds = [None] if targeting == "no profile" else list(KINDS)
                for kind in kinds:
                    applies = targeting in {"included group", "All users"}
                    answers = ASKED if applies and kind == "required" else NOT_ASKED
                    for answer in answers:
                        out.append(Row(kind, targeting, answer, identifier, behavior))
    return out


ROWS = rows()


def row_id(row: Row) -> str:
    return f"{row.kind or '-'}|{row.targeting}|{row.answer}|{row.identifier}|{row.behavior}"


def profiles_for(row: Row) -> list[ProfileFacts]:
    if row.kind is None:
        return []
    choice, default = KINDS[row.kind]
    return [
        ProfileFacts(
            id="p1",
            name=PROFILE_NAME,
            priority=0,
            require_user_choice=choice,
            default_enrollment_type=default,
            all_users=row.targeting == "All users",
            include_group_ids=frozenset({"g-in"}) if row.targeting != "All users" else frozenset(),
            exclude_group_ids=frozenset({"g-out"}),
        )
    ]


def user_groups_for(row: Row) -> set[str]:
    return {"g-in", "g-out"} if row.targeting == "excluded group" else {"g-in"}


# The spec, written out as plainly as possible, independent of the code under test.


def expected_type(row: Row) -> str:
    """§2-§3: no applicable profile → Device Enrollment; auto → the profile's default;
    'I own' + 'Secure work-related apps and data only' → User Enrollment; otherwise Device."""
    if row.targeting in {"excluded group", "no profile"}:
        return "device"
    if row.kind == "auto-user":
        return "user"
    if row.kind == "auto-device":
        return "device"
    return "user" if row.answer == "personal+workOnly" else "device"


def expected_owner(row: Row) -> str:
    """§5: preview-2019 → identifiers only (User Enrollment reports none); ga-2020 → the
    answer when there is one, otherwise the identifier rule."""
    owner_answer, _ = (ASKED | NOT_ASKED)[row.answer]
    if row.behavior is OwnershipBehavior.GA_2020 and owner_answer is not None:
        return owner_answer
    if expected_type(row) == "user":
        return "personal"
    return "personal" if row.identifier == "no corporate identifier" else "company"


EXPECTED_SCREENS = {
    # (asks owner, asks scope, enrollment type) → screens seen, in order
    (False, False, "device"): [
        "setUpAccess",
        "privacy",
        "download:prompt",
        "install:settings",
        "install:install",
        "install:trust",
        "install:installed",
        "done",
    ],
    (False, False, "user"): [
        "setUpAccess",
        "authenticator",
        "authenticator:installed",
        "privacy",
        "download:prompt",
        "install:settings",
        "install:sheet",
        "install:appleId",
        "done",
    ],
}
EXPECTED_SCREENS[(True, False, "device")] = ["setUpAccess", "owner"] + EXPECTED_SCREENS[
    (False, False, "device")
][1:]
EXPECTED_SCREENS[(True, True, "device")] = ["setUpAccess", "owner", "scope"] + EXPECTED_SCREENS[
    (False, False, "device")
][1:]
EXPECTED_SCREENS[(True, True, "user")] = ["setUpAccess", "owner", "scope"] + EXPECTED_SCREENS[
    (False, False, "user")
][1:]


def test_the_table_has_every_row() -> None:
    # included/All users: required × 3 answers + 2 auto kinds; excluded: 3 kinds; no profile: 1
    assert len(ROWS) == ((3 + 2) * 2 + 3 + 1) * len(IDENTIFIERS) * len(OwnershipBehavior)
    assert len(set(ROWS)) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_decision_table_row(row: Row) -> None:
    resolution = resolve_profile(profiles_for(row), user_groups_for(row))
    applies = row.targeting in {"included group", "All users"}
    assert (resolution.applied is not None) is applies

    ctx = context(resolution.applied)
    asks = row.kind == "required" and applies
    assert ctx.asks_owner is asks

    owner_answer, scope = (ASKED | NOT_ASKED)[row.answer]
    done = walk(ctx, owner_answer, scope)
    state = done.state
    assert state.step is Step.DONE
    assert state.enrollment_type == expected_type(row)
    assert state.owner_answer == owner_answer
    assert state.security_scope == scope
    asked_scope = scope is not None
    assert done.screens == EXPECTED_SCREENS[(asks, asked_scope, expected_type(row))]

    serial, imei = IDENTIFIERS[row.identifier]
    decision = device_ownership(
        behavior=row.behavior,
        enrollment_type=state.enrollment_type,
        owner_answer=state.owner_answer,
        serial_number=serial,
        imei=imei,
        corporate_serials={CORP_SERIAL},
        corporate_imeis={CORP_IMEI},
    )
    graph_type = GRAPH_ENROLLMENT_TYPE[state.enrollment_type]
    assert (
        graph_type
        == {"user": "appleUserEnrollment", "device": "userEnrollment"}[expected_type(row)]
    )
    assert decision.owner_type == expected_owner(row)
    profile_name = resolution.applied.name if resolution.applied else ""
    assert profile_name == (PROFILE_NAME if applies else "")
    reported = reported_identifiers(state.enrollment_type, serial, imei)
    assert reported == (("", "") if expected_type(row) == "user" else (serial, imei))


# The spec's own examples, pinned by name.


def _outcome(kind, targeting, answer, identifier, behavior):
    """The spec's expectation for a row, after walking that row through the domain."""
    row = Row(kind, targeting, answer, identifier, OwnershipBehavior(behavior))
    assert row in ROWS
    test_decision_table_row(row)
    return expected_type(row), expected_owner(row)


def test_company_owns_this_device_without_identifier_is_personal_in_preview_2019() -> None:
    outcome = _outcome(
        "required", "included group", "company", "no corporate identifier", "preview-2019"
    )
    assert outcome == ("device", "personal")


def test_i_own_plus_secure_entire_device_on_a_corporate_serial_is_company() -> None:
    outcome = _outcome(
        "required", "included group", "personal+entire", "corporate serial", "preview-2019"
    )
    assert outcome == ("device", "company")


@pytest.mark.parametrize("behavior", list(OwnershipBehavior))
@pytest.mark.parametrize("identifier", ["corporate serial", "corporate IMEI"])
def test_user_enrollment_never_matches_an_identifier(behavior, identifier) -> None:
    for kind, answer in [("auto-user", "none (auto)"), ("required", "personal+workOnly")]:
        assert _outcome(kind, "included group", answer, identifier, behavior) == (
            "user",
            "personal",
        )


def test_ga_2020_follows_the_answer_and_no_answer_follows_identifiers() -> None:
    ga = "ga-2020"
    assert _outcome("required", "All users", "company", "no corporate identifier", ga) == (
        "device",
        "company",
    )
    assert _outcome("required", "All users", "personal+entire", "corporate serial", ga) == (
        "device",
        "personal",
    )
    assert _outcome("auto-device", "All users", "none (auto)", "corporate IMEI", ga) == (
        "device",
        "company",
    )
    assert _outcome(None, "no profile", "none (auto)", "no corporate identifier", ga) == (
        "device",
        "personal",
    )


# The stored side: the decision trace of a tenant predicts every row's outcome.

PASSWORD_HASH = "pbkdf2:sha256:1$salt$" + "0" * 64


def scenario_for(kind: str | None, targeting: str, behavior: OwnershipBehavior) -> dict:
    doc: dict = {
        "settings": {"ownershipBehavior": behavior.value},
        "users": [{"upn": "u@contoso.com", "passwordHash": PASSWORD_HASH}],
        "groups": [
            {"name": "In", "members": ["u@contoso.com"]},
            {"name": "Out", "members": ["u@contoso.com"] if targeting == "excluded group" else []},
        ],
        "corporateIdentifiers": [
            {"type": "serialNumber", "value": CORP_SERIAL},
            {"type": "imei", "value": CORP_IMEI},
        ],
    }
    if kind is not None:
        choice, default = KINDS[kind]
        include = ["all"] if targeting == "All users" else ["In"]
        doc["profiles"] = [
            {
                "name": PROFILE_NAME,
                "requireUserChoice": choice,
                "defaultEnrollmentType": default,
                "assign": {"include": include, "exclude": ["Out"]},
            }
        ]
    return doc


@pytest.mark.parametrize("behavior", list(OwnershipBehavior))
def test_the_stored_trace_predicts_every_row(app, behavior: OwnershipBehavior) -> None:
    with app.app_context():
        for n, (kind, targeting) in enumerate(
            sorted({(r.kind, r.targeting) for r in ROWS if r.behavior is behavior}, key=str)
        ):
            tenant = create_tenant(
                parse_document(scenario_for(kind, targeting, behavior)), f"table-{n}"
            )
            user = User.query.filter_by(tenant_id=tenant.id).one()
            for identifier, (serial, imei) in IDENTIFIERS.items():
                built = trace.build(tenant, user, serial, imei)
                applies = targeting in {"included group", "All users"}
                assert built["appliedProfile"] == (
                    {"id": built["candidates"][0]["id"], "name": PROFILE_NAME, "priority": 0}
                    if applies
                    else None
                )
                assert built["ownershipBehavior"] == behavior.value
                predicted = {
                    (o["ownerAnswer"], o["securityScope"]): (
                        o["enrollmentType"],
                        o["deviceEnrollmentType"],
                        o["managedDeviceOwnerType"],
                    )
                    for o in built["outcomes"]
                }
                expected = {}
                for row in ROWS:
                    if (row.kind, row.targeting, row.identifier, row.behavior) == (
                        kind,
                        targeting,
                        identifier,
                        behavior,
                    ):
                        enrollment_type = expected_type(row)
                        expected[(ASKED | NOT_ASKED)[row.answer]] = (
                            enrollment_type,
                            GRAPH_ENROLLMENT_TYPE[EnrollmentType(enrollment_type)],
                            expected_owner(row),
                        )
                assert predicted == expected, (kind, targeting, identifier)
                assert built["asksOwner"] is (kind == "required" and applies)


# The trace of the demo tenant's users, as the console and the recorded device show it.


def demo_trace(app, upn: str, serial: str = "", imei: str = "") -> dict:
    with app.app_context():
        tenant = db.session.get(Tenant, "default")
        user = User.query.filter_by(tenant_id="default", upn_key=upn).one()
        return trace.build(tenant, user, serial, imei)


def test_trace_for_a_user_who_chooses(app) -> None:
    built = demo_trace(app, "alex@contoso.com", serial="F2LXC0RP0001")
    assert built["appliedProfile"]["name"] == "BYOD Choice" and built["asksOwner"]
    assert [
        (o["enrollmentTypeReason"], o["deviceEnrollmentType"], o["managedDeviceOwnerType"])
        for o in built["outcomes"]
    ] == [
        ('"Company owns this device" → Device Enrollment', "userEnrollment", "company"),
        (
            '"I own this device" + "Secure entire device" → Device Enrollment',
            "userEnrollment",
            "company",
        ),
        (
            '"I own this device" + "Secure work-related apps and data only" → User Enrollment',
            "appleUserEnrollment",
            "personal",
        ),
    ]


def test_trace_for_an_excluded_user_names_both_groups(app) -> None:
    built = demo_trace(app, "nestor@contoso.com")
    assert built["appliedProfile"] is None and not built["asksOwner"]
    byod = built["candidates"][0]
    assert (byod["name"], byod["included"], byod["excluded"], byod["applied"]) == (
        "BYOD Choice",
        False,
        True,
        False,
    )
    assert byod["reason"] == (
        "excluded by group Contractors (exclusion wins over inclusion by group BYOD Users)"
    )
    (outcome,) = built["outcomes"]
    assert outcome["enrollmentTypeReason"] == (
        "No profile applies: Device Enrollment with no questions [simulator rule]"
    )
    assert outcome["ownerAnswer"] is None and outcome["managedDeviceOwnerType"] == "personal"


def test_trace_for_auto_profiles(app) -> None:
    diego = demo_trace(app, "diego@contoso.com", serial="f2lxc0rp0001")
    (outcome,) = diego["outcomes"]
    assert outcome["enrollmentTypeReason"] == (
        "Require user to select device type is Not configured: the default, Device Enrollment"
    )
    assert outcome["managedDeviceOwnerType"] == "company"
    assert "F2LXC0RP0001 is a corporate device identifier" in outcome["ownershipReason"]
    lee = demo_trace(app, "lee@contoso.com", serial="F2LXC0RP0001")
    (outcome,) = lee["outcomes"]
    assert (outcome["enrollmentType"], outcome["managedDeviceOwnerType"]) == ("user", "personal")
    assert "User Enrollment reports no serial number or IMEI" in outcome["ownershipReason"]


def test_trace_says_when_a_default_type_is_not_simulated(app) -> None:
    with app.app_context():
        doc = scenario_for("auto-device", "All users", OwnershipBehavior.PREVIEW_2019)
        doc["profiles"][0]["defaultEnrollmentType"] = "webDeviceEnrollment"
        tenant = create_tenant(parse_document(doc), "not-simulated")
        user = User.query.filter_by(tenant_id=tenant.id).one()
        (outcome,) = trace.build(tenant, user)["outcomes"]
    assert outcome["enrollmentType"] == "device"
    assert outcome["enrollmentTypeReason"] == (
        "Default enrollment type webDeviceEnrollment is not simulated: Device Enrollment "
        "[simulator rule]"
    )
