"""Enrollment type profiles (appleUserInitiatedEnrollmentProfile), setPriority and assignments.

Every change goes through app.profiles, the functions the console uses, so a profile created or
moved here is at the same priority in the console and applies in the Company Portal at once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import g
from pydantic import Field

from app import profiles as service
from app.db import db, iso, transaction
from app.graph import bp
from app.graph.bodies import Body, given, parse
from app.graph.errors import GraphError, bad_request, not_found
from app.graph.odata import Resource, collection, entity, journal
from app.models import EnrollmentProfile, Group, ProfileAssignment
from app.scenarios import GRAPH_ENROLLMENT_TYPES

PROFILE_TYPE = "#microsoft.graph.appleUserInitiatedEnrollmentProfile"
ASSIGNMENT_TYPE = "#microsoft.graph.appleEnrollmentProfileAssignment"
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
TARGETS = {
    "microsoft.graph.groupAssignmentTarget": "include",
    "microsoft.graph.exclusionGroupAssignmentTarget": "exclude",
    "microsoft.graph.allLicensedUsersAssignmentTarget": "allUsers",
}
TARGET_TYPES = {side: f"#{name}" for name, side in TARGETS.items()}
DEVICE_TARGETS = {"microsoft.graph.allDevicesAssignmentTarget"}

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
)
ASSIGNMENTS = Resource(
    "deviceManagement/appleUserInitiatedEnrollmentProfiles('{id}')/assignments",
    "microsoft.graph.appleEnrollmentProfileAssignment",
    ("id", "target"),
    {"id": str},
)

EnrollmentType = Literal[GRAPH_ENROLLMENT_TYPES]  # type: ignore[valid-type]
Name = Annotated[str, Field(min_length=1, max_length=256)]
Priority = Annotated[int, Field(ge=0, le=2**31 - 1)]


class EnrollmentOption(Body):
    ownerType: Literal["company", "personal"]
    enrollmentType: EnrollmentType


class ProfileCreate(Body):
    displayName: Name
    description: str = ""
    defaultEnrollmentType: EnrollmentType = "device"
    availableEnrollmentTypeOptions: list[EnrollmentOption] = []
    platform: Literal[PLATFORMS] = "iOS"  # type: ignore[valid-type]
    priority: Priority = None  # type: ignore[assignment]  # absent: at the end


class ProfileUpdate(Body):
    displayName: Name = None  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]
    defaultEnrollmentType: EnrollmentType = None  # type: ignore[assignment]
    availableEnrollmentTypeOptions: list[EnrollmentOption] = None  # type: ignore[assignment]
    platform: Literal[PLATFORMS] = None  # type: ignore[valid-type,assignment]
    priority: Priority = None  # type: ignore[assignment]


class SetPriority(Body):
    priority: Priority


class Target(Body):
    odata_type: str = Field(alias="@odata.type")
    groupId: str = None  # type: ignore[assignment]


class AssignmentBody(Body):
    target: Target


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
    return {
        "@odata.type": PROFILE_TYPE,
        "id": profile.id,
        "displayName": profile.name,
        "description": profile.description,
        "defaultEnrollmentType": profile.default_enrollment_type,
        "availableEnrollmentTypeOptions": options_json(profile.enrollment_type_options or []),
        "priority": profile.priority,
        "platform": profile.platform,
        "createdDateTime": iso(profile.created_at),
        "lastModifiedDateTime": iso(profile.modified_at),
    }


def assignment_json(assignment: ProfileAssignment) -> dict[str, Any]:
    target: dict[str, Any] = {
        "@odata.type": TARGET_TYPES[assignment.target],
        "deviceAndAppManagementAssignmentFilterId": None,
        "deviceAndAppManagementAssignmentFilterType": "none",
    }
    if assignment.target != "allUsers":
        target["groupId"] = assignment.group_id
    return {"@odata.type": ASSIGNMENT_TYPE, "id": assignment.id, "target": target}


def _profile(profile_id: str) -> EnrollmentProfile:
    profile = db.session.get(EnrollmentProfile, profile_id)
    if profile is None or profile.tenant_id != g.tenant.id:
        raise not_found("appleUserInitiatedEnrollmentProfile", profile_id)
    return profile


def _assignment(profile: EnrollmentProfile, assignment_id: str) -> ProfileAssignment:
    for assignment in profile.assignments:
        if assignment.id == assignment_id:
            return assignment
    raise not_found("assignment", assignment_id)


def _options(options: list[EnrollmentOption]) -> list[dict[str, str]]:
    owners = [o.ownerType for o in options]
    if len(set(owners)) != len(owners):
        raise bad_request("availableEnrollmentTypeOptions: each ownerType can be listed once.")
    return [
        {"@odata.type": OPTION_TYPE, "ownerType": o.ownerType, "enrollmentType": o.enrollmentType}
        for o in options
    ]


@bp.get("/deviceManagement/appleUserInitiatedEnrollmentProfiles")
def list_profiles():
    """The tenant's profiles, highest priority first."""
    return collection(PROFILES, [profile_json(p) for p in service.ordered(g.tenant.id)])


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


@bp.get("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>")
def get_profile(profile_id: str):
    """One profile."""
    return entity(PROFILES, profile_json(_profile(profile_id)))


@bp.patch("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>")
def update_profile(profile_id: str):
    """Change the properties the body gives; `priority` moves the profile like setPriority."""
    body = parse(ProfileUpdate)
    with transaction(g.tenant.id):
        profile = _profile(profile_id)
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


@bp.delete("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>")
def delete_profile(profile_id: str):
    """Delete a profile; the profiles below it move up one."""
    with transaction(g.tenant.id):
        profile = _profile(profile_id)
        journal("delete", "appleUserInitiatedEnrollmentProfile", profile.id, name=profile.name)
        service.remove(profile)
    return "", 204


@bp.post("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/setPriority")
def set_priority(profile_id: str):
    """Move a profile to priority N (0 = highest); the others are renumbered 0..n-1."""
    body = parse(SetPriority)
    with transaction(g.tenant.id):
        profile = _profile(profile_id)
        service.move(profile, body.priority)
        journal(
            "setPriority", "appleUserInitiatedEnrollmentProfile", profile.id, priority=body.priority
        )
    return "", 204


def _target(target: Target, profile: EnrollmentProfile) -> tuple[str, Group | None]:
    """Which side an assignment target is on and its group, refusing what can't be assigned."""
    name = target.odata_type.removeprefix("#")
    if name in DEVICE_TARGETS:
        raise bad_request(f"All devices can't be assigned. {service.DEVICE_GROUPS_REFUSED}")
    side = TARGETS.get(name)
    if side is None:
        allowed = ", ".join(f"#{t}" for t in TARGETS)
        raise bad_request(
            f"Invalid value '{target.odata_type}' for property 'target.@odata.type'; "
            f"allowed values: {allowed}."
        )
    if side == "allUsers":
        return side, None
    if target.groupId is None:
        raise bad_request(f"The property 'target.groupId' is required for {target.odata_type}.")
    group = db.session.get(Group, target.groupId)
    try:
        group = service.check_target_group(group, profile.tenant_id)
    except service.ProfileError as exc:
        message = exc.message
        if group is None or group.tenant_id != profile.tenant_id:
            message = f"No group with id '{target.groupId}' in this tenant."
        raise bad_request(f"target.groupId: {message}") from None
    return side, group


def _check_unique(
    profile: EnrollmentProfile, side: str, group: Group | None, skip: str = ""
) -> None:
    for other in profile.assignments:
        if other.id != skip and other.target == side and other.group_id == (group and group.id):
            what = "All users" if group is None else f"group '{group.name}'"
            raise GraphError(409, f"The profile already has this assignment ({what}).")


@bp.get("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments")
def list_assignments(profile_id: str):
    """A profile's assignments, in the order they were made."""
    profile = _profile(profile_id)
    resource = Resource(
        ASSIGNMENTS.entity_set.format(id=profile.id),
        ASSIGNMENTS.type_name,
        ASSIGNMENTS.properties,
        ASSIGNMENTS.filterable,
    )
    return collection(resource, [assignment_json(a) for a in profile.assignments])


@bp.post("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments")
def create_assignment(profile_id: str):
    """Assign a user group (included or excluded) or All users."""
    body = parse(AssignmentBody)
    with transaction(g.tenant.id):
        profile = _profile(profile_id)
        side, group = _target(body.target, profile)
        _check_unique(profile, side, group)
        position = max((a.position for a in profile.assignments), default=-1) + 1
        assignment = ProfileAssignment(target=side, group=group, position=position)
        profile.assignments.append(assignment)
        db.session.flush()
        journal(
            "assign",
            "appleUserInitiatedEnrollmentProfile",
            profile.id,
            target=side,
            groupId=group and group.id,
        )
    return _assignment_entity(profile, assignment), 201


def _assignment_entity(profile: EnrollmentProfile, assignment: ProfileAssignment) -> dict:
    where = ASSIGNMENTS.entity_set.format(id=profile.id)
    return entity(ASSIGNMENTS, assignment_json(assignment), entity_set=where)


@bp.get(
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments/<assignment_id>"
)
def get_assignment(profile_id: str, assignment_id: str):
    """One assignment."""
    profile = _profile(profile_id)
    return _assignment_entity(profile, _assignment(profile, assignment_id))


@bp.patch(
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments/<assignment_id>"
)
def update_assignment(profile_id: str, assignment_id: str):
    """Change an assignment's target."""
    body = parse(AssignmentBody)
    with transaction(g.tenant.id):
        profile = _profile(profile_id)
        assignment = _assignment(profile, assignment_id)
        side, group = _target(body.target, profile)
        _check_unique(profile, side, group, skip=assignment.id)
        assignment.target, assignment.group = side, group
        journal("updateAssignment", "appleUserInitiatedEnrollmentProfile", profile.id, target=side)
    return _assignment_entity(profile, assignment)


@bp.delete(
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments/<assignment_id>"
)
def delete_assignment(profile_id: str, assignment_id: str):
    """Remove one assignment."""
    with transaction(g.tenant.id):
        profile = _profile(profile_id)
        assignment = _assignment(profile, assignment_id)
        profile.assignments.remove(assignment)
        for position, other in enumerate(profile.assignments):
            other.position = position
        journal(
            "unassign", "appleUserInitiatedEnrollmentProfile", profile.id, assignment=assignment_id
        )
    return "", 204
