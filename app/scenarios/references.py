"""A scenario document's references: every name it uses must exist (users in groups, groups
in assignments, devices in static device groups), checked after the schema, in document order.

A static device group's `members` name devices of the document's `devices` by one text: the
serialNumber of a device that has one, else the deviceName of a device without a serial number.
"""

from __future__ import annotations

from app.directory.profiles import DEVICE_GROUPS_REFUSED
from app.enrollment import rules
from app.enrollment.releases import repeated_owner
from app.scenarios.branding import branding_errors
from app.scenarios.schema import DeviceDoc, GroupDoc, ProfileDoc, ScenarioDoc
from app.store import CorporateIdentifier


def reference_errors(doc: ScenarioDoc) -> list[str]:
    """Every name the document refers to must exist: errors in document order."""
    errors: list[str] = []
    upns: set[str] = set()
    for i, user in enumerate(doc.users):
        key = user.upn.casefold()
        if key in upns:
            errors.append(f"users[{i}].upn: duplicate userPrincipalName '{user.upn}'")
        upns.add(key)
        if (user.password is None) == (user.passwordHash is None):
            errors.append(f"users[{i}]: give exactly one of password or passwordHash")
    kinds: dict[str, str] = {}
    devices = device_index(doc.devices)
    for i, group in enumerate(doc.groups):
        if group.name in kinds:
            errors.append(f"groups[{i}].name: duplicate group name '{group.name}'")
        kinds[group.name] = group.kind
        if group.kind == "device" and group.members and group.rule is not None:
            errors.append(
                f"groups[{i}].members: a dynamic device group's members come from its rule; "
                "give members or a rule, not both"
            )
        elif group.kind == "device":
            errors += _device_member_errors(i, group, devices)
        listed: set[str] = set()
        for j, member in enumerate(group.members if group.kind == "user" else []):
            if member.casefold() not in upns:
                errors.append(f"groups[{i}].members[{j}]: no user '{member}'")
            elif member.casefold() in listed:
                errors.append(f"groups[{i}].members[{j}]: '{member}' is listed twice")
            listed.add(member.casefold())
        if group.rule is not None:
            if group.kind == "user":
                errors.append(f"groups[{i}].rule: only device groups have a membership rule here")
            else:
                try:
                    rules.validate(group.rule)
                except rules.RuleError as exc:
                    errors.append(f"groups[{i}].rule: {exc}")
    for i, profile in enumerate(doc.profiles):
        errors += _option_errors(i, profile)
        for side in ("include", "exclude"):
            for j, name in enumerate(getattr(profile.assign, side)):
                where = f"profiles[{i}].assign.{side}[{j}]"
                if name.casefold() == "all":
                    if side == "exclude":
                        errors.append(f"{where}: All users can be included, not excluded")
                elif name not in kinds:
                    hint = " (write all for All users)" if name.casefold() == "all users" else ""
                    errors.append(f"{where}: no group named '{name}'{hint}")
                elif kinds[name] == "device":
                    errors.append(f"{where}: '{name}' is a device group. {DEVICE_GROUPS_REFUSED}")
    errors += branding_errors(doc, kinds)
    seen: set[tuple[str, str]] = set()
    for i, ident in enumerate(doc.corporateIdentifiers):
        key = (ident.type, CorporateIdentifier.key(ident.value))
        if key in seen:
            errors.append(
                f"corporateIdentifiers[{i}].value: duplicate {ident.type} '{ident.value}'"
            )
        seen.add(key)
    return errors


def device_index(devices: list[DeviceDoc]) -> dict[str, list[int]]:
    """What each static device group member can say, to the positions in `devices` of the
    devices it names: a serialNumber names the devices with it; a text that is no device's
    serial number names the devices without a serial number that have that deviceName."""
    index: dict[str, list[int]] = {}
    for n, d in enumerate(devices):
        if d.serialNumber:
            index.setdefault(d.serialNumber, []).append(n)
    by_name: dict[str, list[int]] = {}
    for n, d in enumerate(devices):
        if not d.serialNumber and d.deviceName not in index:
            by_name.setdefault(d.deviceName, []).append(n)
    return {**by_name, **index}


def _device_member_errors(i: int, group: GroupDoc, index: dict[str, list[int]]) -> list[str]:
    errors: list[str] = []
    listed: set[str] = set()
    for j, member in enumerate(group.members):
        where = f"groups[{i}].members[{j}]"
        if member in listed:
            errors.append(f"{where}: '{member}' is listed twice")
        elif member not in index:
            errors.append(
                f"{where}: no device with serialNumber '{member}' in devices "
                "(nor one without a serial number with that deviceName)"
            )
        listed.add(member)
    return errors


def _option_errors(i: int, profile: ProfileDoc) -> list[str]:
    if profile.enrollmentTypeOptions is None:
        return []
    errors: list[str] = []
    if "requireUserChoice" in profile.model_fields_set and not profile.requireUserChoice:
        errors.append(
            f"profiles[{i}].requireUserChoice: must be true or left out when "
            "enrollmentTypeOptions is given"
        )
    options = profile.enrollmentTypeOptions
    j = repeated_owner([(o.ownerType, o.enrollmentType) for o in options])
    if j is not None:
        errors.append(
            f"profiles[{i}].enrollmentTypeOptions[{j}].ownerType: "
            f"'{options[j].ownerType}' is listed twice"
        )
    return errors
