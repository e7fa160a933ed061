"""Assignments of enrollment type profiles (appleEnrollmentProfileAssignment): a user group
included or excluded, or All users. Device groups are refused with the console's message."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import g
from pydantic import Field

from app.directory import profiles as service
from app.graph.assignment_shape import (
    DEVICE_TARGETS,
    FILTER_ID,
    FILTER_TYPE,
    GUID,
    TARGETS,
    assignment_json,
)
from app.graph.blueprint import bp
from app.graph.bodies import Body, parse
from app.graph.errors import GraphError, bad_request, not_found
from app.graph.odata import Resource, collection, entity, journal
from app.graph.profiles import find_profile
from app.graph.versions import beta_only
from app.store import EnrollmentProfile, Group, ProfileAssignment, db, transaction

ASSIGNMENTS = Resource(
    "deviceManagement/appleUserInitiatedEnrollmentProfiles('{id}')/assignments",
    "microsoft.graph.appleEnrollmentProfileAssignment",
    ("id", "target"),
    {"id": str},
)


class Target(Body):
    odata_type: str = Field(alias="@odata.type")
    groupId: str = None  # type: ignore[assignment]
    deviceAndAppManagementAssignmentFilterId: Annotated[str, Field(pattern=GUID)] | None = None
    deviceAndAppManagementAssignmentFilterType: Literal["none", "include", "exclude"] = "none"

    def filter_properties(self) -> dict[str, str | None]:
        """The assignment filter as kept: Graph's two names, None when there is none."""
        kind = self.deviceAndAppManagementAssignmentFilterType
        if kind != "none" and not self.deviceAndAppManagementAssignmentFilterId:
            raise bad_request(
                "The property 'target.deviceAndAppManagementAssignmentFilterId' is required "
                f"when the filter type is '{kind}'."
            )
        return {
            FILTER_ID: self.deviceAndAppManagementAssignmentFilterId,
            FILTER_TYPE: None if kind == "none" else kind,
        }


class AssignmentBody(Body):
    target: Target


def _assignment(profile: EnrollmentProfile, assignment_id: str) -> ProfileAssignment:
    for assignment in profile.assignments:
        if assignment.id == assignment_id:
            return assignment
    raise not_found("assignment", assignment_id)


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


@beta_only
@bp.get("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments")
def list_assignments(profile_id: str):
    """A profile's assignments, in the order they were made."""
    profile = find_profile(profile_id)
    resource = Resource(
        ASSIGNMENTS.entity_set.format(id=profile.id),
        ASSIGNMENTS.type_name,
        ASSIGNMENTS.properties,
        ASSIGNMENTS.filterable,
    )
    return collection(resource, [assignment_json(a) for a in profile.assignments])


@beta_only
@bp.post("/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments")
def create_assignment(profile_id: str):
    """Assign a user group (included or excluded) or All users."""
    body = parse(AssignmentBody)
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        side, group = _target(body.target, profile)
        _check_unique(profile, side, group)
        position = max((a.position for a in profile.assignments), default=-1) + 1
        assignment = ProfileAssignment(target=side, group=group, position=position)
        assignment.keep_graph(body.target.filter_properties())
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


@beta_only
@bp.get(
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments/<assignment_id>"
)
def get_assignment(profile_id: str, assignment_id: str):
    """One assignment."""
    profile = find_profile(profile_id)
    return _assignment_entity(profile, _assignment(profile, assignment_id))


@beta_only
@bp.patch(
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments/<assignment_id>"
)
def update_assignment(profile_id: str, assignment_id: str):
    """Change an assignment's target."""
    body = parse(AssignmentBody)
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        assignment = _assignment(profile, assignment_id)
        side, group = _target(body.target, profile)
        _check_unique(profile, side, group, skip=assignment.id)
        assignment.target, assignment.group = side, group
        assignment.keep_graph(body.target.filter_properties())
        journal("updateAssignment", "appleUserInitiatedEnrollmentProfile", profile.id, target=side)
    return _assignment_entity(profile, assignment)


@beta_only
@bp.delete(
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles/<profile_id>/assignments/<assignment_id>"
)
def delete_assignment(profile_id: str, assignment_id: str):
    """Remove one assignment."""
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        assignment = _assignment(profile, assignment_id)
        profile.assignments.remove(assignment)
        for position, other in enumerate(profile.assignments):
            other.position = position
        journal(
            "unassign", "appleUserInitiatedEnrollmentProfile", profile.id, assignment=assignment_id
        )
    return "", 204
