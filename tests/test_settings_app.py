"""The simulated Settings app (enrollment-today.md §3) through the Flask client: screen by
screen, the Sign-in Failed rules, error codes, cancel, and the device recorded once."""

from __future__ import annotations

import re
from html import unescape

import pytest

from app.enrollment import settings_wording as sw
from tests.conftest import csrf_token
from tests.portal_walker import PASSWORD

_HEADING = re.compile(r'<h1 id="screen-heading">(.*?)</h1>', re.S)
CHOICE = {"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": ["Staff"]}}


def _tenant(new_tenant, *, release="current", profile=CHOICE, users=None, **settings):
    return new_tenant(
        {
            "company": "Contoso",
            "settings": {"intuneRelease": release, **settings},
            "users": users
            or [{"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD}],
            "groups": [{"name": "Staff", "members": [u["upn"] for u in users or []]}]
            if users
            else [{"name": "Staff", "members": ["alex@contoso.com"]}],
            "profiles": [profile] if profile else [],
        }
    )


class Phone:
    def __init__(self, client, tenant: dict) -> None:
        self.client, self.tenant = client, tenant
        self.base = f"/t/{tenant['id']}/settings"
        self.page, self.status = "", 0

    def open(self, **device: str) -> Phone:
        response = self.client.get(f"{self.base}/", query_string=device)
        self.status, self.page = response.status_code, response.get_data(as_text=True)
        return self

    @property
    def heading(self) -> str:
        match = _HEADING.search(self.page)
        assert match, self.page[:500]
        return unescape(match.group(1)).strip()

    @property
    def screen(self) -> str:
        return re.search(r'name="screen" value="([^"]*)"', self.page).group(1)

    def press(self, action: str, **fields: str) -> Phone:
        assert f'value="{action}"' in self.page, (action, self.heading)
        data = {"csrf_token": csrf_token(self.page), "screen": self.screen, "action": action}
        response = self.client.post(f"{self.base}/walk", data={**data, **fields})
        if response.status_code == 303:
            response = self.client.get(f"{self.base}/walk")
        self.status, self.page = response.status_code, response.get_data(as_text=True)
        return self

    def to_password(self, address: str = "alex@contoso.com") -> Phone:
        return self.press("general").press("signInWork").press("continue", address=address)

    def devices(self) -> list[dict]:
        doc = self.client.get(f"/_sim/tenants/{self.tenant['id']}/scenario").get_json()
        return doc["devices"]


def test_account_driven_enrollment_screen_by_screen(client, new_tenant):
    phone = Phone(client, _tenant(new_tenant)).open(osVersion="17.5")
    assert phone.heading == sw.SETTINGS and "Simulated device" in phone.page
    assert phone.press("general").heading == sw.VPN_DEVICE_MANAGEMENT
    assert sw.SIGN_IN_WORK_ACCOUNT in phone.page
    assert phone.press("signInWork").heading == sw.SIGN_IN_HEADING
    assert sw.MANAGED_APPLE_ACCOUNT in phone.page
    phone.press("continue", address="alex@contoso.com")
    assert phone.heading == sw.ENTER_PASSWORD
    phone.press("signIn", password="wrong")
    assert phone.status == 400 and sw.WRONG_PASSWORD in unescape(phone.page)
    assert phone.press("signIn", password=PASSWORD).heading == sw.ALLOW_REMOTE_MANAGEMENT
    assert sw.allow_text("Contoso", "iPhone") in phone.page
    phone.press("allow")
    assert phone.heading == sw.VPN_DEVICE_MANAGEMENT and sw.MANAGED_ACCOUNT in phone.page
    assert sw.AUTHENTICATOR_REQUIRED in phone.page
    assert sw.AUTHENTICATOR_INSTALLED in phone.press("installAuthenticator").page
    (device,) = phone.devices()
    assert device["deviceEnrollmentType"] == "appleAccountDrivenUserEnrollment"
    assert (device["serialNumber"], device["imei"], device["udid"]) == ("", "", "")
    assert device["managedDeviceOwnerType"] == "personal"
    assert device["enrollmentProfileName"] == "BYOD Choice"
    assert "appleAccountDrivenUserEnrollment" in phone.page  # the panel shows the record
    assert "Intune release <code>current</code>" in phone.page


def test_a_repeated_allow_records_one_device(client, new_tenant):
    phone = Phone(client, _tenant(new_tenant)).open().to_password()
    phone.press("signIn", password=PASSWORD)
    stale = {"csrf_token": csrf_token(phone.page), "screen": "allow", "action": "allow"}
    phone.press("allow")
    client.post(f"{phone.base}/walk", data=stale)
    assert len(phone.devices()) == 1


def test_cancel_records_nothing(client, new_tenant):
    phone = Phone(client, _tenant(new_tenant)).open().to_password()
    phone.press("signIn", password=PASSWORD).press("cancel")
    assert sw.CANCELLED in unescape(phone.page)
    assert phone.devices() == []


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"release": "preview-2019"}, "has no account-driven user enrollment"),
        ({"release": "ga-2020"}, "has no account-driven user enrollment"),
        ({"profile": None}, "no enrollment type profile applies"),
        (
            {"profile": {**CHOICE, "requireUserChoice": False, "defaultEnrollmentType": "device"}},
            "not account-driven",
        ),
        ({"serviceDiscovery": "missing"}, "no service discovery document"),
        ({"serviceDiscovery": "wrongContentType"}, "text/plain"),
    ],
)
def test_sign_in_failed_and_the_trace_says_why(client, new_tenant, kwargs, why):
    phone = Phone(client, _tenant(new_tenant, **kwargs)).open().to_password()
    assert phone.heading == sw.SIGN_IN_HEADING
    assert sw.SIGN_IN_FAILED in phone.page and sw.SIGN_IN_FAILED_TEXT in unescape(phone.page)
    assert why in unescape(phone.page)
    assert phone.press("ok").heading == sw.SIGN_IN_HEADING
    assert sw.SIGN_IN_FAILED not in phone.page
    assert phone.devices() == []


def test_an_account_driven_profile_enrolls_without_answers(client, new_tenant):
    profile = {**CHOICE, "requireUserChoice": False, "defaultEnrollmentType": "accountDriven"}
    profile["defaultEnrollmentType"] = "accountDrivenUserEnrollment"
    phone = Phone(client, _tenant(new_tenant, profile=profile)).open(authenticator="1")
    phone.to_password().press("signIn", password=PASSWORD).press("allow")
    (device,) = phone.devices()
    assert (device["ownerAnswer"], device["securityScope"]) == (None, None)
    assert device["managedDeviceOwnerType"] == "personal"


def test_ios_14_has_no_work_account_button(client, new_tenant):
    phone = Phone(client, _tenant(new_tenant)).open(osVersion="14.8").press("general")
    assert sw.SIGN_IN_WORK_ACCOUNT not in phone.page
    assert sw.NO_WORK_ACCOUNT_BUTTON in phone.page


@pytest.mark.parametrize(
    ("user", "settings", "code"),
    [
        ({"managedAppleId": False}, {}, "ManagedAppleIdMissing"),
        ({"intuneLicensed": False}, {}, "UserLicenseTypeInvalid"),
    ],
)
def test_error_screens_carry_their_codes(client, new_tenant, user, settings, code):
    users = [{"upn": "alex@contoso.com", "password": PASSWORD, **user}]
    phone = Phone(client, _tenant(new_tenant, users=users, **settings)).open().to_password()
    phone.press("signIn", password=PASSWORD)
    assert code in phone.page and phone.devices() == []


def test_the_device_limit_applies(client, new_tenant):
    made = _tenant(new_tenant, deviceLimit=1)
    first = Phone(client, made).open().to_password()
    first.press("signIn", password=PASSWORD).press("allow")
    second = Phone(client, made).open().to_password().press("signIn", password=PASSWORD)
    assert second.heading == "Couldn't add your device" and "DeviceCapReached" in second.page
    assert len(second.devices()) == 1


@pytest.mark.parametrize("query", [{"osVersion": "abc"}, {"model": "Android"}])
def test_a_bad_device_is_a_400(client, new_tenant, query):
    phone = Phone(client, _tenant(new_tenant)).open(**query)
    assert phone.status == 400 and "can't be used" in unescape(phone.page)


def test_the_default_tenant_serves_settings(client):
    assert client.get("/settings/").status_code == 200
