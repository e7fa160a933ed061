"""Rebuild graph-types.json from Microsoft's published Graph metadata (microsoftgraph/msgraph-
metadata): `python -m app.graph.schema.extract <v1.0 cleanMetadata.xml> <schemas/type-mappings>`.

It keeps, for the types the simulator serves, the beta property names, the v1.0 property names
with their EDM types, and the members of their enums in both versions, so a version is a view
computed from Microsoft's own lists rather than from a copy typed by hand.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TYPES = (
    "user",
    "group",
    "organization",
    "device",
    "managedDevice",
    "importedDeviceIdentity",
    "applePushNotificationCertificate",
    "appleUserInitiatedEnrollmentProfile",
    "appleEnrollmentProfileAssignment",
    "deviceManagement",
)
COMPLEX = (
    "hardwareInformation",
    "deviceActionResult",
    "configurationManagerClientEnabledFeatures",
    "intuneBrand",
)
NS = {"edm": "http://docs.oasis-open.org/odata/ns/edm"}


def extract(v1_xml: Path, mappings: Path) -> dict:
    root = next(
        schema
        for schema in ET.parse(v1_xml).getroot().iter(f"{{{NS['edm']}}}Schema")
        if schema.get("Namespace") == "microsoft.graph"
    )
    v1_entities = {
        node.get("Name"): {p.get("Name"): p.get("Type") for p in node.findall("edm:Property", NS)}
        for node in root.iter(f"{{{NS['edm']}}}EntityType")
    }
    v1_complex = {
        node.get("Name"): {p.get("Name"): p.get("Type") for p in node.findall("edm:Property", NS)}
        for node in root.iter(f"{{{NS['edm']}}}ComplexType")
    }
    v1_enums = {
        node.get("Name"): [m.get("Name") for m in node.findall("edm:Member", NS)]
        for node in root.iter(f"{{{NS['edm']}}}EnumType")
    }
    beta_entities = json.loads((mappings / "beta-entity-types.json").read_text())["microsoft.graph"]
    beta_complex = json.loads((mappings / "beta-complex-types.json").read_text())["microsoft.graph"]
    beta_enums = json.loads((mappings / "beta-enum-types.json").read_text())["microsoft.graph"]
    out: dict = {"entities": {}, "complex": {}, "enums": {}}
    used: set[str] = set()
    for name in TYPES:
        v1 = v1_entities.get(name)
        out["entities"][name] = {
            "beta": ["id", *beta_entities.get(name, {}).get("properties", [])],
            "v1": {"id": "Edm.String", **v1} if v1 is not None else None,
        }
        used.update(t.removeprefix("graph.") for t in (v1 or {}).values())
    for name in COMPLEX:
        out["complex"][name] = {
            "beta": beta_complex.get(name, {}).get("properties", []),
            "v1": v1_complex.get(name),
        }
    for name in sorted(set(beta_enums) & (used | {"deviceType", "joinType", "chassisType"})):
        out["enums"][name] = {"beta": beta_enums[name], "v1": v1_enums.get(name)}
    return out


if __name__ == "__main__":
    data = extract(Path(sys.argv[1]), Path(sys.argv[2]))
    target = Path(__file__).with_name("graph-types.json")
    target.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
