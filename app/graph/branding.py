"""Company Portal branding profiles (intuneBrandingProfile), their `assign` action and
assignments (intuneBrandingProfileAssignment).

Every change goes through app.directory.branding, the functions the console uses. The default
profile has Intune's fixed id in every tenant; it can't be deleted or assigned, and
`deviceManagement/intuneBrand` (app.graph.tenant) is its legacy view.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import Response, g
from pydantic import Field

from app.directory import branding as service
from app.directory import branding_fields as fields
from app.graph.blueprint import bp
from app.graph.bodies import Body, parse
from app.graph.dates import seven_digits
from app.graph.errors import GraphError, bad_request, not_found
from app.graph.odata import Resource, base_url, collection, entity, expansions, journal
from app.graph.versions import beta_only
from app.store import DEFAULT_BRANDING_ID, BrandingAssignment, BrandingProfile, db, transaction

PROFILE_TYPE = "#microsoft.graph.intuneBrandingProfile"
ASSIGNMENT_TYPE = "#microsoft.graph.intuneBrandingProfileAssignment"
GROUP_TARGET = "microsoft.graph.groupAssignmentTarget"
COLLECTION = "deviceManagement/intuneBrandingProfiles"
PROPERTIES = (
    "id",
    "profileName",
    "profileDescription",
    "isDefaultProfile",
    "createdDateTime",
    "lastModifiedDateTime",
    *(name for name in fields.NEW_PROFILE if name != "profileDescription"),
    "displayName",
    "themeColor",
)
PROFILES = Resource(
    COLLECTION,
    "microsoft.graph.intuneBrandingProfile",
    PROPERTIES,
    {
        "id": str,
        "profileName": str,
        "profileDescription": str,
        "displayName": str,
        "isDefaultProfile": bool,
        "enrollmentAvailability": str,
    },
    expandable=frozenset({"assignments"}),
)
ASSIGNMENTS = Resource(
    COLLECTION + "('{id}')/assignments",
    "microsoft.graph.intuneBrandingProfileAssignment",
    ("id", "target"),
    {"id": str},
)

ProfileFields = fields.models(Body, "Graph")


class ProfileBody(ProfileFields):  # type: ignore[misc,valid-type]
    isDefaultProfile: bool = None  # type: ignore[assignment]  # read-only, see _changes


class Target(Body):
    odata_type: str = Field(alias="@odata.type")
    groupId: str = None  # type: ignore[assignment]
    deviceAndAppManagementAssignmentFilterId: str | None = None
    deviceAndAppManagementAssignmentFilterType: Literal["none", "include", "exclude"] = "none"


class Assignment(Body):
    target: Target


class AssignBody(Body):
    assignments: Annotated[list[Assignment], Field(max_length=200)]


def profile_json(profile: BrandingProfile) -> dict[str, Any]:
    data = {
        "@odata.type": PROFILE_TYPE,
        "id": profile.id,
        "isDefaultProfile": profile.is_default,
        "createdDateTime": seven_digits(profile.created_at),
        "lastModifiedDateTime": seven_digits(profile.modified_at),
        **fields.values(profile),
    }
    if "assignments" in expansions(PROFILES):
        data["assignments"] = [assignment_json(a) for a in profile.assignments]
    return data


def assignment_json(assignment: BrandingAssignment) -> dict[str, Any]:
    return {
        "@odata.type": ASSIGNMENT_TYPE,
        "id": assignment.id,
        "target": {
            "@odata.type": f"#{GROUP_TARGET}",
            "deviceAndAppManagementAssignmentFilterId": assignment.filter_id,
            "deviceAndAppManagementAssignmentFilterType": assignment.filter_type,
            "groupId": assignment.group_id,
        },
    }


def find_profile(profile_id: str) -> BrandingProfile:
    profile = service.find(g.tenant, profile_id)
    if profile is None:
        raise not_found("intuneBrandingProfile", profile_id)
    return profile


def _changes(body: ProfileBody, profile: BrandingProfile | None) -> dict[str, Any]:
    """The properties a body sets. isDefaultProfile is read-only: a tenant has one default,
    made with the tenant, so a body may only repeat what the profile already is."""
    if "isDefaultProfile" in body.model_fields_set:
        current = profile is not None and profile.is_default
        if body.isDefaultProfile is not None and body.isDefaultProfile != current:
            raise bad_request(
                "Invalid value for property 'isDefaultProfile': it is read-only; a tenant has "
                f"exactly one default branding profile, with id '{DEFAULT_BRANDING_ID}'."
            )
    return body.model_dump(include=body.model_fields_set - {"isDefaultProfile"}, mode="json")


def _refused(exc: service.BrandingError, where: str = "") -> GraphError:
    prefix = f"{where}: " if where else ""
    return bad_request(prefix + exc.message)


@beta_only
@bp.get(f"/{COLLECTION}")
def list_branding_profiles():
    """The tenant's branding profiles, the default one first (oldest first)."""
    return collection(PROFILES, [profile_json(p) for p in service.ordered(g.tenant)])


bp.add_url_rule(f"/{COLLECTION}/$count", "count_branding_profiles", list_branding_profiles)


@beta_only
@bp.post(f"/{COLLECTION}")
def create_branding_profile():
    """Create a profile (at most 25 besides the default)."""
    body = parse(ProfileBody)
    with transaction(g.tenant.id):
        try:
            profile = service.create(g.tenant, _changes(body, None))
        except service.BrandingError as exc:
            raise _refused(exc) from None
        journal("create", "intuneBrandingProfile", profile.id, name=profile.name)
        data = entity(PROFILES, profile_json(profile), entity_set=COLLECTION)
    location = f"{base_url()}/{COLLECTION}('{profile.id}')"
    return data, 201, {"Location": location}


@beta_only
@bp.get(f"/{COLLECTION}/<profile_id>")
def get_branding_profile(profile_id: str):
    """One profile."""
    return entity(PROFILES, profile_json(find_profile(profile_id)))


@beta_only
@bp.patch(f"/{COLLECTION}/<profile_id>")
def update_branding_profile(profile_id: str):
    """Change every property the body gives; the others keep their values."""
    body = parse(ProfileBody)
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        changes = _changes(body, profile)
        service.update(profile, changes)
        journal("update", "intuneBrandingProfile", profile.id, fields=sorted(changes))
        db.session.flush()
        data = entity(PROFILES, profile_json(profile))
    return data


@beta_only
@bp.delete(f"/{COLLECTION}/<profile_id>")
def delete_branding_profile(profile_id: str):
    """Delete a profile; the default one is refused."""
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        try:
            service.delete(g.tenant, profile)
        except service.BrandingError as exc:
            raise _refused(exc) from None
        journal("delete", "intuneBrandingProfile", profile_id, name=profile.name)
    return Response(status=204)


IMAGE_NAMES = ",".join(fields.IMAGES)


@beta_only
@bp.get(f"/{COLLECTION}/<profile_id>/<any({IMAGE_NAMES}):name>")
def get_branding_image(profile_id: str, name: str):
    """One image property (tools read logos this way); 204 when none is set."""
    profile = find_profile(profile_id)
    image = fields.values(profile)[name]
    if image is None:
        return Response(status=204)
    where = f"{base_url()}/$metadata#{COLLECTION}('{profile.id}')/{name}"
    return {"@odata.context": where, "@odata.type": "#microsoft.graph.mimeContent", **image}


def _targets(body: AssignBody, profile: BrandingProfile) -> list[service.Target]:
    targets = []
    for n, item in enumerate(body.assignments):
        where = f"assignments[{n}].target"
        kind = item.target.odata_type.removeprefix("#")
        if kind != GROUP_TARGET:
            raise bad_request(
                f"Invalid value '{item.target.odata_type}' for property '{where}.@odata.type': "
                f"branding profiles are assigned to included user groups (#{GROUP_TARGET})."
            )
        if item.target.groupId is None:
            raise bad_request(f"The property '{where}.groupId' is required.")
        targets.append(
            service.Target(
                item.target.groupId,
                item.target.deviceAndAppManagementAssignmentFilterId,
                item.target.deviceAndAppManagementAssignmentFilterType,
            )
        )
    return targets


@beta_only
@bp.post(f"/{COLLECTION}/<profile_id>/assign")
def assign_branding_profile(profile_id: str):
    """Replace the profile's assignments with the user groups the body lists."""
    body = parse(AssignBody)
    with transaction(g.tenant.id):
        profile = find_profile(profile_id)
        targets = _targets(body, profile)
        try:
            service.assign(profile, targets)
        except service.BrandingError as exc:
            raise _refused(exc, "assignments" if exc.field else "") from None
        journal(
            "assign", "intuneBrandingProfile", profile.id, groupIds=[t.group_id for t in targets]
        )
    return Response(status=204)


@beta_only
@bp.get(f"/{COLLECTION}/<profile_id>/assignments")
def list_branding_assignments(profile_id: str):
    """The profile's assignments, in the order `assign` gave them."""
    profile = find_profile(profile_id)
    resource = Resource(
        ASSIGNMENTS.entity_set.format(id=profile.id),
        ASSIGNMENTS.type_name,
        ASSIGNMENTS.properties,
        ASSIGNMENTS.filterable,
    )
    return collection(resource, [assignment_json(a) for a in profile.assignments])


@beta_only
@bp.get(f"/{COLLECTION}/<profile_id>/assignments/<assignment_id>")
def get_branding_assignment(profile_id: str, assignment_id: str):
    """One assignment."""
    profile = find_profile(profile_id)
    for assignment in profile.assignments:
        if assignment.id == assignment_id:
            where = ASSIGNMENTS.entity_set.format(id=profile.id)
            return entity(ASSIGNMENTS, assignment_json(assignment), entity_set=where)
    raise not_found("intuneBrandingProfileAssignment", assignment_id)


# deviceManagement/intuneBrand: the default profile under intuneBrand's names.
BRAND_ALIASES = {
    "darkBackgroundLogo": "themeColorLogo",
    "showNameNextToLogo": "showDisplayNameNextToLogo",
}
PROFILE_ONLY = {
    "profileName",
    "profileDescription",
    "showConfigurationManagerApps",
    "disableDeviceCategorySelection",
}


Image = ProfileFields.model_fields["themeColorLogo"].annotation


class IntuneBrandBody(ProfileFields):  # type: ignore[misc,valid-type]
    darkBackgroundLogo: Image = None  # type: ignore[valid-type]
    showNameNextToLogo: bool = None  # type: ignore[assignment]


def intune_brand_json(profile: BrandingProfile) -> dict[str, Any]:
    """The default profile as Graph's intuneBrand."""
    data = {k: v for k, v in fields.values(profile).items() if k not in PROFILE_ONLY}
    for alias, name in BRAND_ALIASES.items():
        data[alias] = data[name]
    return data


def intune_brand_changes(body: IntuneBrandBody) -> dict[str, Any]:
    """What an intuneBrand body sets, by the profile's names (profile-only names are not
    intuneBrand's: ignored, as Graph ignores what a type does not have)."""
    given = body.model_dump(include=body.model_fields_set - PROFILE_ONLY, mode="json")
    for alias, name in BRAND_ALIASES.items():
        if alias in given:
            given[name] = given.pop(alias)
    return given
