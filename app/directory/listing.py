"""Directory queries the console needs: users, groups and which devices a device group holds."""

from __future__ import annotations

from sqlalchemy import func, select

from app.enrollment import rules
from app.store import Group, ManagedDevice, User, db, user_group_members


def users(tenant_id: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.tenant_id == tenant_id).order_by(User.display_name, User.upn)
        )
    )


def user_by_upn(tenant_id: str, upn: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.tenant_id == tenant_id, User.upn_key == upn.strip().casefold())
    )


def groups(tenant_id: str) -> list[Group]:
    return list(
        db.session.scalars(
            select(Group).where(Group.tenant_id == tenant_id).order_by(Group.name, Group.id)
        )
    )


def member_counts(tenant_id: str) -> dict[str, int]:
    rows = db.session.execute(
        select(user_group_members.c.group_id, func.count())
        .join(Group, Group.id == user_group_members.c.group_id)
        .where(Group.tenant_id == tenant_id)
        .group_by(user_group_members.c.group_id)
    )
    return dict(rows.all())


def devices(tenant_id: str) -> list[ManagedDevice]:
    return list(
        db.session.scalars(
            select(ManagedDevice)
            .where(ManagedDevice.tenant_id == tenant_id)
            .order_by(ManagedDevice.enrolled_at.desc(), ManagedDevice.id.desc())
        )
    )


def device_facts(device: ManagedDevice) -> rules.DeviceFacts:
    """What a dynamic rule sees of a recorded device (spec §6 property names)."""
    return rules.DeviceFacts(
        enrollment_profile_name=device.enrollment_profile_name,
        device_ownership="Company" if device.owner_type == "company" else "Personal",
        device_model=device.model,
        device_os_version=device.os_version,
    )


def matching_devices(tenant_id: str, rule: rules.Rule) -> list[ManagedDevice]:
    return [d for d in devices(tenant_id) if rule.matches(device_facts(d))]


def group_devices(group: Group) -> list[ManagedDevice]:
    """A device group's members: the rule's matches when dynamic, else the assigned devices."""
    if group.rule:
        try:
            return matching_devices(group.tenant_id, rules.parse(group.rule))
        except rules.RuleError:
            return []
    return list(group.devices)
