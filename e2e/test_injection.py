"""Markup injected anywhere never runs in a real browser (issue 13, item 1).

Every stored text field gets markup — through the control API, Graph (intuneBrand displayName,
a user, a group) and the console's forms (company name, a group, a branding profile) — and every
reflected input gets it too (sign-in email, the simulated device in the portal's URL, the
console's filters and checks, the live rule preview, error pages). Then every page that shows
them is opened in Chromium: the portal's walk from sign-in to "You're all set!", and the
console's lists, detail pages, trace and journal.

Each run checks escaping on its own — the CSP (no inline script, tested in
tests/test_hardening.py) is bypassed — and once more with the CSP in force, where any blocked
inline script would mean markup had reached the page. A hit is any of: `window.__xss` set (an
init script reports every write to it, across navigations), a dialog, an element the payloads
make (`img[src=x]`, `svg[onload]`, `iframe[srcdoc]`, a `<b>` from text), an inline `<script>`
(the templates have none), or a CSP violation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from app.testing import pages
from app.testing.pages import PortalPage

PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "</title><script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    '\'><iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "</textarea><script>alert(1)</script><b>bold</b>",
]
COMPANY = "</title><script>window.__xss=1</script>"
BRAND = "</title><img src=x onerror=window.__xss=1>"  # a group's company name, in the walk title
PASSWORD = "Passw0rd!"
UPN = "mallory@contoso.com"
MADE_BY_MARKUP = "img[src='x'], svg[onload], iframe[srcdoc], b:text-is('bold')"
WATCH = """
(() => {
  let value;
  Object.defineProperty(window, "__xss", {
    configurable: true,
    get() { return value; },
    set(v) { value = v; window.__xssFired(location.href); },
  });
  document.addEventListener("securitypolicyviolation", (e) =>
    window.__cspViolated(`${e.violatedDirective} ${e.blockedURI} at ${location.href}`));
})();
"""


def hostile(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def scenario() -> dict[str, Any]:
    """Markup in every stored text field a scenario can set."""
    return {
        "company": COMPANY,
        "users": [{"upn": UPN, "displayName": hostile(0), "password": PASSWORD}],
        "groups": [
            {"name": hostile(1), "description": hostile(2), "members": [UPN]},
            {
                "name": hostile(3),
                "kind": "device",
                "description": hostile(4),
                "rule": '(device.deviceModel -eq "<img src=x onerror=window.__xss=1>")',
            },
        ],  # fmt: skip
        "profiles": [
            {
                "name": hostile(2),
                "description": hostile(3),
                "requireUserChoice": True,
                "assign": {"include": [hostile(1)]},
            },
        ],  # fmt: skip
        "corporateIdentifiers": [
            {"type": "serialNumber", "value": "F2LXC0RP0001", "description": hostile(4)}
        ],
        "brandingProfiles": [
            {
                "profileName": hostile(0),
                "profileDescription": hostile(1),
                "displayName": BRAND,
                "contactITName": hostile(3),
                "contactITPhoneNumber": hostile(4),
                "contactITNotes": hostile(0),
                "onlineSupportSiteName": hostile(1),
                "onlineSupportSiteUrl": 'https://example.com/?q="><script>window.__xss=1</script>',
                "customPrivacyMessage": hostile(2),
                "assign": [hostile(1)],
            }
        ],
        "devices": [
            {
                "userPrincipalName": UPN,
                "deviceName": hostile(3),
                "osVersion": "17.4",
                "deviceEnrollmentType": "appleUserEnrollment",
                "enrollmentProfileName": hostile(2),
                "managedDeviceOwnerType": "personal",
                "enrolledDateTime": "2026-01-01T10:00:00Z",
            },
        ],  # fmt: skip
    }


class Guard:
    """Watches one page for anything injected markup would do."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.fired: list[str] = []
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        page.expose_function("__xssFired", lambda where: self.fired.append(where))
        page.expose_function("__cspViolated", lambda what: self.violations.append(what))
        page.add_init_script(WATCH)
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.assert_clean()

    def assert_clean(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        where = page.url
        assert page.evaluate("window.__xss") is None, where
        assert page.locator(MADE_BY_MARKUP).count() == 0, where
        assert page.locator("script:not([src])").count() == 0, where
        assert not self.fired, self.fired
        assert not self.dialogs, self.dialogs
        assert not self.violations, self.violations


@pytest.fixture(params=["csp-bypassed", "csp-enforced"])
def guard(request, browser: Browser, sim_url, enrollsim_server) -> Guard:
    context = browser.new_context(bypass_csp=request.param == "csp-bypassed")
    page = context.new_page()
    page.set_default_timeout(15_000)
    if enrollsim_server.control.token:
        page.goto(f"{sim_url}/admin/sign-in")
        pages.sign_in_to_console(page, enrollsim_server.control.token)
    yield Guard(page)
    context.close()


def graph(tenant: dict, method: str, path: str, **kwargs) -> Any:
    headers = {"Authorization": f"Bearer {tenant['token']}"}
    response = requests.request(
        method, tenant["graphBaseUrl"].rstrip("/") + path, headers=headers, timeout=10, **kwargs
    )
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def ids(tenant: dict, path: str) -> list[str]:
    return [item["id"] for item in graph(tenant, "GET", path)["value"]]


def sign_in(guard: Guard, upn: str = UPN, company: str = BRAND) -> None:
    """Sign in on the open portal page; on `Set up <company> access` (the company in the page
    title) check, then Begin."""
    page = guard.page
    page.get_by_label("Email", exact=True).fill(upn)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name=f"Set up {company} access")).to_be_visible()
    guard.assert_clean()
    assert company in page.title()  # the title holds the name as text: it never closed early
    with page.expect_navigation():
        page.get_by_role("button", name="Begin", exact=True).click()
    guard.assert_clean()


def test_stored_markup_never_runs_on_any_page(guard: Guard, tenant):
    made = tenant(scenario())
    # Graph writes of their own: the company name (intuneBrand), a user, a group
    graph(made, "PATCH", "/deviceManagement", json={"intuneBrand": {"displayName": COMPANY}})
    eve = {
        "accountEnabled": True,
        "displayName": hostile(4),
        "mailNickname": "eve",
        "userPrincipalName": "eve@contoso.com",
        "passwordProfile": {"password": PASSWORD},
    }
    graph(made, "POST", "/users", json=eve)
    graph(made, "POST", "/groups", json={
        "displayName": hostile(0), "description": hostile(1), "mailEnabled": False,
        "mailNickname": "g", "securityEnabled": True})  # fmt: skip

    portal = PortalPage(guard.page, company=BRAND).open(made["portalUrl"])
    portal.password = PASSWORD  # signed in below by hand; the Managed Apple ID sheet asks again
    guard.assert_clean()
    sign_in(guard)
    portal.answer_owner("personal")
    guard.assert_clean()
    portal.answer_scope("workOnly")
    guard.assert_clean()
    expect(guard.page.get_by_text(BRAND).first).to_be_visible()  # shown, as text
    portal.finish()
    guard.assert_clean()
    # eve is in no group: her portal has the default brand, named through Graph's intuneBrand
    guard.visit(made["portalUrl"])
    sign_in(guard, "eve@contoso.com", COMPANY)

    admin = made["adminUrl"].rstrip("/")
    profiles = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"
    urls = ["/", "/profiles", "/users", "/groups", "/devices", "/tenant", "/branding",
            "/activity", f"/check?upn={quote(UPN)}"]  # fmt: skip
    urls += [f"/profiles/{i}" for i in ids(made, profiles)]
    urls += [f"/profiles/{i}/edit/basics" for i in ids(made, profiles)]
    urls += [f"/users/{i}" for i in ids(made, "/users")]
    urls += [f"/groups/{i}" for i in ids(made, "/groups")]
    urls += [f"/devices/{i}" for i in ids(made, "/deviceManagement/managedDevices")]
    urls += [f"/branding/{i}" for i in ids(made, "/deviceManagement/intuneBrandingProfiles")]
    for url in urls:
        guard.visit(admin + url)
    expect(guard.page.get_by_role("heading").first).to_be_visible()


def test_markup_typed_into_the_console_never_runs(guard: Guard, tenant):
    made = tenant({"company": "Contoso", "users": [{"upn": UPN, "password": PASSWORD}],
                   "groups": [{"name": "Staff", "members": [UPN]}]})  # fmt: skip
    page, admin = guard.page, made["adminUrl"].rstrip("/")

    guard.visit(f"{admin}/tenant")
    page.get_by_label("Company name", exact=True).fill(COMPANY)
    page.get_by_role("button", name="Save customization").click()
    guard.assert_clean()
    expect(page.get_by_label("Company name", exact=True)).to_have_value(COMPANY)

    guard.visit(f"{admin}/groups/new")
    page.get_by_label("Group name", exact=True).fill(hostile(0))
    page.get_by_label("Description", exact=True).fill(hostile(4))
    page.get_by_label("Group type", exact=True).select_option("device")
    page.get_by_label("Membership type", exact=True).select_option("dynamic")
    rule = page.get_by_label("Membership rule", exact=True)
    with page.expect_response(lambda response: "rule-preview" in response.url):
        rule.fill('(device.deviceModel -eq "x") <img src=x onerror=window.__xss=1>')
    guard.assert_clean()  # the live preview says where the rule breaks, as text
    rule.fill('(device.deviceModel -eq "</textarea><script>alert(1)</script>")')
    page.get_by_role("button", name="Create").click()
    guard.assert_clean()

    guard.visit(f"{admin}/branding/new")
    page.get_by_label("Profile name", exact=True).fill(hostile(1))
    page.get_by_label("Organization name", exact=True).fill(BRAND)
    page.get_by_label("Contact name", exact=True).fill(hostile(3))
    page.get_by_label("Additional information", exact=True).fill(hostile(4))
    page.get_by_label("Staff", exact=True).check()
    page.get_by_role("button", name="Create").click()
    guard.assert_clean()
    guard.visit(f"{admin}/branding")

    guard.visit(made["portalUrl"])
    sign_in(guard)


def test_reflected_markup_never_runs(guard: Guard, tenant):
    made = tenant({"company": "Contoso", "users": [{"upn": UPN, "password": PASSWORD}]})
    page, admin, portal = guard.page, made["adminUrl"].rstrip("/"), made["portalUrl"]
    base = portal.split("/t/")[0]

    guard.visit(portal)
    page.get_by_label("Email", exact=True).fill(f"a{hostile(1)}@contoso.com")
    page.get_by_label("Password", exact=True).fill(hostile(0))
    page.get_by_role("button", name="Sign in", exact=True).click()
    guard.assert_clean()
    expect(page.get_by_role("alert").first).to_be_visible()

    q = [quote(p, safe="") for p in PAYLOADS]
    urls = [
        f"{portal}?model={q[0]}&osVersion={q[1]}&serialNumber={q[2]}&imei={q[3]}"
        f"&authenticator={q[4]}",
        f"{portal}walk/{q[0]}",
        f"{admin}/devices?q={q[1]}&user={q[2]}&type={q[3]}&ownership={q[4]}&profile={q[0]}",
        f"{admin}/check?upn={q[2]}&serialNumber={q[3]}&imei={q[4]}&osVersion={q[0]}",
        f"{admin}/check?upn={quote(UPN)}&serialNumber={q[3]}&imei={q[4]}&osVersion={q[0]}",
        f"{admin}/activity?type={q[3]}&before={q[4]}",
        f"{admin}/users/{q[4]}",
        f"{admin}/groups/{q[0]}",
        f"{admin}/profiles/{q[1]}/edit/{q[2]}",
        f"{admin}/sign-in?next={q[1]}",
        f"{base}/t/{q[2]}/portal/",
        f"{base}/t/{q[3]}/admin/",
        f"{base}/{q[4]}",
        f"{base}/portal/{q[0]}",
        f"{admin}/groups/rule-preview?rule={q[1]}",  # JSON, shown as text
        f"{base}/beta/users/{q[2]}",  # Graph's JSON error
    ]
    for url in urls:
        guard.visit(url)
