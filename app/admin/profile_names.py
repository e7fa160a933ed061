"""A profile's name is what devices enrolled with it carry as `enrollmentProfileName`, the value
dynamic device groups match on. Two profiles with one name cannot be told apart there, so the
console warns (Intune allows it) and names the dynamic groups that would be affected."""

from __future__ import annotations

from itertools import product

from sqlalchemy import func, select

from app.enrollment import rules
from app.store import EnrollmentProfile, Group, db

_NAME_PROPERTY = "device.enrollmentProfileName"


def _groups_matching(tenant_id: str, name: str) -> list[str]:
    """Dynamic device groups whose rule matches a device enrolled with this profile name."""
    found = []
    rows = db.session.execute(
        select(Group.name, Group.rule)
        .where(Group.tenant_id == tenant_id, Group.rule.is_not(None), Group.rule != "")
        .order_by(Group.name)
    )
    for group_name, text in rows:
        try:
            rule = rules.parse(text)
        except rules.RuleError:
            continue
        if _NAME_PROPERTY not in rule.properties():
            continue
        devices = (
            rules.DeviceFacts(name, owner, model, "")
            for owner, model in product(("Personal", "Company"), ("iPhone", "iPad"))
        )
        if any(rule.matches(device) for device in devices):
            found.append(group_name)
    return found


def duplicate_warning(tenant_id: str, name: str, profile_id: str | None = None) -> str | None:
    """The warning for a name another profile of the tenant already has (any case), else None."""
    name = (name or "").strip()
    if not name:
        return None
    query = select(EnrollmentProfile.name).where(
        EnrollmentProfile.tenant_id == tenant_id,
        func.lower(EnrollmentProfile.name) == name.lower(),
    )
    if profile_id is not None:
        query = query.where(EnrollmentProfile.id != profile_id)
    if db.session.scalars(query).first() is None:
        return None
    groups = _groups_matching(tenant_id, name)
    affected = (
        "Dynamic device groups that would hold devices of both: " + ", ".join(groups) + "."
        if groups
        else "No dynamic device group matches this name today."
    )
    return (
        f'Another profile is already named "{name}". Devices enrolled with either are recorded '
        f'with enrollmentProfileName "{name}", so dynamic device groups cannot tell them apart. '
        + affected
    )
