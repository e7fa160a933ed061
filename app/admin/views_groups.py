"""Groups: user groups with members; device groups, static or dynamic with a live rule preview."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, select
from wtforms import SelectChoice

from app.admin.blueprint import bp
from app.admin.deleting import confirm_delete
from app.admin.forms import ConfirmForm, GroupForm, MemberForm
from app.automation import journal
from app.directory import listing
from app.enrollment import rules
from app.store import Group, ManagedDevice, ProfileAssignment, User, db, transaction
from app.tenancy import tenant_row


def _group_or_404(group_id: str) -> Group:
    group = tenant_row(Group, group_id)
    if group is None:
        abort(404, description=f"No group with id '{group_id}'.")
    return group


def _crumbs(*extra):
    return [("Groups", url_for(".groups")), *extra]


def _record(action: str, group: Group, **detail) -> None:
    journal.record(
        g.tenant.id, "admin.write", action=action, groupId=group.id, name=group.name, **detail
    )


def _name_taken(form: GroupForm, group: Group | None = None) -> bool:
    """Group names are unique in a tenant, so scenarios and assignments can name them."""
    wanted = (form.name.data or "").strip().casefold()
    for other in listing.groups(g.tenant.id):
        if other is not group and other.name.casefold() == wanted:
            form.name.errors.append(f"A group named {other.name} already exists.")
            return True
    return False


def _member_form(group: Group) -> MemberForm:
    form = MemberForm()
    if group.kind == "user":
        current = {u.id for u in group.users}
        form.member.label.text = "Add member"
        form.member.choices = [
            SelectChoice(u.id, f"{u.display_name} ({u.upn})")
            for u in listing.users(g.tenant.id)
            if u.id not in current
        ]
    else:
        current = {d.id for d in group.devices}
        form.member.label.text = "Add device"
        form.member.choices = [
            SelectChoice(d.id, f"{d.device_name} — {d.user_principal_name}")
            for d in listing.devices(g.tenant.id)
            if d.id not in current
        ]
    return form


@bp.get("/groups")
def groups():
    """All groups: user and device, assigned and dynamic."""
    rows = listing.groups(g.tenant.id)
    counts = listing.member_counts(g.tenant.id)
    device_counts = {
        grp.id: len(listing.group_devices(grp)) for grp in rows if grp.kind == "device"
    }
    return render_template(
        "admin/groups.html", groups=rows, counts={**counts, **device_counts}, crumbs=_crumbs()
    )


@bp.route("/groups/new", methods=["GET", "POST"])
def group_new():
    """Create a group."""
    form = GroupForm()
    if form.validate_on_submit() and not _name_taken(form):
        dynamic = form.membership.data == "dynamic"
        with transaction(g.tenant.id):
            group = Group(
                tenant_id=g.tenant.id,
                name=form.name.data.strip(),
                description=(form.description.data or "").strip(),
                kind=form.kind.data,
                rule=form.rule.data.strip() if dynamic else None,
                mail_nickname="".join(ch for ch in form.name.data if ch.isalnum())[:64],
            )
            db.session.add(group)
            db.session.flush()
            _record("group.create", group, kind=group.kind, rule=group.rule)
        flash(f"Group {group.name} created.", "success")
        return redirect(url_for(".group_page", group_id=group.id))
    return render_template(
        "admin/group_new.html", form=form, crumbs=_crumbs(("New group", None))
    ), (422 if form.errors else 200)


@bp.route("/groups/<group_id>", methods=["GET", "POST"])
def group_page(group_id: str):
    """A group's properties (editable) and members."""
    group = _group_or_404(group_id)
    form = GroupForm(
        data={"membership": "dynamic" if group.rule else "assigned"}
        if request.method == "GET"
        else None,
        obj=group,
    )
    form.kind.data = group.kind  # a group's type can't change after creation
    if form.validate_on_submit() and not _name_taken(form, group):
        dynamic = form.membership.data == "dynamic"
        with transaction(g.tenant.id):
            group.name = form.name.data.strip()
            group.description = (form.description.data or "").strip()
            group.rule = form.rule.data.strip() if dynamic else None
            if dynamic:
                group.devices.clear()
            _record("group.edit", group, rule=group.rule)
        flash(f"Group {group.name} saved.", "success")
        return redirect(url_for(".group_page", group_id=group.id))
    assigned_to = db.session.scalar(
        select(func.count())
        .select_from(ProfileAssignment)
        .where(ProfileAssignment.group_id == group.id)
    )
    return render_template(
        "admin/group.html",
        group=group,
        form=form,
        member_form=_member_form(group),
        devices=listing.group_devices(group) if group.kind == "device" else [],
        assigned_to=assigned_to,
        crumbs=_crumbs((group.name, None)),
    ), (422 if form.errors else 200)


@bp.post("/groups/<group_id>/members")
def group_member_add(group_id: str):
    """Add a user to a user group, or a recorded device to a static device group."""
    group = _group_or_404(group_id)
    if group.rule:
        abort(400, description="A dynamic group's members come from its rule.")
    form = _member_form(group)
    if not form.validate_on_submit():
        flash(
            f"Not added: {'; '.join(form.member.errors) or 'the form expired, try again'}", "error"
        )
        return redirect(url_for(".group_page", group_id=group.id))
    with transaction(g.tenant.id):
        if group.kind == "user":
            member = db.session.get(User, form.member.data)
            group.users.append(member)
            label = member.upn
        else:
            member = db.session.get(ManagedDevice, form.member.data)
            group.devices.append(member)
            label = member.device_name
        _record("group.addMember", group, member=label)
    flash(f"{label} added to {group.name}.", "success")
    return redirect(url_for(".group_page", group_id=group.id))


@bp.post("/groups/<group_id>/members/<member_id>/remove")
def group_member_remove(group_id: str, member_id: str):
    """Remove one member."""
    group = _group_or_404(group_id)
    if not ConfirmForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    members = group.users if group.kind == "user" else group.devices
    member = next((m for m in members if m.id == member_id), None)
    if member is None:
        abort(404, description="Not a member of this group.")
    label = member.upn if group.kind == "user" else member.device_name
    with transaction(g.tenant.id):
        members.remove(member)
        _record("group.removeMember", group, member=label)
    flash(f"{label} removed from {group.name}.", "success")
    return redirect(url_for(".group_page", group_id=group.id))


@bp.get("/groups/rule-preview")
def group_rule_preview():
    """Validate a membership rule as the admin types, and list the recorded devices it matches."""
    text = request.args.get("rule", "")
    try:
        rule = rules.parse(text)
    except rules.RuleError as err:
        return jsonify(
            valid=False,
            error={
                "message": err.message,
                "position": err.position,
                "token": err.token,
                "display": f"{err.message} (at character {err.position + 1})",
            },
            devices=[],
        )
    matches = listing.matching_devices(g.tenant.id, rule)
    return jsonify(
        valid=True,
        devices=[
            {
                "deviceName": d.device_name,
                "userPrincipalName": d.user_principal_name,
                "model": d.model,
                "osVersion": d.os_version,
                "enrollmentProfileName": d.enrollment_profile_name,
                "ownership": "Corporate" if d.owner_type == "company" else "Personal",
            }
            for d in matches
        ],
        total=len(listing.devices(g.tenant.id)),
    )


@bp.route("/groups/<group_id>/delete", methods=["GET", "POST"])
def group_delete(group_id: str):
    """Ask, then delete a group (and any profile assignment naming it)."""
    group = _group_or_404(group_id)
    page = url_for(".group_page", group_id=group.id)

    def delete() -> bool:
        _record("group.delete", group)
        db.session.delete(group)
        return True

    return confirm_delete(
        "group",
        group.name,
        consequence="Profiles that include or exclude it lose that assignment.",
        cancel=page,
        crumbs=_crumbs((group.name, page), ("Delete", None)),
        delete=delete,
        done=url_for(".groups"),
    )
