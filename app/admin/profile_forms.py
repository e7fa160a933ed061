"""The wizard's three steps as (form, read from profile, write to profile): one definition that the
create wizard and the profile page's Edit both use."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select

from app.admin import release_settings as rs
from app.admin.forms import (
    DEFAULT_TYPE_HELP,
    ENROLLMENT_TYPE_LABELS,
    REQUIRE_CHOICE_HELP,
    REQUIRE_CHOICE_NOTE,
    AssignmentsForm,
    BasicsForm,
    SettingsForm,
)
from app.directory import profiles
from app.scenarios import CONSOLE_OPTIONS
from app.store import EnrollmentProfile, Group, db

STEPS = ["basics", "settings", "assignments", "review"]
STEP_TITLES = {
    "basics": "Basics",
    "settings": "Settings",
    "assignments": "Assignments",
    "review": "Review + create",
}
SECTIONS = STEPS[:3]


def tenant_groups() -> list[Group]:
    return list(
        db.session.scalars(
            select(Group)
            .where(Group.tenant_id == g.tenant.id)
            .order_by(Group.kind.desc(), Group.name, Group.id)
        )
    )


def release() -> rs.IntuneRelease:
    """The tenant's release: it decides which Settings step the console shows."""
    return rs.release_of(g.tenant)


def settings_help() -> dict[str, str]:
    """The Settings step's help in the tenant's release (Create profile and Edit)."""
    if rs.uses_enrollment_type(release()):
        return {"enrollment_type": rs.help_text(release(), g.tenant.company)}
    return {
        "require": REQUIRE_CHOICE_HELP.replace("<Company>", g.tenant.company),
        "note": REQUIRE_CHOICE_NOTE,
        "default": DEFAULT_TYPE_HELP,
    }


def make_form(
    step: str,
    data: dict[str, Any] | None = None,
    formdata: Any = "auto",
    profile: EnrollmentProfile | None = None,
):
    """The form of a step; on POST it reads the request, otherwise `data`. `profile` is the
    stored profile being edited (None in Create profile)."""
    kwargs: dict[str, Any] = {"data": data or {}}
    if formdata != "auto":
        kwargs["formdata"] = formdata
    if step == "basics":
        return BasicsForm(**kwargs)
    if step == "settings" and rs.uses_enrollment_type(release()):
        return rs.make_form(release(), profile, **kwargs)
    if step == "settings":
        return SettingsForm(**kwargs)
    return AssignmentsForm(tenant_groups(), **kwargs)


def form_data(form) -> dict[str, Any]:
    """What the session keeps of a step: plain JSON, no CSRF token."""
    data = {k: v for k, v in form.data.items() if k != "csrf_token"}
    if isinstance(form, BasicsForm):
        data = {k: (v or "").strip() for k, v in data.items()}
    return data


def read(profile: EnrollmentProfile, step: str) -> dict[str, Any]:
    """A stored profile as a step's form data (for Edit)."""
    if step == "basics":
        return {"name": profile.name, "description": profile.description}
    if step == "settings" and rs.uses_enrollment_type(release()):
        return rs.read(profile)
    if step == "settings":
        return {
            "require_choice": "required" if profile.require_user_choice else "notConfigured",
            "default_type": profile.default_enrollment_type,
        }
    targets = profile.assignments
    return {
        "assign_to": "all" if any(a.target == "allUsers" for a in targets) else "selected",
        "include": [a.group_id for a in targets if a.target == "include"],
        "exclude": [a.group_id for a in targets if a.target == "exclude"],
    }


def write(profile: EnrollmentProfile, step: str, data: dict[str, Any]) -> None:
    """Apply a step's validated data to a profile (inside the caller's transaction)."""
    if step == "basics":
        profile.name = data["name"]
        profile.description = data["description"]
    elif step == "settings" and rs.uses_enrollment_type(release()):
        rs.write(profile, data, release())
    elif step == "settings":
        required = data["require_choice"] == "required"
        profile.enrollment_type_options = list(CONSOLE_OPTIONS) if required else []
        profile.default_enrollment_type = data["default_type"]
    else:
        by_id = {grp.id: grp for grp in tenant_groups()}
        all_users = data["assign_to"] == "all"
        include = [] if all_users else [by_id.get(i) for i in data.get("include") or []]
        exclude = [by_id.get(i) for i in data.get("exclude") or []]
        profiles.set_assignments(profile, all_users=all_users, include=include, exclude=exclude)


def settings_fit(data: dict[str, Any] | None) -> bool:
    """Whether a Settings step kept in the wizard was answered on this release's form (the
    tenant's release may have changed since)."""
    if not data:
        return False
    return ("enrollment_type" in data) == rs.uses_enrollment_type(release())


def enrollment_type_label(profile: EnrollmentProfile) -> str:
    if rs.uses_enrollment_type(release()):
        return rs.type_name(release(), rs.current_type(profile))
    if profile.require_user_choice:
        return "User choice"
    label = ENROLLMENT_TYPE_LABELS.get(profile.default_enrollment_type)
    return label or f"{profile.default_enrollment_type} (not simulated)"


def assignment_summary(profile: EnrollmentProfile) -> dict[str, Any]:
    targets = profile.assignments
    return {
        "all_users": any(a.target == "allUsers" for a in targets),
        "include": [a.group for a in targets if a.target == "include" and a.group],
        "exclude": [a.group for a in targets if a.target == "exclude" and a.group],
        "assigned": bool(targets),
    }


def describe(step: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """A step's choices in the console's words, for Review + create."""
    if step == "basics":
        return [("Name", data.get("name", "")), ("Description", data.get("description", ""))]
    if step == "settings" and rs.uses_enrollment_type(release()):
        return rs.describe(release(), data)
    if step == "settings":
        required = data.get("require_choice") == "required"
        return [
            ("Require user to select device type", "Required" if required else "Not configured"),
            ("Default enrollment type", ENROLLMENT_TYPE_LABELS.get(data.get("default_type"), "")),
        ]
    names = {grp.id: grp.name for grp in tenant_groups()}
    all_users = data.get("assign_to") == "all"
    include = (
        "All users"
        if all_users
        else ", ".join(names.get(i, "?") for i in data.get("include") or [])
    )
    exclude = ", ".join(names.get(i, "?") for i in data.get("exclude") or [])
    return [
        ("Assign to", "All users" if all_users else "Selected groups"),
        ("Included groups", include or "None"),
        ("Excluded groups", exclude or "None"),
    ]
