"""Shared bits of the admin console's Flask-client tests."""

from __future__ import annotations

from tests.conftest import csrf_token
from tests.people import (
    ALEX,
    BYOD_USERS,
    CORPORATE_IPADS,
    MEGAN,
    PATTI,
    SALES,
    THREE_PROFILES,
)

SCENARIO = {
    "company": "Contoso",
    "users": [ALEX, MEGAN, PATTI],
    "groups": [BYOD_USERS, SALES, CORPORATE_IPADS],
    "profiles": THREE_PROFILES,
}


def admin_base(new_tenant, scenario: dict | None = None) -> str:
    made = new_tenant(SCENARIO if scenario is None else scenario)
    return f"/t/{made['id']}/admin"


def token(client, url: str) -> str:
    return csrf_token(client.get(url).data)


def text(response) -> str:
    return response.get_data(as_text=True)
