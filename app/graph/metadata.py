"""`/$metadata`: the CSDL document of what the simulator serves, anonymous as in Graph.

It is generated from the definitions the API itself uses: each resource's property list (the one
`$select` checks), the version gate of its views (a beta-only resource is absent from v1.0's
document), the device actions registered, and Microsoft's EDM types (app/graph/schema). Types are
declared as Graph declares them — `entity` with the key, `directoryObject` under it, users and
groups under that — so tools that read metadata find the names they look for.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache

from flask import Response, current_app

from app.directory.device_actions import ACTIONS as DEVICE_ACTIONS
from app.graph import branding, devices, groups, identities, profiles, schema, tenant, users
from app.graph.assignments import ASSIGNMENTS as PROFILE_ASSIGNMENTS
from app.graph.blueprint import bp
from app.graph.errors import anonymous
from app.graph.odata import Resource
from app.graph.schema import beta_types
from app.graph.versions import BETA, V1, version

EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"
DIRECTORY_TYPES = {"user", "group"}


@dataclass(frozen=True)
class Served:
    """One entity type the API serves: its resource, the view whose version gate it shares, and
    its navigation properties (name -> (type, is a collection))."""

    resource: Resource
    endpoint: str
    navigation: tuple[tuple[str, str, bool], ...] = ()

    @property
    def name(self) -> str:
        return self.resource.type_name.removeprefix("microsoft.graph.")


SERVED = (
    Served(
        users.USERS,
        "list_users",
        (
            ("memberOf", "directoryObject", True),
            ("managedDevices", "managedDevice", True),
        ),
    ),
    Served(groups.GROUPS, "list_groups", (("members", "directoryObject", True),)),
    Served(tenant.ORGANIZATION, "list_organization"),
    Served(
        tenant.DEVICE_MANAGEMENT,
        "get_device_management",
        (
            ("managedDevices", "managedDevice", True),
            ("appleUserInitiatedEnrollmentProfiles", "appleUserInitiatedEnrollmentProfile", True),
            ("importedDeviceIdentities", "importedDeviceIdentity", True),
            ("intuneBrandingProfiles", "intuneBrandingProfile", True),
            ("applePushNotificationCertificate", "applePushNotificationCertificate", False),
        ),
    ),
    Served(devices.DEVICES, "list_devices"),
    Served(
        profiles.PROFILES,
        "list_profiles",
        (("assignments", "appleEnrollmentProfileAssignment", True),),
    ),
    Served(PROFILE_ASSIGNMENTS, "list_assignments"),
    Served(identities.IDENTITIES, "list_identities"),
    Served(tenant.APNS, "get_apns"),
    Served(
        branding.PROFILES,
        "list_branding_profiles",
        (("assignments", "intuneBrandingProfileAssignment", True),),
    ),
    Served(branding.ASSIGNMENTS, "list_branding_assignments"),
)
ENTITY_SETS = (("users", "user"), ("groups", "group"), ("organization", "organization"))
SINGLETONS = (("deviceManagement", "deviceManagement"),)


def _in_version(served: Served, ver: str) -> bool:
    if ver == BETA:
        return True
    view = current_app.view_functions.get(f"graph.{served.endpoint}")
    return view is not None and not getattr(view, "graph_beta_only", False)


def edm_type(type_name: str, prop: str, ver: str) -> str:
    """A property's EDM type: Microsoft's v1.0 type, else the beta one, else by its shape."""
    known = schema.v1_types(type_name) if schema.v1_properties(type_name) is not None else {}
    edm = known.get(prop) or beta_types.PROPERTY_TYPES.get(type_name, {}).get(prop)
    if edm:
        return edm.replace("graph.", "microsoft.graph.")
    if prop.endswith("DateTime"):
        return "Edm.DateTimeOffset"
    return "Edm.Boolean" if prop.startswith(beta_types.BOOLEAN_PREFIXES) else "Edm.String"


def _properties(served: Served, ver: str) -> list[str]:
    names = [p for p in served.resource.properties if p != "id"]
    v1 = schema.v1_properties(served.name)
    if ver == V1 and v1 is not None:
        names = [p for p in names if p in v1 or p.startswith("enrollmentSimulator")]
    return names


def _referenced(edm: str) -> str | None:
    inner = edm.removeprefix("Collection(").removesuffix(")")
    return inner.removeprefix("microsoft.graph.") if inner.startswith("microsoft.graph.") else None


def _enum_members(name: str, ver: str) -> tuple[str, ...] | None:
    if name in schema.known_enums():
        return schema.enum_members(name, ver) or schema.enum_members(name)
    return beta_types.ENUM_MEMBERS.get(name)


def _complex_properties(name: str) -> dict[str, str]:
    if name in beta_types.COMPLEX_TYPES:
        return dict(beta_types.COMPLEX_TYPES[name])
    try:
        return {p: "" for p in schema.complex_properties(name)}
    except KeyError:
        return {}


def _add_type_declarations(root: ET.Element, referenced: set[str], ver: str) -> None:
    done: set[str] = set()
    pending = sorted(referenced | set(beta_types.DERIVED_COMPLEX))
    while pending:
        name = pending.pop()
        if name in done:
            continue
        done.add(name)
        members = _enum_members(name, ver)
        if members is not None:
            enum = ET.SubElement(root, f"{{{EDM}}}EnumType", Name=name)
            for value, member in enumerate(members):
                ET.SubElement(enum, f"{{{EDM}}}Member", Name=member, Value=str(value))
            continue
        attrs = {"Name": name, "OpenType": "true"}
        if name in beta_types.DERIVED_COMPLEX:
            attrs["BaseType"] = f"microsoft.graph.{beta_types.DERIVED_COMPLEX[name]}"
            pending.append(beta_types.DERIVED_COMPLEX[name])
        node = ET.SubElement(root, f"{{{EDM}}}ComplexType", attrs)
        for prop, edm in _complex_properties(name).items():
            edm = (edm or "Edm.String").replace("graph.", "microsoft.graph.")
            ET.SubElement(node, f"{{{EDM}}}Property", Name=prop, Type=edm)
            ref = _referenced(edm)
            if ref and ref not in done:
                pending.append(ref)


def _entity(root: ET.Element, name: str, base: str | None, abstract: bool = False) -> ET.Element:
    attrs = {"Name": name}
    if base:
        attrs["BaseType"] = f"microsoft.graph.{base}"
    if abstract:
        attrs["Abstract"] = "true"
    return ET.SubElement(root, f"{{{EDM}}}EntityType", attrs)


def _schema(ver: str) -> ET.Element:
    root = ET.Element(f"{{{EDM}}}Schema", Namespace="microsoft.graph", Alias="graph")
    entity = _entity(root, "entity", None, abstract=True)
    key = ET.SubElement(entity, f"{{{EDM}}}Key")
    ET.SubElement(key, f"{{{EDM}}}PropertyRef", Name="id")
    ET.SubElement(entity, f"{{{EDM}}}Property", Name="id", Type="Edm.String", Nullable="false")
    _entity(root, "directoryObject", "entity")
    served = [s for s in SERVED if _in_version(s, ver)]
    names = {s.name for s in served}
    referenced: set[str] = set()
    for item in served:
        base = "directoryObject" if item.name in DIRECTORY_TYPES else "entity"
        node = _entity(root, item.name, base)
        for prop in _properties(item, ver):
            edm = edm_type(item.name, prop, ver)
            ET.SubElement(node, f"{{{EDM}}}Property", Name=prop, Type=edm)
            if (ref := _referenced(edm)) and ref not in names:
                referenced.add(ref)
        for nav, target, many in item.navigation:
            if target not in names and target != "directoryObject":
                continue
            kind = f"Collection(microsoft.graph.{target})" if many else f"microsoft.graph.{target}"
            attrs = {"Name": nav, "Type": kind}
            if item.name in ("deviceManagement", "appleUserInitiatedEnrollmentProfile"):
                attrs["ContainsTarget"] = "true"
            ET.SubElement(node, f"{{{EDM}}}NavigationProperty", attrs)
    _add_type_declarations(root, referenced, ver)
    _actions(root, names)
    _container(root, names)
    return root


def _bound_action(root: ET.Element, name: str, binding: str, **parameters: str) -> None:
    action = ET.SubElement(root, f"{{{EDM}}}Action", Name=name, IsBound="true")
    ET.SubElement(action, f"{{{EDM}}}Parameter", Name="bindingParameter", Type=binding)
    for parameter, edm in parameters.items():
        ET.SubElement(action, f"{{{EDM}}}Parameter", Name=parameter, Type=edm)


def _actions(root: ET.Element, names: set[str]) -> None:
    for action in sorted(DEVICE_ACTIONS):
        extra = {"keepEnrollmentData": "Edm.Boolean", "keepUserData": "Edm.Boolean"}
        _bound_action(
            root, action, "microsoft.graph.managedDevice", **(extra if action == "wipe" else {})
        )
    if "appleUserInitiatedEnrollmentProfile" in names:
        binding = "microsoft.graph.appleUserInitiatedEnrollmentProfile"
        _bound_action(root, "setPriority", binding, priority="Edm.Int32")
    _bound_action(root, "setMobileDeviceManagementAuthority", "microsoft.graph.organization")


def _container(root: ET.Element, names: set[str]) -> None:
    container = ET.SubElement(root, f"{{{EDM}}}EntityContainer", Name="GraphService")
    for set_name, type_name in ENTITY_SETS:
        if type_name in names:
            ET.SubElement(
                container,
                f"{{{EDM}}}EntitySet",
                Name=set_name,
                EntityType=f"microsoft.graph.{type_name}",
            )
    for single, type_name in SINGLETONS:
        ET.SubElement(
            container, f"{{{EDM}}}Singleton", Name=single, Type=f"microsoft.graph.{type_name}"
        )


@cache
def _document(app_id: int, ver: str) -> bytes:
    ET.register_namespace("edmx", EDMX)
    ET.register_namespace("", EDM)
    edmx = ET.Element(f"{{{EDMX}}}Edmx", Version="4.0")
    services = ET.SubElement(edmx, f"{{{EDMX}}}DataServices")
    services.append(_schema(ver))
    return ET.tostring(edmx, encoding="utf-8", xml_declaration=True)


@anonymous
@bp.get("/$metadata")
def metadata():
    """The CSDL document of this version (no token needed, as in Graph)."""
    body = _document(id(current_app._get_current_object()), version())
    return Response(body, mimetype="application/xml")
