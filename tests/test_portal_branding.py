"""Company Portal wears the branding profile assigned to the user's group (else the default), from
sign-in on: company name, colour, logo; `unavailable` shows no enrollment; the IT contact shows on
error screens; the decision trace names the profile."""

from __future__ import annotations

import base64
import re
from html import unescape

import pytest
from sqlalchemy import select

from app.enrollment import wording
from app.enrollment.steps import ErrorCode
from app.store import DEFAULT_BRANDING_ID, JournalEvent, db
from tests.conftest import csrf_token
from tests.portal_walker import PASSWORD, USER_CEREMONY, Walker, profile, scenario

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n-logo-").decode()
USERS = [
    {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD},
    {"upn": "megan@contoso.com", "displayName": "Megan Bowen", "password": PASSWORD},
]
GROUPS = [
    {"name": "Staff", "members": ["alex@contoso.com", "megan@contoso.com"]},
    {"name": "Contractors", "members": ["alex@contoso.com"]},
]
CONTRACTORS = {
    "profileName": "Contractors",
    "displayName": "Contoso Contracting",
    "themeColor": {"r": 16, "g": 124, "b": 16},
    "contactITName": "Contractor desk",
    "contactITPhoneNumber": "+1 425 555 0100",
    "showLogo": True,
    "themeColorLogo": {"type": "image/png", "value": PNG},
    "assign": ["Contractors"],
}


def doc(*branding: dict, **settings) -> dict:
    return {
        **scenario(users=USERS, groups=GROUPS, profiles=[profile()], **settings),
        "brandingProfiles": list(branding),
    }


@pytest.fixture
def walker(client, new_tenant):
    def make(document: dict) -> Walker:
        return Walker(client, new_tenant(document))

    return make


def test_a_user_in_an_assigned_group_gets_that_profile(walker):
    w = walker(doc(CONTRACTORS)).sign_in("alex@contoso.com")
    assert w.heading == wording.set_up_access("Contoso Contracting")
    assert "--accent: #107C10;" in w.page
    assert 'class="brand-name">Contoso Contracting<' in w.page
    assert "Contractor desk" not in w.page  # the contact is for error screens
    assert wording.company_owns("Contoso Contracting") in w.press("begin").page


def test_a_user_in_no_assigned_group_gets_the_default(walker):
    w = walker(doc(CONTRACTORS)).sign_in("megan@contoso.com")
    assert w.heading == wording.set_up_access("Contoso")
    assert "--accent: #0078D4;" in w.page and "brand-logo" not in w.page


def test_sign_in_shows_the_default_before_the_user_is_known(walker):
    w = walker(doc(CONTRACTORS)).open()
    assert '<p class="ms-company">Contoso</p>' in w.page


def test_the_logo_shows_when_show_logo_is_on(client, walker):
    w = walker(doc(CONTRACTORS)).sign_in("alex@contoso.com")
    assert 'class="brand-logo"' in w.page
    (src,) = re.findall(r'class="brand-logo" src="([^"]+)"', w.page)
    response = client.get(src)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == base64.b64decode(PNG)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(src.replace(src.split("/")[-2], DEFAULT_BRANDING_ID)).status_code == 404


def test_name_beside_the_logo_follows_its_flag(walker):
    w = walker(doc({**CONTRACTORS, "showDisplayNameNextToLogo": False})).sign_in()
    assert 'class="brand-logo"' in w.page and 'class="brand-name"' not in w.page


def test_the_trace_names_the_branding_profile(client, walker):
    w = walker(doc(CONTRACTORS)).sign_in("alex@contoso.com")
    assert (
        "Branding profile" in w.page
        and 'Assigned to the user\'s group "Contractors".' in unescape(w.page)
    )
    w.sign_in("alex@contoso.com", authenticator="1")
    w.walk("begin", ("continue", "personal"), ("continue", "workOnly"), "continue", *USER_CEREMONY)
    (device,) = w.devices()
    branding = device["decisionTrace"]["brandingProfile"]
    assert (branding["name"], branding["isDefault"]) == ("Contractors", False)


def test_unavailable_enrollment_shows_no_enrollment_and_says_so(app, client, walker):
    closed = {"profileName": "Closed", "enrollmentAvailability": "unavailable", "assign": ["Staff"]}
    w = walker(doc(closed)).sign_in()
    assert w.status == 200 and w.heading == wording.ENROLLMENT_UNAVAILABLE
    assert wording.enrollment_unavailable_text("Contoso") in unescape(w.page)
    assert 'value="begin"' not in w.page
    data = {"csrf_token": csrf_token(client.get(w.base).get_data(as_text=True))}
    response = client.post(w.url, data={**data, "step": "setUpAccess", "action": "begin"})
    assert response.status_code == 303  # nothing to act on: back to the same screen
    assert w._take(w._send("GET", w.url)).heading == wording.ENROLLMENT_UNAVAILABLE
    assert w.devices() == []
    with app.app_context():
        types = db.session.scalars(
            select(JournalEvent.type).where(JournalEvent.tenant_id == w.tenant["id"])
        ).all()
    assert "portal.enrollmentUnavailable" in types


def test_error_screens_show_the_it_contact(walker):
    w = walker(doc(CONTRACTORS, mdmAuthority="unknown")).sign_in("alex@contoso.com")
    assert w.heading == wording.ERRORS[ErrorCode.MDM_AUTHORITY].heading
    assert "Contact Contractor desk, +1 425 555 0100" in w.page
    other = walker(doc(CONTRACTORS, mdmAuthority="unknown")).sign_in("megan@contoso.com")
    assert 'class="error-contact"' not in other.page  # the default has no contact


def test_a_graph_change_brands_the_next_sign_in(client, walker):
    w = walker(doc())
    headers = {"Authorization": f"Bearer {w.tenant['token']}"}
    base = f"/t/{w.tenant['id']}/beta/deviceManagement/intuneBrandingProfiles"
    made = client.post(
        base, json={"profileName": "Sales", "displayName": "Contoso Sales"}, headers=headers
    )
    groups = client.get(f"/t/{w.tenant['id']}/beta/groups", headers=headers).get_json()["value"]
    staff = next(g["id"] for g in groups if g["displayName"] == "Staff")
    body = {
        "assignments": [
            {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": staff}}
        ]
    }
    assert (
        client.post(
            f"{base}/{made.get_json()['id']}/assign", json=body, headers=headers
        ).status_code
        == 204
    )
    assert w.sign_in().heading == wording.set_up_access("Contoso Sales")
