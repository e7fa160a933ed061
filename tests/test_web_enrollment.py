"""Web-based device enrollment (enrollment-today.md §4) through the Flask client: the Safari
requirement, the walk to You're all set!, the install window, the Authenticator wait, the record."""

from __future__ import annotations

import re
from html import unescape

import pytest

from app.enrollment import settings_wording as sw
from app.enrollment.web_enrollment import Refused, Screen, WebWalk, press
from tests.conftest import csrf_token
from tests.portal_walker import PASSWORD

_HEADING = re.compile(r'<h1 id="screen-heading">(.*?)</h1>', re.S)
WEB = {"name": "Web", "defaultEnrollmentType": "webDeviceEnrollment", "assign": {"include": "all"}}


def _tenant(new_tenant, release="current", profile=WEB, **settings):
    return new_tenant(
        {
            "settings": {"intuneRelease": release, **settings},
            "users": [{"upn": "alex@contoso.com", "displayName": "Alex W", "password": PASSWORD}],
            "profiles": [profile] if profile else [],
            "corporateIdentifiers": [{"type": "serialNumber", "value": "CORP00000001"}],
        }
    )


class Safari:
    def __init__(self, client, tenant: dict) -> None:
        self.client, self.tenant = client, tenant
        self.base = f"/t/{tenant['id']}/enrollment/webenrollment/ios"
        self.page, self.status = "", 0

    def _take(self, response) -> Safari:
        if response.status_code == 303:
            response = self.client.get(f"{self.base}/walk")
        self.status, self.page = response.status_code, response.get_data(as_text=True)
        return self

    def open(self, **query: str) -> Safari:
        return self._take(self.client.get(self.base, query_string=query))

    @property
    def heading(self) -> str:
        return unescape(_HEADING.search(self.page).group(1)).strip()

    def press(self, action: str, **fields: str) -> Safari:
        assert f'value="{action}"' in self.page, (action, self.heading)
        screen = re.search(r'name="screen" value="([^"]*)"', self.page).group(1)
        data = {"csrf_token": csrf_token(self.page), "screen": screen, "action": action}
        return self._take(self.client.post(f"{self.base}/walk", data={**data, **fields}))

    def sign_in(self, password: str = PASSWORD) -> Safari:
        return self.press("signIn", email="alex@contoso.com", password=password)

    def devices(self) -> list[dict]:
        return self.client.get(f"/_sim/tenants/{self.tenant['id']}/scenario").get_json()["devices"]


def test_the_whole_web_enrollment(client, new_tenant):
    safari = Safari(client, _tenant(new_tenant)).open(serialNumber="CORP00000001", imei="")
    assert safari.heading == sw.WEB_SIGN_IN
    assert safari.sign_in("nope").status == 400 and safari.heading == sw.WEB_SIGN_IN
    assert safari.sign_in().heading == sw.WEB_DOWNLOAD and sw.WEB_DOWNLOAD_PROMPT in safari.page
    assert safari.press("ignore").heading == sw.WEB_DOWNLOAD
    assert sw.DOWNLOAD_AGAIN in safari.page
    safari.press("downloadAgain").press("allow")
    assert safari.heading == sw.PROFILE_DOWNLOADED
    assert safari.press("install").heading == sw.INSTALL_PROFILE
    assert safari.press("install").heading == sw.REMOTE_MANAGEMENT
    assert safari.press("trust").heading == sw.PROFILE_INSTALLED
    assert safari.press("done").heading == sw.WAITING_AUTHENTICATOR
    (device,) = safari.devices()
    assert safari.press("recheck").status == 400  # not installed yet
    assert safari.press("installAuthenticator").press("recheck").heading == sw.ALL_SET
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["serialNumber"] == "CORP00000001" and device["udid"]
    assert device["managedDeviceOwnerType"] == "company"  # the identifier rule, no answer
    assert device["enrollmentProfileName"] == "Web"
    assert len(safari.devices()) == 1


def test_authenticator_installed_skips_the_wait(client, new_tenant):
    safari = Safari(client, _tenant(new_tenant)).open(authenticator="1").sign_in()
    for action in ("allow", "install", "install", "trust", "done"):
        safari.press(action)
    assert safari.heading == sw.ALL_SET
    assert safari.devices()[0]["managedDeviceOwnerType"] == "personal"


def test_all_set_ticks_every_step_and_offers_start_again_below(client, new_tenant):
    """You're all set! drawn as the app's last screen: every step of the web flow ticked, the
    sentence, Start again in the bottom bar as the prominent action (issue 14)."""
    safari = Safari(client, _tenant(new_tenant)).open(authenticator="1").sign_in()
    for action in ("allow", "install", "install", "trust", "done"):
        safari.press(action)
    steps = re.search(
        r'<ul class="all-set-steps" aria-label="([^"]*)">(.*?)</ul>', safari.page, re.S
    )
    assert steps and steps.group(1) == "Completed set up steps"
    assert re.findall(r"</svg>([^<]*)</li>", steps.group(2)) == list(sw.WEB_CHECKLIST)
    assert f'<p class="all-set-text">{sw.ALL_SET_TEXT}</p>' in safari.page
    bar = re.search(r'<div class="bottom-actions">(.*?)</div>', safari.page, re.S).group(1)
    assert 'class="btn btn-primary" href="' in bar and f">{sw.START_AGAIN}</a>" in bar
    assert safari.page.count(f">{sw.START_AGAIN}</a>") == 1


@pytest.mark.parametrize("browser", ["chrome", "edge", "firefox"])
def test_other_browsers_need_safari(client, new_tenant, browser):
    safari = Safari(client, _tenant(new_tenant)).open(browser=browser)
    assert safari.heading == sw.SAFARI_REQUIRED and sw.SAFARI_REQUIRED_TEXT in safari.page


def test_an_unknown_browser_is_a_400(client, new_tenant):
    assert Safari(client, _tenant(new_tenant)).open(browser="opera").status == 400


def test_an_expired_profile_must_be_downloaded_again(client, new_tenant):
    safari = Safari(client, _tenant(new_tenant, profileInstallWindowSeconds=0)).open()
    safari.sign_in().press("allow").press("install")
    assert sw.PROFILE_EXPIRED in safari.page and sw.DOWNLOAD_AGAIN in safari.page
    assert safari.devices() == []


@pytest.mark.parametrize(
    ("release", "profile"),
    [
        ("preview-2019", WEB),
        ("ga-2020", WEB),
        ("current", None),
        ("current", {**WEB, "defaultEnrollmentType": "device"}),
    ],
)
def test_users_without_a_web_profile_are_refused(client, new_tenant, release, profile):
    safari = Safari(client, _tenant(new_tenant, release, profile)).open().sign_in()
    assert "WebEnrollmentNotApplicable" in safari.page and safari.devices() == []


def test_the_device_limit_applies(client, new_tenant):
    made = _tenant(new_tenant, deviceLimit=1)
    first = Safari(client, made).open(authenticator="1").sign_in()
    for action in ("allow", "install", "install", "trust", "done"):
        first.press(action)
    second = Safari(client, made).open().sign_in()
    assert "DeviceCapReached" in second.page and len(second.devices()) == 1


def test_the_install_window_in_the_domain():
    walk = WebWalk("iPhone", "17.5", "S", "", False, screen=Screen.DOWNLOAD.value)
    downloaded = press(walk, "allow", now=1000.0, install_window=480)
    assert press(downloaded, "install", 1480.0, 480).screen == Screen.WARNING
    assert press(downloaded, "install", 1480.5, 480).screen == Screen.EXPIRED
    with pytest.raises(Refused):
        press(downloaded, "trust", 1000.0, 480)


def test_the_today_demo_is_a_current_tenant_with_one_user_per_path(client):
    assert "Intune 2019 preview" in client.get("/").get_data(as_text=True)
    assert "Intune today" in client.get("/").get_data(as_text=True)
    response = client.get("/demo/today/web")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/t/today/enrollment/webenrollment/ios")
    assert client.get("/demo/today/settings").headers["Location"].endswith("/t/today/settings/")
    assert client.get("/demo/today/nope").status_code == 404
    settings = client.get("/_sim/tenants/today/scenario").get_json()["settings"]
    assert settings["intuneRelease"] == "current"
    safari = Safari(client, {"id": "today"}).open()
    safari.press("signIn", email="wendy@fabrikam.com", password=PASSWORD)
    assert safari.heading == sw.WEB_DOWNLOAD
