"""Enrollment type profiles (appleUserInitiatedEnrollmentProfile) and setPriority.

Every change goes through app.directory.profiles, the functions the console uses, so a profile
created or moved here is at the same priority in the console and applies in the Company Portal at
once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import g
from pydantic import Field

from app.directory import profiles as service
from app.enrollment.releases import repeated_owner
from app.graph.assignment_shape import assignment_json
from app.graph.blueprint import bp
from app.graph.bodies import Body, Description, given, parse
from app.graph.dates import seven_digits
from app.graph.errors import bad_request, not_found
from app.graph.odata import Resource, collection, entity, expansions, journal
from app.graph.versions import beta_only
from app.scenarios import GRAPH_ENROLLMENT_TYPES
from app.store import EnrollmentProfile, transaction
from app.tenancy import tenant_row

PROFILE_TYPE = "#microsoft.graph.appleUserInitiatedEnrollmentProfile"
OPTION_TYPE = "microsoft.graph.appleOwnerTypeEnrollmentType"
PLATFORMS = (
    "android",
    "androidForWork",
    "iOS",
    "macOS",
    "windowsPhone81",
    "windows81AndLater",
    "windows10AndLater",
    "androidWorkProfile",
    "unknown",
    "androidAOSP",
    "androidMobileApplicationManagement",
    "iOSMobileApplicationManagement",
    "unknownFutureValue",
    "windowsMobileApplicationManagement",
)
PROFILES = Resource(
    "deviceManagement/appleUserInitiatedEnrollmentProfiles",
    "microsoft.graph.appleUserInitiatedEnrollmentProfile",
    (
        "id",
        "displayName",
        "description",
        "defaultEnrollmentType",
        "availableEnrollmentTypeOptions",
        "priority",
        "platform",
        "createdDateTime",
        "lastModifiedDateTime",
    ),
    {
        "id": str,
        "displayName": str,
        "description": str,
        "defaultEnrollmentType": str,
        "platform": str,
        "priority": int,
    },
    expandable=frozenset({"assignments"}),
)
EnrollmentType = Literal[GRAPH_ENROLLMENT_TYPES]  # type: ignore[valid-type]
Name = Annotated[str, Field(min_length=1, max_length=256)]
Priority = Annotated[int, Field(ge=0, le=2**31 - 1)]


class EnrollmentOption(Body):
    ownerType: Literal["company", "personal"]
    enrollmentType: EnrollmentType


class ProfileCreate(Body):
    displayName: Name
    description: Description = ""
    defaultEnrollmentType: EnrollmentType = "device"
    availableEnrollmentTypeOptions: list[EnrollmentOption] = []
    platform: Literal[PLATFORMS] = "iOS"  # type: ignore[valid-type]
    priority: Priority = None  # type: ignore[assignment]  # absent: at the end


class ProfileUpdate(Body):
    displayName: Name = None  # type: ignore[assignment]
    description: Description = None  # type: ignore[assignment]
    defaultEnrollmentType: EnrollmentType = None  # type: ignore[assignment]
    availableEnrollmentTypeOptions: list[EnrollmentOption] = None  # type: ignore[assignment]
    platform: Literal[PLATFORMS] = None  # type: ignore[valid-type,assignment]
    priority: Priority = None  # type: ignore[assignment]


class SetPriority(Body):
    priority: Priority


def options_json(options: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        {
            "@odata.type": OPTION_TYPE,
            "ownerType": o["ownerType"],
            "enrollmentType": o["enrollmentType"],
        }
        for o in options
    ]


def profile_json(profile: EnrollmentProfile) -> dict[str, Any]:
    """The profile in Graph's JSON; with its assignments when `$expand=assignments` asks."""
    data = {
        "@odata.type": PROFILE_TYPE,
        "id": profile.id,
        "displayName": profile.name,
        "description": profile.description,
        "defaultEnrollmentType": profile.default_enrollment_type,
        "availableEnrollmentTypeOptions": options_json(profile.enrollment_type_options or []),
        "priority": profile.priority,
        "platform": profile.platform,
        "createdDateTime": seven_digits(profile.created_at),
        "lastModifiedDateTime": seven_digits(profile.modified_at),
    }
    if "assignments" in expansions(PROFILES):
        data["assignments"] = [assignment_json(a) for a in profile.assignments]
    return data


def find_profile(profile_id: str) -> EnrollmentProfile:
    profile = tenant_row(EnrollmentProfile, profile_id)
    if profile is None:
        raise not_found("appleUserInitiatedEnrollmentProfile", profile_id)
    return profile


def _options(options: list[EnrollmentOption]) -> list[dict[str, str]]:
    if repeated_owner([(o.ownerType, o.enrollmentType) for o in options]) is not None:
        raise bad_request("availableEnrollmentTypeOptions: each ownerType can be listed once.")
    return [
        {"@odata.type": OPTION_TYPE, "ownerType": o.ownerType, "enrollmentType": o.enrollmentType}
        for o in options
    ]


@beta_only
@bp.get("/deviceManagement/appleUserInitiatedEnrollmentProfiles")
def list_profiles():
    """The tenant's profiles, highest priority first."""
    return collection(PROFILES, [profile_json(p) for p in service.ordered(g.tenant.id)])


# <collection>/$count gets its own endpoint: a second rule of one endpoint would make werkzeug
# redirect the default tenant's URL (its rules carry defaults) to the other rule.
bp.add_url_rule(
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles/$count", "count_profiles", list_profiles
)


@beta_only
@bp.post("/deviceManagement/appleUserInitiatedEnrollmentProfiles")
def create_profile():
    """Create a profile at the end, or at `priority` when the body gives one."""
    body = parse(ProfileCreate)
    with transaction(g.tenant.id):
        profile = EnrollmentProfile(
            tenant_id=g.tenant.id,
            name=body.displayName,
            description=body.description,
            default_enrollment_type=body.defaultEnrollmentType,
            enrollment_type_options=_options(body.availableEnrollmentTypeOptions),
            platform=body.platform,
        )
        service.add(profile, body.priority)
        journal("create", "appleUserInitiatedEnrollmentProfile", profile.id, name=profile.name)
    return entity(PROFILES, profile_json(profile)), 201


@beta_only
@bp.get("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>")
def get_profile(profile_id: str):
    """One profile."""
    return entity(PROFILES, profile_json(find_profile(profile_id)))


@beta_only
@bp.patch("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>")
def update_profile(profile_id: str):
    """Change the properties the body gives; `priority` moves the profile like setPriority."""
    body = parse(ProfileUpdate)
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        if given(body, "displayName"):
            profile.name = body.displayName
        if given(body, "description"):
            profile.description = body.description
        if given(body, "defaultEnrollmentType"):
            profile.default_enrollment_type = body.defaultEnrollmentType
        if given(body, "availableEnrollmentTypeOptions"):
            profile.enrollment_type_options = _options(body.availableEnrollmentTypeOptions)
        if given(body, "platform"):
            profile.platform = body.platform
        if given(body, "priority"):
            service.move(profile, body.priority)
        journal(
            "update",
            "appleUserInitiatedEnrollmentProfile",
            profile.id,
            fields=sorted(body.model_fields_set),
        )
    return entity(PROFILES, profile_json(profile))


@beta_only
@bp.delete("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>")
def delete_profile(profile_id: str):
    """Delete a profile; the profiles below it move up one."""
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        journal("delete", "appleUserInitiatedEnrollmentProfile", profile.id, name=profile.name)
        service.remove(profile)
    return "", 204


@beta_only
@bp.post("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/setPriority")
def set_priority(profile_id: str):
    """Move a profile to priority N (0 = highest); the others are renumbered 0..n-1."""
    body = parse(SetPriority)
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        service.move(profile, body.priority)
        journal(
            "setPriority", "appleUserInitiatedEnrollmentProfile", profile.id, priority=body.priority
        )
    return "", 204
