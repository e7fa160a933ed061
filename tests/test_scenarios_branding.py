"""The `brandingProfiles` key of scenario documents: checked with the path of each bad value,
loaded through the same rules as Graph and the console, exported so it loads back equal."""

from __future__ import annotations

import pytest

from app.scenarios import ScenarioError, create_tenant, export, parse_document
from app.store import DEFAULT_BRANDING_ID, Tenant, db

BASE = {
    "company": "Contoso",
    "themeColor": "#C50F1F",
    "users": [{"upn": "alex@contoso.com", "password": "pw"}],
    "groups": [
        {"name": "Staff", "members": ["alex@contoso.com"]},
        {"name": "iPads", "kind": "device"},
    ],
}


def doc(*branding: dict) -> dict:
    return {**BASE, "brandingProfiles": list(branding)}


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"displayName": "X"}], "brandingProfiles[0].profileName: Field required"),
        ([{"profileName": "P", "colour": 1}], "brandingProfiles[0].colour: unknown key"),
        (
            [{"profileName": "P", "themeColor": {"r": 256, "g": 0, "b": 0}}],
            "brandingProfiles[0].themeColor.r: Input should be less than or equal to 255",
        ),
        (
            [{"profileName": "P", "enrollmentAvailability": "never"}],
            "brandingProfiles[0].enrollmentAvailability: 'never' is not one of",
        ),
        (
            [{"profileName": "P", "privacyUrl": "contoso.com"}],
            "brandingProfiles[0].privacyUrl: Value error, give a URL that starts with https://",
        ),
        (
            [{"profileName": "P", "assign": ["Nobody"]}],
            "brandingProfiles[0].assign[0]: no group named 'Nobody'",
        ),
        (
            [{"profileName": "P", "assign": ["iPads"]}],
            "brandingProfiles[0].assign[0]: 'iPads' is a device group",
        ),
        (
            [{"profileName": "P", "assign": ["Staff", "Staff"]}],
            "brandingProfiles[0].assign[1]: 'Staff' is listed twice",
        ),
        (
            [{"profileName": "D", "isDefaultProfile": True, "displayName": "X"}],
            "brandingProfiles[0].displayName: the default profile's displayName is the document's "
            "company",
        ),
        (
            [{"profileName": "D", "isDefaultProfile": True, "assign": ["Staff"]}],
            "brandingProfiles[0].assign: The default branding profile applies to every user",
        ),
        (
            [
                {"profileName": "A", "isDefaultProfile": True},
                {"profileName": "B", "isDefaultProfile": True},
            ],
            "brandingProfiles[1].isDefaultProfile: only one entry can describe the default profile",
        ),
        (
            [{"profileName": f"P{n}"} for n in range(26)],
            "brandingProfiles: 26 profiles; A tenant can have at most 25",
        ),
    ],
)
def test_bad_branding_says_what_and_where(entries, message):
    with pytest.raises(ScenarioError) as caught:
        parse_document(doc(*entries))
    assert message in caught.value.message


def test_the_default_profile_takes_the_documents_company_and_colour(app):
    with app.app_context():
        tenant = create_tenant(parse_document(doc()), "brand-default")
        (default,) = tenant.branding_profiles
        assert (default.id, default.display_name, default.theme_color) == (
            DEFAULT_BRANDING_ID,
            "Contoso",
            "#C50F1F",
        )
        assert "brandingProfiles" not in export(tenant)  # nothing beyond company and colour


def test_branding_loads_exports_and_loads_back_equal(app):
    entries = [
        {"profileName": "Default", "isDefaultProfile": True, "contactITName": "Helpdesk"},
        {
            "profileName": "Staff",
            "displayName": "Contoso Staff",
            "themeColor": {"r": 1, "g": 2, "b": 3},
            "enrollmentAvailability": "unavailable",
            "assign": ["Staff"],
        },
        {"profileName": "Unassigned", "showLogo": True},
    ]
    with app.app_context():
        first = export(create_tenant(parse_document(doc(*entries)), "brand-a"))
        assert first["brandingProfiles"] == [
            *entries[:2],
            {
                "profileName": "Unassigned",
                "displayName": "Contoso",  # a new profile starts with the company's name
                "themeColor": {"r": 197, "g": 15, "b": 31},
                "showLogo": True,
                "assign": [],
            },
        ]
        second = export(create_tenant(parse_document(first), "brand-b"))
        assert second == first
        staff = db.session.get(Tenant, "brand-b").branding_profiles[1]
        assert (staff.name, staff.enrollment_availability) == ("Staff", "unavailable")
        assert db.session.get(Tenant, "brand-b").default_branding.contact_it_name == "Helpdesk"


def test_reset_replaces_the_branding(app):
    from app.scenarios import reset_tenant

    with app.app_context():
        tenant = create_tenant(parse_document(doc({"profileName": "Old"})), "brand-reset")
        reset_tenant(tenant, parse_document({**BASE, "company": "Fabrikam"}))
        tenant = db.session.get(Tenant, "brand-reset")
        assert [(p.name, p.display_name) for p in tenant.branding_profiles] == [
            ("Default", "Fabrikam")
        ]
