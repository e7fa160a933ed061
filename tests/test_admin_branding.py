"""The console's Customization page: list, create, edit, assign groups and delete branding
profiles, through the same rules as Graph (one default that can't be deleted, 25 others)."""

from __future__ import annotations

from html import unescape

import pytest

from app.directory import listing
from app.store import DEFAULT_BRANDING_ID, JournalEvent, Tenant, db
from tests.admin_helpers import SCENARIO, admin_base, text, token

FORM = {
    "profileName": "Sales branding",
    "profileDescription": "For sales",
    "displayName": "Contoso Sales",
    "themeColor": "#107c10",
    "showDisplayNameNextToLogo": "y",
    "contactITName": "Sales desk",
    "contactITPhoneNumber": "555 0100",
    "contactITEmailAddress": "desk@contoso.com",
    "onlineSupportSiteUrl": "https://help.contoso.com",
    "privacyUrl": "",
    "enrollmentAvailability": "unavailable",
}


@pytest.fixture
def base(new_tenant) -> str:
    return admin_base(new_tenant)


def group_ids(app, base: str) -> dict[str, str]:
    with app.app_context():
        tenant = db.session.get(Tenant, base.split("/")[2])
        return {grp.name: grp.id for grp in listing.groups(tenant.id)}


def create(client, app, base: str, **changes):
    data = {**FORM, "groups": [group_ids(app, base)["Sales"]], **changes}
    return client.post(
        f"{base}/branding/new", data={"csrf_token": token(client, f"{base}/branding/new"), **data}
    )


def test_the_nav_has_customization_and_the_page_lists_the_default(client, base):
    page = text(client.get(f"{base}/branding"))
    assert 'aria-current="page"' in page and ">Customization</a>" in page
    assert 'Default</a> <span class="badge">Default</span>' in page and "All users" in page


def test_create_stores_every_field_and_its_groups(app, client, base):
    response = create(client, app, base)
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Branding profile Sales branding created." in page
    with app.app_context():
        tenant = db.session.get(Tenant, base.split("/")[2])
        profile = next(p for p in tenant.branding_profiles if not p.is_default)
        assert (profile.display_name, profile.theme_color, profile.enrollment_availability) == (
            "Contoso Sales", "#107C10", "unavailable",
        )  # fmt: skip
        assert (profile.contact_it_name, profile.privacy_url) == ("Sales desk", None)
        assert [a.group_id for a in profile.assignments] == [group_ids(app, base)["Sales"]]
        assert db.session.query(JournalEvent).filter_by(type="admin.write").count() >= 1
    listed = text(client.get(f"{base}/branding"))
    assert "Sales branding" in listed and "Unavailable" in listed and "<td>Sales</td>" in listed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"profileName": ""}, "Enter a profile name."),
        ({"themeColor": "green"}, "Enter a color like #0078D4."),
        ({"privacyUrl": "contoso.com"}, "Give a URL that starts with https:// or http://."),
        ({"contactITEmailAddress": "desk"}, "Give an email address such as helpdesk@contoso.com."),
        ({"groups": ["not-a-group"]}, "No such group in this tenant."),
    ],
)
def test_bad_input_is_shown_under_its_field(app, client, base, changes, message):
    response = create(client, app, base, **changes)
    assert response.status_code == 422
    assert message in unescape(text(response))
    with app.app_context():
        assert len(db.session.get(Tenant, base.split("/")[2]).branding_profiles) == 1


def test_device_groups_are_not_offered(client, base):
    page = text(client.get(f"{base}/branding/new"))
    assert "Sales" in page and "Corporate iPads" not in page


def test_editing_the_default_changes_the_company_everywhere(app, client, base):
    url = f"{base}/branding/{DEFAULT_BRANDING_ID}"
    page = text(client.get(url))
    assert "Assignments" not in page and "Delete</a>" not in page
    data = {
        **FORM,
        "profileName": "Default",
        "displayName": "Fabrikam",
        "csrf_token": token(client, url),
    }
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Tenant, base.split("/")[2]).company == "Fabrikam"
    assert "Fabrikam" in text(client.get(f"{base}/tenant"))


def test_the_default_profile_cannot_be_deleted(client, base):
    url = f"{base}/branding/{DEFAULT_BRANDING_ID}/delete"
    assert client.get(url).status_code == 400
    assert (
        client.post(url, data={"csrf_token": token(client, f"{base}/branding/new")}).status_code
        == 400
    )


def test_delete_asks_then_deletes(app, client, base):
    location = create(client, app, base).headers["Location"]
    url = f"{location}/delete"
    assert "Delete branding profile" in text(client.get(url))
    response = client.post(url, data={"csrf_token": token(client, url)})
    assert response.status_code == 302
    assert "Branding profile Sales branding deleted." in text(
        client.get(response.headers["Location"])
    )


def test_the_25_profile_limit_hides_create_and_refuses(app, client, new_tenant):
    base = admin_base(
        new_tenant, {**SCENARIO, "brandingProfiles": [{"profileName": f"P{n}"} for n in range(25)]}
    )
    assert "+ Create profile" not in text(client.get(f"{base}/branding"))
    response = create(client, app, base)
    assert response.status_code == 422 and "at most 25" in text(response)
