"""Scenario documents: one schema, exact errors with paths, and export → import → export equal."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.automation import trace
from app.config import REPO_ROOT
from app.directory.branding_fields import NEW_PROFILE
from app.scenarios import (
    CONSOLE_OPTIONS,
    ScenarioError,
    create_tenant,
    export,
    parse_document,
    parse_file,
    parse_text,
    reset_tenant,
)
from app.store import (
    CorporateIdentifier,
    EnrollmentProfile,
    Group,
    ManagedDevice,
    Tenant,
    User,
    tenant_counts,
    transaction,
)

ROOT_SCENARIOS = REPO_ROOT / "scenarios"
DEVICE_GROUP_MESSAGE = (
    "Device groups aren't supported for User Enrollment scenarios because the feature is based "
    "on user identities, rather than devices."
)


ONE_DEVICE = (
    "devices:\n - {userPrincipalName: a@b.c, serialNumber: F2LX1234, "
    "deviceEnrollmentType: appleUserEnrollment, managedDeviceOwnerType: company}\n"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "company: [unclosed",
            "scenario: expected ',' or ']', but got '<stream end>' at line 1, column 19",
        ),
        (
            '{"company": "x",\n "users": [}',
            "scenario: expected the node content, but found '}' at line 2, column 12",
        ),
        (
            "users:\n  - upn: a@b.c\n   password: x",
            "scenario: expected <block end>, but found '<block mapping start>' at line 3, column 4",
        ),
        ("- a\n- b", "(document): a scenario is a mapping of keys (company, users, ...)"),
        ("just a string", "(document): a scenario is a mapping of keys (company, users, ...)"),
        ("colour: red", "colour: unknown key"),
        ("profiles:\n  - name: P\n    colour: red", "profiles[0].colour: unknown key"),
        ("settings:\n  fastInstall: true", "settings.fastInstall: unknown key"),
        (
            "settings:\n  ownershipBehavior: ga-2021",
            "settings.ownershipBehavior: 'ga-2021' is not one of 'preview-2019' or 'ga-2020'",
        ),
        (
            "settings:\n  mdmAuthority: Intune",
            "settings.mdmAuthority: 'Intune' is not one of 'intune' or 'unknown'",
        ),
        ("settings: 5", "settings: expected a mapping of keys, not int 5"),
        ("users: {upn: a@b.c}", "users: expected a list, not a mapping"),
        (
            "users:\n - {upn: notanemail, password: x}",
            "users[0].upn: 'notanemail' is not a user principal name like name@contoso.com",
        ),
        ("users:\n - {upn: a@b.c}", "users[0]: give exactly one of password or passwordHash"),
        (
            "users:\n - {upn: a@b.c, password: x, passwordHash: y}",
            "users[0]: give exactly one of password or passwordHash",
        ),
        (
            "users:\n - {upn: a@b.c, passwordHash: ''}",
            "users[0].passwordHash: String should have at least 1 character",
        ),
        (
            "users:\n - {upn: a@b.c, password: x}\n - {upn: A@B.c, password: y}",
            "users[1].upn: duplicate userPrincipalName 'A@B.c'",
        ),
        (
            "groups:\n - {name: G, members: [nobody@x.y]}",
            "groups[0].members[0]: no user 'nobody@x.y'",
        ),
        (
            "users: [{upn: a@b.c, password: x}]\ngroups:\n - {name: G, members: [a@b.c, A@B.C]}",
            "groups[0].members[1]: 'A@B.C' is listed twice",
        ),
        (
            "groups:\n - {name: G}\n - {name: G}",
            "groups[1].name: duplicate group name 'G'",
        ),
        (
            "groups:\n - {name: G, kind: device, rule: 'device.deviceModel -like \"x\"'}",
            "groups[0].rule: unknown operator '-like' (expected one of -eq, -ne, -startsWith, "
            "-contains) at position 19",
        ),
        (
            "groups:\n - {name: G, kind: device, rule: 'device.colour -eq \"x\"'}",
            "groups[0].rule: unknown property 'device.colour' (expected one of "
            "device.deviceModel, device.deviceOSVersion, device.deviceOwnership, "
            "device.enrollmentProfileName) at position 0",
        ),
        (
            "groups:\n - {name: G, rule: 'device.deviceModel -eq \"x\"'}",
            "groups[0].rule: only device groups have a membership rule here",
        ),
        (
            "users: [{upn: a@b.c, password: x}]\n"
            "groups:\n - {name: D, kind: device, members: [a@b.c]}",
            "groups[0].members[0]: no device with serialNumber 'a@b.c' in devices "
            "(nor one without a serial number with that deviceName)",
        ),
        (
            "groups:\n - {name: D, kind: device, rule: 'device.deviceModel -eq \"iPad\"', "
            "members: [X]}",
            "groups[0].members: a dynamic device group's members come from its rule; "
            "give members or a rule, not both",
        ),
        (
            f"{ONE_DEVICE}groups:\n - {{name: G}}\n - {{name: D, kind: device, "
            "members: [F2LX1234, X]}",
            "groups[1].members[1]: no device with serialNumber 'X' in devices "
            "(nor one without a serial number with that deviceName)",
        ),
        (
            f"{ONE_DEVICE}groups:\n - {{name: D, kind: device, members: [F2LX1234, F2LX1234]}}",
            "groups[0].members[1]: 'F2LX1234' is listed twice",
        ),
        (
            "profiles:\n - name: P\n   requireUserChoice: false\n"
            "   enrollmentTypeOptions: [{ownerType: company, enrollmentType: device}]",
            "profiles[0].requireUserChoice: must be true or left out when enrollmentTypeOptions "
            "is given",
        ),
        (
            "profiles:\n - name: P\n   enrollmentTypeOptions:\n"
            "    - {ownerType: company, enrollmentType: device}\n"
            "    - {ownerType: company, enrollmentType: user}",
            "profiles[0].enrollmentTypeOptions[1].ownerType: 'company' is listed twice",
        ),
        (
            "profiles:\n - name: P\n   enrollmentTypeOptions: [{ownerType: shared, "
            "enrollmentType: device}]",
            "profiles[0].enrollmentTypeOptions[0].ownerType: 'shared' is not one of 'company' "
            "or 'personal'",
        ),
        (
            "profiles:\n - name: P\n   enrollmentTypeOptions: [{ownerType: company, "
            "enrollmentType: both}]",
            "profiles[0].enrollmentTypeOptions[0].enrollmentType: 'both' is not one of "
            "'unknown', 'device', 'user', 'accountDrivenUserEnrollment', 'webDeviceEnrollment' "
            "or 'unknownFutureValue'",
        ),
        (
            "profiles:\n - name: P\n   enrollmentTypeOptions: []",
            "profiles[0].enrollmentTypeOptions: List should have at least 1 item after "
            "validation, not 0",
        ),
        (
            "profiles:\n - name: P\n   enrollmentTypeOptions: [{ownerType: company, "
            "enrollmentType: device, colour: red}]",
            "profiles[0].enrollmentTypeOptions[0].colour: unknown key",
        ),
        (
            "devices:\n - {userPrincipalName: a@b.c, deviceEnrollmentType: userEnrollment, "
            "managedDeviceOwnerType: personal, decisionTrace: yes}",
            "devices[0].decisionTrace: expected a mapping of keys, not bool True",
        ),
        (
            "devices:\n - {userPrincipalName: a@b.c, deviceEnrollmentType: userEnrollment, "
            "managedDeviceOwnerType: personal, decisionTrace: {candidates: [{name: P}]}}",
            "devices[0].decisionTrace.candidates[0].priority: Field required",
        ),
        (
            "groups: [{name: G}]\nprofiles:\n - name: P\n   assign: {include: [G]}\n"
            " - name: Q\n   assign: {include: [G, X]}",
            "profiles[1].assign.include[1]: no group named 'X'",
        ),
        (
            "profiles:\n - name: P\n   assign: {include: [All Users]}",
            "profiles[0].assign.include[0]: no group named 'All Users' (write all for All users)",
        ),
        (
            "profiles:\n - name: P\n   assign: {include: all, exclude: [all]}",
            "profiles[0].assign.exclude[0]: All users can be included, not excluded",
        ),
        (
            "groups:\n - {name: D, kind: device}\nprofiles:\n - name: P\n   assign: {exclude: D}",
            f"profiles[0].assign.exclude[0]: 'D' is a device group. {DEVICE_GROUP_MESSAGE}",
        ),
        ("profiles:\n - {}", "profiles[0].name: Field required"),
        (
            "profiles:\n - {name: P, defaultEnrollmentType: both}",
            "profiles[0].defaultEnrollmentType: 'both' is not one of 'unknown', 'device', 'user', "
            "'accountDrivenUserEnrollment', 'webDeviceEnrollment' or 'unknownFutureValue'",
        ),
        (
            "profiles:\n - name: P\n   requireUserChoice: maybe",
            "profiles[0].requireUserChoice: expected true or false, not str 'maybe'",
        ),
        (  # strict, as the OpenAPI document says: JSON's 1 and "true" are not booleans
            '{"users": [{"upn": "a@b.c", "password": "x", "enabled": 1}]}',
            "users[0].enabled: expected true or false, not int 1",
        ),
        (
            '{"settings": {"fastProfileInstall": "true"}}',
            "settings.fastProfileInstall: expected true or false, not str 'true'",
        ),
        (
            "corporateIdentifiers:\n - {type: serial, value: X}",
            "corporateIdentifiers[0].type: 'serial' is not one of 'serialNumber' or 'imei'",
        ),
        (
            "corporateIdentifiers:\n - {type: imei, value: 352099001761481}",
            "corporateIdentifiers[0].value: expected text; write 352099001761481 in quotes so it "
            "stays as written",
        ),
        (
            "corporateIdentifiers:\n - {type: imei, value: '35 209'}\n"
            " - {type: imei, value: '35209'}",
            "corporateIdentifiers[1].value: duplicate imei '35209'",
        ),
        (
            "devices:\n - {userPrincipalName: a@b.c, osVersion: 16.4, "
            "deviceEnrollmentType: userEnrollment, managedDeviceOwnerType: personal}",
            "devices[0].osVersion: expected text; write 16.4 in quotes so it stays as written",
        ),
        (
            "devices:\n - {userPrincipalName: a@b.c, deviceEnrollmentType: foo, "
            "managedDeviceOwnerType: personal}",
            "devices[0].deviceEnrollmentType: 'foo' is not one of 'userEnrollment' or "
            "'appleUserEnrollment'",
        ),
        ("company: ''", "company: String should have at least 1 character"),
        (f"company: {'x' * 201}", "company: String should have at most 200 characters"),
        (
            "devices:\n - {userPrincipalName: a@b.c, osVersion: '" + "1." * 17 + "0', "
            "deviceEnrollmentType: userEnrollment, managedDeviceOwnerType: personal}",
            "devices[0].osVersion: String should have at most 32 characters",
        ),
        ("themeColor: blue", "themeColor: 'blue' is not a colour like #0078D4"),
    ],
)
def test_bad_documents_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_text(text)
    assert caught.value.message == message or (
        "at line" in message and caught.value.message.startswith(message)
    )
    if "at line" in message:
        assert caught.value.code == "MalformedScenario"
    else:
        assert caught.value.code == "InvalidScenario"


def test_every_error_is_reported_at_once() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_document({"colour": "red", "settings": {"ownershipBehavior": "x"}})
    assert caught.value.message == (
        "settings.ownershipBehavior: 'x' is not one of 'preview-2019' or 'ga-2020'; "
        "colour: unknown key"
    )


def test_empty_document_is_an_empty_tenant() -> None:
    doc = parse_text("")
    assert doc.company == "Contoso" and doc.users == [] and doc.profiles == []
    assert doc.settings.ownershipBehavior == "preview-2019"
    assert doc.settings.apnsCertificateExpires == date(2030, 1, 1)


def test_parse_file_names_the_file(tmp_path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError, match="nope.yaml: No such file or directory"):
        parse_file(missing)
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: [")
    with pytest.raises(ScenarioError) as caught:
        parse_file(bad)
    assert caught.value.message.startswith(f"{bad}: ")
    assert "line 1, column 11" in caught.value.message


def test_demo_scenario_loads_and_tells_its_story() -> None:
    doc = parse_file(ROOT_SCENARIOS / "demo.yaml")
    assert [p.name for p in doc.profiles] == [
        "BYOD Choice",
        "Sales User Enrollment",
        "Corporate Device Enrollment",
    ]
    assert doc.profiles[0].requireUserChoice
    assert {u.upn for u in doc.users if not u.managedAppleId} == {"isaiah@contoso.com"}
    assert "F2LXC0RP0001" in {i.value for i in doc.corporateIdentifiers}


def test_every_example_scenario_loads() -> None:
    files = sorted(ROOT_SCENARIOS.glob("*.y*ml")) + sorted(ROOT_SCENARIOS.glob("*.json"))
    assert files
    for path in files:
        parse_file(path)


def test_demo_seeds_the_default_tenant(app) -> None:
    with app.app_context():
        assert tenant_counts("default") == {"users": 7, "groups": 5, "profiles": 3, "devices": 0}


# Round trip: export → import into a new tenant → export again.

TRACE = {
    "user": "amy@fabrikam.com",
    "appliedProfile": {"id": "elsewhere", "name": "Choose", "priority": 0},
    "reason": None,
    "candidates": [
        {
            "id": "elsewhere",
            "name": "Choose <b>",
            "priority": 0,
            "included": True,
            "excluded": False,
            "applied": True,
            "reason": "Included through Staff",
        }
    ],
    "asksOwner": True,
    "ownershipBehavior": "ga-2020",
    "outcomes": [],
    "outcome": {
        "ownerAnswer": "company",
        "securityScope": None,
        "enrollmentType": "device",
        "deviceEnrollmentType": "userEnrollment",
        "managedDeviceOwnerType": "company",
        "ownershipReason": "2026-01-02",
        "notes": ["<script>x</script>", None, 3, 1.5],
    },
}


RICH = {
    "company": "Fabrikam <b>&</b>",
    "themeColor": "#a1b2c3",
    "settings": {
        "mdmAuthority": "intune",
        "apnsCertificateExpires": "2031-05-06",
        "ownershipBehavior": "ga-2020",
        "fastProfileInstall": True,
    },
    "users": [
        {"upn": "Zed@fabrikam.com", "displayName": "Zed Z", "password": "Zed-pass"},
        {"upn": "amy@fabrikam.com", "password": "Amy-pass", "managedAppleId": False},
        {"upn": "off@fabrikam.com", "password": "x", "enabled": False},
    ],
    "groups": [
        {
            "name": "Staff",
            "description": "everyone",
            "members": ["amy@fabrikam.com", "Zed@fabrikam.com"],
        },
        {"name": "Temps", "members": ["off@fabrikam.com"]},
        {"name": "Kiosks", "kind": "device", "rule": 'device.deviceModel -eq "iPad"'},
        # static device group: a serial number, and a deviceName for a device without one
        {"name": "Loaners <i>", "kind": "device", "members": ["Zed's iPhone", "F2LX1234"]},
    ],
    "profiles": [
        {
            "name": "Choose",
            "description": "pick",
            "requireUserChoice": True,
            "defaultEnrollmentType": "user",
            "assign": {"include": ["Staff"], "exclude": ["Temps"]},
        },
        {
            "name": "Everyone",
            "defaultEnrollmentType": "device",
            "assign": {"include": ["all"]},
            # set through Graph: only a company option, and it gives User Enrollment
            "enrollmentTypeOptions": [{"ownerType": "company", "enrollmentType": "user"}],
        },
        {"name": "Unassigned", "defaultEnrollmentType": "webDeviceEnrollment"},
    ],
    "corporateIdentifiers": [
        {"type": "serialNumber", "value": "F2LX1234", "description": "spare"},
        {"type": "imei", "value": "35 209900 176148 1"},
    ],
    "devices": [
        {
            "userPrincipalName": "amy@fabrikam.com",
            "deviceName": "Amy's iPad",
            "model": "iPad",
            "osVersion": "16.4",
            "serialNumber": "F2LX1234",
            "deviceEnrollmentType": "userEnrollment",
            "enrollmentProfileName": "Choose",
            "managedDeviceOwnerType": "company",
            "enrolledDateTime": "2026-01-02T03:04:05Z",
            "ownerAnswer": "company",
            "decisionTrace": TRACE,
        },
        {
            "userPrincipalName": "Zed@fabrikam.com",
            "deviceName": "Zed's iPhone",
            "osVersion": "17.0",
            "deviceEnrollmentType": "appleUserEnrollment",
            "enrollmentProfileName": "Choose",
            "managedDeviceOwnerType": "personal",
            "enrolledDateTime": "2026-01-02T03:04:05Z",
            "ownerAnswer": "personal",
            "securityScope": "workOnly",
        },
        {
            "userPrincipalName": "gone@fabrikam.com",
            "deviceEnrollmentType": "userEnrollment",
            "managedDeviceOwnerType": "personal",
            "enrolledDateTime": "2025-12-31T23:59:59Z",
        },
    ],
}


def test_export_import_export_is_equal(app) -> None:
    with app.app_context():
        first = create_tenant(parse_document(RICH), "round-1")
        exported = export(first)
        assert len(exported["devices"]) == 3
        assert exported["devices"][0]["enrolledDateTime"] == "2025-12-31T23:59:59Z"
        ipad = next(d for d in exported["devices"] if d["model"] == "iPad")
        assert ipad["operatingSystem"] == "iPadOS"
        assert exported["company"] == "Fabrikam <b>&</b>"
        assert exported["themeColor"] == "#A1B2C3"
        assert exported["settings"] == {
            "mdmAuthority": "intune",
            "apnsCertificateExpires": "2031-05-06",
            "ownershipBehavior": "ga-2020",
            "fastProfileInstall": True,
        }
        assert all("password" not in u or u["password"] is None for u in exported["users"])
        assert all(u["passwordHash"].startswith("pbkdf2:") for u in exported["users"])
        assert [p["name"] for p in exported["profiles"]] == ["Choose", "Everyone", "Unassigned"]
        # everything comes back in document order
        assert [u["upn"] for u in exported["users"]] == [u["upn"] for u in RICH["users"]]
        assert [g["name"] for g in exported["groups"]] == [
            "Staff",
            "Temps",
            "Kiosks",
            "Loaners <i>",
        ]
        assert exported["groups"][3]["members"] == ["F2LX1234", "Zed's iPhone"]
        assert exported["groups"][2]["members"] == []
        # the optional keys are written only when they carry something
        assert "enrollmentTypeOptions" not in exported["profiles"][0]  # the console's options
        assert "enrollmentTypeOptions" not in exported["profiles"][2]  # no choice
        assert exported["profiles"][1]["enrollmentTypeOptions"] == [
            {"ownerType": "company", "enrollmentType": "user"}
        ]
        assert exported["profiles"][1]["requireUserChoice"] is True
        assert ipad["decisionTrace"] == TRACE
        assert [d for d in exported["devices"] if "decisionTrace" in d] == [ipad]
        assert [i["value"] for i in exported["corporateIdentifiers"]] == [
            "F2LX1234",
            "35 209900 176148 1",
        ]
        assert exported["profiles"][1]["assign"] == {"include": ["all"], "exclude": []}

        # through JSON text and YAML text, as the API and the command line carry it
        for n, text in enumerate([json.dumps(exported), yaml.safe_dump(exported)]):
            second = create_tenant(parse_text(text), f"round-{n + 2}")
            assert export(second) == exported
            assert tenant_counts(second.id) == tenant_counts(first.id)


def test_round_trip_keeps_passwords_so_users_can_still_sign_in(app) -> None:
    with app.app_context():
        first = create_tenant(parse_document(RICH), "pw-1")
        second = create_tenant(parse_document(export(first)), "pw-2")
        zed = User.query.filter_by(tenant_id=second.id, upn_key="zed@fabrikam.com").one()
        assert zed.upn == "Zed@fabrikam.com"
        assert zed.check_password("Zed-pass") and not zed.check_password("Amy-pass")
        assert (
            not User.query.filter_by(tenant_id=second.id, upn_key="off@fabrikam.com").one().enabled
        )


def test_passwords_are_stored_hashed(app) -> None:
    with app.app_context():
        tenant = create_tenant(parse_document(RICH), "hashed")
        for user in User.query.filter_by(tenant_id=tenant.id):
            assert "pass" not in user.password_hash
            assert user.password_hash.startswith("pbkdf2:sha256:")


def test_load_writes_what_the_document_says(app) -> None:
    with app.app_context():
        tenant = create_tenant(parse_document(RICH), "loaded")
        assert (tenant.company, tenant.ownership_behavior, tenant.fast_profile_install) == (
            "Fabrikam <b>&</b>",
            "ga-2020",
            True,
        )
        assert tenant.apns_expires == date(2031, 5, 6)
        staff = Group.query.filter_by(tenant_id=tenant.id, name="Staff").one()
        assert sorted(u.upn for u in staff.users) == ["Zed@fabrikam.com", "amy@fabrikam.com"]
        choose, everyone, unassigned = (
            EnrollmentProfile.query.filter_by(tenant_id=tenant.id)
            .order_by(EnrollmentProfile.priority)
            .all()
        )
        assert choose.require_user_choice and not unassigned.require_user_choice
        assert [p.priority for p in (choose, everyone, unassigned)] == [0, 1, 2]
        assert [(a.target, a.group and a.group.name) for a in choose.assignments] == [
            ("include", "Staff"),
            ("exclude", "Temps"),
        ]
        assert [(a.target, a.group) for a in everyone.assignments] == [("allUsers", None)]
        imei = CorporateIdentifier.query.filter_by(tenant_id=tenant.id, kind="imei").one()
        assert (imei.value, imei.value_key) == ("35 209900 176148 1", "352099001761481")
        device = ManagedDevice.query.filter_by(tenant_id=tenant.id, model="iPad").one()
        assert device.user.upn == "amy@fabrikam.com"
        assert device.enrolled_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        orphan = ManagedDevice.query.filter_by(
            tenant_id=tenant.id, user_principal_name="gone@fabrikam.com"
        ).one()
        assert orphan.user is None
        assert (device.trace, device.profile_id) == (TRACE, choose.id)
        assert (orphan.trace, orphan.profile_id) == (None, None)
        assert everyone.enrollment_type_options == [
            {
                "@odata.type": "microsoft.graph.appleOwnerTypeEnrollmentType",
                "ownerType": "company",
                "enrollmentType": "user",
            }
        ]
        assert choose.enrollment_type_options == CONSOLE_OPTIONS
        loaners = Group.query.filter_by(tenant_id=tenant.id, name="Loaners <i>").one()
        assert sorted(d.device_name for d in loaners.devices) == ["Amy's iPad", "Zed's iPhone"]


def test_documents_without_the_new_keys_export_as_before(app) -> None:
    plain = {
        "users": [{"upn": "a@b.c", "password": "x"}],
        "profiles": [{"name": "P", "requireUserChoice": True}, {"name": "Q"}],
        "devices": [
            {
                "userPrincipalName": "a@b.c",
                "deviceEnrollmentType": "userEnrollment",
                "managedDeviceOwnerType": "personal",
                "enrollmentProfileName": "P",
            }
        ],
    }
    with app.app_context():
        exported = export(create_tenant(parse_document(plain), "plain"))
        assert set(exported["profiles"][0]) == {
            "name",
            "description",
            "requireUserChoice",
            "defaultEnrollmentType",
            "platform",
            "assign",
        }
        assert "decisionTrace" not in exported["devices"][0]


def test_requirechoice_true_with_options_loads_the_options(app) -> None:
    options = [{"ownerType": "personal", "enrollmentType": "device"}]
    doc = {"profiles": [{"name": "P", "requireUserChoice": True, "enrollmentTypeOptions": options}]}
    with app.app_context():
        tenant = create_tenant(parse_document(doc), "options")
        profile = EnrollmentProfile.query.filter_by(tenant_id=tenant.id).one()
        assert [(o["ownerType"], o["enrollmentType"]) for o in profile.enrollment_type_options] == [
            ("personal", "device")
        ]
        assert export(tenant)["profiles"][0]["enrollmentTypeOptions"] == options


def test_a_device_links_only_to_a_profile_its_name_picks_out(app) -> None:
    device = {
        "userPrincipalName": "a@b.c",
        "deviceEnrollmentType": "userEnrollment",
        "managedDeviceOwnerType": "personal",
    }
    doc = {
        "profiles": [{"name": "Twin"}, {"name": "Twin"}, {"name": "Solo"}],
        "devices": [
            {**device, "deviceName": "one", "enrollmentProfileName": "Twin"},
            {**device, "deviceName": "two", "enrollmentProfileName": "Solo"},
            {**device, "deviceName": "three", "enrollmentProfileName": "Gone"},
        ],
    }
    with app.app_context():
        tenant = create_tenant(parse_document(doc), "links")
        solo = EnrollmentProfile.query.filter_by(tenant_id=tenant.id, name="Solo").one()
        linked = {
            d.device_name: d.profile_id for d in ManagedDevice.query.filter_by(tenant_id=tenant.id)
        }
        assert linked == {"one": None, "two": solo.id, "three": None}


def test_a_recorded_walk_keeps_its_trace_and_profile_through_a_round_trip(app, client) -> None:
    with app.app_context():
        first = create_tenant(parse_document(RICH), "walked-1")
        amy = User.query.filter_by(tenant_id=first.id, upn_key="amy@fabrikam.com").one()
        recorded = trace.build(first, amy, serial_number="F2LX1234")
        with transaction(first.id):
            device = ManagedDevice.query.filter_by(tenant_id=first.id, model="iPad").one()
            device.trace = recorded
        second = create_tenant(parse_document(export(first)), "walked-2")
        copy = ManagedDevice.query.filter_by(tenant_id=second.id, model="iPad").one()
        choose = EnrollmentProfile.query.filter_by(tenant_id=second.id, name="Choose").one()
        assert copy.trace == recorded
        assert copy.profile_id == choose.id
        assert export(second) == export(first)
        copy_id, choose_id = copy.id, choose.id
    page = client.get(f"/t/walked-2/admin/devices/{copy_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Decision trace at enrollment" in html and "No decision trace was recorded" not in html
    assert f"/t/walked-2/admin/profiles/{choose_id}" in html  # the applied profile, linked


def test_a_loaded_trace_renders_with_names_escaped(app, client) -> None:
    with app.app_context():
        create_tenant(parse_document(RICH), "traced")
        device_id = ManagedDevice.query.filter_by(tenant_id="traced", model="iPad").one().id
    html = client.get(f"/t/traced/admin/devices/{device_id}").get_data(as_text=True)
    assert "Choose &lt;b&gt;" in html and "Choose <b>" not in html


def test_reset_replaces_everything_and_keeps_id_and_token(app) -> None:
    with app.app_context():
        tenant = create_tenant(parse_document(RICH), "reset-me")
        token = tenant.token
        reset_tenant(tenant, parse_document({"company": "Tailspin"}))
        assert tenant.token == token and tenant.company == "Tailspin"
        assert tenant_counts("reset-me") == {"users": 0, "groups": 0, "profiles": 0, "devices": 0}
        assert export(tenant)["settings"]["ownershipBehavior"] == "preview-2019"
        reset_tenant(tenant, None)
        assert export(tenant)["company"] == "Contoso"


def test_a_failed_load_writes_nothing(app, monkeypatch) -> None:
    from app.scenarios import load as scenarios

    def explode(password: str) -> str:
        raise RuntimeError("disk full")

    with app.app_context():
        tenant = create_tenant(parse_document(RICH), "atomic")
        before = export(tenant)
        monkeypatch.setattr(scenarios, "hash_password", explode)  # fails after the clear-out
        scenarios._seed_hash.cache_clear()  # passwords are hashed once per process
        with pytest.raises(RuntimeError):
            reset_tenant(tenant, parse_document({"users": [{"upn": "a@b.c", "password": "x"}]}))
        with pytest.raises(RuntimeError):
            create_tenant(parse_document(RICH), "never")
        monkeypatch.undo()
        assert export(tenant) == before
        assert Tenant.query.filter_by(id="never").first() is None


# Property: any valid document survives export → import → export unchanged.

NAME = st.text(alphabet="abcXYZ <>&'é0", min_size=1, max_size=8).map(str.strip).filter(bool)
OPTION = st.fixed_dictionaries(
    {
        "ownerType": st.sampled_from(["company", "personal"]),
        "enrollmentType": st.sampled_from(["device", "user", "webDeviceEnrollment"]),
    }
)
TRACES = st.fixed_dictionaries(
    {
        "appliedProfile": st.none()
        | st.fixed_dictionaries({"name": NAME, "priority": st.integers(0, 3)}),
        "candidates": st.lists(
            st.fixed_dictionaries(
                {"name": NAME, "priority": st.integers(0, 3), "applied": st.booleans()}
            ),
            max_size=2,
        ),
        "asksOwner": st.booleans(),
        "outcome": st.fixed_dictionaries(
            {
                "deviceEnrollmentType": st.sampled_from(["userEnrollment", "appleUserEnrollment"]),
                "managedDeviceOwnerType": st.sampled_from(["company", "personal"]),
                "ownershipReason": NAME,
            }
        ),
    },
    optional={"extra": st.lists(st.none() | st.integers() | NAME, max_size=2)},
)


def _owner(option: dict) -> str:
    return option["ownerType"]


BRANDING_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "displayName": NAME,
        "themeColor": st.fixed_dictionaries(
            {"r": st.integers(0, 255), "g": st.integers(0, 255), "b": st.integers(0, 255)}
        ),
        "contactITName": st.none() | NAME,
        "contactITPhoneNumber": st.sampled_from(["+1 425 555 0100", "555"]),
        "privacyUrl": st.sampled_from(["https://contoso.com/privacy", None]),
        "enrollmentAvailability": st.sampled_from(
            ["availableWithPrompts", "availableWithoutPrompts", "unavailable"]
        ),
        "showLogo": st.booleans(),
        "isFactoryResetDisabled": st.booleans(),
        "roleScopeTagIds": st.lists(st.sampled_from(["0", "1", "2"]), max_size=2),
        "companyPortalBlockedActions": st.lists(
            st.fixed_dictionaries(
                {
                    "platform": st.just("iOS"),
                    "ownerType": st.sampled_from(["company", "personal"]),
                    "action": st.sampled_from(["remove", "reset"]),
                }
            ),
            max_size=1,
        ),
    },
)


@st.composite
def scenario_documents(draw: st.DrawFn) -> dict:
    upns = draw(st.lists(st.sampled_from(["ann", "Bob", "cy", "dee"]), unique=True, max_size=4))
    upns = [f"{u}@contoso.com" for u in upns]
    group_names = draw(st.lists(NAME, unique=True, max_size=4))
    groups = [
        {"name": n, "members": draw(st.lists(st.sampled_from(upns), unique=True))}
        if upns
        else {"name": n}
        for n in group_names
    ]
    targets = st.sampled_from(group_names) if group_names else st.nothing()
    profiles = [
        {
            "name": draw(NAME),
            "requireUserChoice": draw(st.booleans()),
            "defaultEnrollmentType": draw(st.sampled_from(["user", "device", "unknown"])),
            "assign": {
                "include": draw(st.lists(targets | st.just("all"), max_size=2)),
                "exclude": draw(st.lists(targets, max_size=2)) if group_names else [],
            },
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    for profile in profiles:
        options = draw(st.none() | st.lists(OPTION, min_size=1, max_size=2, unique_by=_owner))
        if options is not None:
            profile["enrollmentTypeOptions"] = options
            profile["requireUserChoice"] = draw(st.sampled_from([True, None]))
            if profile["requireUserChoice"] is None:
                del profile["requireUserChoice"]
    serials = draw(st.lists(st.sampled_from(["F2LX1", "F2LX2", "C02X"]), unique=True))
    devices = [
        {
            "userPrincipalName": draw(st.sampled_from([*upns, "gone@contoso.com"])),
            "deviceName": draw(NAME),
            "model": draw(st.sampled_from(["iPhone", "iPad"])),
            "deviceEnrollmentType": draw(
                st.sampled_from(["userEnrollment", "appleUserEnrollment"])
            ),
            "managedDeviceOwnerType": draw(st.sampled_from(["personal", "company"])),
            "enrolledDateTime": f"2026-0{draw(st.integers(1, 9))}-01T00:00:00Z",
            "ownerAnswer": draw(st.sampled_from([None, "company", "personal"])),
            "serialNumber": draw(st.sampled_from(["", "F2LX1", "C02X"])),
            "enrollmentProfileName": draw(st.sampled_from(["", *(p["name"] for p in profiles)])),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    for device in devices:
        if draw(st.booleans()):
            device["decisionTrace"] = draw(TRACES)
    # static device groups name devices by serialNumber, else deviceName
    references = sorted({d["serialNumber"] or d["deviceName"] for d in devices})
    for name in draw(
        st.lists(NAME.filter(lambda n: n not in group_names), max_size=2, unique=True)
    ):
        members = draw(st.lists(st.sampled_from(references), unique=True)) if references else []
        groups.append({"name": name, "kind": "device", "members": members})
    branding = [
        {
            "profileName": draw(NAME),
            **draw(BRANDING_VALUES),
            "assign": draw(st.lists(targets, unique=True, max_size=2)) if group_names else [],
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        default_values = draw(BRANDING_VALUES)
        default_values.pop("displayName", None)
        default_values.pop("themeColor", None)
        branding.insert(0, {"profileName": draw(NAME), "isDefaultProfile": True, **default_values})
    return {
        "company": draw(NAME),
        "settings": {
            "mdmAuthority": draw(st.sampled_from(["intune", "unknown"])),
            "apnsCertificateExpires": draw(st.sampled_from([None, "2020-01-01", "2031-12-31"])),
            "ownershipBehavior": draw(st.sampled_from(["preview-2019", "ga-2020"])),
            "fastProfileInstall": draw(st.booleans()),
        },
        "users": [
            {"upn": u, "password": "pw", "managedAppleId": draw(st.booleans())} for u in upns
        ],
        "groups": groups,
        "profiles": profiles,
        "corporateIdentifiers": [{"type": "serialNumber", "value": s} for s in serials],
        "devices": devices,
        "brandingProfiles": branding,
    }


CONSOLE_PAIR = {"ownerType": "personal", "enrollmentType": "user"}
GRAPH_TYPES = ("userEnrollment", "appleUserEnrollment")
_round_trips = itertools.count()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario_documents())
def test_any_document_round_trips(app, document: dict) -> None:
    with app.app_context():
        n = next(_round_trips)
        first = export(create_tenant(parse_document(document), f"any-{n}-a"))
        second = export(create_tenant(parse_document(first), f"any-{n}-b"))
        assert second == first
        assert first["company"] == document["company"]
        assert [p["name"] for p in first["profiles"]] == [p["name"] for p in document["profiles"]]
        assert len(first["devices"]) == len(document["devices"])
        assert sorted(
            (d.get("decisionTrace") is not None, d["serialNumber"]) for d in first["devices"]
        ) == sorted(("decisionTrace" in d, d["serialNumber"]) for d in document["devices"])
        device_groups = {g["name"]: g["members"] for g in document["groups"] if g.get("kind")}
        assert {g["name"]: g["members"] for g in first["groups"] if g["kind"] == "device"} == {
            name: sorted(members) for name, members in device_groups.items()
        }
        custom = [b for b in document["brandingProfiles"] if not b.get("isDefaultProfile")]
        exported_custom = [
            b for b in first.get("brandingProfiles", []) if "isDefaultProfile" not in b
        ]
        assert [(b["profileName"], b["assign"]) for b in exported_custom] == [
            (b["profileName"], b["assign"]) for b in custom
        ]
        for given_brand, exported in zip(custom, exported_custom, strict=True):
            kept = {k: exported.get(k, NEW_PROFILE.get(k)) for k in given_brand}
            assert kept == given_brand  # a value like a new profile's is left out of the export
        for given_profile, exported in zip(document["profiles"], first["profiles"], strict=True):
            options = given_profile.get("enrollmentTypeOptions")
            console = [{"ownerType": "company", "enrollmentType": "device"}, CONSOLE_PAIR]
            if options is None or options == console:
                assert "enrollmentTypeOptions" not in exported
            else:
                assert exported["enrollmentTypeOptions"] == options


def make_app(database_url, **config):
    from app import create_app

    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
            **config,
        }
    )


def test_default_tenant_is_seeded_from_the_configured_scenario(
    tmp_path, database_url, monkeypatch
) -> None:
    from app.store import db, transaction

    custom = tmp_path / "custom.yaml"
    custom.write_text("company: Adatum\nusers: [{upn: a@adatum.com, password: x}]\n")
    monkeypatch.setenv("ENROLLSIM_DEFAULT_SCENARIO", str(custom))
    app = make_app(database_url)
    with app.app_context():
        tenant = db.session.get(Tenant, "default")
        assert tenant.company == "Adatum" and tenant_counts("default")["users"] == 1
        with transaction("default"):
            tenant.company = "Changed"
        db.engine.dispose()
    again = make_app(database_url)  # a restart keeps what is there
    with again.app_context():
        assert db.session.get(Tenant, "default").company == "Changed"
        db.engine.dispose()


def test_a_bad_default_scenario_stops_the_start_with_its_message(tmp_path, database_url) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("colour: red\n")
    with pytest.raises(ScenarioError, match="colour: unknown key"):
        make_app(database_url, DEFAULT_SCENARIO=str(bad))


def test_a_device_group_member_names_every_device_it_matches_serial_first(app) -> None:
    device = {
        "userPrincipalName": "a@b.c",
        "deviceEnrollmentType": "appleUserEnrollment",
        "managedDeviceOwnerType": "company",
    }
    doc = {
        "groups": [{"name": "Static", "kind": "device", "members": ["S1", "kiosk"]}],
        "devices": [
            {**device, "deviceName": "first", "serialNumber": "S1"},
            {**device, "deviceName": "again", "serialNumber": "S1"},  # enrolled again
            {**device, "deviceName": "S1"},  # a serial number is looked up first
            {**device, "deviceName": "kiosk"},
            {**device, "deviceName": "kiosk", "serialNumber": "S2"},  # has a serial number
        ],
    }
    with app.app_context():
        tenant = create_tenant(parse_document(doc), "static")
        group = Group.query.filter_by(tenant_id=tenant.id, name="Static").one()
        assert sorted(d.device_name for d in group.devices) == ["again", "first", "kiosk"]
        assert export(tenant)["groups"][0]["members"] == ["S1", "kiosk"]
