"""Scenario pieces the Flask-client, Graph and browser suites share: the demo's people, groups
and the three-profile priority list, written once."""

from __future__ import annotations

from typing import Any

PASSWORD = "Passw0rd!"
ALEX = {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD}
MEGAN = {"upn": "megan@contoso.com", "displayName": "Megan Bowen", "password": PASSWORD}
NESTOR = {"upn": "nestor@contoso.com", "displayName": "Nestor Wilke", "password": PASSWORD}
PATTI = {"upn": "patti@contoso.com", "displayName": "Patti Fernandez", "password": PASSWORD}

BYOD_USERS = {"name": "BYOD Users", "members": ["alex@contoso.com", "megan@contoso.com"]}
SALES = {"name": "Sales", "members": ["megan@contoso.com"]}
CORPORATE_IPADS = {"name": "Corporate iPads", "kind": "device"}

# Priority 1 asks (BYOD Users), 2 is User Enrollment (Sales), 3 Device Enrollment for everyone.
THREE_PROFILES: list[dict[str, Any]] = [
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
]
