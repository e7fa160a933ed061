"""Admin console: users and groups, with every form's validation errors."""

from __future__ import annotations

import pytest

from app.directory import listing
from app.store import Group, JournalEvent, ManagedDevice, User, db
from tests.admin_helpers import admin_base, text, token

DEVICES = [
    {
        "userPrincipalName": "alex@contoso.com",
        "deviceName": "Alex's iPhone",
        "model": "iPhone",
        "osVersion": "17.0",
        "deviceEnrollmentType": "appleUserEnrollment",
        "enrollmentProfileName": "BYOD Choice",
        "managedDeviceOwnerType": "personal",
    },
    {
        "userPrincipalName": "megan@contoso.com",
        "deviceName": "Megan's iPad",
        "model": "iPad",
        "osVersion": "16.4",
        "serialNumber": "F2LX0001",
        "deviceEnrollmentType": "userEnrollment",
        "enrollmentProfileName": "Corp DE",
        "managedDeviceOwnerType": "company",
    },
]


def _tenant_id(base: str) -> str:
    return base.split("/")[2]


def _user(app, tenant_id, upn) -> User:
    with app.app_context():
        user = listing.user_by_upn(tenant_id, upn)
        db.session.expunge_all()
        return user


def _post(client, url, data, page=None):
    return client.post(url, data={"csrf_token": token(client, page or url), **data})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"upn": "", "display_name": "X", "password": "longenough"},
            "Enter a user principal name.",
        ),
        (
            {"upn": "not-an-upn", "display_name": "X", "password": "longenough"},
            "Enter a user principal name like",
        ),
        (
            {"upn": "x@contoso.com", "display_name": "", "password": "longenough"},
            "Enter a display name.",
        ),
        (
            {"upn": "x@contoso.com", "display_name": "X", "password": "short"},
            "at least 8 characters",
        ),
        (
            {"upn": "ALEX@contoso.com", "display_name": "X", "password": "longenough"},
            "ALEX@contoso.com is already a user",
        ),
    ],
)
def test_new_user_validation(client, new_tenant, data, message):
    base = admin_base(new_tenant)
    response = _post(client, f"{base}/users/new", data)
    assert response.status_code == 422
    assert message in text(response)


def test_create_edit_disable_reset_delete_user(client, app, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = _tenant_id(base)
    response = _post(
        client,
        f"{base}/users/new",
        {
            "upn": "lee@contoso.com",
            "display_name": "<b>Lee</b>",
            "password": "Passw0rd!",
            "managed_apple_id": "y",
            "enabled": "y",
        },
    )
    assert response.status_code == 302
    lee = _user(app, tenant_id, "lee@contoso.com")
    assert lee.managed_apple_id and lee.enabled
    page = f"{base}/users/{lee.id}"
    assert "&lt;b&gt;Lee&lt;/b&gt;" in text(client.get(f"{base}/users"))
    # Managed Apple ID off (an unchecked box is absent from the form).
    _post(client, page, {"upn": "lee@contoso.com", "display_name": "Lee Gu", "enabled": "y"})
    assert not _user(app, tenant_id, "lee@contoso.com").managed_apple_id
    _post(client, f"{page}/enabled", {"enabled": "0"}, page=page)
    assert not _user(app, tenant_id, "lee@contoso.com").enabled
    bad = _post(client, f"{page}/password", {"password": "short"}, page=page)
    assert bad.status_code == 422 and "at least 8 characters" in text(bad)
    _post(client, f"{page}/password", {"password": "NewPassw0rd"}, page=page)
    assert _user(app, tenant_id, "lee@contoso.com").check_password("NewPassw0rd")
    _post(client, f"{page}/delete", {})
    assert _user(app, tenant_id, "lee@contoso.com") is None
    with app.app_context():
        actions = [
            e.detail["action"]
            for e in db.session.scalars(
                db.select(JournalEvent).filter_by(tenant_id=tenant_id, type="admin.write")
            )
        ]
    assert actions == [
        "user.create",
        "user.edit",
        "user.disable",
        "user.resetPassword",
        "user.delete",
    ]


def test_edit_user_refuses_someone_elses_upn(client, app, new_tenant):
    base = admin_base(new_tenant)
    alex = _user(app, _tenant_id(base), "alex@contoso.com")
    response = _post(
        client, f"{base}/users/{alex.id}", {"upn": "Megan@contoso.com", "display_name": "A"}
    )
    assert response.status_code == 422
    assert "Megan@contoso.com is already a user of this tenant." in text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "user", "name": "", "membership": "assigned"}, "Enter a name."),
        (
            {"kind": "user", "name": "G", "membership": "dynamic", "rule": "x"},
            "Only device groups can have dynamic membership.",
        ),
        (
            {"kind": "device", "name": "G", "membership": "dynamic", "rule": ""},
            "Enter a membership rule",
        ),
        (
            {
                "kind": "device",
                "name": "G",
                "membership": "dynamic",
                "rule": '(device.model -eq "iPad")',
            },
            "unknown property &#39;device.model&#39;",
        ),
        (
            {
                "kind": "device",
                "name": "G",
                "membership": "dynamic",
                "rule": "(device.deviceModel -eq iPad)",
            },
            "at character 25",
        ),
        ({"kind": "planet", "name": "G", "membership": "assigned"}, "Not a valid choice"),
    ],
)
def test_new_group_validation(client, new_tenant, data, message):
    base = admin_base(new_tenant)
    response = _post(client, f"{base}/groups/new", data)
    assert response.status_code == 422
    assert message in text(response)


def test_rule_preview_points_at_the_bad_token_and_lists_matches(client, new_tenant):
    base = admin_base(new_tenant, {**_scenario(), "devices": DEVICES})
    bad = client.get(
        f"{base}/groups/rule-preview",
        query_string={"rule": '(device.deviceModel -eq "iPad") -and (device.bogus -eq "x")'},
    ).get_json()
    assert bad["valid"] is False
    assert bad["error"]["token"] == "device.bogus"
    assert bad["error"]["position"] == 38
    good = client.get(
        f"{base}/groups/rule-preview",
        query_string={"rule": '(device.deviceOwnership -eq "company")'},
    ).get_json()
    assert good["valid"] is True and good["total"] == 2
    assert [d["deviceName"] for d in good["devices"]] == ["Megan's iPad"]


def test_dynamic_group_members_and_user_group_members(client, app, new_tenant):
    base = admin_base(new_tenant, {**_scenario(), "devices": DEVICES})
    tenant_id = _tenant_id(base)
    response = _post(
        client,
        f"{base}/groups/new",
        {
            "kind": "device",
            "name": "BYOD devices",
            "membership": "dynamic",
            "rule": '(device.enrollmentProfileName -eq "byod choice")',
        },
    )
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Alex&#39;s iPhone" in page and "Megan&#39;s iPad" not in page
    with app.app_context():
        sales = db.session.scalar(db.select(Group).filter_by(tenant_id=tenant_id, name="Sales"))
        patti = listing.user_by_upn(tenant_id, "patti@contoso.com")
        sales_id, patti_id = sales.id, patti.id
    url = f"{base}/groups/{sales_id}"
    _post(client, f"{url}/members", {"member": patti_id}, page=url)
    assert "patti@contoso.com" in [u.upn for u in _members(app, sales_id)]
    _post(client, f"{url}/members/{patti_id}/remove", {}, page=url)
    assert "patti@contoso.com" not in [u.upn for u in _members(app, sales_id)]
    bad = _post(client, f"{url}/members", {"member": "nobody"}, page=url)
    assert "Not added" in text(client.get(bad.headers["Location"]))


def _members(app, group_id):
    with app.app_context():
        return list(db.session.get(Group, group_id).users)


def _scenario():
    from tests.admin_helpers import SCENARIO

    return dict(SCENARIO)


def test_edit_group_validation_and_escaping(client, app, new_tenant):
    base = admin_base(new_tenant)
    with app.app_context():
        group_id = db.session.scalar(
            db.select(Group.id).filter_by(tenant_id=_tenant_id(base), name="Corporate iPads")
        )
    url = f"{base}/groups/{group_id}"
    empty = _post(client, url, {"kind": "device", "name": "", "membership": "assigned"})
    assert empty.status_code == 422 and "Enter a name." in text(empty)
    bad_rule = _post(
        client,
        url,
        {"kind": "device", "name": "X", "membership": "dynamic", "rule": "(device.deviceModel"},
    )
    assert bad_rule.status_code == 422 and "expected an operator" in text(bad_rule)
    renamed = _post(
        client,
        url,
        {
            "kind": "user",
            "name": "<img src=x>",
            "membership": "dynamic",
            "rule": '(device.deviceModel -eq "iPad")',
        },
    )
    assert renamed.status_code == 302  # the type stays device: it can't change after creation
    page = text(client.get(f"{base}/groups"))
    assert "&lt;img src=x&gt;" in page and "<img src=x>" not in page
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert (group.kind, group.rule) == ("device", '(device.deviceModel -eq "iPad")')


def test_group_names_are_unique(client, app, new_tenant):
    base = admin_base(new_tenant)
    response = _post(
        client, f"{base}/groups/new", {"kind": "user", "name": "sales", "membership": "assigned"}
    )
    assert response.status_code == 422
    assert "A group named Sales already exists." in text(response)


def test_a_upn_taken_at_the_last_moment_is_reported_under_the_field(
    client, app, new_tenant, monkeypatch
):
    base = admin_base(new_tenant)
    monkeypatch.setattr("app.admin.views_users._upn_taken", lambda form, user=None: False)
    response = _post(
        client,
        f"{base}/users/new",
        {"upn": "alex@contoso.com", "display_name": "A", "password": "Passw0rd!"},
    )
    assert response.status_code == 422
    assert "alex@contoso.com is already a user of this tenant." in text(response)


def test_static_device_group_members(client, app, new_tenant):
    base = admin_base(new_tenant, {**_scenario(), "devices": DEVICES})
    tenant_id = _tenant_id(base)
    with app.app_context():
        group_id = db.session.scalar(
            db.select(Group.id).filter_by(tenant_id=tenant_id, name="Corporate iPads")
        )
        ipad_id = db.session.scalar(
            db.select(ManagedDevice.id).filter_by(tenant_id=tenant_id, device_name="Megan's iPad")
        )
    url = f"{base}/groups/{group_id}"
    page = text(client.get(url))
    assert "Add device" in page and "Megan&#39;s iPad — megan@contoso.com" in page
    _post(client, f"{url}/members", {"member": ipad_id}, page=url)
    with app.app_context():
        assert [d.device_name for d in db.session.get(Group, group_id).devices] == ["Megan's iPad"]
    _post(client, f"{url}/members/{ipad_id}/remove", {}, page=url)
    with app.app_context():
        assert db.session.get(Group, group_id).devices == []
