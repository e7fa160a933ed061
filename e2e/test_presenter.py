"""Presenter tools in a browser, at 1366x768 and 390x844: Export, Import (all or nothing, errors
by path) and Reset tenant; the landing page's demo users fill the sign-in; Check a user and a
device page open the portal ready for that user and device."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import Page, expect

from e2e.accessibility import violations
from e2e.pages.portal import PortalPage, profile, scenario

VIEWPORTS = [pytest.param((1366, 768), id="1366x768"), pytest.param((390, 844), id="390x844")]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_export_import_and_reset_the_tenant(page: Page, tenant, tmp_path, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    page.goto(made["adminUrl"] + "tenant")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export scenario").click()
    exported = yaml.safe_load(download.value.path().read_text(encoding="utf-8"))
    assert exported["company"] == "Contoso"
    assert [p["name"] for p in exported["profiles"]] == ["BYOD Choice"]

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**exported, "profiles": [{"name": "X", "colour": "red"}]}))
    page.get_by_label("Scenario file").set_input_files(bad)
    page.get_by_role("button", name="Import scenario").click()
    expect(page.get_by_text("profiles[0].colour: unknown key")).to_be_visible()
    expect(page.get_by_text("Nothing was imported.").first).to_be_visible()
    assert violations(page) == []

    good = tmp_path / "fabrikam.yaml"
    good.write_text(yaml.safe_dump({**exported, "company": "Fabrikam", "profiles": []}))
    page.get_by_label("Scenario file").set_input_files(good)
    page.get_by_role("button", name="Import scenario").click()
    expect(page.get_by_text("Scenario fabrikam.yaml imported")).to_be_visible()
    expect(page.get_by_role("heading", name="Tenant administration")).to_be_visible()
    expect(page.locator(".lede").first).to_contain_text("Fabrikam")

    page.get_by_label("Company name").fill("Changed by mistake")
    page.get_by_role("button", name="Save customization").click()
    expect(page.locator(".lede").first).to_contain_text("Changed by mistake")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset tenant").click()
    expect(
        page.get_by_text("Tenant reset to the scenario it was last loaded from.")
    ).to_be_visible()
    expect(page.locator(".lede").first).to_contain_text("Fabrikam")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]


def test_landing_page_users_fill_the_sign_in(page: Page, sim_url):
    page.goto(sim_url + "/")
    page.get_by_role("link", name="Alex Wilber").click()
    expect(page.get_by_label("Email")).to_have_value("alex@contoso.com")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()


def test_check_a_user_and_a_device_open_the_portal_ready(page: Page, tenant):
    made = tenant(scenario(profiles=[profile("BYOD Choice")], identifiers=("F2LXC0RP0001",)))
    page.goto(
        made["adminUrl"] + "check?upn=alex%40contoso.com&osVersion=16.4&serialNumber=C39LINK00001"
    )
    page.get_by_role("link", name="Open Company Portal as Alex Wilber").click()
    expect(page.get_by_label("Email")).to_have_value("alex@contoso.com")
    expect(page.get_by_label("Serial number")).to_have_value("C39LINK00001")
    expect(page.get_by_label("OS version")).to_have_value("16.4")

    portal = PortalPage(page, made).sign_in(serialNumber="F2LXC0RP0001", model="iPad").begin()
    portal.choose("Contoso owns this device").accept_privacy().allow_download()
    for name in ("Install", "Trust", "Done"):
        portal.button(name).click()
    page.goto(made["adminUrl"] + "devices")
    row = page.locator("table.grid tbody tr").first
    for cell in ("iPad", "iPadOS 17.5", "F2LXC0RP0001", "UTC"):
        expect(row).to_contain_text(cell)
    page.goto(made["adminUrl"] + "activity")
    page.get_by_label("User").select_option("alex@contoso.com")
    page.get_by_label("Type").select_option("portal.answer")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("table.activity tbody tr")).to_have_count(1)
    expect(page.locator("table.activity tbody tr")).to_contain_text("alex@contoso.com")
    page.goto(made["adminUrl"] + "devices")
    page.locator("table.grid tbody a").first.click()
    link = page.get_by_role("link", name="Open Company Portal with this device")
    link.click()
    expect(page.get_by_label("Email")).to_have_value("alex@contoso.com")
    expect(page.get_by_label("Serial number")).to_have_value("F2LXC0RP0001")
    expect(page.get_by_label("Model")).to_have_value("iPad")
