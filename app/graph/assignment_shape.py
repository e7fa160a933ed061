"""An assignment of an enrollment type profile in Graph's JSON (appleEnrollmentProfileAssignment):
shared by the assignments collection and a profile's `$expand=assignments`."""

from __future__ import annotations

from typing import Any

from app.store import ProfileAssignment

ASSIGNMENT_TYPE = "#microsoft.graph.appleEnrollmentProfileAssignment"
TARGETS = {
    "microsoft.graph.groupAssignmentTarget": "include",
    "microsoft.graph.exclusionGroupAssignmentTarget": "exclude",
    "microsoft.graph.allLicensedUsersAssignmentTarget": "allUsers",
}
TARGET_TYPES = {side: f"#{name}" for name, side in TARGETS.items()}
DEVICE_TARGETS = {"microsoft.graph.allDevicesAssignmentTarget"}


def assignment_json(assignment: ProfileAssignment) -> dict[str, Any]:
    target: dict[str, Any] = {
        "@odata.type": TARGET_TYPES[assignment.target],
        "deviceAndAppManagementAssignmentFilterId": None,
        "deviceAndAppManagementAssignmentFilterType": "none",
    }
    if assignment.target != "allUsers":
        target["groupId"] = assignment.group_id
    return {"@odata.type": ASSIGNMENT_TYPE, "id": assignment.id, "target": target}
