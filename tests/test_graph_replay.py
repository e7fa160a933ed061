"""Replays of real Graph tools' requests (graph-api.md, "Fidelity with real Graph tools"), each
taken from the tool's source as cited, asserting the answer Microsoft Graph documents.

Only the host is changed: paths, casing, methods, headers and bodies are the tools' own.
"""

from __future__ import annotations

import pytest

from tests.graph_support import SCENARIO, Graph

DEVICES = "deviceManagement/managedDevices"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def call(graph: Graph, method: str, url: str, **kwargs):
    """`url` as the tool builds it after `https://graph.microsoft.com/` (version included)."""
    headers = {**graph.headers, **kwargs.pop("headers", {})}
    return graph.client.open(
        f"/t/{graph.tenant['id']}/{url}", method=method, headers=headers, **kwargs
    )


def megan(graph: Graph) -> tuple[str, str]:
    user = graph.id_of("/users", userPrincipalName="megan@contoso.com")
    return user, graph.id_of(f"/{DEVICES}", deviceName="Megan's iPad")


# microsoftgraph/powershell-intune-samples, ManagedDevices/Invoke_DeviceAction_Set.ps1:
# Get-AADUserDevices reads "beta/users/$UserID/managedDevices"; Invoke-DeviceAction posts to
# "Beta/deviceManagement/managedDevices/$DeviceID/<action>" (no body, no Content-Type), syncs
# "Beta/deviceManagement/managedDevices('$DeviceID')/syncDevice" and deletes
# "Beta/deviceManagement/managedDevices('$DeviceID')". Graph documents 204 No Content for each.
def test_intune_samples_invoke_device_action(graph):
    user, device = megan(graph)
    listed = call(graph, "GET", f"beta/users/{user}/managedDevices")
    assert listed.status_code == 200
    assert device in [d["id"] for d in listed.get_json()["value"]]
    for action in ("remoteLock", "resetPasscode"):
        response = call(graph, "POST", f"Beta/{DEVICES}/{device}/{action}")
        assert response.status_code == 204, (action, response.get_data(as_text=True))
        assert response.data == b""
    assert call(graph, "POST", f"Beta/{DEVICES}('{device}')/syncDevice").status_code == 204
    assert call(graph, "POST", f"Beta/{DEVICES}/{device}/retire").status_code == 204
    state = call(graph, "GET", f"Beta/{DEVICES}/{device}").get_json()["managementState"]
    assert state == "retirePending"
    assert call(graph, "DELETE", f"Beta/{DEVICES}('{device}')").status_code == 204
    assert call(graph, "GET", f"Beta/{DEVICES}/{device}").status_code == 404


# Same file, Invoke-DeviceAction -Wipe: POST "Beta/deviceManagement/managedDevices/$DeviceID/wipe"
# without a body; Graph answers 204 and the device shows wipePending.
def test_intune_samples_wipe(graph):
    _, device = megan(graph)
    assert call(graph, "POST", f"Beta/{DEVICES}/{device}/wipe").status_code == 204
    body = call(graph, "GET", f"beta/{DEVICES}/{device}").get_json()
    assert body["managementState"] == "wipePending"


# Micke-K/IntuneManagement, Extensions/MSGraph.psm1, Get-GraphBatchObjects and
# Invoke-GraphBatchRequest: POST "$batch" with up to 20 requests whose ids are numbers
# (`id = ($batchArr.Count + 1)`), each a GET with the header
# `Accept: application/json;odata.metadata=full`; the tool sorts `responses` by id and keeps
# those with a status below 300 and a body. Graph documents 200 with one response per request.
def test_intune_management_batch_export(graph):
    _, device = megan(graph)
    requests = [
        {
            "id": n + 1,
            "method": "GET",
            "url": url,
            "headers": {"Accept": "application/json;odata.metadata=full"},
        }
        for n, url in enumerate(
            [
                f"/{DEVICES}/{device}",
                "/deviceManagement/appleUserInitiatedEnrollmentProfiles",
                "/deviceManagement/importedDeviceIdentities",
            ]
        )
    ]
    response = call(graph, "POST", "beta/$batch", json={"requests": requests})
    assert response.status_code == 200
    answers = sorted(response.get_json()["responses"], key=lambda a: a["id"])
    assert [a["id"] for a in answers] == [1, 2, 3]
    assert all(a["status"] == 200 and a["body"] for a in answers)
    assert answers[0]["body"]["id"] == device


# Micke-K/IntuneManagement, Extensions/Documentation.psm1: a batch of {"id": "<FilterID>",
# "method": "GET", "url": "deviceManagement/assignmentFilters/<FilterID>?$select=displayName"}
# (a relative url without a leading slash). The simulator serves no assignment filters, so each
# answer is Graph's JSON 404 inside a 200 batch, never an HTML page or a failed batch.
def test_intune_management_documentation_batch(graph):
    ident = "5b5e3b5a-0d7e-4c68-9f0e-1d2f3a4b5c6d"
    request = {
        "id": ident,
        "method": "GET",
        "url": f"deviceManagement/assignmentFilters/{ident}?$select=displayName",
    }
    response = call(graph, "POST", "beta/$batch", json={"requests": [request]})
    assert response.status_code == 200
    [answer] = response.get_json()["responses"]
    assert answer["id"] == ident and answer["status"] == 404
    assert answer["body"]["error"]["code"] == "ResourceNotFound"


# microsoft/Microsoft365DSC, Modules/Microsoft365DSC/DSCResources/MSFT_AADUser/MSFT_AADUser.psm1,
# Set-TargetResource: New-MgUser @CreationParams (City, Country, Department, GivenName, JobTitle,
# MobilePhone, OfficeLocation, PostalCode, PreferredLanguage, State, StreetAddress, Surname,
# UsageLocation, UserType, PasswordProfile, AccountEnabled, MailNickName; the SDK sends them
# camelCase) is POST /v1.0/users,
# then Update-MgUser is PATCH /v1.0/users/{upn}. Graph documents 201 with the user, then 204.
def test_microsoft365dsc_aad_user(graph):
    params = {
        "city": "Redmond",
        "country": "US",
        "department": "Sales",
        "givenName": "Adele",
        "jobTitle": "Retail Manager",
        "mobilePhone": "+1 425 555 0109",
        "officeLocation": "18/2111",
        "postalCode": "98052",
        "preferredLanguage": "en-US",
        "state": "WA",
        "streetAddress": "3 Microsoft Way",
        "surname": "Vance",
        "usageLocation": "US",
        "userPrincipalName": "adelev@contoso.com",
        "userType": "Member",
    }
    body = {
        **params,
        "displayName": "Adele Vance",
        "passwordProfile": {"password": "Pass@word!11"},
        "accountEnabled": True,
        "mailNickname": "adelev",
    }
    created = call(graph, "POST", "v1.0/users", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["Location"].endswith(created.get_json()["id"])
    for name, value in params.items():
        assert created.get_json()[name] == value, name
    update = call(graph, "PATCH", "v1.0/users/adelev@contoso.com", json={"department": "Retail"})
    assert update.status_code == 204 and "Content-Type" not in update.headers
    user = call(graph, "GET", "v1.0/users/adelev@contoso.com").get_json()
    assert (user["department"], user["jobTitle"]) == ("Retail", "Retail Manager")


# The official msgraph-core batch request builder (msgraph_core/requests/batch_request_item.py)
# sends each request's absolute URL (`request_information.url`) and its body as a JSON object with
# its headers; tests/test_graph_sdk.py drives the real builder, this is the same request shape.
def test_sdk_batch_shape(graph):
    base = f"http://localhost/t/{graph.tenant['id']}/beta"
    request = {
        "id": "7f2c3a1e-3e6b-4d61-9d2c-0a8f0b1c2d3e",
        "method": "POST",
        "url": f"{base}/groups",
        "headers": {"content-type": "application/json"},
        "body": {
            "displayName": "SDK Group",
            "mailEnabled": False,
            "mailNickname": "sdk",
            "securityEnabled": True,
        },
        "depends_on": [],
    }
    response = call(graph, "POST", "beta/$batch", json={"requests": [request]})
    [answer] = response.get_json()["responses"]
    assert answer["status"] == 201
    assert answer["headers"]["Location"].endswith(f"/groups/{answer['body']['id']}")


# jseerden/IntuneBackupAndRestore, IntuneBackupAndRestore/Public/
# Invoke-IntuneBackupIntuneBrandingProfile.ps1 reads
# `Invoke-MgGraphRequest -Uri "Beta/deviceManagement/intuneBrandingProfiles"` and saves each
# profile; Invoke-IntuneRestoreIntuneBrandingProfile.ps1 POSTs each saved profile back to the same
# URI without `id, createdDateTime, lastModifiedDateTime, isDefaultProfile`. Graph answers 201 and
# the restored profile carries every property of the backup.
def test_intune_backup_and_restore_branding_round_trip(graph):
    original = {
        "profileName": "Retail stores",
        "profileDescription": "Kiosk iPads",
        "displayName": "Contoso Retail",
        "contactITName": "Retail IT",
        "contactITPhoneNumber": "+1 425 555 0100",
        "contactITEmailAddress": "retail-it@contoso.com",
        "contactITNotes": "Open 8-18",
        "onlineSupportSiteUrl": "https://support.contoso.com",
        "onlineSupportSiteName": "Contoso Support",
        "privacyUrl": "https://contoso.com/privacy",
        "themeColor": {"r": 0, "g": 120, "b": 212},
        "showLogo": True,
    }
    call(graph, "POST", "Beta/deviceManagement/intuneBrandingProfiles", json=original)
    backup = call(graph, "GET", "Beta/deviceManagement/intuneBrandingProfiles").get_json()
    saved = next(p for p in backup["value"] if p["profileName"] == "Retail stores")
    excluded = ("id", "createdDateTime", "lastModifiedDateTime", "isDefaultProfile")
    body = {k: v for k, v in saved.items() if k not in excluded}
    body["profileName"] = "Retail stores (restored)"
    restored = call(graph, "POST", "Beta/deviceManagement/intuneBrandingProfiles", json=body)
    assert restored.status_code == 201, restored.get_data(as_text=True)
    again = restored.get_json()
    for name, value in original.items():
        if name != "profileName":
            assert again[name] == value, name
