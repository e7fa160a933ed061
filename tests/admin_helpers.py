"""Shared bits of the admin console's Flask-client tests."""

from __future__ import annotations

from tests.conftest import csrf_token

SCENARIO = {
    "company": "Contoso",
    "users": [
        {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": "Passw0rd!"},
        {"upn": "megan@contoso.com", "displayName": "Megan Bowen", "password": "Passw0rd!"},
        {"upn": "patti@contoso.com", "displayName": "Patti Fernandez", "password": "Passw0rd!"},
    ],
    "groups": [
        {"name": "BYOD Users", "members": ["alex@contoso.com", "megan@contoso.com"]},
        {"name": "Sales", "members": ["megan@contoso.com"]},
        {"name": "Corporate iPads", "kind": "device"},
    ],
    "profiles": [
        {
            "name": "BYOD Choice",
            "description": "d",
            "requireUserChoice": True,
            "assign": {"include": ["BYOD Users"]},
        },
        {"name": "Sales UE", "description": "d", "assign": {"include": ["Sales"]}},
        {
            "name": "Corp DE",
            "description": "d",
            "defaultEnrollmentType": "device",
            "assign": {"include": ["all"]},
        },
    ],
}


def admin_base(new_tenant, scenario: dict | None = None) -> str:
    made = new_tenant(SCENARIO if scenario is None else scenario)
    return f"/t/{made['id']}/admin"


def token(client, url: str) -> str:
    return csrf_token(client.get(url).data)


def text(response) -> str:
    return response.get_data(as_text=True)
