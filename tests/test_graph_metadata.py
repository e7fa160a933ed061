"""`/$metadata` (graph-api.md, "Fidelity with real Graph tools"): an anonymous CSDL document of the
types, properties and entity sets the simulator serves, generated from the API's own definitions
and typed as Microsoft's published metadata types them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.graph import schema
from app.graph.devices import DEVICES
from app.graph.users import USERS

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"


def document(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/xml"
    return ET.fromstring(response.data)


def types(root: ET.Element, kind: str = "EntityType") -> dict[str, ET.Element]:
    return {node.get("Name"): node for node in root.iter(f"{EDM}{kind}")}


def properties(node: ET.Element) -> dict[str, str]:
    return {p.get("Name"): p.get("Type") for p in node.findall(f"{EDM}Property")}


@pytest.mark.parametrize("path", ["/beta/$metadata", "/v1.0/$metadata", "/Beta/$METADATA"])
def test_metadata_is_anonymous_csdl(client, path):
    root = document(client, path)
    assert root.tag == "{http://docs.oasis-open.org/odata/ns/edmx}Edmx"
    assert root.get("Version") == "4.0"
    [graph_schema] = root.iter(f"{EDM}Schema")
    assert graph_schema.get("Namespace") == "microsoft.graph"


def test_a_tenants_metadata_too_and_an_unknown_tenant_is_404(client, new_tenant):
    tenant = new_tenant({"company": "Fabrikam"})
    document(client, f"/t/{tenant['id']}/beta/$metadata")
    assert client.get("/t/nope/beta/$metadata").status_code == 404


def test_served_properties_are_declared(client):
    entity_types = types(document(client, "/beta/$metadata"))
    user = properties(entity_types["user"])
    assert set(user) == set(USERS.properties) - {"id"}
    device = properties(entity_types["managedDevice"])
    assert set(device) == set(DEVICES.properties) - {"id"}
    assert device["lastSyncDateTime"] == "Edm.DateTimeOffset"
    assert device["hardwareInformation"] == "microsoft.graph.hardwareInformation"
    assert entity_types["user"].get("BaseType") == "microsoft.graph.directoryObject"
    key = entity_types["entity"].find(f"{EDM}Key/{EDM}PropertyRef")
    assert key.get("Name") == "id"


def test_types_match_microsofts_v1_metadata(client):
    entity_types = types(document(client, "/v1.0/$metadata"))
    for name in ("user", "group", "managedDevice", "organization"):
        published = schema.v1_types(name)
        for prop, edm in properties(entity_types[name]).items():
            if prop.startswith("enrollmentSimulator"):
                continue
            assert edm == published[prop].replace("graph.", "microsoft.graph."), (name, prop)


def test_v1_has_v1_property_sets_and_no_beta_only_resources(client):
    v1 = types(document(client, "/v1.0/$metadata"))
    beta = types(document(client, "/beta/$metadata"))
    assert "appleUserInitiatedEnrollmentProfile" in beta
    assert "appleUserInitiatedEnrollmentProfile" not in v1
    assert "joinType" in properties(beta["managedDevice"])
    assert "joinType" not in properties(v1["managedDevice"])
    assert set(properties(v1["managedDevice"])) <= set(schema.v1_properties("managedDevice"))


def test_every_referenced_type_is_declared(client):
    root = document(client, "/beta/$metadata")
    declared = {
        f"microsoft.graph.{node.get('Name')}"
        for kind in ("EntityType", "ComplexType", "EnumType")
        for node in root.iter(f"{EDM}{kind}")
    }
    for node in root.iter():
        for attr in ("Type", "BaseType", "EntityType"):
            value = node.get(attr, "")
            inner = value.removeprefix("Collection(").removesuffix(")")
            if inner.startswith("microsoft.graph."):
                assert inner in declared, (node.get("Name"), value)


def test_entity_sets_singleton_navigation_and_actions(client):
    root = document(client, "/beta/$metadata")
    [container] = root.iter(f"{EDM}EntityContainer")
    sets = {n.get("Name"): n.get("EntityType") for n in container.findall(f"{EDM}EntitySet")}
    assert sets["users"] == "microsoft.graph.user"
    assert sets["groups"] == "microsoft.graph.group"
    [single] = container.findall(f"{EDM}Singleton")
    assert (single.get("Name"), single.get("Type")) == (
        "deviceManagement",
        "microsoft.graph.deviceManagement",
    )
    navigation = {
        n.get("Name") for n in types(root)["deviceManagement"].findall(f"{EDM}NavigationProperty")
    }
    assert {"managedDevices", "appleUserInitiatedEnrollmentProfiles"} <= navigation
    actions = {
        (a.get("Name"), a.find(f"{EDM}Parameter").get("Type")) for a in root.iter(f"{EDM}Action")
    }
    assert ("syncDevice", "microsoft.graph.managedDevice") in actions
    assert ("setPriority", "microsoft.graph.appleUserInitiatedEnrollmentProfile") in actions
    members = [m.get("Name") for m in types(root, "EnumType")["joinType"].findall(f"{EDM}Member")]
    assert "azureADRegistered" in members
