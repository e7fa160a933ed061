from playwright.sync_api import Page, expect


def test_portal_serves_a_tenant(page: Page, tenant):
    made = tenant({"company": "Fabrikam"})
    page.goto(made["portalUrl"])
    expect(page.locator("body")).to_contain_text("Company Portal")
