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
FILTER_ID = "deviceAndAppManagementAssignmentFilterId"
FILTER_TYPE = "deviceAndAppManagementAssignmentFilterType"
GUID = r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"


def assignment_json(assignment: ProfileAssignment) -> dict[str, Any]:
    kept = assignment.graph_extra()  # the assignment filter a tool set, if any
    target: dict[str, Any] = {
        "@odata.type": TARGET_TYPES[assignment.target],
        FILTER_ID: kept.get(FILTER_ID),
        FILTER_TYPE: kept.get(FILTER_TYPE, "none"),
    }
    if assignment.target != "allUsers":
        target["groupId"] = assignment.group_id
    return {"@odata.type": ASSIGNMENT_TYPE, "id": assignment.id, "target": target}
