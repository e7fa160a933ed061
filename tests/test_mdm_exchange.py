"""Apple's account-driven enrollment exchange end to end over real HTTP with plain requests
(enrollment-today.md §3): discovery, the 401 challenge, the web sign-in, the enrollment profile
(plain and CMS-signed device info), check-in Authenticate / TokenUpdate recording the device once;
every bad input a 4xx that records nothing."""

from __future__ import annotations

import plistlib
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from itsdangerous import URLSafeTimedSerializer

from app.testing.server import live_server

PASSWORD = "Passw0rd!"
SCENARIO = {
    "company": "Contoso",
    "settings": {"intuneRelease": "current"},
    "users": [
        {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD},
        {"upn": "nora@contoso.com", "password": PASSWORD},
        {"upn": "ula@contoso.com", "password": PASSWORD, "intuneLicensed": False},
    ],
    "groups": [{"name": "BYOD", "members": ["alex@contoso.com", "ula@contoso.com"]}],
    "profiles": [{"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": "BYOD"}}],
}
DEVICE_INFO = plistlib.dumps({"LANGUAGE": "en", "PRODUCT": "iPhone15,2", "VERSION": "17.5"})
PLIST = {"Content-Type": "application/x-apple-aspen-deviceinfo"}
CHECKIN = {"Content-Type": "application/x-apple-aspen-mdm-checkin"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("mdm") / "sim.sqlite") as base:
        yield base


def _tenant(server: str, **settings) -> dict:
    doc = {**SCENARIO, "settings": {**SCENARIO["settings"], **settings}}
    response = requests.post(f"{server}/_sim/tenants", json=doc, timeout=30)
    assert response.status_code == 201, response.text
    made = response.json()
    made["root"] = f"{server}/t/{made['id']}"
    return made


def _devices(server: str, tenant: dict) -> list[dict]:
    return requests.get(f"{server}/_sim/tenants/{tenant['id']}/scenario", timeout=30).json()[
        "devices"
    ]


def _discover(tenant: dict) -> str:
    response = requests.get(
        f"{tenant['root']}/.well-known/com.apple.remotemanagement",
        params={"user-identifier": "alex@contoso.com", "model-family": "iPhone"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    (entry,) = response.json()["Servers"]
    assert entry["Version"] == "mdm-byod"
    return entry["BaseURL"]


def _token(tenant: dict, upn: str = "alex@contoso.com", password: str = PASSWORD) -> str:
    response = requests.post(
        f"{tenant['root']}/EnrollmentServer/authenticate",
        params={"user-identifier": upn},
        data={"password": password},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith("apple-remotemanagement-user-login://authentication-results?")
    return parse_qs(urlsplit(location).query)["access-token"][0]


def _profile(base_url: str, token: str, body: bytes = DEVICE_INFO, headers=PLIST) -> dict:
    response = requests.post(
        base_url, data=body, headers={**headers, "Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/x-apple-aspen-config"
    return plistlib.loads(response.content)


def _checkin(url: str, kind: str, topic: str, **extra) -> requests.Response:
    message = {"MessageType": kind, "Topic": topic, "EnrollmentID": "ENR-1", **extra}
    return requests.put(url, data=plistlib.dumps(message), headers=CHECKIN, timeout=30)


def _signed(content: bytes) -> bytes:
    """A CMS SignedData body as a device sends it (a self-signed identity)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Device Identity")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def test_the_whole_exchange_records_one_device(server):
    tenant = _tenant(server)
    base_url = _discover(tenant)
    assert base_url == (
        f"{tenant['root']}/EnrollmentServer/PostReportDeviceInfoForUEV2?aadTenantId={tenant['id']}"
    )
    challenge = requests.post(base_url, data=DEVICE_INFO, headers=PLIST, timeout=30)
    assert challenge.status_code == 401
    assert challenge.headers["WWW-Authenticate"] == (
        f'Bearer method="apple-as-web", url="{tenant["root"]}/EnrollmentServer/authenticate"'
    )
    page = requests.get(
        f"{tenant['root']}/EnrollmentServer/authenticate",
        params={"user-identifier": "alex@contoso.com"},
        timeout=30,
    )
    assert page.status_code == 200 and "Password" in page.text
    profile = _profile(base_url, _token(tenant))
    (mdm,) = profile["PayloadContent"]
    assert mdm["PayloadType"] == "com.apple.mdm"
    assert mdm["EnrollmentMode"] == "BYOD"
    assert mdm["AssignedManagedAppleID"] == "alex@contoso.com"
    checkin_url, topic = mdm["CheckInURL"], mdm["Topic"]
    assert _devices(server, tenant) == []
    assert _checkin(checkin_url, "Authenticate", topic).status_code == 200
    assert _devices(server, tenant) == []
    for _ in range(3):  # a repeated TokenUpdate is the same device
        response = _checkin(checkin_url, "TokenUpdate", topic, Token=b"push", PushMagic="m")
        assert response.status_code == 200
    (device,) = _devices(server, tenant)
    assert device["deviceEnrollmentType"] == "appleAccountDrivenUserEnrollment"
    assert (device["serialNumber"], device["imei"], device["udid"]) == ("", "", "")
    assert device["managedDeviceOwnerType"] == "personal"
    assert device["enrollmentProfileName"] == "BYOD Choice"
    assert (device["ownerAnswer"], device["securityScope"]) == ("personal", "workOnly")
    assert device["osVersion"] == "17.5"
    exported = requests.get(f"{server}/_sim/tenants/{tenant['id']}/scenario", timeout=30).json()
    again = requests.post(f"{server}/_sim/tenants", json=exported, timeout=30)
    assert again.status_code == 201  # the record round-trips through export and load
    assert _devices(server, again.json())[0]["deviceEnrollmentType"] == (
        "appleAccountDrivenUserEnrollment"
    )


def test_a_cms_signed_device_info_is_read(server):
    tenant = _tenant(server)
    headers = {"Content-Type": "application/pkcs7-signature"}
    profile = _profile(_discover(tenant), _token(tenant), _signed(DEVICE_INFO), headers)
    assert profile["PayloadContent"][0]["EnrollmentMode"] == "BYOD"


@pytest.mark.parametrize(
    ("setting", "status", "content_type"),
    [("missing", 404, "text/plain"), ("wrongContentType", 200, "text/plain")],
)
def test_discovery_settings(server, setting, status, content_type):
    tenant = _tenant(server, serviceDiscovery=setting)
    response = requests.get(f"{tenant['root']}/.well-known/com.apple.remotemanagement", timeout=30)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith(content_type)


def test_the_default_tenant_serves_discovery_at_the_site_root(server):
    response = requests.get(f"{server}/.well-known/com.apple.remotemanagement", timeout=30)
    assert response.status_code == 200
    assert response.json()["Servers"][0]["BaseURL"].startswith(
        f"{server}/EnrollmentServer/PostReportDeviceInfoForUEV2?aadTenantId="
    )


def test_a_wrong_password_stays_on_the_sign_in_page(server):
    tenant = _tenant(server)
    response = requests.post(
        f"{tenant['root']}/EnrollmentServer/authenticate",
        params={"user-identifier": "alex@contoso.com"},
        data={"password": "nope"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 401 and "incorrect" in response.text


def _expired_token(tenant: dict, monkeypatch) -> str:
    serializer = URLSafeTimedSerializer("live-test", salt="enrollsim.mdm.access-token")
    past = time.time() - 3600
    with monkeypatch.context() as patch:
        patch.setattr("itsdangerous.timed.time.time", lambda: past)
        return serializer.dumps({"t": tenant["id"], "u": "whoever"})


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [
        (b"<plist><dict><key>A", PLIST, 400, "not a valid property list"),
        (plistlib.dumps(["a list"]), PLIST, 400, "must be a dictionary"),
        (plistlib.dumps({"LANGUAGE": "en"}), PLIST, 400, "PRODUCT"),
        (b"x" * 70_000, PLIST, 413, "larger than"),
        (DEVICE_INFO, {"Content-Type": "application/json"}, 415, "not accepted"),
        (b"", PLIST, 400, "empty"),
        (b"\x30\x03\x02\x01\x01", {"Content-Type": "application/pkcs7-signature"}, 400, "CMS"),
    ],
)
def test_bad_device_info_is_a_4xx(server, body, headers, status, words):
    tenant = _tenant(server)
    response = requests.post(_discover(tenant), data=body, headers=headers, timeout=30)
    assert response.status_code == status and words in response.text


def test_forged_expired_and_foreign_tokens_are_refused(server, monkeypatch):
    tenant, other = _tenant(server), _tenant(server)
    base_url = _discover(tenant)
    for token, words in [
        ("forged.token.value", "not valid"),
        (_expired_token(tenant, monkeypatch), "expired"),
        (_token(other), "not valid for this tenant"),
    ]:
        response = requests.post(
            base_url,
            data=DEVICE_INFO,
            headers={**PLIST, "Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 401 and words in response.text
        assert "WWW-Authenticate" in response.headers


@pytest.mark.parametrize(
    ("upn", "code"),
    [("nora@contoso.com", "AccountDrivenEnrollmentNotApplicable"),
     ("ula@contoso.com", "UserLicenseTypeInvalid")],
)  # fmt: skip
def test_users_the_rules_refuse_get_403_and_nothing(server, upn, code):
    tenant = _tenant(server)
    response = requests.post(
        _discover(tenant),
        data=DEVICE_INFO,
        headers={**PLIST, "Authorization": f"Bearer {_token(tenant, upn)}"},
        timeout=30,
    )
    assert response.status_code == 403
    assert response.headers["X-Enrollment-Error-Code"] == code
    assert _devices(server, tenant) == []


def test_ios_14_is_refused(server):
    tenant = _tenant(server)
    old = plistlib.dumps({"LANGUAGE": "en", "PRODUCT": "iPhone12,1", "VERSION": "14.8"})
    response = requests.post(
        _discover(tenant),
        data=old,
        headers={**PLIST, "Authorization": f"Bearer {_token(tenant)}"},
        timeout=30,
    )
    assert response.status_code == 403 and "15 or later" in response.text


def test_check_in_errors_record_nothing(server):
    tenant = _tenant(server)
    mdm = _profile(_discover(tenant), _token(tenant))["PayloadContent"][0]
    url, topic = mdm["CheckInURL"], mdm["Topic"]
    early = _checkin(url, "TokenUpdate", topic, Token=b"t")
    assert early.status_code == 409 and "before Authenticate" in early.text
    unknown = url.split("?")[0] + "?enrollment=nope"
    assert _checkin(unknown, "Authenticate", topic).status_code == 404
    assert _checkin(url, "Authenticate", "com.apple.mgmt.Other").status_code == 400
    assert _checkin(url, "CheckOut", topic).status_code == 400
    bad = requests.put(url, data=b"not a plist", headers=CHECKIN, timeout=30)
    assert bad.status_code == 400
    wrong_type = requests.put(url, data=b"{}", headers={"Content-Type": "text/plain"}, timeout=30)
    assert wrong_type.status_code == 415
    assert _checkin(url, "Authenticate", topic).status_code == 200
    assert _checkin(url, "TokenUpdate", topic).status_code == 400  # no Token
    other = _checkin(url, "TokenUpdate", topic, Token=b"t", EnrollmentID="someone-else")
    assert other.status_code == 400
    assert _devices(server, tenant) == []
