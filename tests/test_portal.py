"""Company Portal screens through the Flask test client: wording, controls, errors, CSRF."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.enrollment import wording
from app.store import JournalEvent, PortalWalk, db
from tests.conftest import csrf_token
from tests.portal_walker import USER_CEREMONY, Walker, profile, scenario


@pytest.fixture
def walker(client, new_tenant):
    def make(doc: dict | None = None) -> Walker:
        return Walker(client, new_tenant(doc if doc is not None else scenario()))

    return make


def journal(app, tenant_id: str) -> list[JournalEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(JournalEvent)
                .where(JournalEvent.tenant_id == tenant_id)
                .order_by(JournalEvent.id)
            )
        )


def portal_types(app, tenant_id: str) -> list[str]:
    return [e.type for e in journal(app, tenant_id) if e.type.startswith("portal.")]


def button_names(page: str) -> list[str]:
    """Accessible names of the page's buttons: their text without aria-hidden parts."""
    names = []
    for inner in re.findall(r"<button[^>]*>(.*?)</button>", page, re.S):
        inner = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", inner, flags=re.S)
        names.append(unescape(re.sub(r"<[^>]+>", "", inner)).strip())
    return names


def has_button(page: str, name: str) -> bool:
    return name in button_names(page)


def has_radio(page: str, value: str, label: str) -> bool:
    pattern = rf'<input type="radio" name="answer" value="{value}"[^>]*>.*?{re.escape(label)}'
    return re.search(pattern, page, re.S) is not None


# ---- screen 1 ---------------------------------------------------------------------------


def test_sign_in_screen_has_labels_button_company_and_default_device(walker):
    w = walker(scenario(company="Fabrikam")).open()
    assert w.status == 200
    assert '<label for="email">Email</label>' in w.page
    assert '<label for="password">Password</label>' in w.page
    assert has_button(w.page, "Sign in")
    assert "Fabrikam" in w.page and "Simulated device" in w.page
    assert 'value="17.5"' in w.page  # a current iOS
    assert re.search(r'name="serialNumber"[^>]*value="F[A-Z0-9]{11}"', w.page)
    assert "checked" not in w.page.split('id="authenticator"')[1].split(">")[0]


def test_query_parameters_prefill_the_simulated_device(walker):
    w = walker().open(
        model="ipad", osVersion="16.4", serialNumber="F2LX1234", imei="35 209900 176148 1",
        authenticator="1",
    )  # fmt: skip
    assert w.status == 200
    assert '<option selected value="iPad">iPad</option>' in w.page
    assert 'value="16.4"' in w.page and 'value="F2LX1234"' in w.page
    assert 'value="352099001761481"' in w.page
    assert "checked" in w.page.split('id="authenticator"')[1].split(">")[0]
    assert "device-ipad" in w.page


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("model", "Android", "'Android' is not a model here: choose iPhone or iPad."),
        ("osVersion", "seventeen", "'seventeen' is not an OS version: write it like 17.5"),
        ("osVersion", "", "Give an OS version, e.g. 17.5."),
        ("serialNumber", "F2LX 12!", "'F2LX 12!' is not a serial number"),
        ("imei", "12345", "'12345' is not an IMEI: an IMEI has 15 digits."),
        ("authenticator", "maybe", "'maybe' is not yes or no"),
    ],
)
def test_bad_device_parameters_get_a_clear_message(walker, param, value, message):
    w = walker().open(**{param: value})
    assert w.status == 400
    assert message in w.page.replace("&#39;", "'")
    assert "The simulated device has a value that can't be used" in w.page


def test_bad_device_on_sign_in_is_refused_and_starts_no_walk(walker, app):
    w = walker()
    w.sign_in(osVersion="x.y")
    assert w.status == 400 and "is not an OS version" in w.page
    with app.app_context():
        assert db.session.scalars(select(PortalWalk)).all() == []


@pytest.mark.parametrize(
    ("email", "password", "message", "reason"),
    [
        ("alex@contoso.com", "wrong", wording.SIGN_IN_FAILED, "wrong password"),
        ("nobody@contoso.com", "Passw0rd!", wording.SIGN_IN_FAILED, "unknown user"),
        ("off@contoso.com", "Passw0rd!", wording.ACCOUNT_DISABLED, "account disabled"),
    ],
)
def test_failed_sign_in_shows_the_error_and_changes_nothing_else(
    walker, app, email, password, message, reason
):
    users = [
        {"upn": "alex@contoso.com", "displayName": "Alex", "password": "Passw0rd!"},
        {"upn": "off@contoso.com", "displayName": "Off", "password": "Passw0rd!", "enabled": False},
    ]
    w = walker(scenario(users=users, groups=[]))
    w.sign_in(email, password)
    assert w.status == 401
    assert message.replace("'", "&#39;") in w.page
    assert w.heading == wording.SIGN_IN
    events = [e for e in journal(app, w.tenant["id"]) if e.type.startswith("portal.")]
    assert [(e.type, e.user, e.detail["reason"]) for e in events] == [
        ("portal.signInFailed", email, reason)
    ]
    with app.app_context():
        assert db.session.scalars(select(PortalWalk)).all() == []


def test_sign_in_ignores_email_case_and_needs_both_fields(walker):
    w = walker()
    w.sign_in("ALEX@Contoso.com")
    assert w.heading == "Set up Contoso access"
    w2 = walker()
    w2.sign_in("", "")
    assert w2.status == 400
    assert "Enter your email." in w2.page and "Enter your password." in w2.page


def test_posts_without_csrf_token_are_refused(walker, client):
    w = walker()
    response = client.post(w.base, data={"email": "alex@contoso.com", "password": "Passw0rd!"})
    assert response.status_code == 400
    w.sign_in()
    response = w.post({"step": w.step, "action": "begin"})
    assert response.status_code == 400
    assert w.press("begin").heading == wording.PRIVACY  # the walk is unharmed


# ---- screens 3 to 10 --------------------------------------------------------------------


def test_every_screen_of_the_choose_path_to_user_enrollment(walker):
    w = walker(scenario(profiles=[profile()])).sign_in()
    assert w.heading == "Set up Contoso access"
    assert wording.SET_UP_INTRO in w.page
    assert all(item in w.page for item in wording.CHECKLIST)
    assert has_button(w.page, "Begin") and has_button(w.page, "Postpone")

    w.press("begin")
    assert w.heading == wording.SELECT_TYPE and wording.WHO_OWNS in w.page
    assert has_radio(w.page, "company", "Contoso owns this device")
    assert has_radio(w.page, "personal", "I own this device")
    assert has_button(w.page, "Continue")

    w.press("continue", "personal")
    assert w.heading == wording.SELECT_TYPE
    assert wording.how_secure("Contoso").replace("'", "&#39;") in w.page
    assert has_radio(w.page, "entireDevice", "Secure entire device")
    assert has_radio(w.page, "workOnly", "Secure work-related apps and data only")

    w.press("continue", "workOnly")
    assert w.heading == wording.AUTHENTICATOR and wording.AUTHENTICATOR_TEXT in w.page
    assert has_button(w.page, "Download from App Store")
    w.press("downloadAuthenticator")
    assert "Microsoft Authenticator is installed." in w.page and has_button(w.page, "Continue")

    w.press("continue")
    assert w.heading == wording.PRIVACY
    assert "Serial number, IMEI or UDID" in w.page and "Personal apps and their data" in w.page

    w.press("continue")
    assert w.heading == wording.DOWNLOAD_PROFILE and wording.SAFARI_PROMPT in w.page
    assert has_button(w.page, "Ignore") and has_button(w.page, "Allow")
    w.press("ignore")
    assert has_button(w.page, "Download again") and not has_button(w.page, "Allow")
    w.press("downloadAgain").press("allow")

    assert w.heading == wording.INSTALL_PROFILE
    assert has_button(w.page, "Enroll in Contoso")
    w.press("openProfile")
    assert wording.USER_ENROLLMENT_SHEET_TEXT in w.page
    assert has_button(w.page, "Enroll My iPhone") and has_button(
        w.page, "Cancel and Delete Profile"
    )
    w.press("enroll")
    assert wording.MANAGED_APPLE_ID_TEXT in w.page and has_button(w.page, "Sign In")
    w.press("appleIdSignIn")

    assert w.heading == wording.ALL_SET
    assert wording.ALL_SET_TEXT in w.page and has_button(w.page, "Done")
    assert "User Enrollment" in w.page and "BYOD Choice" in w.page and "Personal" in w.page
    assert "Recorded outcome" in w.page and "Decision trace" in w.page


def test_device_enrollment_ceremony_screens(walker):
    w = walker(scenario(profiles=[profile(choice=False, default="device")])).sign_in()
    w.press("begin")
    assert w.heading == wording.PRIVACY and "App inventory" in w.page
    w.walk("continue", "allow", "openProfile")
    assert has_button(w.page, "Install") and has_button(w.page, "Cancel")
    w.press("install")
    assert wording.REMOTE_MANAGEMENT in w.page and has_button(w.page, "Trust")
    w.press("trust")
    assert wording.PROFILE_INSTALLED in w.page and has_button(w.page, "Done")
    w.press("finishInstall")
    assert w.heading == wording.ALL_SET and "Device Enrollment" in w.page


def test_owner_question_without_an_answer_shows_an_error_not_a_crash(walker):
    w = walker(scenario(profiles=[profile()])).sign_in().press("begin")
    w.press("continue")
    assert w.status == 400
    assert w.heading == wording.SELECT_TYPE
    assert 'role="alert">Choose who owns this device.</p>' in w.page
    w.press("continue", "personal").press("continue")
    assert w.status == 400 and "Choose how your device will be secured." in w.page
    assert w.press("continue", "entireDevice").heading == wording.PRIVACY


def test_authenticator_must_be_downloaded_before_continue(walker):
    w = walker(scenario(profiles=[profile(choice=False)])).sign_in().press("begin")
    w.press("continue")
    assert w.status == 400 and "Download Microsoft Authenticator from the App Store" in w.page


def test_authenticator_screen_is_skipped_when_installed_and_ipad_wording(walker):
    w = walker(scenario(profiles=[profile(choice=False)]))
    w.sign_in(authenticator="1", model="iPad", osVersion="16.4").press("begin")
    assert w.heading == wording.PRIVACY
    w.walk("continue", "allow", "openProfile")
    assert has_button(w.page, "Enroll My iPad")


def test_fast_profile_install_turns_the_ceremony_into_one_click(walker):
    doc = scenario(profiles=[profile(choice=False, default="device")], fastProfileInstall=True)
    w = walker(doc).sign_in().walk("begin", "continue")
    assert w.heading == wording.DOWNLOAD_PROFILE
    assert has_button(w.page, wording.FAST_INSTALL) and not has_button(w.page, "Allow")
    w.press("fastInstall")
    assert w.heading == wording.ALL_SET and len(w.devices()) == 1


# ---- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "code"),
    [
        ({"mdmAuthority": "unknown"}, "MdmAuthorityNotDefined"),
        ({"apnsCertificateExpires": "2020-01-01"}, "APNSCertificateNotValid"),
        ({"apnsCertificateExpires": None}, "APNSCertificateNotValid"),
    ],
)
def test_prerequisite_errors_stop_at_sign_in(walker, app, settings, code):
    w = walker(scenario(profiles=[profile()], **settings)).sign_in()
    text = wording.ERRORS[wording.ErrorCode(code)]
    assert w.heading == text.heading
    assert text.message.replace("'", "&#39;") in w.page
    assert f"Error code: <code>{code}</code>" in w.page
    assert w.devices() == []
    failed = [e for e in journal(app, w.tenant["id"]) if e.type == "portal.failed"]
    assert [e.detail["code"] for e in failed] == [code]


def test_old_os_cannot_do_user_enrollment(walker, app):
    w = walker(scenario(profiles=[profile()])).sign_in(osVersion="13.0")
    w.walk("begin", ("continue", "personal"), ("continue", "workOnly"))
    assert w.heading == wording.ERRORS[wording.ErrorCode.OS_VERSION].heading
    assert "User Enrollment requires iOS 13.1 or iPadOS 13.1 or later." in w.page
    assert "UserEnrollmentUnsupportedOsVersion" in w.page
    assert w.devices() == []


def test_missing_managed_apple_id_fails_at_the_apple_id_sign_in(walker):
    users = [{"upn": "alex@contoso.com", "displayName": "Alex", "password": "Passw0rd!",
              "managedAppleId": False}]  # fmt: skip
    w = walker(scenario(users=users, profiles=[profile(choice=False)]))
    w.sign_in(authenticator="1").walk("begin", "continue", *USER_CEREMONY)
    assert "This Managed Apple ID can&#39;t be used for User Enrollment." in w.page
    assert "ManagedAppleIdMissing" in w.page and w.devices() == []


def test_unknown_walk_and_walk_of_another_tenant_are_404(walker, client):
    w = walker().sign_in()
    assert client.get(f"{w.base}walk/nope").status_code == 404
    other = walker()
    assert client.get(w.url.replace(w.tenant["id"], other.tenant["id"])).status_code == 404
    response = client.post(
        w.url.replace(w.tenant["id"], other.tenant["id"]),
        data={"csrf_token": csrf_token(w.page), "step": w.step, "action": "begin"},
    )
    assert response.status_code == 404
    assert w.press("begin").heading == wording.PRIVACY


def test_postpone_and_cancel_record_only_the_journal_entry(walker, app):
    w = walker(scenario(profiles=[profile(choice=False, default="device")])).sign_in()
    w.press("postpone")
    assert w.heading == wording.POSTPONED and has_button(w.page, wording.START_AGAIN)
    assert "portal.postponed" in portal_types(app, w.tenant["id"])
    w2 = Walker(w.client, w.tenant).sign_in().walk("begin", "continue", "allow", "openProfile")
    w2.press("cancel")
    assert w2.heading == wording.CANCELLED
    assert "portal.cancelled" in portal_types(app, w.tenant["id"])
    assert w.devices() == []


def test_unknown_tenant_gets_a_portal_404(client):
    response = client.get("/t/0000/portal/")
    assert response.status_code == 404
    assert "No tenant with id &#39;0000&#39;." in response.get_data(as_text=True)


def test_theme_color_and_company_come_from_the_tenant(walker):
    doc = {**scenario(company="Fabrikam", profiles=[profile()]), "themeColor": "#C50F1F"}
    w = walker(doc).sign_in()
    assert ".portal-page { --accent: #C50F1F; }" in w.page
    assert w.heading == "Set up Fabrikam access"
    assert "Fabrikam owns this device" in w.press("begin").page


def test_done_starts_again_with_the_same_device(walker):
    w = walker().sign_in(
        model="iPad", osVersion="16.4", serialNumber="F2LX1234", imei="352099001761481"
    )
    w.walk("postpone")
    restart = re.search(
        r'<form method="get" action="([^"]+)" class="restart-form">(.*?)</form>', w.page, re.S
    )
    assert restart and restart.group(1) == w.base
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', restart.group(2)))
    assert fields == {
        "model": "iPad", "osVersion": "16.4", "serialNumber": "F2LX1234",
        "authenticator": "0", "imei": "352099001761481",
    }  # fmt: skip
