"""The checks every release makes (enrollment-today.md §5): the device limit and the unlicensed
user — in the domain, the Company Portal walk, the trace, scenario keys, the console and Graph."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.enrollment import wording
from app.enrollment.steps import CheckCode, UserStanding, check_user
from app.store import Tenant, db
from tests.admin_helpers import admin_base, text, token
from tests.graph_support import assert_graph_error
from tests.portal_walker import DEVICE_CEREMONY, PASSWORD, Walker, profile, scenario

RELEASES = ["preview-2019", "ga-2020", "current"]


@given(
    licensed=st.booleans(),
    count=st.integers(min_value=0, max_value=40),
    limit=st.integers(min_value=1, max_value=15),
)
def test_check_user_is_licence_first_then_the_limit(licensed, count, limit):
    code = check_user(UserStanding(licensed, count, limit))
    if not licensed:
        assert code is CheckCode.UNLICENSED
    elif count >= limit:
        assert code is CheckCode.DEVICE_CAP
    else:
        assert code is None


def test_the_default_limit_is_intunes_maximum():
    assert check_user(UserStanding(True, 14)) is None
    assert check_user(UserStanding(True, 15)) is CheckCode.DEVICE_CAP


def _device(upn: str, n: int) -> dict:
    return {
        "userPrincipalName": upn,
        "deviceName": f"Old iPhone {n}",
        "serialNumber": f"OLD{n:09d}",
        "deviceEnrollmentType": "userEnrollment",
        "managedDeviceOwnerType": "personal",
    }


def _tenant(new_tenant, release: str, *, limit: int | None = None, devices: int = 0, **user):
    settings = {"intuneRelease": release}
    if limit is not None:
        settings["deviceLimit"] = limit
    doc = scenario(
        users=[
            {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD, **user}
        ],
        profiles=[profile("Everyone", choice=False, default="device")],
        **settings,
    )
    doc["devices"] = [_device("alex@contoso.com", n) for n in range(devices)]
    return new_tenant(doc)


def _failures(client, tenant_id: str) -> list[dict]:
    events = client.get(f"/_sim/tenants/{tenant_id}/events", query_string={"type": "portal.failed"})
    assert events.status_code == 200
    return events.get_json()["value"]


@pytest.mark.parametrize("release", RELEASES)
def test_an_unlicensed_user_stops_at_user_name_not_recognized(client, new_tenant, release):
    made = _tenant(new_tenant, release, intuneLicensed=False)
    walker = Walker(client, made).sign_in()
    error = wording.ERRORS[CheckCode.UNLICENSED]
    assert walker.heading == error.heading == "User Name Not Recognized"
    assert error.message in walker.page and "UserLicenseTypeInvalid" in walker.page
    assert walker.devices() == []
    assert [e["detail"]["code"] for e in _failures(client, made["id"])] == [
        "UserLicenseTypeInvalid"
    ]


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize(
    ("limit", "devices", "stops"),
    [(None, 14, False), (None, 15, True), (1, 1, True), (3, 2, False)],
)
def test_the_device_limit_stops_at_couldnt_add_your_device(
    client, new_tenant, release, limit, devices, stops
):
    made = _tenant(new_tenant, release, limit=limit, devices=devices)
    walker = Walker(client, made).sign_in()
    if stops:
        assert walker.heading == "Couldn't add your device"
        assert wording.ERRORS[CheckCode.DEVICE_CAP].message in walker.page
        assert "DeviceCapReached" in walker.page
        assert len(walker.devices()) == devices
        assert [e["detail"]["code"] for e in _failures(client, made["id"])] == ["DeviceCapReached"]
    else:
        walker.walk("begin", "continue", *DEVICE_CEREMONY)
        assert walker.heading == "You're all set!"
        assert len(walker.devices()) == devices + 1


def test_a_walk_that_reaches_the_end_after_the_limit_was_used_up_records_nothing(
    client, new_tenant
):
    made = _tenant(new_tenant, "preview-2019", limit=1)
    first = Walker(client, made).sign_in().walk("begin", "continue")
    second = Walker(client, made).sign_in().walk("begin", "continue", *DEVICE_CEREMONY)
    assert second.heading == "You're all set!"
    first.walk(*DEVICE_CEREMONY)
    assert first.heading == "Couldn't add your device"
    assert len(first.devices()) == 1


def test_the_trace_says_where_the_checks_stop(client, new_tenant):
    made = _tenant(new_tenant, "current", limit=2, devices=2)
    trace = client.get(
        f"/_sim/tenants/{made['id']}/resolve",
        query_string={"upn": "alex@contoso.com", "osVersion": "17.5"},
    ).get_json()
    assert {o["error"]["code"] for o in trace["outcomes"]} == {"DeviceCapReached"}


def test_scenario_keys_round_trip_and_bad_values_name_their_path(client, new_tenant):
    made = _tenant(new_tenant, "preview-2019", limit=4, intuneLicensed=False)
    exported = client.get(f"/_sim/tenants/{made['id']}/scenario").get_json()
    assert exported["settings"]["deviceLimit"] == 4
    assert exported["users"][0]["intuneLicensed"] is False
    again = new_tenant(exported)
    assert client.get(f"/_sim/tenants/{again['id']}/scenario").get_json() == {
        **exported,
        "devices": exported["devices"],
    }
    plain = client.get(f"/_sim/tenants/{new_tenant(scenario())['id']}/scenario").get_json()
    assert "deviceLimit" not in plain["settings"]
    assert "intuneLicensed" not in plain["users"][0]
    for settings, path in [
        ({"deviceLimit": 0}, "settings.deviceLimit"),
        ({"deviceLimit": 16}, "settings.deviceLimit"),
        ({"deviceLimit": "5"}, "settings.deviceLimit"),
    ]:
        response = client.post("/_sim/tenants", json={"settings": settings})
        assert response.status_code == 400
        assert path in response.get_json()["error"]["message"]
    bad_user = {"users": [{"upn": "a@b.c", "password": "x", "intuneLicensed": "no"}]}
    response = client.post("/_sim/tenants", json=bad_user)
    assert response.status_code == 400
    assert "users[0].intuneLicensed" in response.get_json()["error"]["message"]


def test_the_console_sets_the_device_limit(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = base.split("/")[2]
    assert "Device limit" in text(client.get(f"{base}/tenant"))

    def post(limit: str):
        form = {"mdm_authority": "intune", "apns_expires": "2031-01-01", "device_limit": limit}
        return client.post(
            f"{base}/tenant/settings", data={"csrf_token": token(client, f"{base}/tenant"), **form}
        )

    assert post("3").status_code == 302
    for bad in ("0", "16", "many"):
        response = post(bad)
        assert response.status_code == 422
    assert "Enter a device limit from 1 to 15." in text(post("16"))
    with app.app_context():
        assert db.session.get(Tenant, tenant_id).device_limit == 3


def _graph(client, made: dict, method: str, path: str, **kwargs):
    headers = {"Authorization": f"Bearer {made['token']}"}
    return client.open(f"/t/{made['id']}/beta{path}", method=method, headers=headers, **kwargs)


def test_graph_default_device_limit_restriction(client, new_tenant):
    made = _tenant(new_tenant, "preview-2019")
    listing = _graph(client, made, "GET", "/deviceManagement/deviceEnrollmentConfigurations")
    assert listing.status_code == 200
    (limit,) = listing.get_json()["value"]
    assert limit["@odata.type"] == "#microsoft.graph.deviceEnrollmentLimitConfiguration"
    assert limit["limit"] == 15 and limit["priority"] == 0
    assert limit["id"].endswith("_DefaultLimit")
    path = f"/deviceManagement/deviceEnrollmentConfigurations/{limit['id']}"
    changed = _graph(client, made, "PATCH", path, json={"limit": 2})
    assert changed.status_code == 200 and changed.get_json()["limit"] == 2
    assert _graph(client, made, "GET", path).get_json()["limit"] == 2
    exported = client.get(f"/_sim/tenants/{made['id']}/scenario").get_json()
    assert exported["settings"]["deviceLimit"] == 2
    for body in ({"limit": 0}, {"limit": 16}, {"limit": "3"}):
        assert_graph_error(_graph(client, made, "PATCH", path, json=body), 400, "BadRequest")
    wrong_type = {
        "@odata.type": "#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration"
    }
    assert_graph_error(_graph(client, made, "PATCH", path, json=wrong_type), 400, "BadRequest")
    missing = "/deviceManagement/deviceEnrollmentConfigurations/nope"
    assert_graph_error(_graph(client, made, "GET", missing), 404, "ResourceNotFound")
    assert _graph(client, made, "GET", path).get_json()["limit"] == 2


def test_the_console_sets_discovery_and_the_install_window(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = base.split("/")[2]
    page = text(client.get(f"{base}/tenant"))
    assert "Service discovery" in page and "install window" in page
    form = {
        "mdm_authority": "intune",
        "apns_expires": "2031-01-01",
        "service_discovery": "missing",
        "profile_install_window_seconds": "60",
    }
    response = client.post(
        f"{base}/tenant/settings", data={"csrf_token": token(client, f"{base}/tenant"), **form}
    )
    assert response.status_code == 302
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        assert (tenant.service_discovery, tenant.profile_install_window_seconds) == ("missing", 60)
    bad = {**form, "service_discovery": "maybe", "profile_install_window_seconds": "-1"}
    response = client.post(
        f"{base}/tenant/settings", data={"csrf_token": token(client, f"{base}/tenant"), **bad}
    )
    assert response.status_code == 422
    assert text(response).count('class="field-errors"') == 2
