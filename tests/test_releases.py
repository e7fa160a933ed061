"""The release switch (enrollment-today.md §1): one place says what differs between releases,
exhaustively over release × requested type × OS version × answers; the switch in scenario
documents, the control API, the export and the console."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.enrollment.company_portal import SecurityScope, possible_paths, simulated_type
from app.enrollment.ownership import OwnerAnswer
from app.enrollment.paths import release_paths
from app.enrollment.releases import (
    GRAPH_MEMBERS,
    IntuneRelease,
    ReleaseConflict,
    choice_options,
    console_types,
    ownership_behavior,
    release_from,
    repeated_owner,
    route,
    runs_ios_15,
)
from app.enrollment.resolve import EnrollmentType, ProfileFacts
from app.enrollment.steps import CheckCode
from app.store import Tenant, db
from tests.admin_helpers import admin_base, text, token

RELEASES = list(IntuneRelease)
ADUE = "accountDrivenUserEnrollment"
OS_VERSIONS = ["", "13.0", "13.1", "14.8", "15", "15.0.1", "16.4", "17.5", "iOS 18.2"]

# (release, requested) → (type on iOS 15+, type below 15, refused code)
EXPECTED = {
    **{
        (r, m): (EnrollmentType.DEVICE, EnrollmentType.DEVICE, None)
        for r in RELEASES
        for m in ("device", "unknown", "unknownFutureValue")
    },
    **{
        (r, m): (EnrollmentType.DEVICE, EnrollmentType.DEVICE, None)
        for r in (IntuneRelease.PREVIEW_2019, IntuneRelease.GA_2020)
        for m in ("accountDrivenUserEnrollment", "webDeviceEnrollment")
    },
    (IntuneRelease.PREVIEW_2019, "user"): (EnrollmentType.USER, EnrollmentType.USER, None),
    (IntuneRelease.GA_2020, "user"): (EnrollmentType.USER, EnrollmentType.USER, None),
    (IntuneRelease.CURRENT, "user"): (
        EnrollmentType.USER,
        EnrollmentType.USER,
        CheckCode.USER_ENROLLMENT_UNSUPPORTED,
    ),
    (IntuneRelease.CURRENT, "accountDrivenUserEnrollment"): (
        EnrollmentType.ACCOUNT_DRIVEN,
        EnrollmentType.USER,
        None,
    ),
    (IntuneRelease.CURRENT, "webDeviceEnrollment"): (
        EnrollmentType.DEVICE,  # through Safari on iOS 15+ (via_web), else with Company Portal
        EnrollmentType.DEVICE,
        None,
    ),
}


@pytest.mark.parametrize(
    ("release", "requested", "os_version"),
    list(itertools.product(RELEASES, GRAPH_MEMBERS, OS_VERSIONS)),
)
def test_every_release_routes_every_member_on_every_os(release, requested, os_version):
    recent, old, refused = EXPECTED[(release, requested)]
    routed = route(release, requested, os_version)
    assert routed.enrollment_type is (recent if runs_ios_15(os_version) else old)
    assert routed.error is refused
    assert routed.refused is (refused is not None)
    assert routed.rule.startswith(f"{release.value} (")  # the trace names the release
    web = release is IntuneRelease.CURRENT and requested == "webDeviceEnrollment"
    assert routed.via_web is (web and runs_ios_15(os_version))
    if web and not runs_ios_15(os_version) or routed.enrollment_type is not recent:
        assert "falls back" in routed.rule and os_version in routed.rule


def test_preview_2019_routes_exactly_as_the_2019_walk():
    """The release switch leaves preview-2019 as it was: the walk's own mapping."""
    for member in GRAPH_MEMBERS:
        for os_version in OS_VERSIONS:
            routed = route(IntuneRelease.PREVIEW_2019, member, os_version)
            assert routed.enrollment_type is simulated_type(member)


@pytest.mark.parametrize("os_version", ["15", "15.0", "16.1", "iPadOS 17", "", "26.0"])
def test_ios_15_and_later(os_version):
    assert runs_ios_15(os_version)


@pytest.mark.parametrize("os_version", ["14.8.1", "13.1", "9", "abc"])
def test_below_ios_15(os_version):
    assert not runs_ios_15(os_version)


def _profile(require_choice: bool, default: str) -> ProfileFacts:
    return ProfileFacts("p", "P", 0, require_choice, default, all_users=True)


@given(
    release=st.sampled_from(RELEASES),
    require_choice=st.booleans(),
    default=st.sampled_from(GRAPH_MEMBERS),
    os_version=st.sampled_from(OS_VERSIONS),
)
def test_release_paths_cover_every_answer(release, require_choice, default, os_version):
    paths = release_paths(release, _profile(require_choice, default), os_version)
    if not require_choice:
        assert [(p.owner_answer, p.security_scope) for p in paths] == [(None, None)]
        assert paths[0].route == route(release, default, os_version)
        return
    company, entire, work_only = paths
    assert company.route.enrollment_type is EnrollmentType.DEVICE
    assert entire.route.enrollment_type is EnrollmentType.DEVICE
    assert (work_only.owner_answer, work_only.security_scope) == (
        OwnerAnswer.PERSONAL,
        SecurityScope.WORK_ONLY,
    )
    if release is IntuneRelease.CURRENT:
        expected = EnrollmentType.ACCOUNT_DRIVEN if runs_ios_15(os_version) else EnrollmentType.USER
    else:
        expected = EnrollmentType.USER
    assert work_only.route.enrollment_type is expected
    assert not work_only.route.refused  # current's refusal is for `user` profiles, not answers


@pytest.mark.parametrize("release", RELEASES)
def test_no_profile_is_device_enrollment_in_every_release(release):
    (only,) = release_paths(release, None, "17.5")
    assert only.route.enrollment_type is EnrollmentType.DEVICE and only.owner_answer is None


@pytest.mark.parametrize("require_choice", [True, False])
@pytest.mark.parametrize("default", GRAPH_MEMBERS)
def test_preview_2019_paths_are_the_2019_paths(require_choice, default):
    profile = _profile(require_choice, default)
    auto = None if require_choice else simulated_type(default)
    old = possible_paths(require_choice, auto)
    assert [p.path for p in release_paths("preview-2019", profile, "17.5")] == old


def test_release_and_ownership_behavior_are_one_switch():
    assert release_from(None, None) is IntuneRelease.PREVIEW_2019
    assert release_from(None, "ga-2020") is IntuneRelease.GA_2020
    assert release_from("current", None) is IntuneRelease.CURRENT
    assert release_from("current", "ga-2020") is IntuneRelease.CURRENT
    assert release_from("preview-2019", "preview-2019") is IntuneRelease.PREVIEW_2019
    assert [ownership_behavior(r).value for r in RELEASES] == ["preview-2019", "ga-2020", "ga-2020"]
    for release, behavior in [("current", "preview-2019"), ("ga-2020", "preview-2019")]:
        with pytest.raises(ReleaseConflict, match="intuneRelease .* ownershipBehavior"):
            release_from(release, behavior)


def test_console_types_per_release():
    names = {r: [label for _, label in console_types(r)] for r in RELEASES}
    assert names[IntuneRelease.GA_2020] == [
        "Device enrollment",
        "User enrollment",
        "Determine based on user choice",
    ]
    assert names[IntuneRelease.CURRENT] == [
        "Device enrollment with Company Portal",
        "Web based device enrollment",
        "Account driven user enrollment",
        "Determine based on user choice",
    ]
    legacy = [label for _, label in console_types(IntuneRelease.CURRENT, "user")]
    assert "User enrollment with Company Portal" in legacy
    assert choice_options(IntuneRelease.CURRENT)[-1] == ("personal", "accountDrivenUserEnrollment")
    assert choice_options(IntuneRelease.GA_2020)[-1] == ("personal", "user")


# --- the switch through every face ---------------------------------------------------------

CHOICE = {
    "users": [{"upn": "amy@contoso.com", "password": "Passw0rd!"}],
    "profiles": [{"name": "BYOD", "requireUserChoice": True, "assign": {"include": ["all"]}}],
}


def _export(client, tenant_id: str) -> dict:
    response = client.get(f"/_sim/tenants/{tenant_id}/scenario")
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize(
    ("settings", "release", "behavior"),
    [
        ({}, "preview-2019", "preview-2019"),
        ({"ownershipBehavior": "ga-2020"}, "ga-2020", "ga-2020"),
        ({"intuneRelease": "ga-2020"}, "ga-2020", "ga-2020"),
        ({"intuneRelease": "current"}, "current", "ga-2020"),
        ({"intuneRelease": "current", "ownershipBehavior": "ga-2020"}, "current", "ga-2020"),
    ],
)
def test_scenario_settings_set_the_release_and_export_it(
    client, app, new_tenant, settings, release, behavior
):
    made = new_tenant({**CHOICE, "settings": settings})
    with app.app_context():
        tenant = db.session.get(Tenant, made["id"])
        assert (tenant.intune_release, tenant.ownership_behavior) == (release, behavior)
    exported = _export(client, made["id"])["settings"]
    assert exported["ownershipBehavior"] == behavior
    assert exported.get("intuneRelease", behavior) == release
    again = new_tenant(_export(client, made["id"]))
    assert _export(client, again["id"])["settings"] == exported


@pytest.mark.parametrize(
    "settings",
    [
        {"intuneRelease": "current", "ownershipBehavior": "preview-2019"},
        {"intuneRelease": "preview-2019", "ownershipBehavior": "ga-2020"},
    ],
)
def test_disagreeing_keys_are_a_400_naming_both(client, settings):
    response = client.post("/_sim/tenants", json={"settings": settings})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert "settings" in message and "intuneRelease" in message
    assert "ownershipBehavior" in message


def test_an_unknown_release_names_its_path(client):
    response = client.post("/_sim/tenants", json={"settings": {"intuneRelease": "2025"}})
    assert response.status_code == 400
    assert "settings.intuneRelease: '2025' is not one of" in response.get_json()["error"]["message"]


def _resolve(client, tenant_id: str, **query) -> dict:
    response = client.get(f"/_sim/tenants/{tenant_id}/resolve", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize("release", ["preview-2019", "ga-2020", "current"])
def test_the_trace_names_the_release_and_each_rule(client, new_tenant, release):
    made = new_tenant({**CHOICE, "settings": {"intuneRelease": release}})
    trace = _resolve(client, made["id"], upn="amy@contoso.com", osVersion="17.5")
    assert trace["intuneRelease"] == release and trace["intuneReleaseName"]
    assert all(o["releaseRule"].startswith(f"{release} (") for o in trace["outcomes"])
    work_only = trace["outcomes"][-1]
    if release == "current":
        assert work_only["enrollmentType"] == "accountDrivenUserEnrollment"
        assert work_only["deviceEnrollmentType"] == "appleAccountDrivenUserEnrollment"
        assert work_only["managedDeviceOwnerType"] == "personal"
    else:
        assert work_only["enrollmentType"] == "user"
    old = _resolve(client, made["id"], upn="amy@contoso.com", osVersion="14.8")["outcomes"][-1]
    assert old["enrollmentType"] == "user"
    if release == "current":
        assert "falls back to User Enrollment" in old["releaseRule"]


def test_a_user_profile_is_refused_in_current_in_the_trace(client, new_tenant):
    made = new_tenant(
        {
            "settings": {"intuneRelease": "current"},
            "users": [{"upn": "amy@contoso.com", "password": "x"}],
            "profiles": [
                {"name": "UE", "defaultEnrollmentType": "user", "assign": {"include": "all"}}
            ],
        }
    )
    (outcome,) = _resolve(client, made["id"], upn="amy@contoso.com")["outcomes"]
    assert outcome["error"]["code"] == "UserEnrollmentWithCompanyPortalUnsupported"
    assert "refused" in outcome["releaseRule"]


def test_the_console_sets_the_release_and_the_old_key_keeps_working(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = base.split("/")[2]
    page = text(client.get(f"{base}/tenant"))
    assert "Intune release" in page and "current — Intune today" in page

    def post(**data):
        form = {"mdm_authority": "intune", "apns_expires": "2031-01-01", **data}
        return client.post(
            f"{base}/tenant/settings", data={"csrf_token": token(client, f"{base}/tenant"), **form}
        )

    def release() -> tuple[str, str]:
        with app.app_context():
            tenant = db.session.get(Tenant, tenant_id)
            return tenant.intune_release, tenant.ownership_behavior

    assert post(intune_release="current").status_code == 302
    assert release() == ("current", "ga-2020")
    assert post(ownership_behavior="ga-2020").status_code == 302  # the same: stays current
    assert release() == ("current", "ga-2020")
    assert post(ownership_behavior="preview-2019").status_code == 302
    assert release() == ("preview-2019", "preview-2019")
    conflict = post(intune_release="current", ownership_behavior="preview-2019")
    assert conflict.status_code == 422
    assert "disagree" in text(conflict)
    assert release() == ("preview-2019", "preview-2019")
    bad = post(intune_release="2025")
    assert bad.status_code == 422 and release() == ("preview-2019", "preview-2019")


@pytest.mark.parametrize(
    ("options", "repeated"),
    [
        ([("company", "device"), ("personal", "user")], None),
        (
            [
                ("company", "device"),
                ("personal", "device"),
                ("personal", "accountDrivenUserEnrollment"),
            ],
            None,
        ),
        ([("company", "device"), ("company", "user")], 1),
        ([("personal", "device"), ("personal", "user")], 1),
        ([("personal", "device"), ("personal", "device")], 1),
        (
            [
                ("personal", "device"),
                ("personal", "accountDrivenUserEnrollment"),
                ("personal", "user"),
            ],
            2,
        ),
    ],
)
def test_only_todays_personal_pair_may_repeat_an_owner(options, repeated):
    assert repeated_owner(options) is repeated


def test_graph_and_scenarios_take_todays_choice_options(client, new_tenant):
    pairs = [
        ("company", "device"),
        ("personal", "device"),
        ("personal", "accountDrivenUserEnrollment"),
    ]
    options = [{"ownerType": o, "enrollmentType": t} for o, t in pairs]
    made = new_tenant(
        {
            "profiles": [
                {"name": "Today", "requireUserChoice": True, "enrollmentTypeOptions": options}
            ]
        }
    )
    exported = _export(client, made["id"])["profiles"][0]["enrollmentTypeOptions"]
    assert exported == options
    headers = {"Authorization": f"Bearer {made['token']}"}
    body = {
        "@odata.type": "#microsoft.graph.appleUserInitiatedEnrollmentProfile",
        "displayName": "Choice today",
        "platform": "iOS",
        "defaultEnrollmentType": "accountDrivenUserEnrollment",
        "availableEnrollmentTypeOptions": [
            {"@odata.type": "microsoft.graph.appleOwnerTypeEnrollmentType", **o} for o in options
        ],
    }
    response = client.post(
        f"/t/{made['id']}/beta/deviceManagement/appleUserInitiatedEnrollmentProfiles",
        json=body,
        headers=headers,
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert len(response.get_json()["availableEnrollmentTypeOptions"]) == 3
    body["availableEnrollmentTypeOptions"][1]["enrollmentType"] = "user"
    response = client.post(
        f"/t/{made['id']}/beta/deviceManagement/appleUserInitiatedEnrollmentProfiles",
        json=body,
        headers=headers,
    )
    assert response.status_code == 400
