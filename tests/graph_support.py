"""Helpers for the Graph API tests: a tenant made through the control API and a client that
calls its Graph base URL with its bearer token."""

from __future__ import annotations

from typing import Any

from tests.people import ALEX, BYOD_USERS, MEGAN, NESTOR

SCENARIO: dict[str, Any] = {
    "company": "Contoso",
    "users": [ALEX, MEGAN, NESTOR],
    "groups": [
        BYOD_USERS,
        {"name": "Contractors", "members": ["nestor@contoso.com"]},
        {
            "name": "BYOD Devices",
            "kind": "device",
            "rule": '(device.enrollmentProfileName -eq "BYOD Choice")',
        },
    ],
    "profiles": [
        {"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": ["BYOD Users"]}},
        {"name": "Everyone", "defaultEnrollmentType": "device", "assign": {"include": ["all"]}},
    ],
    "corporateIdentifiers": [{"type": "serialNumber", "value": "F2LXC0RP0001"}],
    "devices": [
        {
            "userPrincipalName": "alex@contoso.com",
            "deviceName": "Alex's iPhone",
            "osVersion": "17.4",
            "deviceEnrollmentType": "appleUserEnrollment",
            "enrollmentProfileName": "BYOD Choice",
            "managedDeviceOwnerType": "personal",
            "enrolledDateTime": "2026-01-01T10:00:00Z",
        },
        {
            "userPrincipalName": "megan@contoso.com",
            "deviceName": "Megan's iPad",
            "model": "iPad",
            "serialNumber": "F2LXC0RP0001",
            "deviceEnrollmentType": "userEnrollment",
            "enrollmentProfileName": "Everyone",
            "managedDeviceOwnerType": "company",
            "enrolledDateTime": "2026-01-02T10:00:00Z",
        },
        {
            "userPrincipalName": "megan@contoso.com",
            "deviceName": "Megan's iPhone",
            "deviceEnrollmentType": "appleUserEnrollment",
            "enrollmentProfileName": "BYOD Choice",
            "managedDeviceOwnerType": "personal",
            "enrolledDateTime": "2026-01-03T10:00:00Z",
        },
    ],
}


class Graph:
    """Calls one tenant's Graph API through the Flask test client."""

    def __init__(self, client, tenant: dict[str, Any]) -> None:
        self.client = client
        self.tenant = tenant
        self.base = f"/t/{tenant['id']}/beta"
        self.headers = {"Authorization": f"Bearer {tenant['token']}"}

    def call(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = dict(self.headers if token is None else {"Authorization": f"Bearer {token}"})
        headers.update(kwargs.pop("headers", {}))
        return self.client.open(f"{self.base}{path}", method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.call("POST", path, **kwargs)

    def patch(self, path: str, **kwargs):
        return self.call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.call("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def values(self, path: str) -> list[dict[str, Any]]:
        return self.ok("GET", path)["value"]

    def id_of(self, path: str, **match: Any) -> str:
        for item in self.values(path):
            if all(item.get(k) == v for k, v in match.items()):
                return item["id"]
        raise AssertionError(f"nothing at {path} matches {match}")


def assert_graph_error(response, status: int, code: str, *words: str) -> dict[str, Any]:
    """The response is Graph's error shape with this status and code, and says `words`."""
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}
    for word in words:
        assert word in error["message"], error["message"]
    return error
