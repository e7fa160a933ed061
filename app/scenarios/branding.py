"""The optional `brandingProfiles` key of a scenario document: its checks, loading and export.

Each entry carries Graph's property names (`profileName`, `themeColor: {r, g, b}`, `contactITName`,
...) and `assign: [user group names]`. The tenant's default profile takes its `displayName` and
`themeColor` from the document's `company` and `themeColor`; an entry with
`isDefaultProfile: true` gives the default profile's other properties (export writes one only
when they differ from a new tenant's). Entries load in document order, so the oldest profile
(the one that wins when a user's groups have several) stays the oldest through a round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from app.directory import branding as service
from app.directory import branding_fields as fields
from app.scenarios.schema import BrandingProfileDoc, ScenarioDoc
from app.store import MAX_CUSTOM_PROFILES, Tenant, db
from app.store.branding import DEFAULT_BRANDING_NAME

FROM_DOCUMENT = {"displayName": "company", "themeColor": "themeColor"}


def branding_errors(doc: ScenarioDoc, group_kinds: dict[str, str]) -> list[str]:
    """The rules of the key: one default entry at most, which takes its name and colour from the
    document and is not assigned; at most 25 others; assigned groups exist and hold users."""
    errors: list[str] = []
    defaults = [i for i, p in enumerate(doc.brandingProfiles) if p.isDefaultProfile]
    for i in defaults[1:]:
        errors.append(
            f"brandingProfiles[{i}].isDefaultProfile: only one entry can describe the default "
            "profile"
        )
    custom = len(doc.brandingProfiles) - len(defaults)
    if custom > MAX_CUSTOM_PROFILES:
        errors.append(f"brandingProfiles: {custom} profiles; {service.TOO_MANY}")
    for i, profile in enumerate(doc.brandingProfiles):
        given = profile.model_fields_set
        if profile.isDefaultProfile:
            for name, key in FROM_DOCUMENT.items():
                if name in given:
                    errors.append(
                        f"brandingProfiles[{i}].{name}: the default profile's {name} is the "
                        f"document's {key}; set it there"
                    )
            if profile.assign:
                errors.append(f"brandingProfiles[{i}].assign: {service.DEFAULT_UNASSIGNABLE}")
        for j, name in enumerate(profile.assign):
            where = f"brandingProfiles[{i}].assign[{j}]"
            if name not in group_kinds:
                errors.append(f"{where}: no group named '{name}'")
            elif group_kinds[name] == "device":
                errors.append(f"{where}: '{name}' is a device group; assign user groups")
            elif name in profile.assign[:j]:
                errors.append(f"{where}: '{name}' is listed twice")
    return errors


def _changes(entry: BrandingProfileDoc) -> dict[str, Any]:
    return entry.model_dump(exclude_unset=True, exclude={"isDefaultProfile", "assign"}, mode="json")


def load_branding(
    tenant: Tenant, doc: ScenarioDoc, group_ids: dict[str, str], stamps: Iterator[datetime]
) -> None:
    """Write the document's branding profiles, after its groups, inside the caller's transaction."""
    for entry in doc.brandingProfiles:
        changes = _changes(entry)
        if entry.isDefaultProfile:
            service.update(tenant.default_branding, changes)
            continue
        profile = service.create(tenant, changes)
        profile.created_at = profile.modified_at = next(stamps)
        service.assign(profile, [service.Target(group_ids[name]) for name in entry.assign])
    db.session.flush()


def export_branding(tenant: Tenant) -> list[dict[str, Any]]:
    """The tenant's branding profiles as the document's entries, oldest first."""
    entries = []
    for profile in service.ordered(tenant):
        values = fields.changed_values(profile)
        name = values.pop("profileName")
        if profile.is_default:
            for key in FROM_DOCUMENT:
                values.pop(key)
            if not values and name == DEFAULT_BRANDING_NAME:
                continue
            entries.append({"profileName": name, "isDefaultProfile": True, **values})
        else:
            assign = service.group_names_of(profile)
            entries.append({"profileName": name, **values, "assign": assign})
    return entries
